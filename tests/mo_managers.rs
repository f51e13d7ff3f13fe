//! The managers (`client.snapshots()`, `.clones()`, `.restore()`, `.pitr()`, `.moctl()`): bad
//! input is refused before anything is sent, server errors come back unchanged (never `false`
//! or a swallowed error), and `mo_ctl` answers are checked, here through a stand-in `mo_ctl`
//! function on the test MariaDB.

mod support;

use matrixone::mo::{Pitr, PitrUnit, Restore, Snapshot};
use matrixone::{Client, ConnectOptions, ErrorKind, Executor};

/// A client whose server does not exist: any statement that reached the network would fail
/// with a connection error, so an InvalidInput proves nothing was sent.
fn unreachable_client() -> Client {
    let options: ConnectOptions = "mysql://root@127.0.0.1:9/test".parse().unwrap();
    Client::connect_lazy_with(options.acquire_timeout(std::time::Duration::from_secs(2))).unwrap()
}

fn assert_invalid<T: std::fmt::Debug>(result: matrixone::Result<T>) {
    let err = result.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let client = unreachable_client();
    assert_invalid(client.snapshots().create(Snapshot::create("s1 FOR CLUSTER -- ").table("d", "t")).await);
    assert_invalid(client.snapshots().create(Snapshot::create("s1")).await);
    assert_invalid(client.snapshots().get("a-b").await);
    assert_invalid(client.snapshots().exists("x' OR '1'='1").await);
    assert_invalid(client.snapshots().delete("").await);
    assert_invalid(
        client.clones().clone_database_with_snapshot("x", "prod", "s1\"} TO ACCOUNT victim -- ").await,
    );
    assert_invalid(client.clones().clone_table("a.b.c", "t").await);
    assert_invalid(client.restore().database_from_pitr("test", "p1", "2026-01-02").await);
    assert_invalid(client.restore().cluster("bad name").await);
    assert_invalid(client.restore().restore(Restore::current_account().from_snapshot("s1")).await);
    assert_invalid(client.pitr().create(Pitr::create("p1").account().range(0, PitrUnit::Day)).await);
    assert_invalid(client.pitr().alter(Pitr::alter("p1").range(101, PitrUnit::Day)).await);
    assert_invalid(client.pitr().get("x' OR '1'='1").await);
    assert_invalid(client.moctl().flush_table("db1", "a.b").await);
    assert_invalid(client.moctl().call("tn", "flush", "db.t").await);
    assert_invalid(client.moctl().call("dn", "inspect", r"a\b").await);
    // And a valid statement does try the network.
    let err = client.snapshots().list().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Connection | ErrorKind::PoolTimedOut), "{err}");
}

#[tokio::test]
async fn server_errors_come_back_unchanged() {
    // MariaDB has no SHOW SNAPSHOTS: `exists` must report that, not answer `false`. The SDK
    // knows before sending (the server is not MatrixOne: tests/version_gates.rs).
    let client = support::client().await;
    for result in
        [client.snapshots().exists("s1").await.map(|_| ()), client.snapshots().list().await.map(|_| ())]
    {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    }
    let err = client.snapshots().create(Snapshot::create("s1").database("test")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "a failed CREATE is reported as itself: {err}");
    assert!(!err.message().contains("was created"));
    let err = client.pitr().get("p1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    client.close().await;

    // A MatrixOne's own errors come back with their codes (mosim on the same MariaDB): a
    // snapshot of a database that does not exist fails as itself, not as "created" or "absent".
    let server = mosim::Server::start("mysql://root@127.0.0.1:3306").await.expect("mosim starts");
    let client = Client::connect(&server.url("test")).await.expect("connect to mosim");
    let name = support::unique("mgr_sp");
    let err = client
        .snapshots()
        .create(Snapshot::create(&name).database(support::unique("mgr_no_such_db")))
        .await
        .unwrap_err();
    assert!(err.code().is_some(), "the server's error, with its code: {err}");
    assert!(!err.message().contains("was created"), "{err}");
    assert!(!client.snapshots().exists(&name).await.unwrap());
    let err = client.snapshots().delete(&name).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SnapshotNotFound, "{err}");
    client.close().await;
    server.shutdown().await;
}

/// A stand-in for MatrixOne's `mo_ctl` on MariaDB: the same call shape, canned answers.
const STAND_IN: &str = r#"CREATE OR REPLACE FUNCTION mo_ctl(service VARCHAR(16), method VARCHAR(64), arg TEXT)
RETURNS TEXT DETERMINISTIC NO SQL
RETURN CASE
  WHEN service = 'dn' AND method = 'flush' AND arg = 'db1.users'
    THEN '{\n  "method": "Flush",\n  "result": [\n    {\n      "returnStr": "OK"\n    }\n  ]\n}\n'
  WHEN service = 'dn' AND method = 'checkpoint' AND arg = ''
    THEN '{"method": "Checkpoint", "result": [{"returnStr": "OK"}]}'
  WHEN service = 'dn' AND method = 'globalcheckpoint' AND arg = ''
    THEN '{"method": "GlobalCheckpoint", "result": [{"returnStr": "OK"}]}'
  WHEN service = 'cn' AND method = 'mergeobjects'
    THEN CONCAT('\nmsg: merged success\n', arg, '\n')
  ELSE CONCAT('{"method": "', method, '", "result": [{"returnStr": "failed: ', REPLACE(arg, '"', ''), '"}]}')
END"#;

#[tokio::test]
async fn moctl_answers_are_checked() {
    let client = support::client().await;
    client.execute(STAND_IN).await.expect("create the stand-in mo_ctl");

    let flush = client.moctl().flush_table("db1", "users").await.unwrap();
    assert!(flush.method_is("flush") && flush.is_ok());
    assert!(client.moctl().checkpoint().await.unwrap().method_is("checkpoint"));
    assert!(client.moctl().global_checkpoint().await.unwrap().method_is("GLOBALCHECKPOINT"));

    // A quote in a name stays inside the argument; the answer is "failed", which is an error.
    let err = client.moctl().flush_table("db1", "it's").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Other);
    assert!(err.message().contains("failed: db1.it's"), "{err}");
    let err = client.moctl().call("DN", "diskcleaner", "force_gc").await.unwrap_err();
    assert!(err.message().contains("diskcleaner") && err.message().contains("force_gc"), "{err}");

    // Unchecked, through `run`: raw text is kept.
    let raw = client.run(matrixone::mo::MoCtl::call("cn", "mergeobjects", "t:db.tbl:overlap")).await.unwrap();
    assert_eq!(raw.method, "");
    assert_eq!(raw.result, serde_json::json!("\nmsg: merged success\nt:db.tbl:overlap\n"));
    let err = client.moctl().call("cn", "mergeobjects", "t:db.tbl:overlap").await.unwrap_err();
    assert!(err.message().contains("merged success"), "{err}");

    // The same managers on a transaction.
    let tx = client.begin().await.unwrap();
    assert!(tx.moctl().flush_table("db1", "users").await.unwrap().is_ok());
    tx.rollback().await.unwrap();
    client.close().await;
}
