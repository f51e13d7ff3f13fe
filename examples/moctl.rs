//! `mo_ctl` (seed section 6): flush a table, take an incremental and a global checkpoint, make a
//! generic call, and see what is refused: the `tn` service (`mo_ctl` only knows it as `dn`) by the
//! SDK before sending, an unknown method by the server.
//!
//! ```text
//! cargo run --example moctl
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example moctl
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). `mo_ctl` usually needs
//! the sys account. Creates the database `moctl_example` and drops it at the end (and at the
//! start, in case an earlier run was interrupted). Exits non-zero when an answer is not OK or a
//! refusal does not happen.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::MoCtl;
use matrixone::{Client, ErrorKind, Executor};
use simulated::{Outcome, check};

const DB: &str = "moctl_example";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("mo_ctl example", run, clean_up).await
}

/// Drops what this example creates.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

async fn run(client: &Client) -> Outcome {
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client.execute(format!("CREATE TABLE {DB}.users (id INT PRIMARY KEY, name VARCHAR(50))")).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (1, 'Alice'), (2, 'Bob')")).await?;

    // The manager checks each answer: a reply that is not OK is an error, not a value to inspect.
    let flushed = client.moctl().flush_table(DB, "users").await?;
    println!("flush_table({DB:?}, \"users\") -> method {}, result {}", flushed.method, flushed.result);
    check(flushed.method_is("flush") && flushed.is_ok(), "flush answered OK")?;

    let checkpoint = client.moctl().checkpoint().await?;
    println!("checkpoint() -> method {}, result {}", checkpoint.method, checkpoint.result);
    check(checkpoint.method_is("checkpoint") && checkpoint.is_ok(), "checkpoint answered OK")?;

    let global = client.moctl().global_checkpoint().await?;
    println!("global_checkpoint() -> method {}, result {}", global.method, global.result);
    check(global.method_is("globalcheckpoint") && global.is_ok(), "global checkpoint answered OK")?;

    // Any other method: call(service, method, argument), answer checked the same way.
    let gc = client.moctl().call("dn", "diskcleaner", "force_gc").await?;
    println!("call(\"dn\", \"diskcleaner\", \"force_gc\") -> method {}, ok {}", gc.method, gc.is_ok());
    check(gc.method_is("diskcleaner") && gc.is_ok(), "diskcleaner answered OK")?;

    // The statement itself, run with `run`: the answer comes back unchecked, to read yourself.
    let statement = MoCtl::call("dn", "checkpoint", "");
    println!("{}", statement.to_sql()?);
    let raw = client.run(statement).await?;
    println!("  -> {raw:?}");
    check(raw.is_ok(), "the unchecked answer is OK too")?;

    // MatrixOne now calls its data node the TN (transaction node), but mo_ctl only takes `dn` or
    // `cn` (reference §3a): the SDK refuses `tn` before sending.
    match client.moctl().call("tn", "flush", &format!("{DB}.users")).await {
        Ok(answer) => return Err(format!("mo_ctl('tn', ...) was accepted: {answer:?}").into()),
        Err(e) => {
            println!("call(\"tn\", ...) refused before sending: {:?}: {}", e.kind(), e.message());
            check(e.kind() == ErrorKind::InvalidInput && e.code().is_none(), "refused by the SDK")?;
        }
    }

    // An unknown method reaches the server, which refuses it as "not supported" (code 20105).
    match client.moctl().call("dn", "nosuchmethod", "").await {
        Ok(answer) => return Err(format!("an unknown mo_ctl method was accepted: {answer:?}").into()),
        Err(e) => {
            println!(
                "call(\"dn\", \"nosuchmethod\", \"\"): {:?} (server code {:?}): {}",
                e.kind(),
                e.code(),
                e.message()
            );
            check(e.code() == Some(20105), "the server refuses an unknown method with code 20105")?;
        }
    }
    Ok(())
}
