//! Retries done right: `transaction_with` re-runs a transaction after errors a retry can fix, and
//! never after one whose COMMIT may have happened; a single statement can opt in.
mod support;

use std::time::Duration;

use matrixone::{Client, ConnectOptions, ErrorKind, Executor, RetryPolicy, query};
use support::proxy::{Proxy, server_addr};

/// A table with one row, and a transaction on another connection that holds that row's lock
/// until `hold` has passed.
async fn locked_row(c: &Client, hold: Duration) -> (String, tokio::task::JoinHandle<()>) {
    let table = support::unique("retry");
    support::fresh_table(c, &table, "id INT PRIMARY KEY, v INT").await;
    c.execute(format!("INSERT INTO {table} VALUES (1, 0)")).await.unwrap();
    let blocker = c.begin().await.unwrap();
    blocker.execute(format!("UPDATE {table} SET v = v WHERE id = 1")).await.unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        blocker.rollback().await.unwrap();
    });
    (table, release)
}

#[tokio::test]
async fn a_lock_wait_timeout_is_retried_in_a_fresh_transaction() {
    let c = support::client().await;
    let (table, release) = locked_row(&c, Duration::from_millis(1500)).await;
    let mut attempts = 0;
    c.transaction_with(RetryPolicy::default().max_attempts(6), async |tx| {
        attempts += 1;
        tx.execute("SET SESSION innodb_lock_wait_timeout = 1").await?;
        tx.execute(format!("UPDATE {table} SET v = v + 1 WHERE id = 1")).await?;
        Ok(())
    })
    .await
    .unwrap();
    release.await.unwrap();
    assert!(attempts >= 2, "the first attempt met the lock: {attempts} attempt(s)");
    let v: i64 = c.fetch_scalar(format!("SELECT v FROM {table}")).await.unwrap();
    assert_eq!(v, 1, "exactly one attempt committed");
}

#[tokio::test]
async fn an_error_a_retry_cannot_fix_returns_at_once() {
    let c = support::client().await;
    let table = support::unique("retry_dup");
    support::fresh_table(&c, &table, "id INT PRIMARY KEY").await;
    let mut attempts = 0;
    let err = c
        .transaction_with(RetryPolicy::default(), async |tx| {
            attempts += 1;
            tx.execute(format!("INSERT INTO {table} VALUES (1), (1)")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!((err.kind(), attempts), (ErrorKind::DuplicateKey, 1));
}

#[tokio::test]
async fn the_attempt_limit_holds() {
    let c = support::client().await;
    let (table, release) = locked_row(&c, Duration::from_secs(5)).await;
    let mut attempts = 0;
    let err = c
        .transaction_with(RetryPolicy::default().max_attempts(2), async |tx| {
            attempts += 1;
            tx.execute("SET SESSION innodb_lock_wait_timeout = 1").await?;
            tx.execute(format!("UPDATE {table} SET v = v + 1 WHERE id = 1")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!((err.kind(), attempts), (ErrorKind::LockWaitTimeout, 2));
    release.abort();
}

#[tokio::test]
async fn a_lost_commit_is_commit_unknown_and_never_re_run() {
    let proxy = Proxy::start(server_addr(), Duration::ZERO).await;
    let options: ConnectOptions = proxy.url().parse().unwrap();
    let c = Client::connect_with(options.max_connections(1)).await.unwrap();
    let table = support::unique("commit_lost");
    let direct = support::client().await;
    support::fresh_table(&direct, &table, "id INT PRIMARY KEY").await;
    let mut attempts = 0;
    let err = c
        .transaction_with(RetryPolicy::default(), async |tx| {
            attempts += 1;
            tx.execute(query(format!("INSERT INTO {table} VALUES (?)")).bind(attempts)).await?;
            // The network fails between the last statement and COMMIT.
            proxy.cut();
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CommitUnknown, "{err}");
    assert_eq!(attempts, 1, "a transaction whose COMMIT may have happened is not re-run");
    assert!(!err.is_retryable());
    // Here COMMIT never reached the server, which rolled back when the connection died.
    let n: i64 = direct.fetch_scalar(format!("SELECT COUNT(*) FROM {table}")).await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_single_statement_can_opt_in_on_a_client() {
    let c = support::client().await;
    let (table, release) = locked_row(&c, Duration::from_millis(1500)).await;
    let sql =
        format!("SET STATEMENT innodb_lock_wait_timeout = 1 FOR UPDATE {table} SET v = v + 1 WHERE id = 1");
    let once = c.execute(sql.as_str()).await.unwrap_err();
    assert_eq!(once.kind(), ErrorKind::LockWaitTimeout, "without a policy: one attempt");
    let rs = c.execute(query(sql).retry(RetryPolicy::default().max_attempts(5))).await.unwrap();
    assert_eq!(rs.rows_affected(), 1);
    release.await.unwrap();
}

#[test]
fn backoff_grows_is_capped_and_jittered() {
    let p = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(300));
    for _ in 0..50 {
        let first = p.backoff(1);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
        let second = p.backoff(2);
        assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
        assert!(p.backoff(10) <= Duration::from_millis(300));
        assert!(p.backoff(10) >= Duration::from_millis(150));
    }
    let spread: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(3)).collect();
    assert!(spread.len() > 10, "jitter spreads the pauses: {}", spread.len());
}
