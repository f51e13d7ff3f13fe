//! Transactions: commit persists, failures and drops leave nothing behind.
mod support;

use matrixone::{Error, ErrorKind, Executor, query};

async fn count(c: &matrixone::Client, t: &str) -> i64 {
    c.fetch_scalar(format!("SELECT COUNT(*) FROM {t}")).await.unwrap()
}

#[tokio::test]
async fn commit_persists() {
    let c = support::client().await;
    let t = support::unique("tx_commit");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY, name VARCHAR(20)").await;
    let tx = c.begin().await.unwrap();
    tx.execute(query(format!("INSERT INTO {t} VALUES (?, ?)")).bind(1).bind("Alice")).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(count(&c, &t).await, 1);
}

#[tokio::test]
async fn explicit_rollback_undoes() {
    let c = support::client().await;
    let t = support::unique("tx_rollback");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY").await;
    let tx = c.begin().await.unwrap();
    tx.execute(format!("INSERT INTO {t} VALUES (1)")).await.unwrap();
    assert_eq!(tx.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {t}")).await.unwrap(), 1);
    tx.rollback().await.unwrap();
    assert_eq!(count(&c, &t).await, 0);
}

#[tokio::test]
async fn a_failed_step_inside_transaction_leaves_no_row() {
    let c = support::client().await;
    let t = support::unique("tx_fail");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY, name VARCHAR(20)").await;
    let err = c
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {t} (id, name) VALUES (?, ?)")).bind(1).bind("Alice"))
                .await?;
            tx.execute(query("INSERT INTO nonexistent_table_tx (name) VALUES (?)").bind("Bob")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableNotFound);
    assert_eq!(count(&c, &t).await, 0);
}

#[tokio::test]
async fn a_user_error_rolls_back_and_is_returned_unchanged() {
    let c = support::client().await;
    let t = support::unique("tx_user_err");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY").await;
    let err = c
        .transaction(async |tx| -> matrixone::Result<()> {
            tx.execute(format!("INSERT INTO {t} VALUES (1)")).await?;
            Err(Error::invalid_input("business rule says no"))
        })
        .await
        .unwrap_err();
    assert_eq!(err.message(), "business rule says no");
    assert_eq!(count(&c, &t).await, 0);
}

#[tokio::test]
async fn transaction_closure_commits_and_returns_its_value() {
    let c = support::client().await;
    let t = support::unique("tx_closure");
    support::fresh_table(&c, &t, "id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20)").await;
    let id = c
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {t} (name) VALUES (?)")).bind("Bob")).await?;
            tx.fetch_scalar::<u64>("SELECT LAST_INSERT_ID()").await
        })
        .await
        .unwrap();
    assert_eq!(id, 1);
    assert_eq!(count(&c, &t).await, 1);
}

#[tokio::test]
async fn a_dropped_transaction_leaves_nothing_and_its_connection_is_reused_cleanly() {
    // One connection, so the next statement must run on the dropped transaction's connection.
    let c = matrixone::Client::connect_with(support::options().max_connections(1)).await.unwrap();
    let t = support::unique("tx_drop");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY").await;
    {
        let tx = c.begin().await.unwrap();
        tx.execute(format!("INSERT INTO {t} VALUES (1)")).await.unwrap();
    }
    assert_eq!(count(&c, &t).await, 0);
    let in_tx: i64 = c.fetch_scalar("SELECT @@in_transaction").await.unwrap();
    assert_eq!(in_tx, 0, "the connection came back without an open transaction");
    c.execute(format!("INSERT INTO {t} VALUES (2)")).await.unwrap();
    assert_eq!(count(&c, &t).await, 1, "autocommit works on the reused connection");
}

#[tokio::test]
async fn a_cancelled_transaction_closure_rolls_back() {
    let c = matrixone::Client::connect_with(support::options().max_connections(1)).await.unwrap();
    let t = support::unique("tx_cancel");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY").await;
    let work = c.transaction(async |tx| {
        tx.execute(format!("INSERT INTO {t} VALUES (1)")).await?;
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        Ok(())
    });
    assert!(tokio::time::timeout(std::time::Duration::from_millis(200), work).await.is_err());
    assert_eq!(count(&c, &t).await, 0);
}
