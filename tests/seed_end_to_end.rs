//! Every code block of the seed document (the Python async client's guide), in Rust, against
//! mosim on the local MariaDB, asserting what each block is for: `SELECT 1` answers 1, a closed
//! client is closed, queries return and insert the rows, a snapshot read returns the rows as they
//! were, a clone at a snapshot has the old rows, a restore brings them back, a failed transaction
//! leaves nothing, `mo_ctl` answers OK, concurrent work is concurrent.
//!
//! Each test starts its own mosim (`mosim::Server::start`) on `MOSIM_BACKEND` (default
//! `mysql://root@127.0.0.1:3306`) and uses databases, snapshots and PITRs of its own, so the
//! tests run in parallel. Nothing is skipped: without MariaDB every test fails.
//!
//! Sections 4 to 7, restore and PITR are the scenarios of `support/mo.rs`, which
//! `live_matrixone.rs` runs against a real MatrixOne.

#[path = "support/mo.rs"]
mod mo;

use std::time::{Duration, Instant};

use matrixone::{Client, ConnectOptions, ErrorKind, Executor, query};
use mo::{Scratch, TestResult, USERS, ensure, ensure_eq, names, users_database};

/// Starts mosim on the MariaDB backend; fails the test when that is impossible.
async fn mosim() -> mosim::Server {
    let backend = std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    mosim::Server::start(&backend)
        .await
        .unwrap_or_else(|e| panic!("mosim could not start on the MariaDB at {backend}: {e}"))
}

/// A client on mosim's `test` database.
async fn client(server: &mosim::Server) -> Client {
    Client::connect(&server.url("test")).await.unwrap_or_else(|e| panic!("connect to mosim: {e}"))
}

/// Runs a scenario of `support/mo.rs` on a fresh mosim.
async fn on_mosim(scenario: impl AsyncFnOnce(&Client) -> TestResult) -> TestResult {
    let server = mosim().await;
    let client = client(&server).await;
    let outcome = scenario(&client).await;
    client.close().await;
    server.shutdown().await;
    outcome
}

/// Runs `body` on a fresh mosim with a database name of its own (the database is not created),
/// and drops that database afterwards whether `body` passed or not.
async fn with_database(prefix: &str, body: impl AsyncFnOnce(&Client, &str) -> TestResult) -> TestResult {
    on_mosim(async |client| {
        let scratch = Scratch::new(prefix);
        let db = scratch.database("db");
        let outcome = body(client, &db).await;
        scratch.finish(client, outcome).await
    })
    .await
}

/// Section 1: `AsyncClient()`, `connect(host=..., port=..., user=..., password=..., database=...)`,
/// `execute("SELECT 1").scalar()`, `disconnect()`.
#[tokio::test]
async fn section_1_connect_select_1_disconnect() -> TestResult {
    let server = mosim().await;
    let client = Client::connect_with(
        ConnectOptions::new()
            .host("127.0.0.1")
            .port(server.addr().port())
            .user("root")
            .password("111")
            .database("test"),
    )
    .await?;
    let result = client.execute("SELECT 1").await?;
    println!("Result: {}", result.scalar::<i64>()?);
    ensure_eq!(result.scalar::<i64>()?, 1, "SELECT 1");
    client.close().await;
    ensure!(client.is_closed(), "the client is closed after close()");
    server.shutdown().await;
    Ok(())
}

/// Section 2: `async with AsyncClient() as client:` disconnects when the block ends. In Rust the
/// block is a function, and the client is closed on every path out of it.
#[tokio::test]
async fn section_2_scoped_client_is_closed() -> TestResult {
    let server = mosim().await;
    let url = server.url("test");

    async fn with_client<T>(
        url: &str,
        body: impl AsyncFnOnce(&Client) -> matrixone::Result<T>,
    ) -> matrixone::Result<(T, Client)> {
        let client = Client::connect(url).await?;
        let outcome = body(&client).await;
        client.close().await;
        outcome.map(|value| (value, client))
    }

    let (answer, used) =
        with_client(&url, async |client| client.execute("SELECT 1").await?.scalar::<i64>()).await?;
    ensure_eq!(answer, 1, "SELECT 1 inside the block");
    ensure!(used.is_closed(), "the client is closed when the block ends");
    match used.execute("SELECT 1").await {
        Ok(_) => return Err("a closed client still ran a query".into()),
        Err(e) => ensure_eq!(e.kind(), ErrorKind::Connection, "a query on the closed client: {e}"),
    }
    server.shutdown().await;
    Ok(())
}

