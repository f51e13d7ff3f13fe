//! The seed's MatrixOne sections (4 to 7) plus restore and PITR against a real MatrixOne: the
//! server in `MATRIXONE_URL`, e.g.
//!
//! ```text
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo test --test live_matrixone
//! ```
//!
//! Without `MATRIXONE_URL` every test says why it skips and passes: this is the project's only
//! skip. The scenarios are those of `support/mo.rs`, which `seed_end_to_end.rs` runs against
//! mosim; they keep to what MatrixOne allows: snapshots, restores and PITRs outside transactions,
//! database-level snapshots and PITRs of databases the test creates, nothing at account or
//! cluster level. `mo_ctl` must answer OK for the sys account; for another account (a login
//! `account:user`) a refusal is accepted. The PITR test reads the restore time as UTC, which
//! MatrixOne takes in its process's time zone: run the server in UTC (its containers do).

#[path = "support/mo.rs"]
mod mo;

use matrixone::{Client, ConnectOptions};
use mo::TestResult;

/// The live server's URL, or `None` after saying why the test skips.
fn live_url() -> Option<String> {
    match std::env::var("MATRIXONE_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            eprintln!("skipping: MATRIXONE_URL is not set (live MatrixOne suite)");
            None
        }
    }
}

/// Whether the login is the sys account's: `user`, or `sys:user[:role]`.
fn is_sys(options: &ConnectOptions) -> matrixone::Result<bool> {
    let login = options.login_name()?;
    Ok(match login.split_once(':') {
        Some((account, _)) => account.eq_ignore_ascii_case("sys"),
        None => true,
    })
}

/// Runs `scenario` on the live server, or skips when there is none.
async fn live(scenario: impl AsyncFnOnce(&Client, bool) -> TestResult) -> TestResult {
    let Some(url) = live_url() else { return Ok(()) };
    let options: ConnectOptions = url.parse()?;
    let sys = is_sys(&options)?;
    let client = Client::connect_with(options).await?;
    let outcome = scenario(&client, sys).await;
    client.close().await;
    outcome
}

#[tokio::test]
async fn section_4_snapshots() -> TestResult {
    live(async |client, _| mo::section_4_snapshots(client).await).await
}

#[tokio::test]
async fn section_5_clones() -> TestResult {
    live(async |client, _| mo::section_5_clones(client).await).await
}

#[tokio::test]
async fn section_6_moctl() -> TestResult {
    live(async |client, sys| mo::section_6_moctl(client, sys).await).await
}

#[tokio::test]
async fn section_7_transaction() -> TestResult {
    live(async |client, _| mo::section_7_transaction(client).await).await
}

#[tokio::test]
async fn restore_from_snapshot() -> TestResult {
    live(async |client, _| mo::restore_from_snapshot(client).await).await
}

#[tokio::test]
async fn pitr_restore_at_a_second() -> TestResult {
    live(async |client, _| mo::pitr_restore(client).await).await
}

/// The sys check that decides how strict the `mo_ctl` test is.
#[test]
fn the_sys_account_is_recognised_from_the_login() -> TestResult {
    let from_url = |url: &str| -> TestResult<bool> { Ok(is_sys(&url.parse()?)?) };
    mo::ensure!(from_url("mysql://root:111@127.0.0.1:6001/test")?, "a plain user logs in to sys");
    mo::ensure!(!from_url("mysql://acc1%3Aroot:111@127.0.0.1:6001/test")?, "acc1:root in the URL is not sys");
    mo::ensure!(!is_sys(&ConnectOptions::new().user("root").account("acc1"))?, "acc1:root is not sys");
    mo::ensure!(is_sys(&ConnectOptions::new().user("root").account("SYS"))?, "SYS:root is sys");
    mo::ensure!(is_sys(&ConnectOptions::new().user("root").role("admin"))?, "sys:root:admin is sys");
    Ok(())
}
