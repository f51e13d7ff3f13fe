//! Moving rows as of a point: the one primitive behind clone and restore.

use crate::error::SqlError;
use crate::mo::catalog::{self, pairs, system_db_list};
use crate::mo::clock::now_ns;
use crate::mo::graveyard;
use crate::mo::point::{self, Point, source_at, versioning};
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, Rows};

/// The columns an INSERT may write: visible and not generated, in table order.
pub(crate) async fn writable_columns(b: &mut Backend, db: &str, t: &str) -> Result<String, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT column_name FROM information_schema.columns \
             WHERE table_schema = {} AND table_name = {} \
             AND extra NOT LIKE '%GENERATED%' AND extra NOT LIKE '%INVISIBLE%' \
             ORDER BY ordinal_position",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    let cols: Vec<String> =
        rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).map(|c| ident(&c)).collect();
    Ok(cols.join(", "))
}

/// `INSERT INTO dst SELECT ... FROM src`, as of `at` or now.
pub(crate) async fn copy_rows(
    b: &mut Backend,
    src: (&str, &str),
    dst: (&str, &str),
    at: Option<Point>,
) -> Result<(), SqlError> {
    let cols = writable_columns(b, dst.0, dst.1).await?;
    let from = match at {
        Some(p) => source_at(src.0, src.1, versioning(b, src.0, src.1).await?, p),
        None => format!("{}.{}", ident(src.0), ident(src.1)),
    };
    b.exec(&format!("INSERT INTO {}.{} ({cols}) SELECT {cols} FROM {from}", ident(dst.0), ident(dst.1)))
        .await?;
    Ok(())
}

/// User tables now on the backend, optionally in one database; `versioned` keeps only the
/// system-versioned ones, the only ones whose past mosim can read.
pub(crate) async fn user_tables(
    b: &mut Backend,
    db: Option<&str>,
    versioned: bool,
) -> Result<Vec<(String, String)>, SqlError> {
    let types = if versioned { "('SYSTEM VERSIONED')" } else { "('BASE TABLE', 'SYSTEM VERSIONED')" };
    let mut filter = format!("table_schema NOT IN ({})", system_db_list());
    if let Some(db) = db {
        filter.push_str(&format!(" AND table_schema = {}", sql_str(db)));
    }
    let rows = b
        .query(&format!(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE {filter} \
             AND table_type IN {types} ORDER BY table_schema, table_name"
        ))
        .await?;
    Ok(pairs(rows.rows))
}

/// User databases now on the backend.
pub(crate) async fn user_databases(b: &mut Backend) -> Result<Vec<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN ({})",
            system_db_list()
        ))
        .await?;
    Ok(rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
}

/// One table a restore brings back.
#[derive(Debug, Clone)]
pub(crate) struct RestoreItem {
    pub(crate) db: String,
    pub(crate) table: String,
    /// The graveyard copy to restore from, when the table live at the instant was dropped
    /// since.
    pub(crate) buried: Option<String>,
}

/// Brings `items` back to their contents at `at`, and drops the tables and databases that
/// did not exist then (keeping their history too), all or nothing.
///
/// MatrixOne restores in one transaction (`doRestoreSnapshot` in pkg/frontend/snapshot.go:
/// "restore as a txn"); MariaDB cannot put DDL in a transaction, so the steps are ordered to
/// fail before anything is visible:
/// 1. tables that come back from the graveyard are built as shadow tables in `mo_catalog`;
/// 2. one transaction rewrites the live tables (DELETE + INSERT ... SELECT as of `at`, which
///    keeps their history, so a later restore to an even older snapshot still works) and
///    fills the shadows; a row lock held elsewhere fails it here, with nothing changed;
/// 3. one multi-table RENAME buries the tables being replaced or removed and moves the
///    shadows into place. Should it fail (a metadata lock held elsewhere), the live tables
///    are rewritten back to the last commit before step 2's.
///
/// `b` is mosim's own connection, so the client's session settings do not apply.
pub(crate) async fn restore_tables(
    b: &mut Backend,
    items: &[RestoreItem],
    at: Point,
    drop_tables: &[(String, String)],
    drop_databases: &[String],
) -> Result<(), SqlError> {
    b.exec("SET foreign_key_checks = 0").await?;
    let result = restore_all(b, items, at, drop_tables, drop_databases).await;
    let reset = b.exec("SET foreign_key_checks = 1").await;
    result?;
    reset.map(|_| ())
}

