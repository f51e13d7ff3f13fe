//! [`FromRow`]: mapping a whole row into a Rust type.
//!
//! Derive it with `#[derive(FromRow)]` (columns by label for named fields, by position for tuple
//! structs) or rely on the implementations for tuples of up to 16 [`Decode`] values (by position).
//!
//! Attributes of the derive:
//! - container: `#[mo(rename_all = "snake_case" | "lowercase" | "UPPERCASE" | "camelCase" |
//!   "PascalCase" | "SCREAMING_SNAKE_CASE")]`;
//! - field: `#[mo(rename = "col")]`, `#[mo(default)]` (a missing column or NULL gives
//!   `Default::default()`), `#[mo(skip)]` (never read; `Default::default()`), `#[mo(flatten)]`
//!   (the field is itself `FromRow` over the same row), `#[mo(json)]` (decode the column's JSON
//!   with serde), `#[mo(try_from = "i64")]` (decode as that type, then `TryFrom`).
//!
//! ```
//! use matrixone::FromRow;
//!
//! #[derive(FromRow)]
//! #[mo(rename_all = "snake_case")]
//! struct User {
//!     id: i64,
//!     #[mo(rename = "user_name")]
//!     name: String,
//!     #[mo(default)]
//!     email: Option<String>,
//! }
//! ```

use crate::decode::Decode;
use crate::error::{Error, Result};
use crate::result::Row;

/// A type built from one [`Row`].
pub trait FromRow: Sized {
    /// Builds the value from `row`; a missing column or a value that does not fit is an
    /// [`crate::ErrorKind::Decode`] error naming the column.
    fn from_row(row: &Row) -> Result<Self>;
}

/// The error for a `#[mo(try_from = "..")]` conversion that failed (used by the derive).
#[doc(hidden)]
pub fn try_from_error(column: &str, err: &dyn std::fmt::Debug) -> Error {
    Error::decode(format!("column {column:?}: conversion failed: {err:?}"))
}

macro_rules! tuple_from_row {
    ($($name:ident : $idx:tt),+) => {
        impl<$($name: Decode),+> FromRow for ($($name,)+) {
            fn from_row(row: &Row) -> Result<Self> {
                Ok(($(row.get::<$name>($idx as usize)?,)+))
            }
        }
    };
}

tuple_from_row!(T0: 0);
tuple_from_row!(T0: 0, T1: 1);
tuple_from_row!(T0: 0, T1: 1, T2: 2);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10, T11: 11);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10, T11: 11, T12: 12);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10, T11: 11, T12: 12, T13: 13);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10, T11: 11, T12: 12, T13: 13, T14: 14);
tuple_from_row!(T0: 0, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6: 6, T7: 7, T8: 8, T9: 9, T10: 10, T11: 11, T12: 12, T13: 13, T14: 14, T15: 15);
