//! [`SnapshotInfo`] and [`SnapshotLevel`]: one row of `SHOW SNAPSHOTS`.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::from_row::FromRow;
use crate::result::Row;

/// What a snapshot (or a PITR) covers: MatrixOne's `cluster | account | database | table`.
///
/// Parsed case-insensitively from the server's text ([`std::str::FromStr`]); serialized and
/// displayed lower-case, as the server writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SnapshotLevel {
    /// The whole cluster.
    Cluster,
    /// One account.
    Account,
    /// One database.
    Database,
    /// One table.
    Table,
}

impl SnapshotLevel {
    /// The server's spelling: `cluster`, `account`, `database` or `table`.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotLevel::Cluster => "cluster",
            SnapshotLevel::Account => "account",
            SnapshotLevel::Database => "database",
            SnapshotLevel::Table => "table",
        }
    }
}

impl std::fmt::Display for SnapshotLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SnapshotLevel {
    type Err = Error;

    /// ```
    /// use matrixone::mo::SnapshotLevel;
    /// assert_eq!("TABLE".parse::<SnapshotLevel>().unwrap(), SnapshotLevel::Table);
    /// assert!("branch".parse::<SnapshotLevel>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<SnapshotLevel> {
        let text = text.trim();
        [SnapshotLevel::Cluster, SnapshotLevel::Account, SnapshotLevel::Database, SnapshotLevel::Table]
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| Error::decode(format!("unknown level {text:?}")))
    }
}

/// One row of `SHOW SNAPSHOTS`.
///
/// Read by column label, case-insensitively (MatrixOne returns upper-case labels for a plain
/// `SHOW SNAPSHOTS` and lower-case ones with a `WHERE`): `SNAPSHOT_NAME`, `TIMESTAMP`,
/// `SNAPSHOT_LEVEL`, `ACCOUNT_NAME`, `DATABASE_NAME`, `TABLE_NAME`.
///
/// A row with a level this SDK does not know is a [`crate::ErrorKind::Decode`] error naming the
/// snapshot: it is reported, never silently dropped or guessed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SnapshotInfo {
    /// The snapshot's name (lower case).
    pub name: String,
    /// When the snapshot was taken, in UTC. The server sends it as text with 0 to 9 fractional
    /// digits; all of them are kept.
    pub timestamp: NaiveDateTime,
    /// What the snapshot covers.
    pub level: SnapshotLevel,
    /// The account it belongs to (empty for a cluster snapshot on some builds).
    pub account: String,
    /// The database, for database and table snapshots (the server's empty string is `None`).
    pub database: Option<String>,
    /// The table, for table snapshots (the server's empty string is `None`).
    pub table: Option<String>,
}

impl FromRow for SnapshotInfo {
    fn from_row(row: &Row) -> Result<SnapshotInfo> {
        let name: String = row.get("SNAPSHOT_NAME")?;
        let in_row = |e: Error| Error::decode(format!("SHOW SNAPSHOTS row for {name:?}: {}", e.message()));
        let level: String = row.get("SNAPSHOT_LEVEL").map_err(in_row)?;
        Ok(SnapshotInfo {
            timestamp: row.get("TIMESTAMP").map_err(in_row)?,
            level: level.parse().map_err(in_row)?,
            account: row.get::<Option<String>>("ACCOUNT_NAME").map_err(in_row)?.unwrap_or_default(),
            database: non_empty(row.get_optional("DATABASE_NAME").map_err(in_row)?),
            table: non_empty(row.get_optional("TABLE_NAME").map_err(in_row)?),
            name,
        })
    }
}

/// The server writes an unset scope column as `''`; that and NULL are `None`.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}
