//! [`Scope`]: what a snapshot or a PITR covers, and its `FOR ...` clause.

use crate::error::Result;
use crate::sql::quote_ident;

/// The object a snapshot or PITR covers. Shared by [`super::CreateSnapshot`] and
/// [`super::CreatePitr`], whose `FOR ...` clauses have the same grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// `FOR CLUSTER`.
    Cluster,
    /// `FOR ACCOUNT` (the current one) or `FOR ACCOUNT a`.
    Account(Option<String>),
    /// `FOR DATABASE d`.
    Database(String),
    /// `FOR TABLE d t` (two identifiers separated by a space, not `d.t`).
    Table(String, String),
}

impl Scope {
    /// The `FOR ...` clause, names quoted.
    pub(crate) fn for_clause(&self) -> Result<String> {
        Ok(match self {
            Scope::Cluster => "FOR CLUSTER".to_owned(),
            Scope::Account(None) => "FOR ACCOUNT".to_owned(),
            Scope::Account(Some(account)) => format!("FOR ACCOUNT {}", quote_ident(account)?),
            Scope::Database(db) => format!("FOR DATABASE {}", quote_ident(db)?),
            Scope::Table(db, table) => format!("FOR TABLE {} {}", quote_ident(db)?, quote_ident(table)?),
        })
    }
}
