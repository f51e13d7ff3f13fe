//! What the snapshot, clone, restore and PITR statements need of the server
//! ([`matrixone::mo::Requires`], checked before sending): MariaDB (no MatrixOne) gets a clear
//! [`ErrorKind::UnsupportedServer`] and the server receives nothing; a MatrixOne of a release line
//! too old for a form (mosim reporting an older version) gets the same error naming the release
//! needed, and nothing changes there; a build reporting MatrixOne's unset-version default
//! (`1.3.0`, a development build) is let through.
//!
//! The release lines come from pkg/sql/parsers/dialect/mysql/mysql_sql.y at MatrixOne's tags:
//! snapshots 1.2.0 (database, table and current-account scopes 2.1.0), PITR 2.0.0 (table and
//! current-account scopes 2.1.0), CLONE 3.0.0, `RESTORE ACCOUNT a DATABASE d .. FROM PITR` 4.1.0.
mod support;

use matrixone::mo::{Pitr, PitrUnit, Restore, Snapshot};
use matrixone::{Client, ErrorKind, Executor};

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

/// How many statements the server has received on this client's one connection
/// (`Questions` counts every statement a client sends, this `SHOW` included).
async fn questions(client: &Client) -> i64 {
    let (_, value): (String, String) =
        client.fetch_one("SHOW SESSION STATUS LIKE 'Questions'").await.expect("read Questions");
    value.parse().expect("a number")
}

fn assert_refused<T: std::fmt::Debug>(result: matrixone::Result<T>, needs: &str) {
    let err = result.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert_eq!(err.code(), None, "{err}");
    assert!(err.message().contains(needs), "{needs}: {err}");
    assert!(err.message().contains("nothing was sent"), "{err}");
}

