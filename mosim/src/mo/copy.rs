//! Moving rows as of an instant: the one primitive behind clone and restore.

use crate::error::SqlError;
use crate::mo::catalog::{pairs, system_db_list};
use crate::mo::clock::as_of_clause;
use crate::mo::graveyard;
use crate::sql::rewrite::{ident, sql_str};
use crate::sql::statement::TableName;
use crate::wire::backend::Backend;

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

/// `INSERT INTO dst SELECT ... FROM src [FOR SYSTEM_TIME AS OF ...]`.
pub(crate) async fn copy_rows(
    b: &mut Backend,
    src: (&str, &str),
    dst: (&str, &str),
    at: Option<i128>,
) -> Result<(), SqlError> {
    let cols = writable_columns(b, dst.0, dst.1).await?;
    let as_of = at.map(as_of_clause).unwrap_or_default();
    b.exec(&format!(
        "INSERT INTO {}.{} ({cols}) SELECT {cols} FROM {}.{}{as_of}",
        ident(dst.0),
        ident(dst.1),
        ident(src.0),
        ident(src.1)
    ))
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

/// Brings `items` back to their contents at `at`, all rows in one transaction, then drops
/// the tables and databases that did not exist then (keeping their history too).
///
/// DELETE + INSERT ... SELECT ... AS OF keeps the tables' history, so a later restore to an
/// even older snapshot still works, and a failure part-way rolls every table's rows back.
/// Tables that were dropped are first recreated, empty, from their graveyard copy (DDL
/// cannot be part of a MariaDB transaction).
pub(crate) async fn restore_tables(
    b: &mut Backend,
    items: &[RestoreItem],
    at: i128,
    drop_tables: &[(String, String)],
    drop_databases: &[String],
) -> Result<(), SqlError> {
    b.exec("SET @mosim_fk = @@foreign_key_checks, foreign_key_checks = 0").await?;
    let result = restore_all(b, items, at, drop_tables, drop_databases).await;
    b.exec("SET foreign_key_checks = @mosim_fk").await?;
    result
}

async fn restore_all(
    b: &mut Backend,
    items: &[RestoreItem],
    at: i128,
    drop_tables: &[(String, String)],
    drop_databases: &[String],
) -> Result<(), SqlError> {
    for item in items {
        if let Some(g) = &item.buried {
            drop_table(b, &item.db, &item.table).await?;
            b.exec(&format!("CREATE DATABASE IF NOT EXISTS {}", ident(&item.db))).await?;
            b.exec(&format!(
                "CREATE TABLE {}.{} LIKE mo_catalog.{}",
                ident(&item.db),
                ident(&item.table),
                ident(g)
            ))
            .await?;
        }
    }
    let mut statements = Vec::with_capacity(items.len() * 2);
    for item in items {
        let cols = writable_columns(b, &item.db, &item.table).await?;
        let name = format!("{}.{}", ident(&item.db), ident(&item.table));
        let source = match &item.buried {
            Some(g) => format!("mo_catalog.{}", ident(g)),
            None => {
                statements.push(format!("DELETE FROM {name}"));
                name.clone()
            }
        };
        statements
            .push(format!("INSERT INTO {name} ({cols}) SELECT {cols} FROM {source}{}", as_of_clause(at)));
    }
    b.exec("START TRANSACTION").await?;
    for s in &statements {
        if let Err(e) = b.exec(s).await {
            let _ = b.exec("ROLLBACK").await;
            return Err(e);
        }
    }
    b.exec("COMMIT").await?;
    for (db, t) in drop_tables {
        drop_table(b, db, t).await?;
    }
    for db in drop_databases {
        graveyard::drop_database(b, db, "").await?;
        b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(db))).await?;
    }
    Ok(())
}

/// Drops `db.t` if it exists, keeping its history in the graveyard when possible.
async fn drop_table(b: &mut Backend, db: &str, t: &str) -> Result<(), SqlError> {
    let table = TableName { db: Some(db.to_owned()), table: t.to_owned() };
    graveyard::drop_tables(b, true, &[table], "").await.map(|_| ())
}
