//! CREATE / DROP / SHOW SNAPSHOTS (reference §1).

use std::time::Duration;

use crate::error::SqlError;
use crate::mo::catalog::{self, system_db_list};
use crate::mo::clock::format_utc;
use crate::mo::point;
use crate::mo::{Action, SYS};
use crate::sql::rewrite::sql_str;
use crate::sql::statement::Scope;
use crate::wire::backend::Backend;

/// MatrixOne's system databases, for which snapshots are refused (plus the backend's own).
const MO_SYSTEM_DATABASES: [&str; 9] = [
    "mo_catalog",
    "information_schema",
    "mysql",
    "system",
    "system_metrics",
    "mo_task",
    "mo_debug",
    "performance_schema",
    "sys",
];

/// `CREATE SNAPSHOT`: records the backend's current time and last commit under the name,
/// plus the list of tables in scope, so a restore knows which tables to bring back and which
/// to drop. `b` is mosim's own connection: the record commits at once, whatever the client's
/// transaction does.
pub(crate) async fn create(
    b: &mut Backend,
    if_not_exists: bool,
    name: &str,
    scope: Scope,
) -> Result<Action, SqlError> {
    // doCreateSnapshot (pkg/frontend/snapshot.go) checks the name before the scope.
    if catalog::find_snapshot(b, name).await?.is_some() {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError::internal(format!("snapshot {name} already exists")));
    }
    let (level, account, db, table) = match &scope {
        Scope::Cluster => ("cluster", "", "", ""),
        Scope::Account(a) => {
            // An account of mosim's (`mo::account`): its databases only.
            let a = a.as_deref().unwrap_or(SYS);
            if !crate::mo::account::account_exists(b, a).await? {
                return Err(SqlError::internal(format!("account {a} does not exist")));
            }
            ("account", a, "", "")
        }
        Scope::Database(db) => ("database", SYS, db.as_str(), ""),
        Scope::Table(db, t) => ("table", SYS, db.as_str(), t.as_str()),
    };
    if !db.is_empty() && MO_SYSTEM_DATABASES.iter().any(|s| s.eq_ignore_ascii_case(db)) {
        // MatrixOne's own wording, "pitr" included, for a table in a system database.
        return Err(SqlError::internal(if table.is_empty() {
            format!("can not create snapshot for system database {db}")
        } else {
            format!("can not create pitr for system table {db}.{table}")
        }));
    }
    if !table.is_empty() && !catalog::table_exists(b, db, table).await? {
        return Err(SqlError::internal(format!("table {db}.{table} does not exist")));
    }
    if table.is_empty() && !db.is_empty() && !catalog::database_exists(b, db).await? {
        return Err(SqlError::internal(format!("database {db} does not exist")));
    }
    let now = point::now(b).await?;
    let (ts, commit) = (now.ns, now.commit.unwrap_or(0));
    let inserted = b
        .exec(&format!(
            "INSERT INTO mo_catalog.mo_snapshots \
             (sname, ts, ts_text, level, account_name, database_name, table_name, commit_id) \
             VALUES ({}, {ts}, {}, {}, {}, {}, {}, {commit})",
            sql_str(name),
            sql_str(&format_utc(ts)),
            sql_str(level),
            sql_str(account),
            sql_str(db),
            sql_str(table)
        ))
        .await;
    match inserted {
        // A concurrent CREATE of the same name won the race.
        Err(e) if e.code == 1062 && if_not_exists => return Ok(Action::Ok(0)),
        Err(e) if e.code == 1062 => {
            return Err(SqlError::internal(format!("snapshot {name} already exists")));
        }
        r => r?,
    };
    record_tables(b, name, (level == "account").then_some(account), db, table).await?;
    // Writes that follow must land strictly after the snapshot's microsecond (tables
    // versioned by timestamp are read at it).
    tokio::time::sleep(Duration::from_millis(2)).await;
    Ok(Action::Ok(0))
}

