//! Dropped tables keep their past: MariaDB deletes a table's history with the table, but
//! MatrixOne can restore a table or database dropped after a snapshot. So mosim turns
//! `DROP TABLE` / `DROP DATABASE` of a system-versioned table into a rename into
//! `mo_catalog` (recorded in `mo_catalog.mo_dropped`), where a restore finds it again.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::catalog::{self, current_database, exists};
use crate::mo::clock::now_ns;
use crate::sql::rewrite::{ident, sql_str};
use crate::sql::statement::TableName;
use crate::wire::backend::Backend;

static BURIED: AtomicU64 = AtomicU64::new(0);

/// SQL condition: some snapshot or PITR could need the past of table `$db.$t` dropped at
/// `$at` (column expressions or literals, substituted by the caller).
fn needed_condition(db: &str, t: &str, at: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM mo_catalog.mo_snapshots s WHERE s.ts < {at} AND (s.level IN ('cluster', 'account') \
         OR (s.level = 'database' AND s.database_name = {db}) \
         OR (s.level = 'table' AND s.database_name = {db} AND s.table_name = {t}))) \
         OR EXISTS (SELECT 1 FROM mo_catalog.mo_pitr p WHERE p.level IN ('cluster', 'account') \
         OR (p.level = 'database' AND p.database_name = {db}) \
         OR (p.level = 'table' AND p.database_name = {db} AND p.table_name = {t}))"
    )
}

/// Whether `db.t` should be buried: system-versioned, in no foreign key, and covered by a
/// snapshot or PITR that could want it back. Renaming a table that other tables reference
/// would silently re-point their keys, so such tables are dropped the ordinary way.
async fn buriable(b: &mut Backend, db: &str, t: &str) -> Result<bool, SqlError> {
    let (db_s, t_s) = (sql_str(db), sql_str(t));
    let needed = b.query(&format!("SELECT {}", needed_condition(&db_s, &t_s, "9223372036854775807"))).await?;
    if needed.rows.first().and_then(|r| r.first().cloned().flatten()).as_deref() != Some("1") {
        return Ok(false);
    }
    let versioned = exists(
        b,
        "information_schema.tables",
        &format!("table_schema = {db_s} AND table_name = {t_s} AND table_type = 'SYSTEM VERSIONED'"),
    )
    .await?;
    if !versioned {
        return Ok(false);
    }
    let in_fk = exists(
        b,
        "information_schema.referential_constraints",
        &format!(
            "(constraint_schema = {db_s} AND table_name = {t_s}) OR \
             (unique_constraint_schema = {db_s} AND referenced_table_name = {t_s})"
        ),
    )
    .await?;
    Ok(!in_fk)
}

/// Moves `db.t` into the graveyard.
pub(crate) async fn bury(b: &mut Backend, db: &str, t: &str) -> Result<(), SqlError> {
    let now = now_ns(b).await?;
    let gname = format!("dropped_{now}_{}", BURIED.fetch_add(1, Ordering::Relaxed));
    b.exec(&format!("RENAME TABLE {}.{} TO mo_catalog.{}", ident(db), ident(t), ident(&gname))).await?;
    b.exec(&format!(
        "INSERT INTO mo_catalog.mo_dropped (gname, database_name, table_name, dropped_at, created_at) \
         SELECT {}, {db_s}, {t_s}, {now}, MAX(created_at) FROM mo_catalog.mo_created \
         WHERE database_name = {db_s} AND table_name = {t_s}",
        sql_str(&gname),
        db_s = sql_str(db),
        t_s = sql_str(t)
    ))
    .await?;
    Ok(())
}

/// Drops buried tables no snapshot or PITR can need any more (after DROP SNAPSHOT / PITR).
pub(crate) async fn collect(b: &mut Backend) -> Result<(), SqlError> {
    let rows = b
        .query(&format!(
            "SELECT g.gname FROM mo_catalog.mo_dropped g WHERE NOT ({})",
            needed_condition("g.database_name", "g.table_name", "g.dropped_at")
        ))
        .await?;
    for gname in rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()) {
        // Its creation records go with it; a live table of that name has a later one.
        b.exec(&format!(
            "DELETE c FROM mo_catalog.mo_created c JOIN mo_catalog.mo_dropped g \
             ON c.database_name = g.database_name AND c.table_name = g.table_name \
             AND c.created_at <= g.dropped_at WHERE g.gname = {}",
            sql_str(&gname)
        ))
        .await?;
        b.exec(&format!("DROP TABLE IF EXISTS mo_catalog.{}", ident(&gname))).await?;
        b.exec(&format!("DELETE FROM mo_catalog.mo_dropped WHERE gname = {}", sql_str(&gname))).await?;
    }
    Ok(())
}

