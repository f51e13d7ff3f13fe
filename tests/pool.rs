//! The pool under load, its time-out, and connection failures that never show the password.
mod support;

use std::time::Duration;

use matrixone::{Client, ConnectOptions, ErrorKind, Executor, query};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_on_a_pool_of_eight() {
    let c = Client::connect_with(support::options().max_connections(8)).await.unwrap();
    let t = support::unique("pool64");
    support::fresh_table(&c, &t, "task INT, n INT, PRIMARY KEY (task, n)").await;
    let tasks: Vec<tokio::task::JoinHandle<matrixone::Result<()>>> = (0..64)
        .map(|task| {
            let c = c.clone();
            let t = t.clone();
            tokio::spawn(async move {
                for n in 0..5 {
                    c.execute(query(format!("INSERT INTO {t} VALUES (?, ?)")).bind(task).bind(n)).await?;
                }
                // Every fourth task also runs a transaction, holding a connection across awaits.
                if task % 4 == 0 {
                    c.transaction(async |tx| {
                        tx.execute(query(format!("INSERT INTO {t} VALUES (?, 99)")).bind(task)).await?;
                        Ok(())
                    })
                    .await?;
                }
                matrixone::Result::Ok(())
            })
        })
        .collect();
    let all = tokio::time::timeout(Duration::from_secs(60), futures_util::future::join_all(tasks))
        .await
        .expect("no deadlock: all 64 tasks finish");
    for r in all {
        r.unwrap().unwrap();
    }
    let n: i64 = c.fetch_scalar(format!("SELECT COUNT(*) FROM {t}")).await.unwrap();
    assert_eq!(n, 64 * 5 + 16);
    let distinct: i64 = c.fetch_scalar(format!("SELECT COUNT(DISTINCT task) FROM {t}")).await.unwrap();
    assert_eq!(distinct, 64);
}

#[tokio::test]
async fn pool_time_out_says_all_connections_are_busy() {
    let c = Client::connect_with(
        support::options().max_connections(1).acquire_timeout(Duration::from_millis(300)),
    )
    .await
    .unwrap();
    let held = c.begin().await.unwrap();
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PoolTimedOut, "{err}");
    assert!(err.to_string().contains("in use"), "{err}");
    held.rollback().await.unwrap();
    c.execute("SELECT 1").await.expect("the pool recovers once the connection is back");
}

/// A server that refuses connections is reported as what it is, at once: not as a pool time-out
/// after waiting for one.
#[tokio::test]
async fn a_refused_connect_is_a_connection_error_at_once_without_the_password() {
    let secret = "pw-that-must-not-leak";
    // Nothing listens on port 1: every connect attempt is refused.
    let opts = ConnectOptions::new()
        .host("127.0.0.1")
        .port(1)
        .user("root")
        .password(secret)
        .acquire_timeout(Duration::from_millis(500))
        .connect_timeout(Duration::from_secs(2));
    let c = Client::connect_lazy_with(opts).unwrap();
    let started = std::time::Instant::now();
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(started.elapsed() < Duration::from_millis(450), "not after the acquire time-out: {err}");
    assert!(std::error::Error::source(&err).is_some(), "the connect failure is the source: {err:?}");
    assert!(!format!("{err} {err:?}").contains(secret));
}

#[tokio::test]
async fn wrong_password_is_a_connection_error_without_the_password() {
    let secret = "definitely-wrong-pw-123";
    let opts = support::options().password(secret).connect_timeout(Duration::from_secs(5));
    let err = Client::connect_with(opts).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err:?}");
    assert_eq!(err.code(), Some(1045), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(secret), "{shown}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        assert!(!format!("{s} {s:?}").contains(secret));
        source = s.source();
    }
}

#[tokio::test]
async fn connect_fails_fast_on_an_unreachable_server() {
    let opts = ConnectOptions::new()
        .host("127.0.0.1")
        .port(1)
        .user("root")
        .acquire_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = Client::connect_with(opts).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "refused at once, not after the acquire time-out"
    );
}

/// Review finding 6: every timed-out caller used to open an extra connection to explain itself.
#[tokio::test]
async fn forty_time_outs_on_a_busy_pool_open_no_connection() {
    let proxy = support::proxy::Proxy::start(support::proxy::server_addr(), Duration::ZERO).await;
    let options: ConnectOptions = proxy.url().parse().unwrap();
    let c = Client::connect_with(options.max_connections(1).acquire_timeout(Duration::from_millis(200)))
        .await
        .unwrap();
    let held = c.begin().await.unwrap();
    let before = proxy.accepted();
    let callers = (0..40).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.execute("SELECT 1").await })
    });
    for result in futures_util::future::join_all(callers).await {
        let err = result.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PoolTimedOut, "{err}");
        assert!(err.to_string().contains("all 1 are in use"), "{err}");
    }
    assert_eq!(proxy.accepted(), before, "no connection was opened to explain the time-outs");
    held.rollback().await.unwrap();
}
