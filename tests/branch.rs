//! DATA BRANCH end to end on mosim (which carries it out on the local MariaDB): a diff lists
//! exactly the rows changed on each side, readable into the caller's `FromRow` type; counts and
//! the summary agree; MERGE with SKIP keeps the target's row, with ACCEPT takes the source's,
//! with FAIL (the default) is a typed conflict carrying the key and changes nothing; PICK takes
//! only the keys named; the transaction rules hold; and a server too old for DATA BRANCH, or not
//! MatrixOne at all, is refused before anything is sent.
//!
//! Each test starts its own mosim and works in a database of its own (`bsdk_br_...`), dropped at
//! the end.
mod support;

use matrixone::mo::{Branch, BranchConflict, DiffFlag, DiffSide, OnConflict};
use matrixone::{Client, ErrorKind, Executor, FromRow};

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

async fn mosim_with_version(version: Option<&str>) -> mosim::Server {
    let mut config = mosim::Config::new(BACKEND);
    if let Some(version) = version {
        config.server_version = version.to_owned();
    }
    mosim::Server::start_with(config).await.expect("mosim starts on the local MariaDB")
}

/// A fresh mosim, a client on it, and a database `db` with `db.main (id INT PRIMARY KEY, name
/// VARCHAR(20))` holding (1, 'Alice'), (2, 'Bob'), (3, 'Carol'), branched into `db.dev`.
async fn branched(prefix: &str) -> (mosim::Server, Client, String) {
    let server = mosim_with_version(None).await;
    let client = Client::connect(&server.url("test")).await.expect("connect to mosim");
    let db = support::unique(&format!("bsdk_br_{prefix}"));
    client.execute(format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
    client.execute(format!("CREATE DATABASE {db}")).await.unwrap();
    client.execute(format!("CREATE TABLE {db}.main (id INT PRIMARY KEY, name VARCHAR(20))")).await.unwrap();
    client
        .execute(format!("INSERT INTO {db}.main VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Carol')"))
        .await
        .unwrap();
    client.branches().create_table(format!("{db}.dev"), format!("{db}.main")).await.unwrap();
    (server, client, db)
}

async fn finish(server: mosim::Server, client: Client, db: &str) {
    client.execute(format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
    client.close().await;
    server.shutdown().await;
}

async fn names(client: &Client, table: &str) -> Vec<(i64, String)> {
    client.fetch_all(format!("SELECT id, name FROM {table} ORDER BY id")).await.unwrap()
}

#[derive(FromRow, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Person {
    id: i64,
    name: String,
}

#[tokio::test]
async fn a_diff_lists_exactly_the_rows_changed_on_each_side() {
    let (server, client, db) = branched("diff").await;
    let (dev, main) = (format!("{db}.dev"), format!("{db}.main"));
    assert!(
        client.branches().diff(&dev, &main).await.unwrap().is_empty(),
        "a fresh branch differs in nothing"
    );

    client.execute(format!("UPDATE {dev} SET name = 'Bobby' WHERE id = 2")).await.unwrap();
    client.execute(format!("INSERT INTO {dev} VALUES (4, 'Dave')")).await.unwrap();
    client.execute(format!("DELETE FROM {main} WHERE id = 3")).await.unwrap();

    let diff = client.branches().diff(&dev, &main).await.unwrap();
    assert_eq!((diff.target.as_str(), diff.base.as_str()), ("dev", "main"));
    let mut rows = diff.typed::<Person>().unwrap();
    rows.sort_by(|a, b| a.2.cmp(&b.2));
    assert_eq!(
        rows,
        vec![
            (DiffSide::Target, DiffFlag::Update, Person { id: 2, name: "Bobby".into() }),
            (DiffSide::Base, DiffFlag::Delete, Person { id: 3, name: "Carol".into() }),
            (DiffSide::Target, DiffFlag::Insert, Person { id: 4, name: "Dave".into() }),
        ]
    );
    // By position too: column 0 is the table's first column, not the side.
    let by_position: Vec<(i64, String)> = diff.iter().map(|r| r.read().unwrap()).collect();
    assert!(by_position.contains(&(4, "Dave".to_owned())), "{by_position:?}");
    assert_eq!(diff.iter().find(|r| r.flag == DiffFlag::Delete).unwrap().table, "main");

    assert_eq!(client.branches().diff_count(&dev, &main).await.unwrap(), 3);
    let summary = client.branches().diff_summary(&dev, &main).await.unwrap();
    assert_eq!((summary.target.inserted, summary.target.updated, summary.target.deleted), (1, 1, 0));
    assert_eq!((summary.base.inserted, summary.base.updated, summary.base.deleted), (0, 0, 1));
    let limited = client.run(Branch::diff(&dev, &main).limit(1)).await.unwrap();
    assert_eq!(limited.len(), 1);
    let only_ids = client.run(Branch::diff(&dev, &main).columns(["id"])).await.unwrap();
    assert_eq!(only_ids.iter().next().unwrap().row.columns(), ["id"]);

    finish(server, client, &db).await;
}

#[tokio::test]
async fn merge_skip_keeps_the_target_row_accept_takes_the_source_row_fail_is_a_typed_conflict() {
    let (server, client, db) = branched("merge").await;
    let (dev, main) = (format!("{db}.dev"), format!("{db}.main"));
    client.execute(format!("UPDATE {dev} SET name = 'Alicia' WHERE id = 1")).await.unwrap();
    client.execute(format!("INSERT INTO {dev} VALUES (5, 'Eve')")).await.unwrap();
    client.execute(format!("UPDATE {main} SET name = 'Ally' WHERE id = 1")).await.unwrap();

    // FAIL, explicitly and by default: the typed conflict with its key, and nothing applied.
    for merge in [Branch::merge(&dev, &main), Branch::merge(&dev, &main).on_conflict(OnConflict::Fail)] {
        let err = client.run(merge).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BranchConflict, "{err}");
        let conflict = BranchConflict::of(&err).expect("the conflict parses");
        assert_eq!(conflict.key, "1", "{err}");
        // MatrixOne names an update on both sides by its DELETE half (git4data/branch/merge
        // results: "t2 DELETE and t1 DELETE on pk(1)"); the tables are the merge's.
        assert_eq!((conflict.source.as_str(), conflict.target.as_str()), ("dev", "main"), "{err}");
    }
    assert_eq!(names(&client, &main).await, [(1, "Ally".into()), (2, "Bob".into()), (3, "Carol".into())]);

    client.branches().merge(&dev, &main, OnConflict::Skip).await.unwrap();
    assert_eq!(
        names(&client, &main).await,
        [(1, "Ally".into()), (2, "Bob".into()), (3, "Carol".into()), (5, "Eve".into())],
        "SKIP keeps the target's row 1 and brings the rest"
    );

    client.branches().merge(&dev, &main, OnConflict::Accept).await.unwrap();
    assert_eq!(names(&client, &main).await[0], (1, "Alicia".into()), "ACCEPT takes the source's row");

    finish(server, client, &db).await;
}

