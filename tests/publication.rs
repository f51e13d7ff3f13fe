//! Publications and subscriptions: what can be checked without a MatrixOne that simulates them
//! (mosim answers `SHOW PUBLICATIONS` with MatrixOne's 0xF1 columns and no rows, and the rest
//! with 20105; `tests/live_matrixone.rs` has the real effects).
//!
//! - `SHOW PUBLICATIONS` rows, whose columns are MatrixOne's type 0xF1, decode into
//!   `PublicationInfo` (a tiny fake server sends one) and an empty listing reads on mosim.
//! - MatrixOne-only statements are refused on MariaDB before anything is sent.
//! - Publication DDL is refused in a transaction; listing works there.
mod support;

#[path = "support/fake_mysql.rs"]
mod fake_mysql;

use chrono::NaiveDate;
use matrixone::mo::{Publication, Subscription};
use matrixone::{Client, ErrorKind, Executor};

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

#[tokio::test]
async fn show_publications_rows_with_0xf1_columns_decode() {
    let fake = fake_mysql::FakeMySql::start(true).await;
    let client = Client::connect(&fake.url()).await.unwrap();
    let list = client.publications().list().await.unwrap();
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!((p.name.as_str(), p.database.as_str()), ("pub1", "db1"));
    assert_eq!(p.tables, ["*"]);
    assert_eq!(p.accounts, ["acc1"]);
    assert!(p.subscribed_accounts.is_empty());
    assert_eq!(p.created, NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_opt(3, 4, 5));
    assert_eq!(p.updated, None);
    assert_eq!(p.comment.as_deref(), Some(fake_mysql::JSON_DOC));
    assert_eq!(client.publications().get("pub1").await.unwrap(), *p);
    let err = client.publications().get("nope").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RowNotFound, "{err}");
    client.close().await;
}

#[tokio::test]
async fn on_mosim_the_listing_reads_and_ddl_is_sent_and_refused_in_a_transaction() {
    let server = mosim::Server::start(BACKEND).await.expect("mosim starts on the local MariaDB");
    let client = Client::connect(&server.url("test")).await.unwrap();
    assert!(client.publications().list().await.unwrap().is_empty());

    // Sent (the server, not the SDK, answers): the account does not exist on this mosim.
    let err = client.publications().create("bsdk_pub", "test", ["bsdk_no_such_acc"]).await.unwrap_err();
    assert_eq!(err.code(), Some(20101), "{err}");
    assert_eq!(err.kind(), ErrorKind::AccountNotFound, "{err}");

    let tx = client.begin().await.unwrap();
    for err in [
        tx.publications().create("bsdk_pub", "test", ["acc1"]).await.unwrap_err(),
        tx.publications().add_accounts("bsdk_pub", ["acc2"]).await.unwrap_err(),
        tx.publications().drop("bsdk_pub").await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::NotAllowedInTransaction, "{err}");
    }
    // The listing reads the catalog outside the transaction (through the relay).
    assert!(tx.publications().list().await.unwrap().is_empty());
    tx.rollback().await.unwrap();
    client.close().await;
    server.shutdown().await;
}

#[tokio::test]
async fn mariadb_gets_a_clear_refusal_and_nothing_is_sent() {
    let client = support::client().await;
    let refusals = [
        client.run(Publication::create("p", "test").to_all_accounts()).await.unwrap_err(),
        client.run(Publication::alter("p").drop_accounts(["a"])).await.unwrap_err(),
        client.run(Subscription::create("bsdk_sub", "sys", "p")).await.unwrap_err(),
        client.run(Publication::drop("p")).await.unwrap_err(),
    ];
    for err in refusals {
        assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
        assert!(err.message().contains("needs MatrixOne; the server is"), "{err}");
    }
    let err = client.publications().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    let exists: Option<String> =
        client.fetch_optional("SHOW DATABASES LIKE 'bsdk\\_sub'").await.unwrap().map(|(d,): (String,)| d);
    assert_eq!(exists, None, "the subscription's database was not created");
    // Names MatrixOne writes into its catalog unescaped are refused first.
    let err = client.run(Publication::create("p'1", "test").to_all_accounts()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    client.close().await;
}
