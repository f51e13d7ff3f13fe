//! Known hazards of real MatrixOne servers, reproduced by mosim's opt-in quirks on the local
//! MariaDB, and what the SDK does about them (issue 7):
//!
//! - #28138 / #26874 (severity s0): a re-executed binary-protocol prepared INSERT keeps the
//!   NULL positions of its first execution and silently stores later values there as NULL.
//!   The SDK binds values itself over the text protocol on MatrixOne, so it never meets it.
//! - MatrixOne does not close its side on COM_QUIT (matrixorigin/Astra PR #610): the SDK's
//!   `close()` never waits for the server.
mod support;

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use matrixone::{Client, ConnectOptions, ErrorKind, Executor, query};
use sqlx::{AssertSqlSafe, Connection as _, MySqlConnection};

fn backend() -> String {
    std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned())
}

async fn mosim_with(config: impl FnOnce(mosim::Config) -> mosim::Config) -> mosim::Server {
    mosim::Server::start_with(config(mosim::Config::new(backend())))
        .await
        .expect("mosim starts on the local MariaDB")
}

/// mosim reproducing #28138.
async fn null_shape_mosim() -> mosim::Server {
    mosim_with(|c| c.quirk_prepared_null_shape(true)).await
}

const PARENTS: &str = "id VARCHAR(64) PRIMARY KEY, parent_id VARCHAR(64) NULL";

/// The reproduction through `client`: `INSERT (id, parent_id)` with a NULL parent, then
/// with parent `root`, on one connection. Returns the second row's stored parent.
async fn insert_null_then_value(client: &Client) -> Option<String> {
    let t = support::unique("null_shape");
    support::fresh_table(client, &t, PARENTS).await;
    let insert = format!("INSERT INTO {t} (id, parent_id) VALUES (?, ?)");
    client.execute(query(&insert).bind("root").bind(None::<&str>)).await.unwrap();
    client.execute(query(&insert).bind("child").bind(Some("root"))).await.unwrap();
    let parent = client
        .fetch_scalar(query(format!("SELECT parent_id FROM {t} WHERE id = ?")).bind("child"))
        .await
        .unwrap();
    client.execute(format!("DROP TABLE {t}")).await.unwrap();
    parent
}

/// The same with raw sqlx: a persistent (cached) prepared INSERT executed twice.
async fn raw_insert_null_then_value(url: &str) -> Option<String> {
    let mut c = MySqlConnection::connect(url).await.unwrap();
    let t = support::unique("null_shape_raw");
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE TABLE {t} ({PARENTS})"))).execute(&mut c).await.unwrap();
    let insert = format!("INSERT INTO {t} (id, parent_id) VALUES (?, ?)");
    for (id, parent) in [("root", None), ("child", Some("root"))] {
        sqlx::query(AssertSqlSafe(insert.clone())).bind(id).bind(parent).execute(&mut c).await.unwrap();
    }
    assert_eq!(c.cached_statements_size(), 1, "one prepared statement, executed twice");
    let parent = sqlx::query_scalar(AssertSqlSafe(format!("SELECT parent_id FROM {t} WHERE id = 'child'")))
        .fetch_one(&mut c)
        .await
        .unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!("DROP TABLE {t}"))).execute(&mut c).await.unwrap();
    parent
}

#[tokio::test]
async fn raw_sqlx_loses_a_value_to_the_null_shape_of_a_cached_prepared_insert() {
    let quirky = null_shape_mosim().await;
    assert_eq!(raw_insert_null_then_value(&quirky.url("test")).await, None, "stored as NULL");
    // The quirk is what does it: a normal mosim stores the value.
    let normal = mosim_with(|c| c).await;
    assert_eq!(raw_insert_null_then_value(&normal.url("test")).await.as_deref(), Some("root"));
}

#[tokio::test]
async fn the_default_client_stores_every_value_on_matrixone() {
    let server = null_shape_mosim().await;
    let options: ConnectOptions = server.url("test").parse().unwrap();
    // One connection: both INSERTs run on the same session, where the quirk would bite.
    let c = Client::connect_with(options.max_connections(1)).await.unwrap();
    assert!(c.server_version().is_matrixone(), "{}", c.server_version());
    assert_eq!(insert_null_then_value(&c).await.as_deref(), Some("root"));
}

/// Why the default matters: forced onto prepared statements, the SDK meets the corruption.
#[tokio::test]
async fn a_client_forced_to_prepare_meets_the_corruption() {
    let server = null_shape_mosim().await;
    let options: ConnectOptions = server.url("test").parse().unwrap();
    let c = Client::connect_with(options.max_connections(1).prepared_statements(true)).await.unwrap();
    assert_eq!(insert_null_then_value(&c).await, None, "the value was stored as NULL");
}

/// mosim sessions whose backend connection uses `db`, from MariaDB's process list.
async fn sessions_in(direct: &mut MySqlConnection, db: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?")
        .bind(db)
        .fetch_one(direct)
        .await
        .unwrap()
}

/// Polls every 50 ms, for at most `limit`, until `db` has `n` sessions; returns whether it did.
async fn wait_sessions(direct: &mut MySqlConnection, db: &str, n: i64, limit: Duration) -> bool {
    let start = Instant::now();
    loop {
        if sessions_in(direct, db).await == n {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The SDK's pool never sends COM_QUIT nor waits for the server: closing drops the sockets.
/// (sqlx 0.9's own `MySqlPool::close()` does not hang here either: for an idle connection it
/// sends COM_QUIT and shuts its socket down without reading an answer; it waits only for
/// connections still checked out.)
#[tokio::test]
async fn close_returns_at_once_from_a_server_that_ignores_quit() {
    const CONNS: usize = 4;
    let server = mosim_with(|c| c.quirk_ignore_quit(true)).await;
    let mut direct = MySqlConnection::connect(&support::url()).await.unwrap();
    // A database of its own, so MariaDB's process list counts exactly this client's sessions.
    let db = support::unique("quit_hazard");
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&mut direct).await.unwrap();

    let options: ConnectOptions = server.url(&db).parse().unwrap();
    let c = Client::connect_with(options.max_connections(CONNS as u32)).await.unwrap();
    // Several connections at once: one transaction each, then all back in the pool.
    let txs = join_all((0..CONNS).map(|_| c.begin())).await;
    for tx in txs {
        let tx = tx.unwrap();
        tx.execute("SELECT 1").await.unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(c.pool_status().open, CONNS);
    assert!(wait_sessions(&mut direct, &db, CONNS as i64, Duration::from_secs(5)).await);

    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(1), c.close()).await.expect("close() returns within 1 s");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{took:?}");
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    // The client's sockets are closed, so mosim ends every session.
    assert!(
        wait_sessions(&mut direct, &db, 0, Duration::from_secs(5)).await,
        "{} sessions left",
        sessions_in(&mut direct, &db).await
    );
    sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {db}"))).execute(&mut direct).await.unwrap();
}