#[tokio::test]
async fn pick_takes_only_the_keys_named_and_is_refused_in_a_transaction() {
    let (server, client, db) = branched("pick").await;
    let (dev, main) = (format!("{db}.dev"), format!("{db}.main"));
    client.execute(format!("INSERT INTO {dev} VALUES (6, 'Frank'), (7, 'Grace')")).await.unwrap();

    let tx = client.begin().await.unwrap();
    let err = tx.branches().pick(&dev, &main, [7], OnConflict::Fail).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotAllowedInTransaction, "{err}");
    assert_eq!(tx.fetch_scalar::<i64>("SELECT 1").await.unwrap(), 1, "the transaction goes on");
    tx.rollback().await.unwrap();

    client.branches().pick(&dev, &main, [7], OnConflict::Fail).await.unwrap();
    let ids: Vec<i64> = names(&client, &main).await.into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, [1, 2, 3, 7]);

    finish(server, client, &db).await;
}

#[tokio::test]
async fn a_merge_in_a_transaction_is_undone_by_rollback() {
    let (server, client, db) = branched("txmerge").await;
    let (dev, main) = (format!("{db}.dev"), format!("{db}.main"));
    client.execute(format!("INSERT INTO {dev} VALUES (8, 'Heidi')")).await.unwrap();

    let tx = client.begin().await.unwrap();
    // DIFF's rows are read through the SDK's relay, outside the transaction: refused there.
    let err = tx.branches().diff(&dev, &main).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    tx.branches().merge(&dev, &main, OnConflict::Fail).await.unwrap();
    assert_eq!(tx.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {main}")).await.unwrap(), 4);
    tx.rollback().await.unwrap();
    assert_eq!(names(&client, &main).await.len(), 3, "the rollback took the merge back");

    client.branches().delete_table(&dev).await.unwrap();
    let err = client.execute(format!("SELECT * FROM {dev}")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableNotFound, "{err}");

    finish(server, client, &db).await;
}

#[tokio::test]
async fn a_matrixone_older_than_3_0_5_is_refused_before_anything_is_sent() {
    let server = mosim_with_version(Some("8.0.30-MatrixOne-v3.0.4")).await;
    let client = Client::connect(&server.url("test")).await.unwrap();
    let db = support::unique("bsdk_br_old");
    client.execute(format!("CREATE DATABASE {db}")).await.unwrap();
    client.execute(format!("CREATE TABLE {db}.main (id INT PRIMARY KEY)")).await.unwrap();

    let err = client.branches().create_table(format!("{db}.dev"), format!("{db}.main")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert!(err.message().contains("MatrixOne 3.0.5"), "{err}");
    assert!(err.message().contains("v3.0.4"), "{err}");
    let tables: Vec<(String,)> = client.fetch_all(format!("SHOW TABLES FROM {db}")).await.unwrap();
    assert_eq!(tables, [("main".to_owned(),)], "nothing was created");

    // The same server runs what it supports.
    assert_eq!(client.fetch_scalar::<i64>("SELECT 1").await.unwrap(), 1);
    finish(server, client, &db).await;
}

#[tokio::test]
async fn mariadb_gets_a_clear_refusal_for_matrixone_only_statements() {
    let client = support::client().await;
    let err = client.run(Branch::diff("a", "b")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert!(err.message().contains("needs MatrixOne 3.0.5 or later"), "{err}");
    assert!(err.message().contains("MariaDB"), "{err}");
    // An invalid statement is reported as such first.
    let err = client.run(Branch::pick("a", "b")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    client.close().await;
}

#[tokio::test]
async fn snapshots_on_either_side_output_as_and_file_and_database_branches() {
    use matrixone::mo::Snapshot;
    let (server, client, db) = branched("snap").await;
    let (dev, main) = (format!("{db}.dev"), format!("{db}.main"));
    let sp = support::unique("bsdk_br_sp");
    client.run(Snapshot::create(&sp).database(&db)).await.unwrap();
    client.execute(format!("INSERT INTO {dev} VALUES (9, 'Ivan')")).await.unwrap();

    // The branch as it was at the snapshot had nothing of its own yet.
    let at_snapshot = client.run(Branch::diff(&dev, &main).target_at(&sp)).await.unwrap();
    assert!(at_snapshot.is_empty(), "{at_snapshot:?}");
    let now = client.run(Branch::diff(&dev, &main).base_at(&sp)).await.unwrap();
    assert_eq!(now.len(), 1);

    // OUTPUT AS: the rows land in a new table.
    let created = client.run(Branch::diff(&dev, &main).output_as(format!("{db}.diff_out"))).await.unwrap();
    assert!(created.contains("diff_out"), "{created}");
    let saved: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {db}.diff_out")).await.unwrap();
    assert_eq!(saved, 1);

    // OUTPUT FILE: the server writes the SQL and says where.
    let dir = std::env::temp_dir().join(support::unique("bsdk_br_file"));
    std::fs::create_dir_all(&dir).unwrap();
    let file =
        client.run(Branch::diff(&dev, &main).output_file(format!("{}/", dir.display()))).await.unwrap();
    assert!(file.path.starts_with(&dir.display().to_string()), "{file:?}");
    let _ = std::fs::remove_dir_all(&dir);

    // A branch at a snapshot, and PICK of the changes between two snapshots.
    let at = format!("{db}.at_snapshot");
    client.run(Branch::create_table(&at, &dev).at_snapshot(&sp)).await.unwrap();
    assert_eq!(names(&client, &at).await.len(), 3, "the branch has the rows of the snapshot");
    let sp2 = support::unique("bsdk_br_sp2");
    client.run(Snapshot::create(&sp2).database(&db)).await.unwrap();
    client.run(Branch::pick(&dev, &main).between_snapshots(&sp, &sp2)).await.unwrap();
    assert!(names(&client, &main).await.contains(&(9, "Ivan".into())), "PICK BETWEEN took row 9");

    // Keys from a subquery, with a bound value.
    client.execute(format!("INSERT INTO {dev} VALUES (10, 'Judy'), (11, 'Ken')")).await.unwrap();
    client
        .run(
            Branch::pick(&dev, &main)
                .keys_from(matrixone::query(format!("SELECT id FROM {dev} WHERE id > ?")).bind(10)),
        )
        .await
        .unwrap();
    let ids: Vec<i64> = names(&client, &main).await.into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&11) && !ids.contains(&10), "{ids:?}");

    // Database branches.
    let db2 = support::unique("bsdk_br_db2");
    client.branches().create_database(&db2, &db).await.unwrap();
    assert_eq!(names(&client, &format!("{db2}.main")).await.len(), names(&client, &main).await.len());
    client.branches().delete_database(&db2).await.unwrap();
    let gone: Option<(String,)> =
        client.fetch_optional(format!("SHOW DATABASES LIKE '{db2}'")).await.unwrap();
    assert_eq!(gone, None);

    client.run(Snapshot::drop(&sp)).await.unwrap();
    client.run(Snapshot::drop(&sp2)).await.unwrap();
    finish(server, client, &db).await;
}
