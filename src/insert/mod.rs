//! Bulk writes: [`Insertable`] (and `#[derive(Insertable)]`), [`InsertOptions`], and the
//! executor methods [`crate::Executor::insert`], [`crate::Executor::insert_many`] and
//! [`crate::Executor::insert_many_with`].
//!
//! ```no_run
//! use matrixone::{Executor, FromRow, Insertable};
//!
//! #[derive(FromRow, Insertable)]
//! #[mo(table = "users")]
//! struct User {
//!     #[mo(skip_insert)]
//!     id: i64,
//!     name: String,
//!     email: Option<String>,
//! }
//!
//! # async fn demo(client: matrixone::Client, users: Vec<User>) -> matrixone::Result<()> {
//! let written: u64 = client.insert_many(&users).await?;
//! # Ok(()) }
//! ```
//!
//! # How rows are written
//!
//! Rows go out as multi-row `INSERT INTO t (c1, c2) VALUES (?, ?), (?, ?), ...` statements: the
//! table and column names quoted by [`crate::sql::quote_ident`], the values bound as
//! prepared-statement parameters, or, with prepared statements off, inlined by the one audited
//! binder ([`crate::sql::inline_values`]).
//!
//! **Chunking.** Each statement stays within the server's `max_allowed_packet` (asked with
//! `SELECT @@max_allowed_packet` the first time a client inserts, then remembered), less 1 KiB
//! for the protocol, and a prepared one within 65535 placeholders. By default a statement carries
//! at most 10,000 values (5,000 rows of two columns): bigger statements measured slower, not
//! faster. Rows are never split across statements; a row too large for any statement is an
//! [`crate::ErrorKind::InvalidInput`] error before anything is sent.
//! [`InsertOptions::max_statement_bytes`] makes statements smaller, and
//! [`InsertOptions::max_rows_per_statement`] sets the rows per statement (up to the other limits).
//!
//! **All or nothing.** Rows that fit one statement are converted whole before it is sent, and
//! the server applies it whole or not at all. When they take several:
//! - on a [`crate::Client`], the statements run in a transaction of their own, committed after the
//!   last one; a failure (a statement's error, or a value that does not convert) rolls it back
//!   and nothing is written (the error says so, and keeps the failure's kind and server code,
//!   e.g. [`crate::ErrorKind::DuplicateKey`]). Each statement is built while the server runs the
//!   one before, so the client's work hides behind the server's;
//! - in a [`crate::Transaction`], every value is converted and every statement built before the
//!   first one is sent, and they run in the caller's transaction, which stays the unit: a
//!   failure leaves the statements before it in the transaction, the error says how many rows
//!   they wrote, and rolling back (which `client.transaction(..)` does when the error is
//!   returned) writes none.
//!
//! The count returned is the server's rows-affected total (with `ON DUPLICATE KEY UPDATE`, 2 per
//! updated row).

mod insertable;
mod options;
mod plan;
mod render;
mod run;

pub use insertable::Insertable;
#[doc(hidden)]
pub use insertable::{json_value, try_into_error};
pub use options::InsertOptions;
pub(crate) use run::insert_many;
