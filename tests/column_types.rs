//! Column types sqlx refuses (issue 7, part 2): MatrixOne answers `SHOW PUBLICATIONS`,
//! `SHOW SUBSCRIPTIONS`, `SHOW CDC` and `DATA BRANCH DIFF` with its own type codes (0xF1 TEXT,
//! 0xF3 UUID), which the SDK reads through its relay; an unknown type anywhere is a `Decode`
//! error, never a broken connection; and no other statement goes through the relay.
//!
//! Against mosim (which answers `SHOW PUBLICATIONS` with 0xF1 and no rows), against a tiny fake
//! MySQL server (`support/fake_mysql.rs`: rows with 0xF1 holding JSON, 0xF3, 0xF4, and a type
//! 0xE0 nobody knows; with and without `CLIENT_DEPRECATE_EOF`), and against MariaDB.

#[path = "support/fake_mysql.rs"]
mod fake_mysql;
mod support;

use std::future::Future;
use std::time::Duration;

use fake_mysql::{A_UUID, FakeMySql, JSON_DOC};
use futures_util::TryStreamExt as _;
use matrixone::{Client, ConnectOptions, ErrorKind, Executor, FromRow, Json, SslMode, query};

/// Every test is bounded in time.
async fn bounded<T>(body: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), body).await.expect("the test finished within 60 s")
}

async fn mosim() -> mosim::Server {
    let backend = std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    mosim::Server::start(&backend)
        .await
        .unwrap_or_else(|e| panic!("mosim could not start on the MariaDB at {backend}: {e}"))
}

/// `SHOW PUBLICATIONS` as MatrixOne labels it (pkg/frontend/publication_subscription.go).
#[derive(FromRow, Debug)]
struct Publication {
    publication: String,
    database: String,
    tables: String,
    sub_account: String,
    subscribed_accounts: String,
    create_time: chrono::NaiveDateTime,
    update_time: Option<chrono::NaiveDateTime>,
    #[mo(json)]
    comments: serde_json::Value,
}

#[tokio::test]
async fn show_publications_reads_on_mosim() {
    bounded(async {
        let server = mosim().await;
        let client = Client::connect(&server.url("test")).await.unwrap();
        assert!(client.server_version().is_matrixone());

        let rs = client.execute("SHOW PUBLICATIONS").await.expect("SHOW PUBLICATIONS reads despite 0xF1");
        assert!(rs.is_empty(), "mosim has no publications");
        let listed: Vec<Publication> = client.fetch_all("show publications").await.unwrap();
        assert!(listed.is_empty());
        let first: Option<Publication> = client.fetch_optional("SHOW PUBLICATIONS LIKE 'p%'").await.unwrap();
        assert!(first.is_none());
        let streamed: Vec<Publication> = client.fetch("SHOW PUBLICATIONS").try_collect().await.unwrap();
        assert!(streamed.is_empty());
        assert_eq!(client.pool_status().relayed, 1, "one relayed connection, reused by each of them");

        // Inside a transaction it reads on the relayed connection, and the transaction goes on.
        let tx = client.begin().await.unwrap();
        let own: u64 = tx.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
        assert!(tx.execute("SHOW PUBLICATIONS").await.unwrap().is_empty());
        let still: u64 = tx.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
        assert_eq!(own, still);
        tx.commit().await.unwrap();

        // Ordinary statements still run, on the direct pool.
        let two: i64 = client.fetch_scalar(query("SELECT ? + 1").bind(1)).await.unwrap();
        assert_eq!(two, 2);
        assert_eq!(client.pool_status().relayed, 1);
        client.close().await;
        server.shutdown().await;
    })
    .await
}