#[tokio::test]
async fn mariadb_gets_unsupported_server_and_receives_nothing() {
    let client = Client::connect_with(support::options().max_connections(1)).await.expect("connect");
    assert!(!client.server_version().is_matrixone(), "{}", client.server_version());
    // With nothing in between, two reads of the counter differ by this much.
    let baseline = {
        let before = questions(&client).await;
        questions(&client).await - before
    };

    let before = questions(&client).await;
    let ts = "2026-01-02 03:04:05";
    assert_refused(
        client.snapshots().create(Snapshot::create("s1").database("test")).await,
        "MatrixOne 2.1.0",
    );
    assert_refused(client.snapshots().create(Snapshot::create("s1").cluster()).await, "MatrixOne 1.2.0");
    assert_refused(client.snapshots().list().await, "MatrixOne 1.2.0");
    assert_refused(client.snapshots().exists("s1").await, "MatrixOne 1.2.0");
    assert_refused(client.snapshots().get("s1").await, "MatrixOne 1.2.0");
    assert_refused(client.snapshots().delete("s1").await, "MatrixOne 1.2.0");
    assert_refused(client.run(Snapshot::drop("s1").if_exists()).await, "MatrixOne 1.2.0");
    assert_refused(client.clones().clone_database("bsdk_vg_copy", "test").await, "MatrixOne 3.0.0");
    assert_refused(
        client.clones().clone_table("test.bsdk_vg_t2", "test.bsdk_vg_t1").await,
        "MatrixOne 3.0.0",
    );
    assert_refused(client.restore().database("test", "s1").await, "MatrixOne 1.2.0");
    assert_refused(client.restore().cluster("s1").await, "MatrixOne 1.2.0");
    assert_refused(client.restore().database_from_pitr("test", "p1", ts).await, "MatrixOne 2.0.0");
    assert_refused(
        client.run(Restore::database("test").in_account("acc1").from_pitr("p1", ts)).await,
        "MatrixOne 4.1.0",
    );
    assert_refused(
        client.pitr().create(Pitr::create("p1").database("test").range(1, PitrUnit::Day)).await,
        "MatrixOne 2.0.0",
    );
    assert_refused(
        client.pitr().create(Pitr::create("p1").table("test", "t").range(1, PitrUnit::Day)).await,
        "MatrixOne 2.1.0",
    );
    assert_refused(client.pitr().list().await, "MatrixOne 2.0.0");
    assert_refused(client.pitr().get("p1").await, "MatrixOne 2.0.0");
    assert_refused(client.pitr().alter(Pitr::alter("p1").range(2, PitrUnit::Day)).await, "MatrixOne 2.0.0");
    assert_refused(client.pitr().delete("p1").await, "MatrixOne 2.0.0");
    // The message names the server and the statement.
    let err = client.clones().clone_database("bsdk_vg_copy", "test").await.unwrap_err();
    assert!(err.message().contains("MariaDB"), "{err}");
    assert!(err.message().contains("CREATE DATABASE `bsdk_vg_copy` CLONE `test`"), "{err}");
    // Bad input is still reported as such first.
    let err = client.snapshots().create(Snapshot::create("bad name").database("test")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    let after = questions(&client).await;
    assert_eq!(after - before, baseline, "the server received a statement it should not have");

    // On a transaction too, the server comes first: the refusal says what the server lacks.
    let tx = client.begin().await.unwrap();
    assert_refused(tx.snapshots().create(Snapshot::create("s1").database("test")).await, "MatrixOne");
    assert_refused(tx.clones().clone_database("bsdk_vg_copy", "test").await, "MatrixOne 3.0.0");
    assert_eq!(tx.fetch_scalar::<i64>("SELECT 1").await.unwrap(), 1, "the transaction goes on");
    tx.rollback().await.unwrap();
    client.close().await;
}

async fn mosim_reporting(version: &str) -> (mosim::Server, Client) {
    let mut config = mosim::Config::new(BACKEND);
    config.server_version = version.to_owned();
    let server = mosim::Server::start_with(config).await.expect("mosim starts on the local MariaDB");
    let client = Client::connect(&server.url("test")).await.expect("connect to mosim");
    (server, client)
}

async fn tables(client: &Client, db: &str) -> Vec<String> {
    let rows: Vec<(String,)> = client.fetch_all(format!("SHOW TABLES FROM {db}")).await.unwrap();
    rows.into_iter().map(|(t,)| t).collect()
}

#[tokio::test]
async fn an_older_release_line_is_refused_what_it_lacks_and_runs_the_rest() {
    // 2.0.5: PITRs of a database yes; snapshots of a database (2.1.0) and clones (3.0.0) no.
    let (server, client) = mosim_reporting("8.0.30-MatrixOne-v2.0.5").await;
    let db = support::unique("bsdk_vg_old");
    let (snap, pitr) = (support::unique("bsdk_vg_sp"), support::unique("bsdk_vg_p"));
    client.execute(format!("CREATE DATABASE {db}")).await.unwrap();
    client.execute(format!("CREATE TABLE {db}.t (a INT PRIMARY KEY)")).await.unwrap();

    let err = client.snapshots().create(Snapshot::create(&snap).database(&db)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert!(err.message().contains("MatrixOne 2.1.0 or later") && err.message().contains("v2.0.5"), "{err}");
    assert!(!client.snapshots().exists(&snap).await.unwrap(), "no snapshot was made");

    let err = client.clones().clone_table(format!("{db}.copy"), format!("{db}.t")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert!(err.message().contains("MatrixOne 3.0.0 or later"), "{err}");
    assert_eq!(tables(&client, &db).await, ["t"], "no clone was made");

    let created =
        client.pitr().create(Pitr::create(&pitr).database(&db).range(1, PitrUnit::Day)).await.unwrap();
    assert_eq!(created.length, 1);
    client.pitr().delete(&pitr).await.unwrap();
    client.execute(format!("DROP DATABASE {db}")).await.unwrap();
    client.close().await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_build_reporting_the_unset_version_is_let_through() {
    // MatrixOne reports 1.3.0 when its configuration sets no version (a dev or CI build).
    let (server, client) = mosim_reporting("8.0.30-MatrixOne-v1.3.0").await;
    let db = support::unique("bsdk_vg_dev");
    client.execute(format!("CREATE DATABASE {db}")).await.unwrap();
    client.execute(format!("CREATE TABLE {db}.t (a INT PRIMARY KEY)")).await.unwrap();
    client.execute(format!("INSERT INTO {db}.t VALUES (1), (2)")).await.unwrap();
    client.clones().clone_table(format!("{db}.copy"), format!("{db}.t")).await.unwrap();
    let n: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {db}.copy")).await.unwrap();
    assert_eq!(n, 2, "the clone ran");
    client.execute(format!("DROP DATABASE {db}")).await.unwrap();
    client.close().await;
    server.shutdown().await;
}
