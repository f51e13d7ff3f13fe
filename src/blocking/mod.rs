//! The synchronous twin of the async API (cargo feature `blocking`): [`Client`],
//! [`Transaction`], the [`Executor`] trait and the managers, name for name, without `.await`.
//!
//! The seed document compares the Python SDK's `AsyncClient` with its synchronous `Client` row
//! by row; here is the same table for this crate:
//!
//! | What | `matrixone::blocking` | `matrixone` (async) |
//! |------|-----------------------|---------------------|
//! | Connect | `Client::connect(url)?` | `Client::connect(url).await?` |
//! | Run SQL | `client.execute("SELECT 1")?` | `client.execute("SELECT 1").await?` |
//! | Snapshots | `client.snapshots().create(..)?` | `client.snapshots().create(..).await?` |
//! | Clones | `client.clones().clone_database(..)?` | `client.clones().clone_database(..).await?` |
//! | mo_ctl | `client.moctl().flush_table(..)?` | `client.moctl().flush_table(..).await?` |
//! | Data branches | `client.branches().diff(..)?` | `client.branches().diff(..).await?` |
//! | Publications | `client.publications().list()?` | `client.publications().list().await?` |
//! | Accounts | `client.accounts().create_user(..)?` | `client.accounts().create_user(..).await?` |
//! | Transactions | `client.transaction(\|tx\| ..)?` | `client.transaction(async \|tx\| ..).await?` |
//! | Bulk writes | `client.insert_many(&rows)?` | `client.insert_many(&rows).await?` |
//! | Concurrency | one call at a time per thread | many calls at once on one task |
//!
//! Results ([`crate::ResultSet`], [`crate::Row`], [`crate::FromRow`] types), statements
//! ([`crate::query`], sea-query, the builders of [`crate::mo`]), options and errors are the same
//! types in both.
//!
//! # Which one to use
//!
//! The async client for servers and anything with many concurrent requests: one task waits on the
//! database without holding a thread. The blocking client for scripts, command-line tools,
//! migrations, tests, and programs that are not async: no runtime to set up, no `.await`.
//!
//! # How it works
//!
//! As in reqwest's `blocking` module, a blocking [`Client`] wraps the async one and owns a small
//! Tokio runtime (one worker thread for the pool's background work). Each call runs on the
//! calling thread until it is done, so clones of one client can be used from several threads at
//! once and share one pool.
//!
//! Blocking inside an async runtime would stall it, so there every call (connecting included)
//! returns [`crate::ErrorKind::InvalidInput`] ("use the async Client inside an async runtime")
//! instead of panicking; so does a `spawn_blocking` thread, which Tokio does not let a library
//! tell apart. Dropping a blocking client or transaction there is safe.
//!
//! ```no_run
//! use matrixone::blocking::{Client, Executor};
//! use matrixone::mo::Snapshot;
//! use matrixone::{FromRow, query};
//!
//! #[derive(FromRow)]
//! struct User { id: i64, name: String }
//!
//! fn main() -> matrixone::Result<()> {
//!     let client = Client::connect("mysql://root:111@127.0.0.1:6001/test")?;
//!     let one: i64 = client.execute("SELECT 1")?.scalar()?;
//!     let users: Vec<User> = client.fetch_all(query("SELECT id, name FROM users WHERE id > ?").bind(0))?;
//!     client.snapshots().create(Snapshot::create("s1").database("test"))?;
//!     let id: u64 = client.transaction(|tx| {
//!         tx.execute(query("INSERT INTO users (name) VALUES (?)").bind("Bob"))?;
//!         tx.fetch_scalar("SELECT LAST_INSERT_ID()")
//!     })?;
//!     client.close()
//! }
//! ```

mod account;
mod branch;
mod client;
mod executor;
mod managers;
mod publication;
mod rows;
mod runtime;
mod transaction;

pub use account::AccountManager;
pub use branch::BranchManager;
pub use client::Client;
pub use executor::Executor;
pub use managers::{
    CloneManager, MoCtlManager, PitrManager, RestoreManager, SnapshotManager, VectorIndexManager,
};
pub use publication::PublicationManager;
pub use rows::Rows;
pub use transaction::Transaction;