/// Section 3: rows by position, a bound parameter with `fetchone`, an insert with binds.
#[tokio::test]
async fn section_3_queries() -> TestResult {
    with_database("s3", async |client, db| {
        users_database(client, db).await?;

        let result = client.execute(format!("SELECT id, name FROM `{db}`.users ORDER BY id")).await?;
        let mut seen = Vec::new();
        for row in &result {
            println!("ID: {}, Name: {}", row.get::<i64>(0)?, row.get::<String>(1)?);
            seen.push((row.get::<i64>(0)?, row.get::<String>(1)?));
        }
        ensure_eq!(
            seen,
            vec![(1, "Bob".to_owned()), (2, "Charlie".to_owned()), (3, "Dave".to_owned())],
            "rows"
        );

        let result =
            client.execute(query(format!("SELECT * FROM `{db}`.users WHERE id = ?")).bind(1)).await?;
        let user = result.first().ok_or("fetchone found no row")?;
        ensure_eq!(user.get::<String>("name")?, "Bob", "fetchone's name");
        ensure_eq!(
            user.get::<Option<String>>("email")?.as_deref(),
            Some("bob@example.com"),
            "fetchone's email"
        );

        let inserted = client
            .execute(
                query(format!("INSERT INTO `{db}`.users (name, email) VALUES (?, ?)"))
                    .bind("Alice")
                    .bind("alice@example.com"),
            )
            .await?;
        ensure_eq!(inserted.rows_affected(), 1, "the insert's affected rows");
        let email: String = client
            .fetch_scalar(
                query(format!("SELECT email FROM `{db}`.users WHERE id = ?")).bind(inserted.last_insert_id()),
            )
            .await?;
        ensure_eq!(email, "alice@example.com", "the inserted row read back by its id");
        Ok(())
    })
    .await
}

/// Section 4: snapshots (DATABASE level) created, listed, got, read at and deleted.
#[tokio::test]
async fn section_4_snapshots() -> TestResult {
    on_mosim(mo::section_4_snapshots).await
}

/// Section 5: `clone_database`, `clone_table`, `clone_database_with_snapshot`.
#[tokio::test]
async fn section_5_clones() -> TestResult {
    on_mosim(mo::section_5_clones).await
}

/// Section 6: `flush_table` and `checkpoint` answer OK (mosim's user is the sys account).
#[tokio::test]
async fn section_6_moctl() -> TestResult {
    on_mosim(async |client| mo::section_6_moctl(client, true).await).await
}

/// Section 7: insert + snapshot + clone in a transaction. MatrixOne refuses the snapshot there
/// (code 20101): the test asserts the refusal and that the rolled-back transaction left nothing,
/// then meets the seed's intent with snapshots before and after a transaction holding the insert
/// and the clone (see `mo::section_7_transaction`).
#[tokio::test]
async fn section_7_transaction() -> TestResult {
    on_mosim(mo::section_7_transaction).await
}

/// Restore (not in the seed's sections, but in its manager list): a table and a database come
/// back from a snapshot.
#[tokio::test]
async fn restore_from_snapshot() -> TestResult {
    on_mosim(mo::restore_from_snapshot).await
}

/// PITR: create, alter, restore a database to a second, drop.
#[tokio::test]
async fn pitr_restore_at_a_second() -> TestResult {
    on_mosim(mo::pitr_restore).await
}

/// Advanced 1: three `COUNT(*)` queries gathered concurrently.
#[tokio::test]
async fn advanced_1_concurrent_queries() -> TestResult {
    with_database("a1", async |client, db| {
        users_database(client, db).await?;
        for (table, rows) in [("orders", 2), ("products", 5)] {
            client.execute(format!("CREATE TABLE `{db}`.{table} (id INT PRIMARY KEY)")).await?;
            let values: Vec<String> = (1..=rows).map(|i| format!("({i})")).collect();
            client.execute(format!("INSERT INTO `{db}`.{table} VALUES {}", values.join(", "))).await?;
        }
        let (users, orders, products) = tokio::try_join!(
            client.execute(format!("SELECT COUNT(*) FROM `{db}`.users")),
            client.execute(format!("SELECT COUNT(*) FROM `{db}`.orders")),
            client.execute(format!("SELECT COUNT(*) FROM `{db}`.products")),
        )?;
        let counts = (users.scalar::<i64>()?, orders.scalar::<i64>()?, products.scalar::<i64>()?);
        println!("Users: {}, Orders: {}, Products: {}", counts.0, counts.1, counts.2);
        ensure_eq!(counts, (3, 2, 5), "the three counts");
        Ok(())
    })
    .await
}

