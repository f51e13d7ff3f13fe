//! Shared by the MatrixOne examples (`snapshots`, `clone`, `moctl`, `transaction_mo`,
//! `restore_pitr`): which MatrixOne to talk to, and how an example reports a failed check.
//!
//! Included with `#[path = "common/simulated.rs"] mod simulated;`; each example uses a part of it.
#![allow(dead_code)]

use std::error::Error;

/// What the examples return: any error, with a message saying what went wrong.
pub type Outcome = Result<(), Box<dyn Error>>;

/// The MatrixOne an example runs against: the server in `MATRIXONE_URL` when it is set, else
/// mosim (the MatrixOne simulator) started in this process on the MariaDB in `MOSIM_BACKEND`
/// (default `mysql://root@127.0.0.1:3306`).
pub struct Target {
    url: String,
    simulator: Option<mosim::Server>,
}

impl Target {
    /// Picks the server, starting mosim if needed, and says which one it is.
    pub async fn start() -> Result<Target, Box<dyn Error>> {
        if let Ok(url) = std::env::var("MATRIXONE_URL") {
            println!("Using the MatrixOne server in MATRIXONE_URL");
            return Ok(Target { url, simulator: None });
        }
        let backend =
            std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
        let server = mosim::Server::start(&backend)
            .await
            .map_err(|e| format!("MATRIXONE_URL is not set and mosim could not start on {backend}: {e}"))?;
        println!("MATRIXONE_URL is not set: started mosim (the MatrixOne simulator) on {backend}");
        Ok(Target { url: server.url("test"), simulator: Some(server) })
    }

    /// The URL to connect to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether this is mosim rather than a real MatrixOne.
    pub fn is_simulated(&self) -> bool {
        self.simulator.is_some()
    }

    /// Stops mosim if this process started it.
    pub async fn stop(self) {
        if let Some(server) = self.simulator {
            server.shutdown().await;
        }
    }
}

/// An example's `main`: picks the target, connects, runs `run`, always runs `clean_up` and
/// closes the client and the simulator, then reports the first failure, or `"{name} complete."`.
pub async fn run_example(
    name: &str,
    run: impl AsyncFnOnce(&matrixone::Client) -> Outcome,
    clean_up: impl AsyncFnOnce(&matrixone::Client) -> matrixone::Result<()>,
) -> Outcome {
    let target = Target::start().await?;
    let outcome = match matrixone::Client::connect(target.url()).await {
        Ok(client) => {
            let outcome = run(&client).await;
            let cleaned = clean_up(&client).await;
            client.close().await;
            outcome.and(cleaned.map_err(Into::into))
        }
        Err(e) => Err(e.into()),
    };
    target.stop().await;
    outcome?;
    println!("\n{name} complete.");
    Ok(())
}

/// An example's check: `Err(what)` when `holds` is false, so the example exits non-zero.
pub fn check(holds: bool, what: impl Into<String>) -> Outcome {
    if holds { Ok(()) } else { Err(format!("check failed: {}", what.into()).into()) }
}

/// `SELECT COUNT(*) ...` as an `i64`.
pub async fn count(client: &matrixone::Client, sql: impl Into<String>) -> matrixone::Result<i64> {
    use matrixone::Executor as _;
    client.fetch_scalar::<i64>(sql.into()).await
}

/// The current UTC second as `YYYY-MM-DD HH:MM:SS`, the form `RESTORE ... FROM PITR` takes,
/// with a pause of more than a second on each side so that the second is cleanly between the
/// changes made before and after it.
pub async fn utc_second_between_changes(client: &matrixone::Client) -> matrixone::Result<String> {
    use matrixone::Executor as _;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let at: String = client.fetch_scalar("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    Ok(at)
}
