//! Carrying out MatrixOne-only statements against the backend.

pub(crate) mod catalog;
pub(crate) mod clock;
pub(crate) mod clone;
pub(crate) mod copy;
pub(crate) mod graveyard;
pub(crate) mod moctl;
pub(crate) mod pitr;
pub(crate) mod publication;
pub(crate) mod restore;
pub(crate) mod snapshot;

use crate::error::SqlError;
use crate::session::Shared;
use crate::sql::statement::{MoStmt, TimeSpec};
use crate::wire::backend::Backend;

/// What the session sends back for a MatrixOne statement.
#[derive(Debug)]
pub(crate) enum Action {
    /// An OK packet with this affected-row count.
    Ok(u64),
    /// Plain SQL to run on the backend in the client's session (and relay its answer).
    Forward(String),
    /// A result set mosim builds itself: column names with type codes, and text rows.
    Rows(Vec<(&'static str, u8)>, Vec<Vec<Option<String>>>),
}

/// The only account mosim has.
pub(crate) const SYS: &str = "sys";

/// Fails as MatrixOne does when a statement names an account other than `sys`.
pub(crate) fn check_account(account: Option<&str>) -> Result<(), SqlError> {
    match account {
        Some(a) if a != SYS => Err(SqlError::internal(format!("account {a} does not exist"))),
        _ => Ok(()),
    }
}

/// Runs one MatrixOne statement on the client's backend session.
pub(crate) async fn execute(b: &mut Backend, shared: &Shared, stmt: MoStmt) -> Result<Action, SqlError> {
    if b.in_transaction() && !stmt.allowed_in_transaction() {
        return Err(SqlError::internal("unclassified statement appears in uncommitted transaction"));
    }
    match stmt {
        MoStmt::CreateSnapshot { if_not_exists, name, scope } => {
            snapshot::create(b, if_not_exists, &name, scope).await
        }
        MoStmt::DropSnapshot { if_exists, name } => snapshot::drop(b, if_exists, &name).await,
        MoStmt::ShowSnapshots { filter } => Ok(Action::Forward(snapshot::show_sql(filter.as_deref()))),
        MoStmt::CloneDatabase { .. } | MoStmt::CloneTable { .. } => clone::execute(b, shared, stmt).await,
        MoStmt::RestoreSnapshot { target, snapshot, to_account } => {
            restore::from_snapshot(b, target, &snapshot, to_account.as_deref()).await
        }
        MoStmt::RestorePitr { target, pitr, ts, source_account } => {
            restore::from_pitr(b, target, &pitr, &ts, source_account.as_deref()).await
        }
        MoStmt::CreatePitr { if_not_exists, name, scope, value, unit } => {
            pitr::create(b, if_not_exists, &name, scope, value, &unit).await
        }
        MoStmt::AlterPitr { if_exists, name, value, unit } => {
            pitr::alter(b, if_exists, &name, value, &unit).await
        }
        MoStmt::DropPitr { if_exists, name } => pitr::drop(b, if_exists, &name).await,
        MoStmt::ShowPitr { filter } => Ok(Action::Forward(pitr::show_sql(filter.as_deref()))),
        MoStmt::MoCtl { service, method, param } => moctl::execute(&service, &method, &param),
        MoStmt::ShowPublications => Ok(publication::show()),
        MoStmt::DropTable { if_exists, tables, original } => {
            graveyard::drop_tables(b, if_exists, &tables, &original).await
        }
        MoStmt::NotSimulated(what) => Err(SqlError::not_supported(format!(
            "{what} statements are not simulated by mosim (one account, no branches or publications)"
        ))),
        MoStmt::DropDatabase { name, original } => graveyard::drop_database(b, &name, &original).await,
    }
}

/// The instant a `{...}` hint names, in nanoseconds (reference §1a, "How each hint is resolved").
pub(crate) async fn resolve(b: &mut Backend, spec: &TimeSpec) -> Result<i128, SqlError> {
    match spec {
        TimeSpec::Snapshot(name) => Ok(catalog::get_snapshot(b, name).await?.ts),
        TimeSpec::Utc(s) => clock::parse_utc(s, false).ok_or_else(|| {
            SqlError::new(
                crate::error::ER_INVALID_ARG,
                format!("invalid argument invalid timestamp value, bad value {s}"),
            )
        }),
        TimeSpec::Nanos(n) if *n <= 0 => Err(SqlError::new(
            crate::error::ER_INVALID_ARG,
            format!("invalid argument invalid timestamp value, bad value {n}"),
        )),
        TimeSpec::Nanos(n) => Ok(*n),
    }
}
