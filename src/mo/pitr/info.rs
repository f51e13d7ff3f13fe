//! [`PitrInfo`]: one row of `SHOW PITR`.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::from_row::FromRow;
use crate::mo::{PitrUnit, SnapshotLevel};
use crate::result::Row;

/// One row of `SHOW PITR`.
///
/// Read by column label, case-insensitively (labels are lower-case with a `WHERE`):
/// `PITR_NAME`, `CREATED_TIME`, `MODIFIED_TIME`, `PITR_LEVEL`, `ACCOUNT_NAME`, `DATABASE_NAME`,
/// `TABLE_NAME`, `PITR_LENGTH`, `PITR_UNIT`. The server writes an unset scope column as `*`;
/// that (and NULL or an empty string) is `None`. An unknown level or unit is a
/// [`crate::ErrorKind::Decode`] error naming the PITR.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PitrInfo {
    /// The PITR's name (lower case).
    pub name: String,
    /// When it was created, to the second, in the session's time zone (the SDK's sessions use
    /// UTC).
    pub created: NaiveDateTime,
    /// When its range was last changed, like `created`.
    pub modified: NaiveDateTime,
    /// What it covers (PITRs have the same four levels as snapshots).
    pub level: SnapshotLevel,
    /// The account it covers; `None` for a cluster PITR.
    pub account: Option<String>,
    /// The database, for database and table PITRs.
    pub database: Option<String>,
    /// The table, for table PITRs.
    pub table: Option<String>,
    /// How many units back it reaches (1 to 100).
    pub length: u32,
    /// The unit of `length`.
    pub unit: PitrUnit,
}

impl FromRow for PitrInfo {
    fn from_row(row: &Row) -> Result<PitrInfo> {
        let name: String = row.get("PITR_NAME")?;
        let in_row = |e: Error| Error::decode(format!("SHOW PITR row for {name:?}: {}", e.message()));
        let level: String = row.get("PITR_LEVEL").map_err(in_row)?;
        let unit: String = row.get("PITR_UNIT").map_err(in_row)?;
        Ok(PitrInfo {
            created: row.get("CREATED_TIME").map_err(in_row)?,
            modified: row.get("MODIFIED_TIME").map_err(in_row)?,
            level: level.parse().map_err(in_row)?,
            account: scope_column(row.get_optional("ACCOUNT_NAME").map_err(in_row)?),
            database: scope_column(row.get_optional("DATABASE_NAME").map_err(in_row)?),
            table: scope_column(row.get_optional("TABLE_NAME").map_err(in_row)?),
            length: row.get("PITR_LENGTH").map_err(in_row)?,
            unit: unit.parse().map_err(in_row)?,
            name,
        })
    }
}

/// `*` (the server's "not set"), `''` and NULL are `None`.
fn scope_column(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty() && v != "*")
}
