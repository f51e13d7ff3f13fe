//! MatrixOne statements in a transaction (seed section 7), and MatrixOne's rule about them.
//!
//! The seed creates a snapshot inside a transaction. MatrixOne does not allow that: snapshot,
//! restore and PITR statements are refused in an uncommitted transaction (pkg/frontend/stmt_kind.go;
//! the server says `unclassified statement appears in uncommitted transaction`). The SDK knows
//! the rule: it refuses them before sending anything, with `ErrorKind::NotAllowedInTransaction`,
//! and the transaction goes on; `tx.snapshots().list()` reads the (non-transactional) catalog on
//! another pooled connection. Inserts and clones run in the transaction. So this example:
//!
//! 1. runs the seed's transaction (insert, clone, snapshot), shows the refusal with its kind,
//!    lists the snapshots from inside the transaction, and rolls the transaction back, since one
//!    of its steps cannot be done; nothing of it remains;
//! 2. shows the pattern that works: a snapshot before the transaction, the insert and clone in
//!    it, a snapshot after it; reads at the two snapshots show the rows before and after.
//!
//! ```text
//! cargo run --example transaction_mo
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example transaction_mo
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the database
//! `transaction_mo_example` and the snapshots `transaction_mo_example_in_tx`, `..._before` and
//! `..._after`, and drops them at the end (and at the start, in case an earlier run was
//! interrupted). Exits non-zero when the server does not behave as described.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{Snapshot, snapshot_hint};
use matrixone::{Client, ErrorKind, Executor, query};
use simulated::{Outcome, check, count};

const DB: &str = "transaction_mo_example";
const IN_TX: &str = "transaction_mo_example_in_tx";
const BEFORE: &str = "transaction_mo_example_before";
const AFTER: &str = "transaction_mo_example_after";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Transaction example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    for snapshot in [IN_TX, BEFORE, AFTER] {
        client.run(Snapshot::drop(snapshot).if_exists()).await?;
    }
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

async fn alices(client: &Client, table: &str) -> matrixone::Result<i64> {
    count(client, format!("SELECT COUNT(*) FROM {DB}.{table} WHERE name = 'Alice'")).await
}

async fn table_exists(client: &Client, table: &str) -> matrixone::Result<bool> {
    let n: i64 = client
        .fetch_scalar(
            query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")
                .bind(DB)
                .bind(table),
        )
        .await?;
    Ok(n > 0)
}

async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client
        .execute(format!("CREATE TABLE {DB}.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50))"))
        .await?;
    client.execute(format!("INSERT INTO {DB}.users (name) VALUES ('Bob'), ('Charlie'), ('Dave')")).await?;
    println!("{DB}.users has 3 rows, none of them Alice");

    seed_transaction(client).await?;
    working_pattern(client).await
}

/// 1. The seed's transaction as written: the snapshot is refused, the transaction rolled back.
async fn seed_transaction(client: &Client) -> Outcome {
    println!("\n1. insert + clone + snapshot in one transaction");
    let tx = client.begin().await?;
    tx.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind("Alice")).await?;
    println!("   inserted Alice");
    tx.clones().clone_table(format!("{DB}.users_in_tx"), format!("{DB}.users")).await?;
    println!("   cloned users to users_in_tx: clones are allowed in a transaction");
    match tx.snapshots().create(Snapshot::create(IN_TX).database(DB)).await {
        Ok(snapshot) => {
            tx.rollback().await?;
            return Err(format!(
                "the server created snapshot {} inside a transaction; MatrixOne refuses that",
                snapshot.name
            )
            .into());
        }
        Err(e) => {
            println!("   snapshot refused: kind {:?}: {}", e.kind(), e.message());
            check(e.kind() == ErrorKind::NotAllowedInTransaction, "the refusal says why")?;
            check(e.code().is_none(), "refused by the SDK, before anything was sent")?;
        }
    }
    let listed = tx.snapshots().list().await?;
    println!("   {} snapshot(s) listed from inside the transaction", listed.len());
    check(!listed.iter().any(|s| s.name == IN_TX), "the refused snapshot is not there")?;
    // The snapshot was part of this unit of work and cannot be taken here, so give up on all of it.
    tx.rollback().await?;
    println!("   rolled back");

    let left = alices(client, "users").await?;
    let snapshot_exists = client.snapshots().exists(IN_TX).await?;
    println!("   Alice rows after the rollback: {left}; snapshot {IN_TX} exists: {snapshot_exists}");
    check(left == 0, "the rolled-back insert left nothing")?;
    check(!snapshot_exists, "the refused snapshot does not exist")?;
    // MatrixOne's DDL is transactional, so the clone goes with the rollback (mosim undoes it too).
    let clone_left = table_exists(client, "users_in_tx").await?;
    println!("   users_in_tx after the rollback exists: {clone_left}");
    check(!clone_left, "the clone went with the rollback")?;
    Ok(())
}

/// 2. What works: snapshots outside the transaction, the insert and the clone inside it.
async fn working_pattern(client: &Client) -> Outcome {
    println!("\n2. snapshot, then a transaction with insert + clone, then snapshot");
    client.snapshots().create(Snapshot::create(BEFORE).database(DB)).await?;
    println!("   snapshot {BEFORE} taken");
    client
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind("Alice")).await?;
            tx.clones().clone_table(format!("{DB}.users_in_tx"), format!("{DB}.users")).await
        })
        .await?;
    println!("   committed: Alice inserted, users cloned to users_in_tx");
    client.snapshots().create(Snapshot::create(AFTER).database(DB)).await?;
    println!("   snapshot {AFTER} taken");

    let before = alices(client, &format!("users {}", snapshot_hint(BEFORE)?)).await?;
    let after = alices(client, &format!("users {}", snapshot_hint(AFTER)?)).await?;
    let now = count(client, format!("SELECT COUNT(*) FROM {DB}.users")).await?;
    println!("   Alice rows at {BEFORE}: {before}; at {AFTER}: {after}; users now: {now}");
    check(before == 0, "the snapshot before the transaction has no Alice")?;
    check(after == 1, "the snapshot after the transaction has Alice")?;
    check(now == 4, "the committed insert is there")?;

    // A clone reads its own transaction's uncommitted insert (MatrixOne's clone.go shares the
    // transaction's view): the 3 committed rows and Alice.
    let cloned = count(client, format!("SELECT COUNT(*) FROM {DB}.users_in_tx")).await?;
    println!("   users_in_tx: {cloned} rows");
    check(cloned == 4, format!("the clone has the transaction's rows, got {cloned}"))?;
    Ok(())
}