/// The MatrixOne columns of the fake server's answers decode as text and as JSON.
async fn matrixone_types_decode(deprecate_eof: bool) {
    let server = FakeMySql::start(deprecate_eof).await;
    let client = Client::connect(&server.url()).await.unwrap();

    let rs = client.execute("SHOW PUBLICATIONS").await.expect("0xF1 columns read");
    assert_eq!(
        rs.columns(),
        [
            "publication",
            "database",
            "tables",
            "sub_account",
            "subscribed_accounts",
            "create_time",
            "update_time",
            "comments"
        ]
    );
    let row = rs.first().unwrap();
    assert_eq!(row.get::<String>("tables").unwrap(), "*");
    assert_eq!(row.get::<String>("comments").unwrap(), JSON_DOC);
    let doc: serde_json::Value = row.get("comments").unwrap();
    assert_eq!(doc["tables"][1], "t2");
    assert_eq!(row.get::<Json<serde_json::Value>>(7).unwrap().0["n"], 3);
    assert_eq!(row.get::<Option<String>>("update_time").unwrap(), None);
    let typed: Vec<Publication> = client.fetch_all("SHOW PUBLICATIONS").await.unwrap();
    assert_eq!(typed[0].comments["owner"], "ops");
    let p = &typed[0];
    assert_eq!((p.publication.as_str(), p.database.as_str(), p.tables.as_str()), ("pub1", "db1", "*"));
    assert_eq!((p.sub_account.as_str(), p.subscribed_accounts.as_str()), ("acc1", ""));
    assert_eq!(p.create_time.to_string(), "2026-01-02 03:04:05");
    assert_eq!(p.update_time, None);

    // 0xF3 UUID reads as text, 0xF4 BOOL as a TINYINT.
    let diff = client.execute("DATA BRANCH DIFF t1 AGAINST t2").await.expect("0xF1/0xF3/0xF4 read");
    assert_eq!(diff.columns(), ["diff_t1_against_t2", "id", "doc", "ok"]);
    assert_eq!(diff.len(), 2);
    assert_eq!(diff.rows()[0].get::<String>("id").unwrap(), A_UUID);
    assert_eq!(diff.rows()[0].get::<serde_json::Value>("doc").unwrap()["owner"], "ops");
    assert!(diff.rows()[0].get::<bool>("ok").unwrap());
    assert!(!diff.rows()[1].get::<bool>("ok").unwrap());
    assert_eq!(diff.rows()[1].get::<Option<String>>("doc").unwrap(), None);

    // Several results in one answer, each read through the relay.
    let two = client.execute("SHOW CDC 'two' ALL").await.unwrap();
    assert_eq!(two.columns()[2], "tables");
    assert_eq!(two.more_results().len(), 1);
    assert_eq!(two.more_results()[0].rows()[0].get::<String>("id").unwrap(), A_UUID);

    // The binary protocol: a prepared DATA BRANCH DIFF whose parameter MatrixOne types 0xF1.
    let prepared =
        Client::connect_with(server.url().parse::<ConnectOptions>().unwrap().prepared_statements(true))
            .await
            .unwrap();
    let diff = prepared
        .execute(query("DATA BRANCH DIFF t1 AGAINST t2 WHERE doc = ?").bind("x"))
        .await
        .expect("prepared with a 0xF1 parameter, executed with 0xF1/0xF3/0xF4 columns");
    assert_eq!(diff.rows()[0].get::<String>("id").unwrap(), A_UUID);
    assert_eq!(diff.rows()[0].get::<serde_json::Value>("doc").unwrap()["n"], 3);
    assert!(diff.rows()[0].get::<bool>("ok").unwrap());
    assert_eq!(diff.rows()[1].get::<Option<String>>("doc").unwrap(), None);
    assert_eq!(prepared.pool_status().relayed, 1);
    prepared.close().await;

    assert_eq!(client.pool_status().relayed, 1, "one relayed connection served all of them");
    client.close().await;
}

#[tokio::test]
async fn matrixone_types_decode_as_text_and_json() {
    bounded(matrixone_types_decode(true)).await
}

