//! [`Scope`]: what a snapshot or a PITR covers, and its `FOR ...` clause.

use crate::error::Result;
use crate::server_version::Requires;
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

    /// The first MatrixOne release whose grammar has this `CREATE SNAPSHOT ... FOR` clause
    /// (`snapshot_object_opt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y at the release tags):
    /// CLUSTER and ACCOUNT a since 1.2.0; ACCOUNT (the current one), DATABASE d and TABLE d t
    /// since 2.1.0.
    pub(crate) fn snapshot_since(&self) -> Requires {
        match self {
            Scope::Cluster | Scope::Account(Some(_)) => Requires::MatrixOneAtLeast(1, 2, 0),
            Scope::Account(None) | Scope::Database(_) | Scope::Table(..) => {
                Requires::MatrixOneAtLeast(2, 1, 0)
            }
        }
    }

    /// The first MatrixOne release whose grammar has this `CREATE PITR ... FOR` clause
    /// (mysql_sql.y at the release tags): CLUSTER, ACCOUNT a and DATABASE d since 2.0.0 (with
    /// PITR itself); ACCOUNT (the current one) and TABLE d t since 2.1.0.
    pub(crate) fn pitr_since(&self) -> Requires {
        match self {
            Scope::Cluster | Scope::Account(Some(_)) | Scope::Database(_) => {
                Requires::MatrixOneAtLeast(2, 0, 0)
            }
            Scope::Account(None) | Scope::Table(..) => Requires::MatrixOneAtLeast(2, 1, 0),
        }
    }
}
