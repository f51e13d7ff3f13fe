//! RESTORE from a snapshot (reference §4) or from a PITR at a timestamp (§5).

use crate::error::SqlError;
use crate::mo::catalog::{self, Pitr, Snapshot};
use crate::mo::clock::{format_utc, now_ns, parse_utc};
use crate::mo::copy::{RestoreItem, restore_tables, user_databases, user_tables};
use crate::mo::graveyard;
use crate::mo::{Action, SYS, check_account};
use crate::sql::statement::RestoreTarget;
use crate::wire::backend::Backend;

/// `RESTORE ... {SNAPSHOT = s}` / `RESTORE ... FROM SNAPSHOT s`, on mosim's connection `b`.
pub(crate) async fn from_snapshot(
    b: &mut Backend,
    target: RestoreTarget,
    name: &str,
    to_account: Option<&str>,
) -> Result<Action, SqlError> {
    let snap = catalog::get_snapshot(b, name).await?;
    check_account(to_account)?;
    // RESTORE ACCOUNT a: a's databases only (`mo::account`), from a snapshot of a.
    let account = match &target {
        RestoreTarget::Account(a) => Some(a.clone().unwrap_or_else(|| SYS.to_owned())),
        _ => None,
    };
    if let Some(a) = &account {
        if !crate::mo::account::account_exists(b, a).await? {
            return Err(SqlError::internal(format!("account {a} does not exist")));
        }
        if snap.level == "account" && !snap.account.is_empty() && &snap.account != a {
            return Err(SqlError::internal(format!(
                "accountName({a}) does not match snapshot.accountName({})",
                snap.account
            )));
        }
    }
    check_snapshot_fits(&snap, &target)?;
    let listed = catalog::snapshot_tables(b, name).await?;
    let in_scope = |db: &str, t: &str| match &target {
        RestoreTarget::Cluster => true,
        RestoreTarget::Account(_) => account.as_deref().is_none_or(|a| crate::mo::account::owns(a, db)),
        RestoreTarget::Database { db: d, .. } => d == db,
        RestoreTarget::Table { db: d, table, .. } => d == db && table == t,
    };
    if let RestoreTarget::Table { db, table, .. } = &target
        && !listed.iter().any(|(d, t)| d == db && t == table)
    {
        return Err(SqlError::internal(format!("table {table} not exists at snapshot {name}")));
    }
    let now_tables = match &target {
        RestoreTarget::Database { db, .. } | RestoreTarget::Table { db, .. } => {
            user_tables(b, Some(db), true).await?
        }
        _ => user_tables(b, None, true).await?,
    };
    let wanted: Vec<(String, String)> =
        listed.iter().filter(|(d, t)| !t.is_empty() && in_scope(d, t)).cloned().collect();
    let mut items = Vec::with_capacity(wanted.len());
    for (db, t) in &wanted {
        let buried = graveyard::buried_at(b, db, t, snap.ts).await?;
        if buried.is_none() && !now_tables.iter().any(|(d, n)| d == db && n == t) {
            // Dropped in a way that lost its history (e.g. it was in a foreign key).
            return Err(SqlError::internal(format!(
                "mosim cannot restore {db}.{t}: its history was dropped after snapshot {name}"
            )));
        }
        items.push(RestoreItem { db: db.clone(), table: t.clone(), buried });
    }
    let newer: Vec<(String, String)> = now_tables
        .into_iter()
        .filter(|(d, t)| in_scope(d, t) && !wanted.iter().any(|w| &w.0 == d && &w.1 == t))
        .collect();
    let newer_dbs: Vec<String> = match &target {
        RestoreTarget::Cluster | RestoreTarget::Account(_) => user_databases(b)
            .await?
            .into_iter()
            .filter(|d| !listed.iter().any(|(ld, _)| ld == d))
            .filter(|d| account.as_deref().is_none_or(|a| crate::mo::account::owns(a, d)))
            .collect(),
        _ => Vec::new(),
    };
    let at = crate::mo::snapshot_point(b, &snap).await?;
    restore_tables(b, &items, at, &newer, &newer_dbs).await?;
    Ok(Action::Ok(0))
}