async fn restore_all(
    b: &mut Backend,
    items: &[RestoreItem],
    at: Point,
    drop_tables: &[(String, String)],
    drop_databases: &[String],
) -> Result<(), SqlError> {
    let now = now_ns(b).await?;
    let before = point::now(b).await?;
    let mut shadows = Vec::new();
    for item in items {
        let Some(g) = &item.buried else {
            shadows.push(None);
            continue;
        };
        let shadow = graveyard::shadow_name(now);
        let created =
            b.exec(&format!("CREATE TABLE mo_catalog.{} LIKE mo_catalog.{}", ident(&shadow), ident(g))).await;
        if let Err(e) = created {
            drop_shadows(b, &shadows).await;
            return Err(e);
        }
        shadows.push(Some(shadow));
    }
    let commit = match rewrite_rows(b, items, &shadows, at).await {
        Ok(commit) => commit,
        Err(e) => {
            drop_shadows(b, &shadows).await;
            return Err(e);
        }
    };
    if let Err(e) = swap(b, items, &shadows, drop_tables).await {
        // Every commit but ours: the live tables as they were just before the restore.
        let undo = Point { ns: before.ns, commit: commit.map(|c| c.saturating_sub(1)).or(before.commit) };
        let live: Vec<RestoreItem> = items.iter().filter(|i| i.buried.is_none()).cloned().collect();
        let none = vec![None; live.len()];
        let _ = rewrite_rows(b, &live, &none, undo).await;
        drop_shadows(b, &shadows).await;
        return Err(e);
    }
    for db in drop_databases {
        graveyard::drop_database_now(b, db).await?;
    }
    Ok(())
}

/// Best effort: removes shadow tables of a restore that failed.
async fn drop_shadows(b: &mut Backend, shadows: &[Option<String>]) {
    for shadow in shadows.iter().flatten() {
        let _ = b.exec(&format!("DROP TABLE IF EXISTS mo_catalog.{}", ident(shadow))).await;
    }
}

/// Step 2 of [`restore_tables`]: in one transaction, each live item gets its rows at `at`
/// and each shadow its graveyard copy's. Returns the transaction's commit id, when the
/// registry has one.
async fn rewrite_rows(
    b: &mut Backend,
    items: &[RestoreItem],
    shadows: &[Option<String>],
    at: Point,
) -> Result<Option<u64>, SqlError> {
    let mut statements = Vec::with_capacity(items.len() * 2);
    for (item, shadow) in items.iter().zip(shadows) {
        let (src_db, src_table) = match &item.buried {
            Some(g) => ("mo_catalog", g.as_str()),
            None => (item.db.as_str(), item.table.as_str()),
        };
        let (dst_db, dst_table) = match shadow {
            Some(s) => ("mo_catalog", s.as_str()),
            None => (item.db.as_str(), item.table.as_str()),
        };
        let dst = format!("{}.{}", ident(dst_db), ident(dst_table));
        if shadow.is_none() {
            statements.push(format!("DELETE FROM {dst}"));
        }
        let cols = writable_columns(b, dst_db, dst_table).await?;
        let from = source_at(src_db, src_table, versioning(b, src_db, src_table).await?, at);
        statements.push(format!("INSERT INTO {dst} ({cols}) SELECT {cols} FROM {from}"));
    }
    b.exec("START TRANSACTION").await?;
    for s in &statements {
        if let Err(e) = b.exec(s).await {
            let _ = b.exec("ROLLBACK").await;
            return Err(e);
        }
    }
    let trx = b
        .query("SELECT trx_id FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()")
        .await;
    if let Err(e) = b.exec("COMMIT").await {
        let _ = b.exec("ROLLBACK").await;
        return Err(e);
    }
    let Some(trx) = trx.ok().and_then(|r| first_value(&r)).and_then(|v| v.parse::<u64>().ok()) else {
        return Ok(None);
    };
    let rows = b
        .query(&format!("SELECT commit_id FROM mysql.transaction_registry WHERE transaction_id = {trx}"))
        .await?;
    Ok(first_value(&rows).and_then(|v| v.parse().ok()))
}

