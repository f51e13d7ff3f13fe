//! # matrixone: a typed async Rust SDK for MatrixOne
//!
//! (crate docs: tour to be written)

mod client;
pub mod decode;
mod error;
mod executor;
mod from_row;
pub mod mo;
mod options;
mod result;
mod shared;
pub mod sql;
mod statement;
mod transaction;
mod value;

pub use client::Client;
pub use decode::{Decode, Json};
pub use error::{Error, ErrorKind, Result};
pub use executor::Executor;
pub use from_row::FromRow;
pub use matrixone_macros::FromRow;
pub use options::{ConnectOptions, SslMode, URL_ENV};
pub use result::{ColumnIndex, ResultSet, Row};
pub use statement::{Statement, query};
pub use transaction::Transaction;
pub use value::Value;

/// Paths that `#[derive(FromRow)]` expands to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::decode::{Decode, Json};
    pub use crate::error::{Error, Result};
    pub use crate::from_row::FromRow;
    pub use crate::result::Row;

    /// The error for a `#[mo(try_from = "..")]` conversion that failed.
    pub fn try_from_error(column: &str, err: &dyn std::fmt::Debug) -> Error {
        Error::decode(format!("column {column:?}: conversion failed: {err:?}"))
    }
}
