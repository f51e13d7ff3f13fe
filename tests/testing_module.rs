//! `matrixone::testing` (issue 8): a fresh database per test on mosim, fixtures from SQL files,
//! and the database dropped afterwards, also when the test panics.
#![cfg(feature = "testing")]
mod support;

use matrixone::mo::Snapshot;
use matrixone::testing::TestDatabase;
use matrixone::{ErrorKind, Executor, query};

/// Whether the backend MariaDB has a database of that name.
async fn exists(name: &str) -> bool {
    let direct = support::client().await;
    let n: i64 = direct
        .fetch_scalar(
            query("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?").bind(name),
        )
        .await
        .unwrap();
    n == 1
}

#[tokio::test]
async fn a_test_gets_its_own_database_with_fixtures_and_it_is_dropped_after() {
    let db = TestDatabase::builder()
        .prefix("fixtures")
        .fixture("tests/fixtures/testing_users.sql")
        .create()
        .await
        .unwrap();
    let name = db.name().to_owned();
    assert!(name.starts_with("mo_test_fixtures_"), "{name}");
    let current: String = db.client().fetch_scalar("SELECT DATABASE()").await.unwrap();
    assert_eq!(current, name);
    let n: i64 = db.client().fetch_scalar("SELECT COUNT(*) FROM users").await.unwrap();
    assert_eq!(n, 3);
    // It is a MatrixOne (mosim here): snapshots of the test database work.
    let snap = format!("{name}_snap");
    db.client().snapshots().create(Snapshot::create(&snap).database(&name)).await.unwrap();
    db.client().snapshots().delete(&snap).await.unwrap();
    assert!(exists(&name).await);
    drop(db);
    assert!(!exists(&name).await, "dropped with the TestDatabase");
}

#[tokio::test]
async fn two_tests_never_share_a_database() {
    let (a, b) = (TestDatabase::new().await.unwrap(), TestDatabase::new().await.unwrap());
    assert_ne!(a.name(), b.name());
    a.client().execute("CREATE TABLE t (id INT)").await.unwrap();
    let err = b.client().execute("SELECT * FROM t").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableNotFound);
}

#[tokio::test]
async fn the_database_is_dropped_when_the_test_panics() {
    let (tx, rx) = std::sync::mpsc::channel();
    let panicked = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = TestDatabase::new().await.unwrap();
            tx.send(db.name().to_owned()).unwrap();
            panic!("the test body fails");
        })
    })
    .join();
    assert!(panicked.is_err());
    let name = rx.recv().unwrap();
    assert!(!exists(&name).await, "{name} dropped during the panic");
}

#[tokio::test]
async fn a_failing_fixture_says_which_and_leaves_no_database() {
    let missing =
        TestDatabase::builder().fixture("tests/fixtures/no_such_fixture.sql").create().await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::InvalidInput, "{missing}");
    assert!(missing.to_string().contains("no_such_fixture.sql"), "{missing}");
    let bad = std::env::temp_dir().join(format!("bad_fixture_{}.sql", std::process::id()));
    std::fs::write(&bad, "CREATE TABLE ok_first (id INT); SELECT * FROM no_such_table_in_fixture;").unwrap();
    let err = TestDatabase::builder().prefix("badfixture").fixture(&bad).create().await.unwrap_err();
    assert!(err.to_string().contains("bad_fixture_"), "{err}");
    let direct = support::client().await;
    let left: i64 = direct
        .fetch_scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'mo\\_test\\_badfixture\\_%'")
        .await
        .unwrap();
    assert_eq!(left, 0, "the half-made database was dropped");
    let _ = std::fs::remove_file(bad);
    assert_eq!(
        TestDatabase::builder().prefix("no spaces").create().await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}
