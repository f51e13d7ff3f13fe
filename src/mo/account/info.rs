//! [`AccountInfo`]: one row of `SHOW ACCOUNTS`.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::from_row::FromRow;
use crate::result::Row;

/// One row of `SHOW ACCOUNTS`, read by label: `account_name admin_name created_time status
/// suspended_time db_count tbl_count size snapshot_size comments` (test/distributed/cases/
/// tenant/tenant.result; the Python SDK reads these by position and shifts half of them, its
/// review §1.9). Columns a server does not send are `None`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AccountInfo {
    /// The account's name (lower case).
    pub name: String,
    /// Its admin user.
    pub admin_name: Option<String>,
    /// When it was created.
    pub created: Option<NaiveDateTime>,
    /// `open`, `suspend` or `restricted`.
    pub status: Option<String>,
    /// When it was last suspended.
    pub suspended: Option<NaiveDateTime>,
    /// How many databases it has.
    pub databases: Option<i64>,
    /// How many tables it has.
    pub tables: Option<i64>,
    /// Its size, in MB.
    pub size: Option<f64>,
    /// The size of its snapshots, in MB.
    pub snapshot_size: Option<f64>,
    /// Its comment.
    pub comment: Option<String>,
}

impl FromRow for AccountInfo {
    fn from_row(row: &Row) -> Result<AccountInfo> {
        let name: String = row.get("account_name")?;
        let in_row = |e: Error| Error::decode(format!("SHOW ACCOUNTS row for {name:?}: {}", e.message()));
        Ok(AccountInfo {
            admin_name: row.get_optional("admin_name").map_err(in_row)?,
            created: row.get_optional("created_time").map_err(in_row)?,
            status: row.get_optional("status").map_err(in_row)?,
            suspended: row.get_optional("suspended_time").map_err(in_row)?,
            databases: row.get_optional("db_count").map_err(in_row)?,
            tables: row.get_optional("tbl_count").map_err(in_row)?,
            size: row.get_optional("size").map_err(in_row)?,
            snapshot_size: row.get_optional("snapshot_size").map_err(in_row)?,
            comment: row.get_optional::<String>("comments").map_err(in_row)?.filter(|c| !c.is_empty()),
            name,
        })
    }
}
