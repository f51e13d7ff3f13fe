//! [`Dialect`]: which MatrixOne release line's grammar to speak.

/// The grammar of a MatrixOne release line. The lines differ only in RESTORE.
///
/// A client learns the dialect on its own (it tries [`Dialect::V4`] and falls back to
/// [`Dialect::V3`] once on a parser error); [`crate::ConnectOptions::dialect`] pins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// MatrixOne 4.x and main: `RESTORE ... {SNAPSHOT = 's'}`.
    #[default]
    V4,
    /// MatrixOne 3.x: `RESTORE ... FROM SNAPSHOT s`.
    V3,
}
