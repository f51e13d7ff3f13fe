//! Faults, under test (issue 7): a proxy between the SDK and MariaDB resets, stalls or
//! black-holes connections at chosen moments; every test checks the data on the server after.
mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use matrixone::{Client, ConnectOptions, ErrorKind, Executor, query};
use support::proxy::{Proxy, server_addr};

async fn proxied(options: impl FnOnce(ConnectOptions) -> ConnectOptions) -> (Proxy, Client) {
    let proxy = Proxy::start(server_addr(), Duration::ZERO).await;
    let base: ConnectOptions = proxy.url().parse().unwrap();
    let client = Client::connect_with(options(base)).await.unwrap();
    (proxy, client)
}

async fn table(columns: &str) -> (Client, String) {
    let direct = support::client().await;
    let name = support::unique("faults");
    support::fresh_table(&direct, &name, columns).await;
    (direct, name)
}

async fn ids(direct: &Client, table: &str) -> BTreeSet<i64> {
    let rows: Vec<(i64,)> = direct.fetch_all(format!("SELECT id FROM {table}")).await.unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn a_reset_mid_query_is_a_connection_error_and_the_pool_recovers() {
    let (proxy, c) = proxied(|o| o.max_connections(2)).await;
    let running = {
        let c = c.clone();
        tokio::spawn(async move { c.execute("SELECT SLEEP(2)").await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    proxy.cut();
    let err = running.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let recovering = Instant::now();
    let one: i64 = c.fetch_scalar("SELECT 1").await.unwrap();
    assert_eq!(one, 1, "the pool serves the next query on a new connection");
    eprintln!("reset mid-query: the next query answered after {:?}", recovering.elapsed());
}

#[tokio::test]
async fn a_reset_mid_transaction_commits_nothing() {
    let (direct, t) = table("id INT PRIMARY KEY").await;
    let (proxy, c) = proxied(|o| o.max_connections(2)).await;
    let tx = c.begin().await.unwrap();
    tx.execute(query(format!("INSERT INTO {t} VALUES (?)")).bind(1)).await.unwrap();
    proxy.cut();
    let err = tx.execute(query(format!("INSERT INTO {t} VALUES (?)")).bind(2)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(tx.commit().await.is_err(), "nothing to commit on a dead connection");
    assert!(ids(&direct, &t).await.is_empty(), "no partial commit");
    c.execute(query(format!("INSERT INTO {t} VALUES (?)")).bind(3)).await.unwrap();
    assert_eq!(ids(&direct, &t).await, BTreeSet::from([3]));
}

/// The COMMIT reaches the server and is carried out; its answer never comes back.
#[tokio::test]
async fn a_reset_during_commit_is_commit_unknown_and_the_commit_stands() {
    let (direct, t) = table("id INT PRIMARY KEY").await;
    let (proxy, c) = proxied(|o| o.max_connections(2)).await;
    let tx = c.begin().await.unwrap();
    tx.execute(query(format!("INSERT INTO {t} VALUES (?)")).bind(7)).await.unwrap();
    // Answers are held back from now on, requests still pass: COMMIT runs, its OK is stuck.
    let committing = tokio::spawn(async move { tx.commit().await });
    let deadline = Instant::now() + Duration::from_secs(5);
    tokio::time::sleep(Duration::from_millis(20)).await;
    proxy.stall();
    while ids(&direct, &t).await.is_empty() {
        assert!(Instant::now() < deadline, "the COMMIT reached the server");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    proxy.cut();
    proxy.resume();
    // The OK may have slipped through before the stall: then the commit is simply known.
    if let Err(e) = committing.await.unwrap() {
        assert_eq!(e.kind(), ErrorKind::CommitUnknown, "{e}");
    }
    assert_eq!(ids(&direct, &t).await, BTreeSet::from([7]), "committed exactly once");
}

#[tokio::test]
async fn a_black_holed_server_fails_within_the_configured_bounds() {
    let (proxy, c) = proxied(|o| {
        o.max_connections(1)
            .connect_timeout(Duration::from_millis(500))
            .acquire_timeout(Duration::from_millis(300))
            .statement_timeout(Duration::from_millis(400))
    })
    .await;
    proxy.black_hole();
    // A query on the open connection: its answer never comes.
    let started = Instant::now();
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(2), "query bound: {:?}", started.elapsed());
    eprintln!("black hole: statement_timeout 400 ms -> Timeout after {:?}", started.elapsed());
    // The connection was discarded; a new one cannot be opened through the black hole.
    let started = Instant::now();
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(started.elapsed() < Duration::from_millis(1500), "connect bound: {:?}", started.elapsed());
    eprintln!("black hole: connect_timeout 500 ms -> Connection after {:?}", started.elapsed());
    // A second caller while the first is stuck connecting waits at most the acquire time-out.
    let stuck = {
        let c = c.clone();
        tokio::spawn(async move { c.execute("SELECT 1").await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PoolTimedOut, "{err}");
    assert!(started.elapsed() < Duration::from_millis(1000), "acquire bound: {:?}", started.elapsed());
    eprintln!("black hole: acquire_timeout 300 ms -> PoolTimedOut after {:?}", started.elapsed());
    assert!(stuck.await.unwrap().is_err());
}

/// 64 tasks write through a proxy that resets every connection now and then. Afterwards every
/// row whose transaction reported success is there, no row whose transaction reported failure
/// is, and only COMMIT-unknown rows may go either way. No task hangs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_under_random_resets_account_for_every_row() {
    let (direct, t) = table("id INT PRIMARY KEY, task INT").await;
    let (proxy, c) = proxied(|o| {
        o.max_connections(8)
            .statement_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(2))
    })
    .await;
    let stop = Instant::now() + Duration::from_secs(3);
    let chaos = tokio::spawn(async move {
        let mut n: u64 = 0x2545F4914F6CDD1D;
        while Instant::now() < stop {
            n ^= n << 13;
            n ^= n >> 7;
            n ^= n << 17;
            tokio::time::sleep(Duration::from_millis(40 + n % 120)).await;
            proxy.cut();
        }
        proxy
    });
    let tasks = (0..64i64).map(|task| {
        let (c, t) = (c.clone(), t.clone());
        tokio::spawn(async move {
            let (mut ok, mut failed, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
            let mut seq = 0;
            while Instant::now() < stop {
                let id = task * 100_000 + seq;
                seq += 1;
                let written = c
                    .transaction(async |tx| {
                        tx.execute(query(format!("INSERT INTO {t} VALUES (?, ?)")).bind(id).bind(task))
                            .await?;
                        Ok(())
                    })
                    .await;
                match written {
                    Ok(()) => ok.push(id),
                    Err(e) if e.kind() == ErrorKind::CommitUnknown => unknown.push(id),
                    Err(_) => failed.push(id),
                }
            }
            (ok, failed, unknown)
        })
    });
    let results = tokio::time::timeout(Duration::from_secs(60), futures_util::future::join_all(tasks))
        .await
        .expect("no task hangs");
    let _proxy = chaos.await.unwrap();
    let stored = ids(&direct, &t).await;
    let (mut oks, mut fails) = (0, 0);
    for r in results {
        let (ok, failed, unknown) = r.unwrap();
        oks += ok.len();
        fails += failed.len();
        for id in ok {
            assert!(stored.contains(&id), "row {id} was reported committed but is missing");
        }
        for id in failed {
            assert!(!stored.contains(&id), "row {id} was reported failed but is there");
        }
        let _ = unknown;
    }
    assert!(oks > 64, "work got done between the faults: {oks} committed");
    eprintln!("64 tasks under resets: {oks} committed, {fails} failed, every row accounted for");
    assert!(fails > 0, "the faults hit some transactions");
}
