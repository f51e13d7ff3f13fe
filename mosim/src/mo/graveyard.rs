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
use crate::wire::backend::{Backend, cell};

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
pub(crate) async fn buriable(b: &mut Backend, db: &str, t: &str) -> Result<bool, SqlError> {
    if !needed(b, db, t).await? {
        return Ok(false);
    }
    let (db_s, t_s) = (sql_str(db), sql_str(t));
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

/// Whether some snapshot or PITR could need the past of `db.t` if it were dropped now.
pub(crate) async fn needed(b: &mut Backend, db: &str, t: &str) -> Result<bool, SqlError> {
    let (db_s, t_s) = (sql_str(db), sql_str(t));
    let needed = b.query(&format!("SELECT {}", needed_condition(&db_s, &t_s, "9223372036854775807"))).await?;
    Ok(needed.rows.first().and_then(|r| r.first().cloned().flatten()).as_deref() == Some("1"))
}

/// A fresh graveyard name for a table buried at `now`.
pub(crate) fn grave_name(now: i128) -> String {
    format!("dropped_{now}_{}", BURIED.fetch_add(1, Ordering::Relaxed))
}

/// A fresh name for a table a restore builds in `mo_catalog` before moving it into place.
pub(crate) fn shadow_name(now: i128) -> String {
    format!("restoring_{now}_{}", BURIED.fetch_add(1, Ordering::Relaxed))
}

/// Records that `db.t` was moved to `mo_catalog.gname` at `now`, with the creation time of
/// that incarnation if mosim saw it.
pub(crate) async fn record_burial(
    b: &mut Backend,
    gname: &str,
    db: &str,
    t: &str,
    now: i128,
) -> Result<(), SqlError> {
    b.exec(&format!(
        "INSERT INTO mo_catalog.mo_dropped (gname, database_name, table_name, dropped_at, created_at) \
         SELECT {}, {db_s}, {t_s}, {now}, MAX(created_at) FROM mo_catalog.mo_created \
         WHERE database_name = {db_s} AND table_name = {t_s}",
        sql_str(gname),
        db_s = sql_str(db),
        t_s = sql_str(t)
    ))
    .await?;
    Ok(())
}

/// Moves the tables into the graveyard, in one RENAME.
async fn bury_all(b: &mut Backend, tables: &[(String, String)]) -> Result<(), SqlError> {
    if tables.is_empty() {
        return Ok(());
    }
    let now = now_ns(b).await?;
    let graves: Vec<String> = tables.iter().map(|_| grave_name(now)).collect();
    let pairs: Vec<String> = tables
        .iter()
        .zip(&graves)
        .map(|((db, t), g)| format!("{}.{} TO mo_catalog.{}", ident(db), ident(t), ident(g)))
        .collect();
    b.exec(&format!("RENAME TABLE {}", pairs.join(", "))).await?;
    for ((db, t), g) in tables.iter().zip(&graves) {
        record_burial(b, g, db, t, now).await?;
    }
    Ok(())
}

/// DROP TABLE / DATABASE commit the client's transaction before they act (MariaDB's implicit
/// commit). mosim renames on its own connection, which would otherwise wait for the
/// metadata locks that transaction holds.
async fn implicit_commit(client: &mut Backend) -> Result<(), SqlError> {
    if client.in_transaction() {
        client.exec("COMMIT").await?;
    }
    Ok(())
}

/// Drops buried tables no snapshot or PITR can need any more (after DROP SNAPSHOT / PITR).
pub(crate) async fn collect(b: &mut Backend) -> Result<(), SqlError> {
    let rows = b
        .query(&format!(
            "SELECT g.gname, g.database_name, g.table_name, g.dropped_at FROM mo_catalog.mo_dropped g \
             WHERE NOT ({})",
            needed_condition("g.database_name", "g.table_name", "g.dropped_at")
        ))
        .await?;
    for row in rows.rows {
        let col = |i: usize| cell(&row, i);
        let (gname, db, t) = (col(0), col(1), col(2));
        let Ok(dropped_at) = col(3).parse::<i128>() else { continue };
        // Its creation records go with it; a live table of that name has a later one. (No
        // multi-table DELETE: mosim's connections have no current database to resolve it in.)
        b.exec(&format!(
            "DELETE FROM mo_catalog.mo_created WHERE database_name = {} AND table_name = {} \
             AND created_at <= {dropped_at}",
            sql_str(&db),
            sql_str(&t)
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
/// Names resolve, and the rest is dropped, in the client's session; burials and their
/// records happen on mosim's connection `cat`.
pub(crate) async fn drop_tables(
    client: &mut Backend,
    cat: &mut Backend,
    if_exists: bool,
    tables: &[TableName],
    original: &str,
) -> Result<Action, SqlError> {
    let current = current_database(client).await?;
    let mut resolved = Vec::with_capacity(tables.len());
    for t in tables {
        let Some(db) = t.db.clone().or_else(|| current.clone()) else {
            return Ok(Action::Forward(original.to_owned()));
        };
        let exists = catalog::table_exists(client, &db, &t.table).await?;
        if !exists && !if_exists {
            return Ok(Action::Forward(original.to_owned()));
        }
        resolved.push((db, t.table.clone(), exists));
    }
    let mut buried = Vec::new();
    let mut rest = Vec::new();
    for (db, t, exists) in resolved {
        if exists && buriable(cat, &db, &t).await? {
            buried.push((db, t));
        } else {
            rest.push((db, t));
        }
    }
    if !buried.is_empty() {
        implicit_commit(client).await?;
        bury_all(cat, &buried).await?;
    }
    if !rest.is_empty() {
        let names: Vec<String> = rest.iter().map(|(db, t)| format!("{}.{}", ident(db), ident(t))).collect();
        client.exec(&format!("DROP TABLE IF EXISTS {}", names.join(", "))).await?;
        for (db, t) in &rest {
            forget_created(cat, db, Some(t)).await?;
        }
    }
    Ok(Action::Ok(0))
}

/// Splits the tables of database `db` into those to bury and those to drop for good
/// (forgetting their creation records).
async fn bury_or_forget(b: &mut Backend, db: &str) -> Result<Vec<(String, String)>, SqlError> {
    let mut buried = Vec::new();
    for (_, t) in crate::mo::copy::user_tables(b, Some(db), false).await? {
        if buriable(b, db, &t).await? {
            buried.push((db.to_owned(), t));
        } else {
            forget_created(b, db, Some(&t)).await?;
        }
    }
    Ok(buried)
}

/// `DROP DATABASE`: its versioned tables are buried first, then MariaDB drops the rest in the
/// client's session.
pub(crate) async fn drop_database(
    client: &mut Backend,
    cat: &mut Backend,
    db: &str,
    original: &str,
) -> Result<Action, SqlError> {
    if catalog::database_exists(cat, db).await? {
        let buried = bury_or_forget(cat, db).await?;
        if !buried.is_empty() {
            implicit_commit(client).await?;
            bury_all(cat, &buried).await?;
        }
    }
    Ok(Action::Forward(original.to_owned()))
}

/// Drops database `db` on mosim's connection, burying its versioned tables first (a restore
/// removing a database created after its snapshot).
pub(crate) async fn drop_database_now(b: &mut Backend, db: &str) -> Result<(), SqlError> {
    let buried = bury_or_forget(b, db).await?;
    bury_all(b, &buried).await?;
    b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(db))).await?;
    Ok(())
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