/// Stores which databases and system-versioned tables exist now within the snapshot's scope.
/// Only versioned tables can be read in the past, so only they are part of a snapshot.
async fn record_tables(
    b: &mut Backend,
    name: &str,
    account: Option<&str>,
    db: &str,
    table: &str,
) -> Result<(), SqlError> {
    let mut filter = format!("table_schema NOT IN ({})", system_db_list());
    if let Some(a) = account {
        filter.push_str(&format!(" AND {}", crate::mo::account::owns_sql(a, "table_schema")));
    }
    if !db.is_empty() {
        filter.push_str(&format!(" AND table_schema = {}", sql_str(db)));
    }
    if !table.is_empty() {
        filter.push_str(&format!(" AND table_name = {}", sql_str(table)));
    }
    b.exec(&format!(
        "INSERT IGNORE INTO mo_catalog.mo_snapshot_tables (sname, database_name, table_name) \
         SELECT {}, table_schema, table_name FROM information_schema.tables \
         WHERE {filter} AND table_type = 'SYSTEM VERSIONED'",
        sql_str(name)
    ))
    .await?;
    if table.is_empty() {
        let mut filter = format!("schema_name NOT IN ({})", system_db_list());
        if let Some(a) = account {
            filter.push_str(&format!(" AND {}", crate::mo::account::owns_sql(a, "schema_name")));
        }
        if !db.is_empty() {
            filter.push_str(&format!(" AND schema_name = {}", sql_str(db)));
        }
        b.exec(&format!(
            "INSERT IGNORE INTO mo_catalog.mo_snapshot_tables (sname, database_name, table_name) \
             SELECT {}, schema_name, '' FROM information_schema.schemata WHERE {filter}",
            sql_str(name)
        ))
        .await?;
    }
    Ok(())
}

/// `DROP SNAPSHOT`.
pub(crate) async fn drop(b: &mut Backend, if_exists: bool, name: &str) -> Result<Action, SqlError> {
    let n = b
        .exec(&format!(
            "DELETE FROM mo_catalog.mo_snapshots WHERE sname = {} AND kind = 'user'",
            sql_str(name)
        ))
        .await?;
    b.exec(&format!("DELETE FROM mo_catalog.mo_snapshot_tables WHERE sname = {}", sql_str(name))).await?;
    if n == 0 && !if_exists {
        return Err(SqlError::internal(format!("snapshot {name} does not exist")));
    }
    crate::mo::graveyard::collect(b).await?;
    Ok(Action::Ok(0))
}

/// The SELECT that answers `SHOW SNAPSHOTS [WHERE ...]` (build_show.go:1001-1017): every
/// column a VARCHAR, newest first, labels lower-case when a WHERE is present.
pub(crate) fn show_sql(filter: Option<&str>) -> String {
    let cols = [
        ("sname", "SNAPSHOT_NAME"),
        ("ts_text", "TIMESTAMP"),
        ("level", "SNAPSHOT_LEVEL"),
        ("account_name", "ACCOUNT_NAME"),
        ("database_name", "DATABASE_NAME"),
        ("table_name", "TABLE_NAME"),
    ];
    let base = "FROM mo_catalog.mo_snapshots WHERE kind = 'user'";
    match filter {
        None => {
            let list: Vec<String> = cols.iter().map(|(c, l)| format!("{c} AS `{l}`")).collect();
            format!("SELECT {} {base} ORDER BY ts DESC", list.join(", "))
        }
        Some(f) => {
            let inner: Vec<String> =
                cols.iter().map(|(c, l)| format!("{c} AS `{}`", l.to_lowercase())).collect();
            let outer: Vec<String> = cols.iter().map(|(_, l)| format!("`{}`", l.to_lowercase())).collect();
            format!(
                "SELECT {} FROM (SELECT {}, ts AS mosim_ts {base}) AS snapshots WHERE {f} \
                 ORDER BY mosim_ts DESC",
                outer.join(", "),
                inner.join(", ")
            )
        }
    }
}
