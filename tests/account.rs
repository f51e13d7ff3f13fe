//! Accounts, users, roles and grants: what can be checked without a MatrixOne that simulates
//! them (mosim answers them 20105, `tests/live_matrixone.rs` has the real effects).
//!
//! - Passwords never reach the tracing output (span and statement log), `Debug`, or an error,
//!   even when the server's error quotes the statement as sent (a tiny fake server does that).
//! - MatrixOne-only statements are refused on MariaDB before anything is sent.
//! - Account administration is refused in a transaction before anything is sent.
mod support;

#[path = "support/fake_mysql.rs"]
mod fake_mysql;

use matrixone::mo::{Account, Grant, GrantObject, Identity, MoStatement, Role, Secret, User};
use matrixone::{Client, ErrorKind, Executor};
use support::captured::Captured;

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

/// A password with a quote and a backslash, so that its escaped forms differ from it.
const PASSWORD: &str = r"Pa'ss\w0rd-bsdk-7734";
/// The part of it that any form of it (raw, escaped) contains.
const MARK: &str = "bsdk-7734";

/// Every text the error shows: Display, Debug, and its sources.
fn everything(err: &matrixone::Error) -> String {
    let mut text = format!("{err} {err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test(flavor = "current_thread")]
async fn passwords_reach_neither_the_tracing_output_nor_debug_nor_errors() {
    let (out, _guard) = Captured::start();
    let server = mosim::Server::start(BACKEND).await.expect("mosim starts on the local MariaDB");
    let client = Client::connect(&server.url("test")).await.unwrap();

    let create = Account::create("bsdk_acc", "admin", PASSWORD);
    assert!(!format!("{create:?}").contains(MARK));
    assert!(!create.to_sql().unwrap().contains(MARK));
    // mosim simulates accounts: the first CREATE succeeds, the second fails on the server.
    let _ = client.run(Account::drop("bsdk_acc").if_exists()).await;
    client.run(create.clone()).await.unwrap();
    let err = client.run(create).await.unwrap_err();
    assert_eq!(err.code(), Some(20101), "{err}");
    assert!(!everything(&err).contains(MARK), "{err:?}");
    // An admin name that is not the account's: the server refuses, the password stays hidden.
    let err = client
        .run(Account::alter("bsdk_acc").admin_password("not_admin", Secret::new(PASSWORD)))
        .await
        .unwrap_err();
    assert!(!everything(&err).contains(MARK), "{err:?}");
    client.run(Account::alter("bsdk_acc").admin_password("admin", Secret::new(PASSWORD))).await.unwrap();
    client.run(Account::drop("bsdk_acc")).await.unwrap();

    let log = out.text();
    assert!(
        log.contains("CREATE ACCOUNT `bsdk_acc` ADMIN_NAME 'admin' IDENTIFIED BY ?"),
        "the statement is recorded:\n{log}"
    );
    assert!(log.contains("ALTER ACCOUNT `bsdk_acc` ADMIN_NAME 'not_admin' IDENTIFIED BY ?"), "{log}");
    assert!(!log.contains(MARK), "a password reached the tracing output:\n{log}");
    assert!(!format!("{:?}", User::create("u", PASSWORD)).contains(MARK));
    assert!(!format!("{:?}", User::alter_password("u", PASSWORD)).contains(MARK));

    client.close().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_error_that_quotes_the_statement_has_the_password_replaced() {
    let (out, _guard) = Captured::start();
    let fake = fake_mysql::FakeMySql::start(true).await;
    let client = Client::connect(&fake.url()).await.unwrap();
    // The fake server answers what it does not know with a parser error quoting the statement as
    // it arrived, password inlined (as MatrixOne's parser errors quote the text near the error).
    let secret = "Plain-bsdk-7734-secret";
    for stmt in [User::create("alice", secret), User::create("bob", secret).comment("x")] {
        let err = client.run(stmt).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
        assert!(err.message().contains("IDENTIFIED BY '***'"), "the error still says where: {err}");
        assert!(!everything(&err).contains(MARK), "{err:?}");
    }
    let err = client.run(User::alter_password("alice", secret)).await.unwrap_err();
    assert!(!everything(&err).contains(MARK), "{err:?}");
    let log = out.text();
    assert!(log.contains("error="), "the failures are logged:\n{log}");
    assert!(!log.contains(MARK), "a password reached the log:\n{log}");
    client.close().await;
}

#[tokio::test]
async fn matrixone_only_statements_are_refused_on_mariadb_before_anything_is_sent() {
    let client = support::client().await;
    let user = support::unique("bsdk_never");
    let refusals = [
        client.run(User::create(user.as_str(), "pw")).await.unwrap_err(),
        client.run(Account::create("bsdk_acc", "admin", "pw")).await.unwrap_err(),
        client.run(Role::create([user.as_str()])).await.unwrap_err(),
        client.run(Grant::privileges(["SELECT"], GrantObject::AllTables).to(["r"])).await.unwrap_err(),
        client.run(Account::show()).await.unwrap_err(),
        client.run(Identity::current()).await.map(|_| ()).unwrap_err(),
    ];
    for err in refusals {
        assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
        assert!(err.message().contains("needs MatrixOne"), "{err}");
    }
    let created: i64 = client
        .fetch_scalar(matrixone::query("SELECT COUNT(*) FROM mysql.user WHERE user = ?").bind(user))
        .await
        .unwrap();
    assert_eq!(created, 0, "CREATE USER never reached MariaDB");
    client.close().await;
}

#[tokio::test]
async fn account_administration_is_refused_in_a_transaction_before_anything_is_sent() {
    let server = mosim::Server::start(BACKEND).await.expect("mosim starts on the local MariaDB");
    let client = Client::connect(&server.url("test")).await.unwrap();
    let tx = client.begin().await.unwrap();
    let refusals = [
        tx.accounts().create_account("bsdk_acc", "admin", "pw").await.unwrap_err(),
        tx.accounts().create_user("bsdk_user", "pw").await.unwrap_err(),
        tx.accounts().create_role("bsdk_role").await.unwrap_err(),
        tx.accounts().grant_role("bsdk_role", "bsdk_user").await.unwrap_err(),
        tx.accounts().drop_account("bsdk_acc").await.unwrap_err(),
    ];
    for err in refusals {
        assert_eq!(err.kind(), ErrorKind::NotAllowedInTransaction, "{err}");
    }
    assert_eq!(tx.fetch_scalar::<i64>("SELECT 1").await.unwrap(), 1, "the transaction goes on");
    tx.rollback().await.unwrap();
    // An invalid name is reported as such, also in a transaction.
    let tx = client.begin().await.unwrap();
    let err = tx.accounts().create_user("a:b", "pw").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    tx.rollback().await.unwrap();
    client.close().await;
    server.shutdown().await;
}

#[test]
fn statements_with_passwords_bind_them() {
    let create = Account::create("acc1", "admin", PASSWORD);
    assert_eq!(create.values(), vec![matrixone::Value::from(PASSWORD)]);
    assert!(create.to_sql().unwrap().ends_with("IDENTIFIED BY ?"));
    assert!(User::lock("alice").values().is_empty());
}