#[tokio::test]
async fn matrixone_types_decode_without_deprecate_eof() {
    bounded(matrixone_types_decode(false)).await
}

/// An unknown type is a `Decode` error naming what it can, and the pool goes on.
async fn unknown_types_are_decode_errors(deprecate_eof: bool) {
    let server = FakeMySql::start(deprecate_eof).await;
    let client = Client::connect_with(server.url().parse::<ConnectOptions>().unwrap().max_connections(2))
        .await
        .unwrap();

    // Through the relay: the column is named, and the relayed connection stays in step.
    let e = client.execute("SHOW SUBSCRIPTIONS").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.message().contains("\"weird\"") && e.message().contains("0xe0"), "{e}");
    assert_eq!(e.code(), None);
    let accepted = server.accepted();
    let rs = client.execute("SHOW PUBLICATIONS").await.expect("the relayed connection is reused");
    assert_eq!(rs.len(), 1);
    assert_eq!(server.accepted(), accepted, "no new connection was needed");

    // An unknown type in a later result: the earlier one was fine, the rest of the answer is
    // dropped, and the connection is still in step.
    let e = client.execute("SHOW CDC 'bad' ALL").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.message().contains("\"weird\""), "{e}");
    let again: Vec<Publication> = client.fetch_all("SHOW PUBLICATIONS").await.unwrap();
    assert_eq!(again.len(), 1);
    let e = client.fetch_all::<(String,)>("SHOW SUBSCRIPTIONS").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    let streamed: Result<Vec<Publication>, _> = client.fetch("SHOW SUBSCRIPTIONS").try_collect().await;
    assert_eq!(streamed.unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(server.accepted(), accepted, "the relayed connection was reused throughout");

    // On the direct path the driver itself refuses the type: still Decode, naming the type and
    // the statement, and that connection is replaced.
    for _ in 0..3 {
        let e = client.execute("SELECT weird").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert!(e.message().contains("0xe0") && e.message().contains("SELECT weird"), "{e}");
        let id: u64 =
            client.fetch_scalar("SELECT CONNECTION_ID()").await.expect("the pool serves the next statement");
        assert!(id >= 100);
    }
    let e = client.fetch_optional::<(String,)>("SELECT weird").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");

    // In a transaction the connection that fell out of step is not used again.
    let tx = client.begin().await.unwrap();
    assert_eq!(tx.execute("SELECT weird").await.unwrap_err().kind(), ErrorKind::Decode);
    let after = tx.execute("SELECT CONNECTION_ID()").await.unwrap_err();
    assert_ne!(after.kind(), ErrorKind::Decode, "{after}");
    drop(tx);
    let rs = client.execute("SHOW PUBLICATIONS").await.unwrap();
    assert_eq!(rs.len(), 1);
    let id: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    assert!(id >= 100);
    client.close().await;
}

#[tokio::test]
async fn unknown_types_are_decode_errors_and_the_pool_goes_on() {
    bounded(unknown_types_are_decode_errors(true)).await
}

#[tokio::test]
async fn unknown_types_are_decode_errors_without_deprecate_eof() {
    bounded(unknown_types_are_decode_errors(false)).await
}

