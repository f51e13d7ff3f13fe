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

    /// Whether rendering for `dialect` needs the session's account name: MatrixOne 3.x has no
    /// "current account" form of some statements (a database or table RESTORE).
    fn needs_current_account(&self, _dialect: Dialect) -> bool {
        false
    }

    /// Renders for `dialect` with `account` (the session's own, from `current_account_name()`)
    /// wherever the statement left the account open.
    fn render_in_account(&self, dialect: Dialect, _account: &str) -> Result<String> {
        self.render(dialect)
    }

    /// Decodes what the server returned.
    fn decode_output(result: ResultSet) -> Result<Self::Output>;
}
