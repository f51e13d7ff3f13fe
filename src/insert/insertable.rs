//! [`Insertable`]: a type that can be written as one row.

use crate::error::{Error, Result};
use crate::value::Value;

/// A type written as one row of a table by [`crate::Executor::insert`] and
/// [`crate::Executor::insert_many`]: the write side of [`crate::FromRow`].
///
/// Derive it with `#[derive(Insertable)]` and `#[mo(table = "...")]` (see the derive's docs for
/// `rename`, `rename_all`, `skip`, `skip_insert`, `json` and `try_from`), or implement it by hand:
///
/// ```
/// use matrixone::{Insertable, Value};
///
/// struct Point { x: i32, y: i32 }
///
/// impl Insertable for Point {
///     const TABLE: &'static str = "points";
///     const COLUMNS: &'static [&'static str] = &["x", "y"];
///
///     fn push_values(&self, values: &mut Vec<Value>) -> matrixone::Result<()> {
///         values.push(self.x.into());
///         values.push(self.y.into());
///         Ok(())
///     }
/// }
///
/// let mut values = Vec::new();
/// Point { x: 1, y: 2 }.push_values(&mut values).unwrap();
/// assert_eq!(values, [Value::Int(1), Value::Int(2)]);
/// ```
pub trait Insertable {
    /// The table rows are written to: `"table"` or `"database.table"`, plain names (the SDK
    /// quotes them). [`crate::InsertOptions::table`] writes elsewhere.
    const TABLE: &'static str;

    /// The columns written, in the order [`Insertable::push_values`] pushes their values. Plain
    /// names; the SDK quotes them.
    const COLUMNS: &'static [&'static str];

    /// Appends this row's values to `values`: exactly one per column of
    /// [`Insertable::COLUMNS`], in that order (the SDK checks the count). An error (a value
    /// that cannot be converted) stops the insert before anything is sent.
    fn push_values(&self, values: &mut Vec<Value>) -> Result<()>;
}

/// A `#[mo(json)]` field's value: its serde serialization as a JSON document.
#[doc(hidden)]
pub fn json_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map(Value::Json).map_err(|e| {
        Error::invalid_input(format!("a #[mo(json)] field cannot be serialized: {e}")).with_source(e)
    })
}

/// The error for a `#[mo(try_from = "..")]` field whose conversion failed (used by the derive).
#[doc(hidden)]
pub fn try_into_error(column: &str, err: &dyn std::fmt::Debug) -> Error {
    Error::invalid_input(format!(
        "column {column:?}: conversion for writing failed: {err:?}; nothing was sent"
    ))
}