fn first_value(rows: &Rows) -> Option<String> {
    rows.rows.first().and_then(|r| r.first().cloned().flatten())
}

/// Step 3 of [`restore_tables`]: one RENAME buries each live table that a shadow replaces
/// and each table created after the point, and moves the shadows into place. Tables that
/// cannot be buried (in a foreign key) are dropped instead.
async fn swap(
    b: &mut Backend,
    items: &[RestoreItem],
    shadows: &[Option<String>],
    drop_tables: &[(String, String)],
) -> Result<(), SqlError> {
    let now = now_ns(b).await?;
    let mut renames = Vec::new();
    let mut burials = Vec::new();
    let mut drop_first = Vec::new();
    let mut drop_after = Vec::new();
    let mut placed = Vec::new();
    let mut new_dbs = Vec::new();
    let mut bury = |db: &str, t: &str, renames: &mut Vec<String>| {
        let g = graveyard::grave_name(now);
        renames.push(format!("{}.{} TO mo_catalog.{}", ident(db), ident(t), ident(&g)));
        burials.push((g, db.to_owned(), t.to_owned()));
    };
    for (item, shadow) in items.iter().zip(shadows) {
        let Some(shadow) = shadow else { continue };
        let (db, t) = (item.db.as_str(), item.table.as_str());
        if !catalog::database_exists(b, db).await? && !new_dbs.iter().any(|d: &String| d == db) {
            new_dbs.push(db.to_owned());
        }
        if catalog::table_exists(b, db, t).await? {
            if graveyard::buriable(b, db, t).await? {
                bury(db, t, &mut renames);
            } else {
                drop_first.push((db.to_owned(), t.to_owned()));
            }
        }
        renames.push(format!("mo_catalog.{} TO {}.{}", ident(shadow), ident(db), ident(t)));
        placed.push((db.to_owned(), t.to_owned()));
    }
    for (db, t) in drop_tables {
        if !catalog::table_exists(b, db, t).await? {
            continue;
        }
        if graveyard::buriable(b, db, t).await? {
            bury(db, t, &mut renames);
        } else {
            drop_after.push((db.clone(), t.clone()));
        }
    }
    for db in &new_dbs {
        b.exec(&format!("CREATE DATABASE IF NOT EXISTS {}", ident(db))).await?;
    }
    // A table in a foreign key cannot be renamed away (its children would follow it), so it
    // is dropped; the shadow then takes its name.
    for (db, t) in &drop_first {
        b.exec(&format!("DROP TABLE IF EXISTS {}.{}", ident(db), ident(t))).await?;
    }
    if !renames.is_empty()
        && let Err(e) = b.exec(&format!("RENAME TABLE {}", renames.join(", "))).await
    {
        for db in &new_dbs {
            let _ = b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(db))).await;
        }
        return Err(e);
    }
    for (g, db, t) in &burials {
        graveyard::record_burial(b, g, db, t, now).await?;
    }
    for (db, t) in &drop_first {
        graveyard::forget_created(b, db, Some(t)).await?;
    }
    for (db, t) in &placed {
        graveyard::record_created(b, db, t).await?;
    }
    for (db, t) in &drop_after {
        b.exec(&format!("DROP TABLE IF EXISTS {}.{}", ident(db), ident(t))).await?;
        graveyard::forget_created(b, db, Some(t)).await?;
    }
    Ok(())
}
