//! mosim's catalog in the backend's `mo_catalog` database: snapshots, the tables each one
//! covered, and PITRs. Kept in MariaDB so a restarted mosim still knows them.

use crate::error::SqlError;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::{Backend, cell};

/// Statements that create the catalog if it is missing. Names use a binary collation:
/// MatrixOne matches snapshot names exactly (`{snapshot='SP01'}` does not find `sp01`).
pub(crate) const SETUP: [&str; 8] = [
    "CREATE DATABASE IF NOT EXISTS mo_catalog",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mo_snapshots (
        sname VARCHAR(255) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
        ts BIGINT NOT NULL,
        ts_text VARCHAR(64) NOT NULL,
        level VARCHAR(16) NOT NULL,
        account_name VARCHAR(255) NOT NULL DEFAULT '',
        database_name VARCHAR(255) NOT NULL DEFAULT '',
        table_name VARCHAR(255) NOT NULL DEFAULT '',
        kind VARCHAR(16) NOT NULL DEFAULT 'user'
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    // The snapshot's commit point: the last `mysql.transaction_registry.commit_id` it
    // includes (added when tables became versioned by transaction, hence the ALTER).
    "ALTER TABLE mo_catalog.mo_snapshots ADD COLUMN IF NOT EXISTS commit_id BIGINT UNSIGNED NULL",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mo_snapshot_tables (
        sname VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
        database_name VARCHAR(255) NOT NULL,
        table_name VARCHAR(255) NOT NULL,
        PRIMARY KEY (sname, database_name, table_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mo_pitr (
        pname VARCHAR(255) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
        create_time BIGINT NOT NULL,
        modified_time BIGINT NOT NULL,
        level VARCHAR(16) NOT NULL,
        account_name VARCHAR(255) NOT NULL,
        database_name VARCHAR(255) NOT NULL,
        table_name VARCHAR(255) NOT NULL,
        pitr_length BIGINT NOT NULL,
        pitr_unit VARCHAR(8) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mo_dropped (
        gname VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
        database_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
        table_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
        dropped_at BIGINT NOT NULL,
        KEY (database_name, table_name, dropped_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    // When the buried table was created, if mosim saw it happen (added after the first
    // release of the catalog, hence the ALTER).
    "ALTER TABLE mo_catalog.mo_dropped ADD COLUMN IF NOT EXISTS created_at BIGINT NULL",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mo_created (
        database_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
        table_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (database_name, table_name, created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
];

/// The `NOT IN (...)` list of databases that are never user data.
pub(crate) fn system_db_list() -> String {
    crate::sql::rewrite::SYSTEM_DATABASES.iter().map(|d| sql_str(d)).collect::<Vec<_>>().join(", ")
}

/// One snapshot record.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) name: String,
    pub(crate) ts: i128,
    /// The last commit the snapshot includes; `None` for snapshots of an older mosim.
    pub(crate) commit: Option<u64>,
    pub(crate) level: String,
    pub(crate) database: String,
    pub(crate) table: String,
    /// The account an account-level snapshot covers.
    pub(crate) account: String,
}

/// Looks a snapshot up by exact name.
pub(crate) async fn find_snapshot(b: &mut Backend, name: &str) -> Result<Option<Snapshot>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT sname, ts, level, database_name, table_name, commit_id, account_name FROM mo_catalog.mo_snapshots \
             WHERE sname = {} AND kind = 'user'",
            sql_str(name)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().map(|r| {
        let col = |i: usize| cell(&r, i);
        Snapshot {
            name: col(0),
            ts: col(1).parse().unwrap_or(0),
            commit: col(5).parse().ok(),
            level: col(2),
            database: col(3),
            table: col(4),
            account: col(6),
        }
    }))
}

/// Looks a snapshot up, failing as MatrixOne does when it is missing (reference §1c).
pub(crate) async fn get_snapshot(b: &mut Backend, name: &str) -> Result<Snapshot, SqlError> {
    find_snapshot(b, name)
        .await?
        .ok_or_else(|| SqlError::internal(format!("find 0 snapshot records by name({name}), expect only 1")))
}

/// The (database, table) pairs a snapshot recorded; a table of `""` records a database.
pub(crate) async fn snapshot_tables(b: &mut Backend, name: &str) -> Result<Vec<(String, String)>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT database_name, table_name FROM mo_catalog.mo_snapshot_tables WHERE sname = {}",
            sql_str(name)
        ))
        .await?;
    Ok(pairs(rows.rows))
}

/// Turns two-column text rows into pairs.
pub(crate) fn pairs(rows: Vec<Vec<Option<String>>>) -> Vec<(String, String)> {
    rows.into_iter()
        .map(|r| {
            let col = |i: usize| cell(&r, i);
            (col(0), col(1))
        })
        .collect()
}

/// One PITR record.
#[derive(Debug, Clone)]
pub(crate) struct Pitr {
    pub(crate) create_time: i128,
    pub(crate) level: String,
    pub(crate) database: String,
    pub(crate) table: String,
    pub(crate) length: u64,
    pub(crate) unit: String,
}

/// Looks a PITR up by name.
pub(crate) async fn find_pitr(b: &mut Backend, name: &str) -> Result<Option<Pitr>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT create_time, level, database_name, table_name, pitr_length, pitr_unit \
             FROM mo_catalog.mo_pitr WHERE pname = {}",
            sql_str(name)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().map(|r| {
        let col = |i: usize| cell(&r, i);
        Pitr {
            create_time: col(0).parse().unwrap_or(0),
            level: col(1),
            database: col(2),
            table: col(3),
            length: col(4).parse().unwrap_or(0),
            unit: col(5),
        }
    }))
}

/// Whether a row matching `filter` exists in `table` (a catalog or information_schema table).
pub(crate) async fn exists(b: &mut Backend, table: &str, filter: &str) -> Result<bool, SqlError> {
    let rows = b.query(&format!("SELECT 1 FROM {table} WHERE {filter} LIMIT 1")).await?;
    Ok(!rows.rows.is_empty())
}

/// Whether database `db` exists on the backend.
pub(crate) async fn database_exists(b: &mut Backend, db: &str) -> Result<bool, SqlError> {
    exists(b, "information_schema.schemata", &format!("schema_name = {}", sql_str(db))).await
}

/// Whether table `db.t` exists on the backend (base or system-versioned).
pub(crate) async fn table_exists(b: &mut Backend, db: &str, t: &str) -> Result<bool, SqlError> {
    exists(
        b,
        "information_schema.tables",
        &format!("table_schema = {} AND table_name = {}", sql_str(db), sql_str(t)),
    )
    .await
}

/// The session's current database, if any.
pub(crate) async fn current_database(b: &mut Backend) -> Result<Option<String>, SqlError> {
    let rows = b.query("SELECT DATABASE()").await?;
    Ok(rows.rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
}
