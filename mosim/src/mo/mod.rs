//! Carrying out MatrixOne-only statements against the backend.

pub(crate) mod account;
pub(crate) mod branch;
pub(crate) mod catalog;
pub(crate) mod catalog_tables;
pub(crate) mod clock;
pub(crate) mod clone;
pub(crate) mod copy;
pub(crate) mod fulltext;
pub(crate) mod graveyard;
pub(crate) mod moctl;
pub(crate) mod pitr;
pub(crate) mod point;
pub(crate) mod pool;
pub(crate) mod publication;
pub(crate) mod restore;
pub(crate) mod savepoint;
pub(crate) mod snapshot;
pub(crate) mod txn_rules;
pub(crate) mod txn_undo;
pub(crate) mod vector;

use crate::error::SqlError;
use crate::mo::point::Point;
use crate::mo::pool::Pool;
use crate::sql::rewrite::{Edit, Hint, ident_bytes};
use crate::sql::statement::{MoStmt, TimeSpec};
use crate::wire::backend::Backend;

/// What the session sends back for a MatrixOne statement.
#[derive(Debug)]
pub(crate) enum Action {
    /// An OK packet with this affected-row count.
    Ok(u64),
    /// Plain SQL to run on the backend in the client's session (and relay its answer).
    Forward(String),
    /// [`Action::Forward`], giving result column `i` the type code `types[i]` where `Some`.
    ForwardAs(String, Vec<Option<u8>>),
    /// A result set mosim builds itself: column names with type codes, and text rows.
    Rows(Vec<(&'static str, u8)>, Vec<Vec<Option<String>>>),
}

/// The system account: root's, and that of logins naming no account (`mo::account` keeps
/// the others).
pub(crate) const SYS: &str = "sys";

/// Fails as MatrixOne does when a statement names an account other than `sys`, where mosim
/// carries the statement out for `sys` only (`TO ACCOUNT`, PITRs, restores from PITR).
pub(crate) fn check_account(account: Option<&str>) -> Result<(), SqlError> {
    match account {
        Some(a) if a != SYS => Err(SqlError::internal(format!("account {a} does not exist"))),
        _ => Ok(()),
    }
}

/// Runs one MatrixOne statement. `client` is the client's backend session (its current
/// database, its transaction state, its DROP); everything else runs on a connection of
/// mosim's own from `catalog`, as MatrixOne runs these statements on a background executor
/// in a transaction of their own (`ses.GetBackgroundExec` in pkg/frontend/snapshot.go).
///
/// MatrixOne's transaction rule was applied before (`txn_rules`, in the session).
pub(crate) async fn execute(client: &mut Backend, catalog: &Pool, stmt: MoStmt) -> Result<Action, SqlError> {
    match stmt {
        MoStmt::ShowSnapshots { filter } => {
            return Ok(Action::Forward(snapshot::show_sql(filter.as_deref())));
        }
        MoStmt::ShowPitr { filter } => return Ok(Action::Forward(pitr::show_sql(filter.as_deref()))),
        MoStmt::MoCtl { service, method, param } => return moctl::execute(&service, &method, &param),
        MoStmt::ShowPublications => return Ok(publication::show_empty()),
        MoStmt::NotSimulated(what) => {
            return Err(SqlError::not_supported(format!("{what} statements cannot be prepared in mosim")));
        }
        _ => {}
    }
    let mut cat = catalog.get().await?;
    adopt_lock_timeouts(client, &mut cat).await?;
    let result = run(client, &mut cat, stmt).await;
    cat.release();
    result
}

/// The client's lock-wait settings govern its statement wherever mosim runs it, so a RESTORE
/// behind another session's row lock fails when the client's own statements would.
async fn adopt_lock_timeouts(client: &mut Backend, cat: &mut Backend) -> Result<(), SqlError> {
    let rows = client.query("SELECT @@innodb_lock_wait_timeout, @@lock_wait_timeout").await?;
    let value = |i: usize| -> Option<u64> { rows.rows.first()?.get(i)?.as_deref()?.parse().ok() };
    if let (Some(innodb), Some(mdl)) = (value(0), value(1)) {
        cat.exec(&format!("SET innodb_lock_wait_timeout = {innodb}, lock_wait_timeout = {mdl}")).await?;
    }
    Ok(())
}

async fn run(client: &mut Backend, cat: &mut Backend, stmt: MoStmt) -> Result<Action, SqlError> {
    match stmt {
        MoStmt::CreateSnapshot { if_not_exists, name, scope } => {
            snapshot::create(cat, if_not_exists, &name, scope).await
        }
        MoStmt::DropSnapshot { if_exists, name } => snapshot::drop(cat, if_exists, &name).await,
        MoStmt::CloneDatabase { .. } | MoStmt::CloneTable { .. } => {
            let current = catalog::current_database(client).await?;
            clone::execute(cat, current, stmt).await
        }
        MoStmt::RestoreSnapshot { target, snapshot, to_account } => {
            restore::from_snapshot(cat, target, &snapshot, to_account.as_deref()).await
        }
        MoStmt::RestorePitr { target, pitr, ts, source_account } => {
            restore::from_pitr(cat, target, &pitr, &ts, source_account.as_deref()).await
        }
        MoStmt::CreatePitr { if_not_exists, name, scope, value, unit } => {
            pitr::create(cat, if_not_exists, &name, scope, value, &unit).await
        }
        MoStmt::AlterPitr { if_exists, name, value, unit } => {
            pitr::alter(cat, if_exists, &name, value, &unit).await
        }
        MoStmt::DropPitr { if_exists, name } => pitr::drop(cat, if_exists, &name).await,
        MoStmt::Branch(stmt) => branch::execute(client, cat, *stmt).await,
        MoStmt::DropTable { if_exists, tables, original } => {
            graveyard::drop_tables(client, cat, if_exists, &tables, &original).await
        }
        MoStmt::DropDatabase { name, original } => {
            graveyard::drop_database(client, cat, &name, &original).await
        }
        MoStmt::ShowSnapshots { .. }
        | MoStmt::ShowPitr { .. }
        | MoStmt::MoCtl { .. }
        | MoStmt::ShowPublications
        | MoStmt::NotSimulated(_) => Ok(Action::Ok(0)),
    }
}

/// The point a `{...}` hint names (reference §1a, "How each hint is resolved"): a snapshot's
/// recorded commit point, or every transaction committed by the instant named.
pub(crate) async fn resolve(b: &mut Backend, spec: &TimeSpec) -> Result<Point, SqlError> {
    let ns = match spec {
        TimeSpec::Snapshot(name) => {
            let snap = catalog::get_snapshot(b, name).await?;
            return snapshot_point(b, &snap).await;
        }
        TimeSpec::Utc(s) => clock::parse_utc(s, false).ok_or_else(|| {
            SqlError::new(
                crate::error::ER_INVALID_ARG,
                format!("invalid argument invalid timestamp value, bad value {s}"),
            )
        })?,
        TimeSpec::Nanos(n) if *n <= 0 => {
            return Err(SqlError::new(
                crate::error::ER_INVALID_ARG,
                format!("invalid argument invalid timestamp value, bad value {n}"),
            ));
        }
        TimeSpec::Nanos(n) => *n,
    };
    point::at(b, ns).await
}

/// The point a snapshot recorded.
pub(crate) async fn snapshot_point(b: &mut Backend, snap: &catalog::Snapshot) -> Result<Point, SqlError> {
    match snap.commit {
        Some(c) => Ok(Point { ns: snap.ts, commit: Some(c) }),
        // Recorded by an older mosim, before snapshots kept their commit point.
        None => point::at(b, snap.ts).await,
    }
}

/// The edits that make the `{...}` hints of a statement read the past. `current` is the
/// client's current database, for unqualified tables; the catalog is read on mosim's own
/// connection, and `client` (the client's connection) is asked about a name the catalog
/// does not know.
pub(crate) async fn hint_edits(
    catalog: &Pool,
    client: &mut Backend,
    hints: &[Hint],
    current: Option<&str>,
) -> Result<Vec<Edit>, SqlError> {
    if hints.is_empty() {
        return Ok(Vec::new());
    }
    let mut cat = catalog.get().await?;
    let mut edits = Vec::with_capacity(hints.len());
    let mut result = Ok(());
    for hint in hints {
        match hint_edit(&mut cat, client, hint, hint.db.as_deref().or(current)).await {
            Ok(edit) => edits.push(edit),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    // An error answered by the backend leaves the connection fit for reuse.
    cat.release();
    result.map(|()| edits)
}

/// The edit that makes a `{...}` hint read the past. `db` is the hint table's database (the
/// client's current one when the name is unqualified). The table live at the point may have
/// been dropped or replaced since: then its graveyard copy is read, under the table's own
/// name. The client's bytes of the name are kept, whatever its character set.
async fn hint_edit(
    cat: &mut Backend,
    client: &mut Backend,
    hint: &Hint,
    db: Option<&str>,
) -> Result<Edit, SqlError> {
    let p = resolve(cat, &hint.spec).await?;
    let as_of = |p: Point| clock::as_of_clause(p.ns).into_bytes();
    let Some(db) = db else {
        // No database to look the table up in: MariaDB reports the missing database.
        return Ok((hint.start, hint.end, as_of(p)));
    };
    let (mut text, derived, renamed) = match graveyard::buried_at(cat, db, &hint.table, p.ns).await? {
        Some(g) => {
            let kind = point::versioning(cat, "mo_catalog", &g).await?;
            let (sql, derived) = point::read_at("mo_catalog", &g, kind, p);
            (sql.into_bytes(), derived, true)
        }
        None => {
            let kind = match point::versioning(cat, db, &hint.table).await? {
                // Not in the catalog under its UTF-8 name: a name in the client's own
                // character set, or the client's TEMPORARY table.
                point::Versioning::None => point::versioning_as_written(client, &hint.written).await,
                kind => kind,
            };
            let (sql, derived) = point::read_ref(&hint.written, kind, p);
            (sql, derived, false)
        }
    };
    if !derived && !renamed {
        // The table as written, with the clause in place of the hint.
        return Ok((hint.start, hint.end, as_of(p)));
    }
    if !hint.aliased {
        text.extend_from_slice(b" AS ");
        text.extend(ident_bytes(&hint.table_bytes));
    }
    Ok((hint.table_start, hint.end, text))
}
