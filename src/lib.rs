//! # matrixone: a typed async Rust SDK for MatrixOne
//!
//! MatrixOne speaks the MySQL wire protocol and adds its own SQL: snapshots, clones, restore,
//! PITR, `mo_ctl`. This crate gives you an async [`Client`] on a connection pool,
//! [`Transaction`]s, one [`Executor`] trait for both, `#[derive(FromRow)]`, typed [`Error`]s,
//! and typed builders and managers for MatrixOne's statements in [`mo`].
//!
//! ## Connecting and querying
//!
//! ```no_run
//! use matrixone::{Client, ConnectOptions, Executor, FromRow, query};
//!
//! #[derive(FromRow)]
//! struct User { id: i64, name: String, #[mo(default)] email: Option<String> }
//!
//! # async fn demo() -> matrixone::Result<()> {
//! let client = Client::connect("mysql://root:111@127.0.0.1:6001/test").await?;
//! // Or: ConnectOptions::new().host("127.0.0.1").port(6001).user("root").password("111")
//! //         .database("test").account("acc1").role("admin")   // logs in as "acc1:root:admin"
//!
//! let one: i64 = client.execute("SELECT 1").await?.scalar()?;
//! client.execute(query("INSERT INTO users (name, email) VALUES (?, ?)").bind("Alice").bind("a@x.io")).await?;
//! let users: Vec<User> = client.fetch_all(query("SELECT id, name, email FROM users WHERE id > ?").bind(0)).await?;
//! let rs = client.execute("SELECT id, name FROM users").await?;
//! for row in &rs {
//!     println!("{}: {}", row.get::<i64>(0)?, row.get::<String>("name")?);
//! }
//! client.close().await;
//! # Ok(()) }
//! ```
//!
//! A statement without bound values goes over the text protocol; one with values is prepared,
//! unless [`ConnectOptions::prepared_statements`] is off: then the SDK inlines the values itself
//! through one audited binder ([`sql`]).
//!
//! ## Transactions
//!
//! ```no_run
//! # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
//! use matrixone::{Executor, query};
//! let tx = client.begin().await?;
//! tx.execute(query("INSERT INTO users (name) VALUES (?)").bind("Alice")).await?;
//! tx.commit().await?;                       // or rollback(); dropping it rolls back
//!
//! let id: u64 = client
//!     .transaction(async |tx| {
//!         tx.execute(query("INSERT INTO users (name) VALUES (?)").bind("Bob")).await?;
//!         tx.fetch_scalar("SELECT LAST_INSERT_ID()").await
//!     })
//!     .await?;                               // commits on Ok, rolls back on Err
//! # Ok(()) }
//! ```
//!
//! ## Bulk writes
//!
//! ```no_run
//! # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
//! use matrixone::{Executor, Insertable};
//!
//! #[derive(Insertable)]
//! #[mo(table = "users")]
//! struct NewUser { name: String, email: Option<String> }
//!
//! let users = vec![NewUser { name: "Alice".into(), email: None }, NewUser { name: "Bob".into(), email: None }];
//! let written: u64 = client.insert_many(&users).await?;   // multi-row INSERTs, all or nothing
//! # Ok(()) }
//! ```
//!
//! See [`insert`] for how rows are split into statements and what a failure leaves behind.
//!
//! ## Without async
//!
//! With the cargo feature `blocking`, `matrixone::blocking` has the same client, transactions,
//! executor methods and managers, name for name, returning their results directly: for scripts,
//! tools and programs that do not run an async runtime.
//!
//! ## MatrixOne statements
//!
//! ```no_run
//! # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
//! use matrixone::mo::{MoCtl, Snapshot};
//! use matrixone::Executor;
//! let snap = client.snapshots().create(Snapshot::create("s1").database("test")).await?;
//! let all = client.snapshots().list().await?;
//! client.clones().clone_database_with_snapshot("backup_db", "test", "s1").await?;
//! client.restore().table("test", "users", "s1").await?;
//! let flushed = client.moctl().flush_table("test", "users").await?;
//! let same = client.run(MoCtl::checkpoint()).await?;  // any builder runs through `run`
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`] with an [`ErrorKind`], the server's error number when there is
//! one ([`Error::code`]) and its source. [`ErrorKind::from_server`] classifies MatrixOne's texts:
//! most snapshot, PITR and clone failures share code 20101 and differ only in the message.

#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
pub mod decode;
mod error;
mod executor;
mod from_row;
pub mod insert;
mod lease;
pub mod mo;
mod options;
mod pool;
mod relay;
mod result;
mod retry;
mod server_version;
mod session_mode;
mod shared;
pub mod sql;
mod statement;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "time")]
mod time_compat;
mod transaction;
mod value;

pub use client::{Client, PoolStatus};
pub use decode::{Decode, Json};
pub use error::{Error, ErrorKind, Result};
pub use executor::Executor;
pub use from_row::FromRow;
pub use insert::{InsertOptions, Insertable};
pub use matrixone_macros::{FromRow, Insertable};
pub use mo::vector::{Vecf32, Vecf64};
pub use options::{ConnectOptions, SslMode, URL_ENV};
pub use result::{ColumnIndex, ResultSet, Row};
pub use retry::RetryPolicy;
pub use server_version::ServerVersion;
pub use statement::{Statement, query};
pub use transaction::Transaction;
pub use value::Value;

/// Paths that `#[derive(FromRow)]` and `#[derive(Insertable)]` expand to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::decode::{Decode, Json};
    pub use crate::error::{Error, Result};
    pub use crate::from_row::{FromRow, try_from_error};
    pub use crate::insert::{Insertable, json_value, try_into_error};
    pub use crate::result::Row;
    pub use crate::value::Value;
    pub use serde::Serialize;
    pub use std::vec::Vec;
}

/// The README's Rust code, compiled as doctests so the quick start cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
