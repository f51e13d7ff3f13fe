//! Session state never leaks from one pooled call to the next (review finding 7), and client-side
//! escaping always matches the session that parses it (review finding 3: an injection when a
//! pooled connection and the escaper disagreed about `NO_BACKSLASH_ESCAPES`).
mod support;

use matrixone::{Client, ErrorKind, Executor, query};

#[tokio::test]
async fn a_client_refuses_statements_that_would_leave_state_on_a_pooled_connection() {
    let c = support::client().await;
    for sql in [
        "SET time_zone = '+08:00'",
        "USE mysql",
        "SET @secret = 'x'",
        "SELECT 1; SET SESSION sql_mode = ''",
        "BEGIN",
        "START TRANSACTION",
        "LOCK TABLES mysql.user READ",
        "CREATE TEMPORARY TABLE tmp_leak (a INT)",
    ] {
        let err = c.execute(sql).await.expect_err(sql);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{sql}: {err}");
    }
    // Every pooled connection still has the SDK's settings.
    for _ in 0..12 {
        let (tz, db): (String, String) = c.fetch_one("SELECT @@time_zone, DATABASE()").await.unwrap();
        assert_eq!((tz.as_str(), db.as_str()), ("+00:00", "test"));
        let open: i64 = c.fetch_scalar("SELECT @@in_transaction").await.unwrap();
        assert_eq!(open, 0);
    }
    // Server-wide settings are not session state.
    c.execute("SET GLOBAL innodb_lock_wait_timeout = @@GLOBAL.innodb_lock_wait_timeout").await.unwrap();
}

#[tokio::test]
async fn a_transaction_may_change_its_session_and_its_connection_is_replaced_afterwards() {
    let c = Client::connect_with(support::options().max_connections(1)).await.unwrap();
    let before: u64 = c.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    let tx = c.begin().await.unwrap();
    tx.execute("SET time_zone = '+08:00'").await.unwrap();
    tx.execute("USE mysql").await.unwrap();
    let (tz, db): (String, String) = tx.fetch_one("SELECT @@time_zone, DATABASE()").await.unwrap();
    assert_eq!((tz.as_str(), db.as_str()), ("+08:00", "mysql"));
    tx.commit().await.unwrap();
    let after: u64 = c.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    assert_ne!(after, before, "the changed session was closed, not pooled");
    let (tz, db): (String, String) = c.fetch_one("SELECT @@time_zone, DATABASE()").await.unwrap();
    assert_eq!((tz.as_str(), db.as_str()), ("+00:00", "test"));
}

#[tokio::test]
async fn a_transaction_refuses_transaction_control_in_plain_sql() {
    let c = support::client().await;
    let tx = c.begin().await.unwrap();
    for sql in ["COMMIT", "ROLLBACK", "BEGIN", "START TRANSACTION"] {
        let err = tx.execute(sql).await.expect_err(sql);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{sql}: {err}");
    }
    tx.execute("SAVEPOINT a").await.unwrap();
    tx.execute("ROLLBACK TO SAVEPOINT a").await.unwrap();
    let open: i64 = tx.fetch_scalar("SELECT @@in_transaction").await.unwrap();
    assert_eq!(open, 1, "the transaction is still open");
    tx.rollback().await.unwrap();
}

/// Two values that break out of their literals when the escaper assumes the wrong mode.
const BACKSLASH: &str = "\\";
const PAYLOAD: &str = ", (SELECT CURRENT_USER()) AS injected -- ";

async fn assert_no_injection(db: &impl Executor, label: &str) {
    let rs = db.execute(query("SELECT ? AS a, ? AS b").bind(BACKSLASH).bind(PAYLOAD)).await.unwrap();
    assert_eq!(rs.columns(), ["a", "b"], "{label}: no injected column");
    let (a, b): (String, String) = rs.typed().unwrap().remove(0);
    assert_eq!((a.as_str(), b.as_str()), (BACKSLASH, PAYLOAD), "{label}");
}

/// Restores the server's global `sql_mode` even when the test fails.
struct GlobalSqlMode(String);

impl Drop for GlobalSqlMode {
    fn drop(&mut self) {
        let previous = matrixone::sql::string_literal(&self.0, matrixone::sql::EscapeMode::NoBackslash);
        let _ = std::process::Command::new("mariadb")
            .args(["-uroot", "-h127.0.0.1", "-P3306", "-e", &format!("SET GLOBAL sql_mode = {previous}")])
            .status();
    }
}

#[tokio::test]
async fn a_global_sql_mode_change_between_connects_cannot_inject() {
    let admin = support::client().await;
    let c =
        Client::connect_with(support::options().prepared_statements(false).max_connections(2)).await.unwrap();
    // Connection A opens under the default mode ...
    let held = c.begin().await.unwrap();
    let global: String = admin.fetch_scalar("SELECT @@GLOBAL.sql_mode").await.unwrap();
    let restore = GlobalSqlMode(global);
    admin.execute("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')").await.unwrap();
    // ... connection B while the server's global mode has NO_BACKSLASH_ESCAPES.
    let open_b = c.execute("SELECT 1").await;
    drop(restore);
    open_b.unwrap();
    held.rollback().await.unwrap();
    for round in 0..6 {
        assert_no_injection(&c, &format!("round {round}")).await;
    }
}

#[tokio::test]
async fn a_sql_mode_set_inside_a_transaction_cannot_inject_and_does_not_outlive_it() {
    let c =
        Client::connect_with(support::options().prepared_statements(false).max_connections(1)).await.unwrap();
    let tx = c.begin().await.unwrap();
    tx.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')").await.unwrap();
    assert_no_injection(&tx, "inside the transaction").await;
    tx.rollback().await.unwrap();
    assert_no_injection(&c, "after it").await;
    let mode: String = c.fetch_scalar("SELECT @@SESSION.sql_mode").await.unwrap();
    assert!(!mode.contains("NO_BACKSLASH_ESCAPES"), "{mode}");
}
