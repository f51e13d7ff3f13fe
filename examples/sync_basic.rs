//! The blocking client (`matrixone::blocking`, cargo feature `blocking`): connect, query, write a
//! batch of model structs, and run transactions, with no async runtime and no `.await`.
//!
//! ```text
//! cargo run --features blocking --example sync_basic
//! ```
//!
//! Creates the table `example_sync_basic_users` and drops it at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`. Exits non-zero
//! when an effect is not what the example shows.

mod common;

use matrixone::blocking::{Client, Executor};
use matrixone::{Error, ErrorKind, FromRow, InsertOptions, Insertable, Result, query};

const USERS: &str = "example_sync_basic_users";

/// One struct to read and to write.
#[derive(Debug, FromRow, Insertable)]
#[mo(table = "example_sync_basic_users")]
struct User {
    #[mo(skip_insert)]
    id: i64,
    name: String,
    email: Option<String>,
}

/// Works with the blocking `Client` and `Transaction` alike.
fn add_user(db: &impl Executor, name: &str) -> Result<u64> {
    Ok(db.execute(query(format!("INSERT INTO {USERS} (name) VALUES (?)")).bind(name))?.last_insert_id())
}

fn names(db: &impl Executor) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = db.fetch_all(format!("SELECT name FROM {USERS} ORDER BY id"))?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

fn check(holds: bool, what: &str) -> Result<()> {
    if holds { Ok(()) } else { Err(Error::new(ErrorKind::Other, format!("check failed: {what}"))) }
}

fn main() -> Result<()> {
    let client = Client::connect(&common::url())?;
    println!("Connected to {}", client.options());
    let one: i64 = client.execute("SELECT 1")?.scalar()?;
    println!("SELECT 1 -> {one}");
    check(one == 1, "SELECT 1 answers 1")?;

    client.execute(format!("DROP TABLE IF EXISTS {USERS}"))?;
    client.execute(format!(
        "CREATE TABLE {USERS} (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100))"
    ))?;
    let outcome = run(&client);
    client.execute(format!("DROP TABLE IF EXISTS {USERS}"))?;
    client.close()?;
    outcome?;
    println!("\nsync_basic complete.");
    Ok(())
}

fn run(client: &Client) -> Result<()> {
    // A batch of structs in as few INSERTs as the server allows, all or nothing.
    let users: Vec<User> = (1..=500)
        .map(|i| User { id: 0, name: format!("user{i:03}"), email: Some(format!("user{i:03}@example.com")) })
        .collect();
    let written = client.insert_many(&users)?;
    println!("insert_many wrote {written} users");
    check(written == 500, "insert_many writes every row")?;

    let first: User =
        client.fetch_one(query(format!("SELECT id, name, email FROM {USERS} WHERE id = ?")).bind(1))?;
    println!("First user: {first:?}");
    check(
        first.id == 1 && first.name == "user001" && first.email.as_deref() == Some("user001@example.com"),
        "the first row",
    )?;

    // Upsert: the same names again, with ON DUPLICATE KEY UPDATE on a unique key.
    client.execute(format!("ALTER TABLE {USERS} ADD UNIQUE (name)"))?;
    let changed: Vec<User> =
        users.iter().take(2).map(|u| User { id: 0, name: u.name.clone(), email: None }).collect();
    client.insert_many_with(&changed, InsertOptions::new().on_duplicate_update(["email"]))?;
    let cleared: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {USERS} WHERE email IS NULL"))?;
    println!("Upserted 2 users: {cleared} now have no email");
    check(cleared == 2, "the upsert cleared two emails")?;
    client.execute(format!("DELETE FROM {USERS}"))?;

    // `with client.transaction() as tx:` -> a closure: commits on Ok, rolls back on Err.
    let id = client.transaction(|tx| {
        add_user(tx, "Alice")?;
        tx.fetch_scalar::<u64>("SELECT LAST_INSERT_ID()")
    })?;
    println!("Committed Alice (id {id})");
    let refused: Result<()> = client.transaction(|tx| {
        add_user(tx, "Mallory")?;
        Err(Error::invalid_input("a business rule refused Mallory"))
    });
    match refused {
        Ok(()) => {
            return Err(Error::new(ErrorKind::Other, "check failed: the refused transaction committed"));
        }
        Err(e) => println!("Rolled back Mallory: {e}"),
    }

    // begin / commit / rollback by hand, and a transaction dropped without either.
    let tx = client.begin()?;
    add_user(&tx, "Bob")?;
    tx.commit()?;
    let tx = client.begin()?;
    add_user(&tx, "Carol")?;
    tx.rollback()?;
    {
        let tx = client.begin()?;
        add_user(&tx, "Dave")?;
    } // rolled back here
    let now = names(client)?;
    println!("Users: {now:?}");
    check(now == ["Alice", "Bob"], "only the committed users remain")?;

    // Rows one at a time, without buffering them all.
    for row in client.fetch::<(i64, String)>(format!("SELECT id, name FROM {USERS} ORDER BY id")) {
        let (id, name) = row?;
        println!("  {id}: {name}");
    }
    Ok(())
}