#[tokio::test]
async fn branch_diff_in_a_transaction_is_refused_and_tls_is_not_given_up() {
    bounded(async {
        let server = FakeMySql::start(true).await;
        let client = Client::connect(&server.url()).await.unwrap();
        let tx = client.begin().await.unwrap();
        let e = tx.execute("DATA BRANCH DIFF t1 AGAINST t2").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains("outside the transaction"), "{e}");
        // The listings read on the relay, and the transaction goes on.
        assert_eq!(tx.execute("SHOW PUBLICATIONS").await.unwrap().len(), 1);
        tx.fetch_scalar::<u64>("SELECT CONNECTION_ID()").await.unwrap();
        tx.rollback().await.unwrap();

        // With TLS required the relay (plain TCP) is refused before anything is sent.
        let options = server.url().parse::<ConnectOptions>().unwrap().ssl_mode(SslMode::Required);
        let tls = Client::connect_lazy_with(options).unwrap();
        let accepted = server.accepted();
        let e = tls.execute("SHOW PUBLICATIONS").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains("ssl_mode=required"), "{e}");
        assert_eq!(server.accepted(), accepted, "nothing was sent");
        client.close().await;

        // A server that asks for the password in clear gets it on the driver's own connection
        // (as configured), never through the relay, whose TCP is plain whatever the server offers.
        let clear = FakeMySql::start_with(true, "mysql_clear_password").await;
        let client = Client::connect(&clear.url()).await.unwrap();
        assert_eq!(clear.cleartext_logins(), 1);
        let e = client.execute("SHOW PUBLICATIONS").await.unwrap_err();
        assert!(e.message().contains("mysql_clear_password"), "{e}");
        assert_eq!(clear.cleartext_logins(), 1, "the relay did not pass the password on");
        assert_eq!(client.pool_status().relayed, 0);
        client.close().await;
    })
    .await
}

#[tokio::test]
async fn ordinary_statements_on_mariadb_never_go_through_the_relay() {
    bounded(async {
        let client = support::client().await;
        let table = support::unique("ct_direct");
        support::fresh_table(&client, &table, "id INT PRIMARY KEY, doc TEXT").await;
        client
            .execute(
                query(format!("INSERT INTO `{table}` VALUES (?, ?), (?, ?)"))
                    .bind(1)
                    .bind(JSON_DOC)
                    .bind(2)
                    .bind("x"),
            )
            .await
            .unwrap();
        let rows: Vec<(i32, String)> =
            client.fetch_all(format!("SELECT id, doc FROM `{table}` ORDER BY id")).await.unwrap();
        assert_eq!(rows[0].1, JSON_DOC);
        let one: Option<(i32,)> = client
            .fetch_optional(query(format!("SELECT id FROM `{table}` WHERE id = ?")).bind(2))
            .await
            .unwrap();
        assert_eq!(one, Some((2,)));
        let streamed: Vec<(i32,)> =
            client.fetch::<(i32,)>(format!("SELECT id FROM `{table}`")).try_collect().await.unwrap();
        assert_eq!(streamed.len(), 2);
        client.execute("SHOW TABLES").await.unwrap();
        client
            .transaction(async |tx| tx.execute(format!("UPDATE `{table}` SET doc = 'y' WHERE id = 2")).await)
            .await
            .unwrap();
        assert_eq!(client.pool_status().relayed, 0, "no statement above opened a relayed connection");

        // The counter does move: MariaDB does not know SHOW PUBLICATIONS, and its error comes
        // back through the relay as the server's, leaving the relayed connection in step.
        for _ in 0..2 {
            let e = client.execute("SHOW PUBLICATIONS").await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
            assert_eq!(e.code(), Some(1064));
        }
        assert_eq!(client.pool_status().relayed, 1);
        client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
        assert_eq!(client.pool_status().relayed, 1);
        client.close().await;
    })
    .await
}

#[tokio::test]
async fn a_lazy_client_learns_its_server_on_a_relayed_connection() {
    bounded(async {
        let server = FakeMySql::start(true).await;
        let client = Client::connect_lazy_with(server.url().parse().unwrap()).unwrap();
        assert!(!client.server_version().is_matrixone(), "nothing connected yet");
        assert_eq!(client.execute("SHOW PUBLICATIONS").await.unwrap().len(), 1);
        assert!(client.server_version().is_matrixone(), "{}", client.server_version());
        assert_eq!(client.pool_status().open, 0, "only the relay pool has a connection");
        assert_eq!(client.pool_status().relayed, 1);
        client.close().await;
        let e = client.execute("SHOW PUBLICATIONS").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        assert_eq!(client.pool_status().relayed, 0, "close() closed the relayed connections too");
    })
    .await
}
