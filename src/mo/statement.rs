//! [`MoStatement`]: what a typed MatrixOne statement must provide to run through
//! [`crate::Executor::run`].

use super::Dialect;
use crate::error::Result;
use crate::result::ResultSet;
use crate::server_version::Requires;
use crate::value::Value;

/// What a typed MatrixOne statement does when run on a [`crate::Transaction`], following
/// MatrixOne's own rule for statements inside an explicit transaction (pkg/frontend/stmt_kind.go).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InTransaction {
    /// MatrixOne runs it inside the transaction, as part of it (clones, `mo_ctl`, reads).
    Allowed,
    /// MatrixOne refuses it inside a transaction, and it only reads a catalog that is not
    /// transactional (`SHOW SNAPSHOTS`, `SHOW PITR`): the SDK runs it on a pooled connection of
    /// the same client instead, so it answers as it would right before or after the transaction.
    OutsideTransaction,
    /// MatrixOne refuses it inside a transaction (snapshot and PITR DDL, RESTORE): the SDK refuses
    /// it before sending anything, with [`crate::ErrorKind::NotAllowedInTransaction`]; the
    /// transaction stays usable. The string names the statement for the error message.
    Refused(&'static str),
}

/// A typed MatrixOne statement: it renders its SQL for a dialect and decodes its own output.
///
/// `Executor::run` sends the rendered SQL over the text protocol (MatrixOne cannot prepare most
/// of these statements). When [`MoStatement::varies_by_dialect`] is true and no dialect is pinned,
/// the client tries [`Dialect::V4`] first and, on a MatrixOne parser error, [`Dialect::V3`] once,
/// remembering what worked.
pub trait MoStatement: Send + Sync {
    /// How MatrixOne treats the statement inside an explicit transaction
    /// (`statementCanBeExecutedInUncommittedTransaction`, pkg/frontend/stmt_kind.go), and so what
    /// [`crate::Executor::run`] does with it on a [`crate::Transaction`].
    fn in_transaction(&self) -> InTransaction {
        InTransaction::Allowed
    }

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

    /// What the server must be to run it; [`crate::Executor::run`] checks it before sending
    /// anything ([`Requires`]). MatrixOne's own statements that MySQL lacks say so.
    fn requires(&self) -> Requires {
        Requires::Any
    }

    /// The values for the `?` placeholders of the rendered SQL, in order (a password, the keys
    /// of a PICK). [`crate::Executor::run`] inlines them as literals escaped for the session,
    /// only when it sends the statement: the SQL the tracing span and the logs record keeps its
    /// `?`, so a password never reaches them. The values hold passwords in clear, like
    /// [`crate::mo::Secret::expose`]: do not log them.
    fn values(&self) -> Vec<Value> {
        Vec::new()
    }

    /// Texts that must not appear in an error about the statement (its passwords): a server
    /// error quoting them has them replaced by `***`.
    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }
}