/// `needSkipDb`: MatrixOne's system databases are never restored.
fn skip_db(db: &str) -> Result<(), SqlError> {
    const SKIPPED: [&str; 7] =
        ["mo_catalog", "information_schema", "mysql", "system", "system_metrics", "mo_task", "mo_debug"];
    if SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(db)) {
        return Err(SqlError::internal(format!("can't restore db: {db}")));
    }
    Ok(())
}

/// The level checks of checkRestoreSnapshot (pkg/frontend/snapshot.go), in its order and
/// with its messages.
fn check_snapshot_fits(snap: &Snapshot, target: &RestoreTarget) -> Result<(), SqlError> {
    let err = |m: String| Err(SqlError::internal(m));
    match target {
        RestoreTarget::Cluster => {
            if snap.level != "cluster" {
                return err(format!("snapshot {} is not cluster level snapshot", snap.name));
            }
        }
        RestoreTarget::Account(_) => {
            // The account was checked by the caller (`from_snapshot`).
            if snap.level == "database" || snap.level == "table" {
                return err("can't restore account from db or table level snapshot".into());
            }
        }
        RestoreTarget::Database { account, db } => {
            check_account(account.as_deref())?;
            skip_db(db)?;
            match snap.level.as_str() {
                "cluster" => return err("can't restore db from cluster level snapshot".into()),
                "table" => return err("can't restore db from table level snapshot".into()),
                "database" if &snap.database != db => {
                    return err(format!(
                        "databaseName({db}) does not match snapshot.databaseName({})",
                        snap.database
                    ));
                }
                _ => {}
            }
        }
        RestoreTarget::Table { account, db, table } => {
            check_account(account.as_deref())?;
            skip_db(db)?;
            match snap.level.as_str() {
                "cluster" => return err("can't restore db from cluster level snapshot".into()),
                // A database-level snapshot of another database fails later, as MatrixOne's
                // does: the table is not found at the snapshot.
                "table" if &snap.database != db || &snap.table != table => {
                    return err(format!(
                        "tableName({table}) does not match snapshot.tableName({})",
                        snap.table
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Nanoseconds in one PITR unit (`mo` is 30 days and `y` 365, as MatrixOne counts them).
fn unit_ns(unit: &str) -> i128 {
    let hour: i128 = 3_600 * 1_000_000_000;
    match unit {
        "h" => hour,
        "d" => 24 * hour,
        "mo" => 30 * 24 * hour,
        _ => 365 * 24 * hour,
    }
}

/// `RESTORE ... FROM PITR p 'YYYY-MM-DD HH:MM:SS'`: the data in scope as of that second,
/// with the checks of doRestorePitr (pkg/frontend/pitr.go) in its order and wording.
pub(crate) async fn from_pitr(
    b: &mut Backend,
    target: RestoreTarget,
    name: &str,
    ts: &str,
    source_account: Option<&str>,
) -> Result<Action, SqlError> {
    // mosim's process time zone is UTC, so the timestamp is read as UTC.
    let at = parse_utc(ts, true).ok_or_else(|| {
        SqlError::internal(format!(
            "parsing time \"{ts}\" as \"2006-01-02 15:04:05\": cannot parse \"{ts}\" as \"2006\""
        ))
    })?;
    let pitr = catalog::find_pitr(b, name)
        .await?
        .ok_or_else(|| SqlError::internal(format!("pitr {name} does not exist")))?;
    let (db, table) = match &target {
        RestoreTarget::Database { db, .. } => (Some(db.clone()), None),
        RestoreTarget::Table { db, table, .. } => (Some(db.clone()), Some(table.clone())),
        _ => (None, None),
    };
    if let Some(db) = &db
        && is_mo_system_db(db)
    {
        return Err(SqlError::internal(format!("database {db} can not be restore")));
    }
    if let Some(source) = source_account {
        if pitr.level != "cluster" {
            let account = match &target {
                RestoreTarget::Account(Some(a)) => a.as_str(),
                _ => "",
            };
            return Err(SqlError::internal(format!(
                "can not restore account {account} by pitr {name}, the pitr level is not cluster"
            )));
        }
        check_account(Some(source))?;
    }
    check_pitr_fits(&pitr, name, &target)?;
    // checkPitrInValidDurtion: times print at second precision.
    let now = now_ns(b).await?;
    let second = |ns: i128| format_utc(ns - ns.rem_euclid(1_000_000_000));
    if at <= pitr.create_time {
        return Err(SqlError::internal(format!(
            "input timestamp {} is less than the pitr valid time {}",
            second(at),
            second(pitr.create_time)
        )));
    }
    let min = now - i128::from(pitr.length as i64) * unit_ns(&pitr.unit);
    if at < min {
        return Err(SqlError::internal(format!(
            "input timestamp {} is less than the pitr range minest timestamp {}",
            second(at),
            second(min)
        )));
    }
    if at > now {
        return Err(SqlError::internal(format!(
            "input timestamp {} is bigger than now timestamp {}",
            second(at),
            second(now)
        )));
    }
    // Every table name in scope, live or dropped since: each comes back from the copy that
    // was live at that second; a table mosim saw created after it is dropped instead.
    let live = user_tables(b, db.as_deref(), true).await?;
    let mut names = live.clone();
    for dropped in graveyard::dropped_since(b, db.as_deref(), at).await? {
        if !names.contains(&dropped) {
            names.push(dropped);
        }
    }
    if let Some(t) = &table {
        names.retain(|(_, n)| n == t);
    }
    if let RestoreTarget::Account(a) = &target {
        // Only the account's databases (`mo::account`); other accounts are left alone.
        let a = a.as_deref().unwrap_or(SYS);
        names.retain(|(d, _)| crate::mo::account::owns(a, d));
    }
    let mut items = Vec::with_capacity(names.len());
    let mut newer = Vec::new();
    for (db, table) in names {
        let buried = graveyard::buried_at(b, &db, &table, at).await?;
        if buried.is_none() {
            if !live.contains(&(db.clone(), table.clone())) {
                continue;
            }
            if graveyard::created_after(b, &db, &table, at).await? {
                newer.push((db, table));
                continue;
            }
        }
        items.push(RestoreItem { db, table, buried });
    }
    if let Some(t) = &table
        && items.is_empty()
    {
        return Err(SqlError::internal(format!("table '{t}' not exists at pitr timestamp '{}'", second(at))));
    }
    let at = crate::mo::point::at(b, at).await?;
    restore_tables(b, &items, at, &newer, &[]).await?;
    Ok(Action::Ok(0))
}

fn is_mo_system_db(db: &str) -> bool {
    ["mo_catalog", "information_schema", "mysql", "system", "system_metrics", "mo_task", "mo_debug"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(db))
}

/// checkPitrValidOrNot (pkg/frontend/pitr.go): which PITR level may restore what. The
/// bare `RESTORE FROM PITR` is an account restore of the current account.
fn check_pitr_fits(pitr: &Pitr, name: &str, target: &RestoreTarget) -> Result<(), SqlError> {
    let level = pitr.level.as_str();
    let err = |m: String| Err(SqlError::internal(m));
    match target {
        RestoreTarget::Cluster => {
            if level != "cluster" {
                return err(format!("restore level {level} is not allowed for cluster restore"));
            }
        }
        RestoreTarget::Account(account) => {
            check_account(account.as_deref())?;
            let source = account.as_deref().unwrap_or(SYS);
            if level == "database" || level == "table" {
                return err(format!("can not restore account {source} by pitr {name}"));
            }
        }
        RestoreTarget::Database { account, db } => {
            check_account(account.as_deref())?;
            match level {
                "cluster" => {
                    return err(format!("cluster level pitr `{level}` is not allowed for database restore"));
                }
                "table" => {
                    return err(format!("restore level {level} is not allowed for database restore"));
                }
                "database" if &pitr.database != db => {
                    return err(format!("pitr {name} is not allowed to restore database {db}"));
                }
                _ => {}
            }
        }
        RestoreTarget::Table { account, db, table } => {
            check_account(account.as_deref())?;
            match level {
                "cluster" => {
                    return err(format!("cluster level pitr `{level}` is not allowed for table restore"));
                }
                "database" if &pitr.database != db => {
                    return err(format!("pitr {name} is not allowed to restore database {db} table {table}"));
                }
                "table" if &pitr.database != db || &pitr.table != table => {
                    return err(format!("pitr {name} is not allowed to restore table {db}.{table}"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}
