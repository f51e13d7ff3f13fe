//! Queries: iterate over rows, bind parameters, fetch one row, insert, map rows to structs and
//! tuples with `FromRow`, and run a sea-query builder.
//!
//! ```text
//! cargo run --example queries
//! ```
//!
//! Creates the table `example_queries_users` and drops it at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`.

mod common;

use matrixone::{Client, Executor, FromRow, Result, query};
use sea_query::{Alias, Expr, ExprTrait as _, Order, Query};

const USERS: &str = "example_queries_users";

/// A row of the users table. Columns are matched by name; `email` may be NULL.
#[derive(Debug, FromRow)]
struct User {
    id: i64,
    name: String,
    #[mo(default)]
    email: Option<String>,
}

#[tokio::main]
async fn main() -> Result<()> {
    common::with_table(
        common::options()?,
        USERS,
        "id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100)",
        run,
    )
    .await
}

async fn run(client: &Client) -> Result<()> {
    // Insert with bound values: `?` placeholders, one `.bind()` per placeholder, in order.
    let insert = format!("INSERT INTO {USERS} (name, email) VALUES (?, ?)");
    let rs = client.execute(query(&insert).bind("Alice").bind("alice@example.com")).await?;
    println!("Inserted Alice: {} row, id {}", rs.rows_affected(), rs.last_insert_id());
    client.execute(query(&insert).bind("Bob").bind("bob@example.com")).await?;
    client.execute(query(&insert).bind("Charlie").bind(None::<String>)).await?; // NULL email
    println!("Inserted Bob and Charlie (no email)");

    // Basic query: iterate over the rows, read columns by position.
    let rs = client.execute(format!("SELECT id, name FROM {USERS} ORDER BY id")).await?;
    println!("All users ({} rows, columns {:?}):", rs.len(), rs.columns());
    for row in &rs {
        println!("  ID: {}, Name: {}", row.get::<i64>(0)?, row.get::<String>(1)?);
    }

    // A query with a parameter; `first()` is the first row, if any (Python's `fetchone()`).
    let rs = client.execute(query(format!("SELECT * FROM {USERS} WHERE id = ?")).bind(1)).await?;
    if let Some(row) = rs.first() {
        // Columns by name; `Option` for a column that may be NULL.
        let name: String = row.get("name")?;
        let email: Option<String> = row.get("email")?;
        println!("User 1: {name} <{}>", email.as_deref().unwrap_or("no email"));
    }

    // Rows as structs with #[derive(FromRow)].
    let select = format!("SELECT id, name, email FROM {USERS}");
    let users: Vec<User> =
        client.fetch_all(query(format!("{select} WHERE id > ? ORDER BY id")).bind(1)).await?;
    println!("fetch_all (id > 1): {users:?}");
    let user: User = client.fetch_one(query(format!("{select} WHERE name = ?")).bind("Alice")).await?;
    println!("fetch_one (Alice): id {}, email {:?}", user.id, user.email);
    let nobody: Option<User> =
        client.fetch_optional(query(format!("{select} WHERE id = ?")).bind(999)).await?;
    println!("fetch_optional (id 999): {nobody:?}");

    // Tuples are FromRow too, by position; fetch_scalar reads one value.
    let pairs: Vec<(i64, String)> =
        client.fetch_all(format!("SELECT id, name FROM {USERS} ORDER BY id")).await?;
    println!("Tuples: {pairs:?}");
    let count: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {USERS}")).await?;
    println!("COUNT(*): {count}");

    // A sea-query builder runs like SQL text; its values are bound, never spliced into the SQL.
    let stmt = Query::select()
        .columns([Alias::new("id"), Alias::new("name"), Alias::new("email")])
        .from(Alias::new(USERS))
        .and_where(Expr::col(Alias::new("email")).is_not_null())
        .order_by(Alias::new("name"), Order::Desc)
        .to_owned();
    let with_email: Vec<User> = client.fetch_all(stmt).await?;
    let names: Vec<&str> = with_email.iter().map(|u| u.name.as_str()).collect();
    println!("sea-query (users with an email, by name desc): {names:?}");
    Ok(())
}