/// Advanced 2: three inserts with binds run concurrently; all of them land.
#[tokio::test]
async fn advanced_2_concurrent_batch_insert() -> TestResult {
    with_database("a2", async |client, db| {
        client.execute(format!("CREATE DATABASE `{db}`")).await?;
        client
            .execute(format!(
                "CREATE TABLE `{db}`.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100))"
            ))
            .await?;
        let users = [("Alice", "alice@example.com"), ("Bob", "bob@example.com"), ("Charlie", "charlie@example.com")];
        let inserts = users.iter().map(|(name, email)| {
            client.execute(
                query(format!("INSERT INTO `{db}`.users (name, email) VALUES (?, ?)")).bind(*name).bind(*email),
            )
        });
        let results = futures_util::future::try_join_all(inserts).await?;
        ensure!(results.iter().all(|r| r.rows_affected() == 1), "every insert affected one row");
        let stored: Vec<(String, String)> =
            client.fetch_all(format!("SELECT name, email FROM `{db}`.users ORDER BY name")).await?;
        let expected: Vec<(String, String)> =
            users.iter().map(|(n, e)| ((*n).to_owned(), (*e).to_owned())).collect();
        ensure_eq!(stored, expected, "all users inserted concurrently");
        Ok(())
    })
    .await
}

/// Advanced 3: a query on a missing table, a transaction failing half-way (nothing of it
/// remains), and a connection that cannot be made: each a typed error.
#[tokio::test]
async fn advanced_3_error_handling() -> TestResult {
    with_database("a3", async |client, db| {
        users_database(client, db).await?;

        match client.execute(format!("SELECT * FROM `{db}`.nonexistent_table")).await {
            Ok(_) => return Err("a query on a missing table succeeded".into()),
            Err(e) => {
                println!("Query failed: {e}");
                ensure_eq!(e.kind(), ErrorKind::TableNotFound, "the missing table's kind");
                ensure_eq!(e.code(), Some(1146), "the missing table's code");
            }
        }

        let failed = client
            .transaction(async |tx| {
                tx.execute(query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind("Alice"))
                    .await?;
                tx.execute(
                    query(format!("INSERT INTO `{db}`.nonexistent_table (name) VALUES (?)")).bind("Bob"),
                )
                .await?;
                Ok(())
            })
            .await;
        match failed {
            Ok(()) => return Err("a transaction writing to a missing table succeeded".into()),
            Err(e) => {
                println!("Transaction failed: {e}");
                ensure_eq!(e.kind(), ErrorKind::TableNotFound, "the failed transaction's kind");
            }
        }
        ensure_eq!(
            names(client, &format!("`{db}`.users")).await?,
            USERS.to_vec(),
            "after the failed transaction"
        );

        // A port nothing listens on: bind one, then free it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let refused = Client::connect_with(
            ConnectOptions::new().host("127.0.0.1").port(port).user("root").password("111").database("test"),
        )
        .await;
        match refused {
            Ok(_) => return Err(format!("connected to 127.0.0.1:{port}, where nothing listens").into()),
            Err(e) => {
                println!("Connection failed: {e}");
                ensure_eq!(e.kind(), ErrorKind::Connection, "the refused connection's kind");
            }
        }
        Ok(())
    })
    .await
}

/// Performance 1: ten `SELECT SLEEP(0.1)` one after another, then all at once; the concurrent
/// run must be clearly faster (more than 3x).
#[tokio::test]
async fn performance_sequential_vs_concurrent() -> TestResult {
    on_mosim(async |client| {
        // Open the connections first so that the concurrent run does not time connecting.
        futures_util::future::try_join_all((0..10).map(|_| client.execute("SELECT 1"))).await?;

        let start = Instant::now();
        for _ in 0..10 {
            client.execute("SELECT SLEEP(0.1)").await?;
        }
        let sync_time = start.elapsed();

        let start = Instant::now();
        futures_util::future::try_join_all((0..10).map(|_| client.execute("SELECT SLEEP(0.1)"))).await?;
        let async_time = start.elapsed();

        let speedup = sync_time.as_secs_f64() / async_time.as_secs_f64();
        println!("Sync time: {:.2}s", sync_time.as_secs_f64());
        println!("Async time: {:.2}s", async_time.as_secs_f64());
        println!("Speedup: {speedup:.2}x");
        ensure!(sync_time >= Duration::from_millis(1000), "ten sequential 0.1 s sleeps took {sync_time:?}");
        ensure!(speedup > 3.0, "concurrent run only {speedup:.2}x faster ({sync_time:?} vs {async_time:?})");
        Ok(())
    })
    .await
}

/// Migration (sync vs async): `async_example()` connects, runs `SELECT 1`, disconnects and
/// returns the scalar; `asyncio.run(async_example())` is a runtime's `block_on` from plain,
/// synchronous code, which is why this test is a `#[test]` and not a `#[tokio::test]`.
#[test]
fn migration_async_example_from_sync_code() -> TestResult {
    async fn async_example(url: &str) -> matrixone::Result<i64> {
        let client = Client::connect(url).await?;
        let result = client.execute("SELECT 1").await?;
        client.close().await;
        result.scalar()
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(async {
        let server = mosim().await;
        let result = async_example(&server.url("test")).await;
        server.shutdown().await;
        result
    })?;
    ensure_eq!(result, 1, "async_example()");
    Ok(())
}
