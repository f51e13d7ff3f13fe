//! # matrixone: a typed async Rust SDK for MatrixOne
//!
//! (crate docs: tour to be written)

pub mod decode;
mod error;
mod from_row;
pub mod mo;
mod result;
pub mod sql;
mod statement;
mod value;

pub use decode::{Decode, Json};
pub use error::{Error, ErrorKind, Result};
pub use from_row::FromRow;
pub use matrixone_macros::FromRow;
pub use result::{ColumnIndex, ResultSet, Row};
pub use statement::{Statement, query};
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