/// (database, table) names buried after `at`, optionally in one database.
pub(crate) async fn dropped_since(
    b: &mut Backend,
    db: Option<&str>,
    at: i128,
) -> Result<Vec<(String, String)>, SqlError> {
    let filter = db.map(|d| format!(" AND database_name = {}", sql_str(d))).unwrap_or_default();
    let rows = b
        .query(&format!(
            "SELECT DISTINCT database_name, table_name FROM mo_catalog.mo_dropped \
             WHERE dropped_at > {at}{filter}"
        ))
        .await?;
    Ok(catalog::pairs(rows.rows))
}

/// The buried copy of `db.t` that was live at `at`: the first one dropped after `at`.
pub(crate) async fn buried_at(
    b: &mut Backend,
    db: &str,
    t: &str,
    at: i128,
) -> Result<Option<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT gname FROM mo_catalog.mo_dropped WHERE database_name = {} AND table_name = {} \
             AND dropped_at > {at} AND (created_at IS NULL OR created_at <= {at}) \
             ORDER BY dropped_at LIMIT 1",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
}

/// `DROP TABLE [IF EXISTS] a, b`: versioned tables are buried; anything unusual (a missing
/// table without IF EXISTS) goes to MariaDB as written, for its exact behaviour and error.
pub(crate) async fn drop_tables(
    b: &mut Backend,
    if_exists: bool,
    tables: &[TableName],
    original: &str,
) -> Result<Action, SqlError> {
    let current = current_database(b).await?;
    let mut resolved = Vec::with_capacity(tables.len());
    for t in tables {
        let Some(db) = t.db.clone().or_else(|| current.clone()) else {
            return Ok(Action::Forward(original.to_owned()));
        };
        let exists = catalog::table_exists(b, &db, &t.table).await?;
        if !exists && !if_exists && !original.is_empty() {
            return Ok(Action::Forward(original.to_owned()));
        }
        resolved.push((db, t.table.clone(), exists));
    }
    let mut rest = Vec::new();
    let mut forgotten = Vec::new();
    for (db, t, exists) in resolved {
        if exists && buriable(b, &db, &t).await? {
            bury(b, &db, &t).await?;
        } else {
            rest.push(format!("{}.{}", ident(&db), ident(&t)));
            forgotten.push((db, t));
        }
    }
    if !rest.is_empty() {
        b.exec(&format!("DROP TABLE IF EXISTS {}", rest.join(", "))).await?;
        for (db, t) in &forgotten {
            forget_created(b, db, Some(t)).await?;
        }
    }
    Ok(Action::Ok(0))
}

/// `DROP DATABASE`: its versioned tables are buried first, then MariaDB drops the rest.
pub(crate) async fn drop_database(b: &mut Backend, db: &str, original: &str) -> Result<Action, SqlError> {
    if catalog::database_exists(b, db).await? {
        let tables = crate::mo::copy::user_tables(b, Some(db), false).await?;
        for (_, t) in tables {
            if buriable(b, db, &t).await? {
                bury(b, db, &t).await?;
            } else {
                forget_created(b, db, Some(&t)).await?;
            }
        }
    }
    Ok(Action::Forward(original.to_owned()))
}

/// Records that mosim saw `db.t` created now, so a PITR restore to an earlier second knows
/// the table did not exist then.
pub(crate) async fn record_created(b: &mut Backend, db: &str, t: &str) -> Result<(), SqlError> {
    let now = now_ns(b).await?;
    b.exec(&format!(
        "INSERT IGNORE INTO mo_catalog.mo_created (database_name, table_name, created_at) \
         VALUES ({}, {}, {now})",
        sql_str(db),
        sql_str(t)
    ))
    .await?;
    Ok(())
}

/// Forgets the creation records of a table (or a whole database) dropped for good.
pub(crate) async fn forget_created(b: &mut Backend, db: &str, t: Option<&str>) -> Result<(), SqlError> {
    let table = t.map(|t| format!(" AND table_name = {}", sql_str(t))).unwrap_or_default();
    b.exec(&format!("DELETE FROM mo_catalog.mo_created WHERE database_name = {}{table}", sql_str(db)))
        .await?;
    Ok(())
}

/// Whether mosim saw the live `db.t` created after `at`.
pub(crate) async fn created_after(b: &mut Backend, db: &str, t: &str, at: i128) -> Result<bool, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT MAX(created_at) > {at} FROM mo_catalog.mo_created \
             WHERE database_name = {} AND table_name = {}",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.first().and_then(|r| r.first().cloned().flatten()).as_deref() == Some("1"))
}
