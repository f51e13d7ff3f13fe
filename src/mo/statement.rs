//! [`MoStatement`]: what a typed MatrixOne statement must provide to run through
//! [`crate::Executor::run`].

use super::Dialect;
use crate::error::Result;
use crate::result::ResultSet;

/// A typed MatrixOne statement: it renders its SQL for a dialect and decodes its own output.
///
/// `Executor::run` sends the rendered SQL over the text protocol (MatrixOne cannot prepare most
/// of these statements). When [`MoStatement::varies_by_dialect`] is true and no dialect is pinned,
/// the client tries [`Dialect::V4`] first and, on a MatrixOne parser error, [`Dialect::V3`] once,
/// remembering what worked.
pub trait MoStatement: Send + Sync {
    /// What the statement returns once decoded.
    type Output: Send;

    /// The SQL for `dialect`; an invalid name or value is an
    /// [`crate::ErrorKind::InvalidInput`] error, raised before anything is sent.
    fn render(&self, dialect: Dialect) -> Result<String>;

    /// Whether [`MoStatement::render`] gives different SQL for different dialects.
    fn varies_by_dialect(&self) -> bool {
        false
    }

    /// Decodes what the server returned.
    fn decode_output(result: ResultSet) -> Result<Self::Output>;
}
