//! [`Dialect`]: which MatrixOne release line's grammar to speak.

/// The grammar of a MatrixOne release line. The lines differ only in RESTORE.
///
/// A client learns the dialect on its own (it tries [`Dialect::V4`] and falls back to
/// [`Dialect::V3`] once on a parser error); [`crate::ConnectOptions::dialect`] pins it.
///
/// Displays as the URL option value: `v4` or `v3`.
///
/// ```
/// assert_eq!(matrixone::mo::Dialect::V3.to_string(), "v3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, derive_more::Display)]
pub enum Dialect {
    /// MatrixOne 4.x and main: `RESTORE ... {SNAPSHOT = 's'}`.
    #[default]
    #[display("v4")]
    V4,
    /// MatrixOne 3.x: `RESTORE ... FROM SNAPSHOT s`.
    #[display("v3")]
    V3,
}
