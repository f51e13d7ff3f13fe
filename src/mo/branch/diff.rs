//! What `DATA BRANCH DIFF` returns: the rows ([`DiffRows`], [`DiffRow`]), the summary
//! ([`DiffSummary`]) and the file written by `OUTPUT FILE` ([`DiffFile`]).
//!
//! The shapes follow MatrixOne's results (test/distributed/cases/git4data/branch/diff/diff_1.result,
//! edge/branch_matrix_coverage.result, edge/branch_float_special_values.result): a plain DIFF's
//! first column is labelled `diff <target> against <base>` and holds the name of the table the row
//! is on, then `flag` (`INSERT`, `UPDATE` or `DELETE`), then the table's columns.

use crate::error::{Error, Result};
use crate::from_row::FromRow;
use crate::result::{ResultSet, Row};

/// How a row changed on its side, since the point the two tables share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum DiffFlag {
    /// The row was added on this side.
    Insert,
    /// The row was changed on this side (the row holds the new values).
    Update,
    /// The row was removed on this side (the row holds the old values).
    Delete,
}

impl DiffFlag {
    /// Reads MatrixOne's `flag` text.
    ///
    /// ```
    /// use matrixone::mo::DiffFlag;
    /// assert_eq!(DiffFlag::parse("UPDATE"), Some(DiffFlag::Update));
    /// assert_eq!(DiffFlag::parse("delete"), Some(DiffFlag::Delete));
    /// assert_eq!(DiffFlag::parse("MOVE"), None);
    /// ```
    pub fn parse(text: &str) -> Option<DiffFlag> {
        match text.to_ascii_uppercase().as_str() {
            "INSERT" => Some(DiffFlag::Insert),
            "UPDATE" => Some(DiffFlag::Update),
            "DELETE" => Some(DiffFlag::Delete),
            _ => None,
        }
    }
}

/// Which of the two compared tables a row is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum DiffSide {
    /// The first table of `DIFF target AGAINST base`.
    Target,
    /// The second one.
    Base,
    /// The two tables have the same name (one table at two snapshots, or two databases' tables
    /// of one name): MatrixOne writes the same text for both sides, so the side cannot be told.
    Unknown,
}

/// One row of a DIFF: the table it is on, how it changed, and its columns.
#[derive(Debug)]
pub struct DiffRow {
    /// The table name MatrixOne wrote in the first column.
    pub table: String,
    /// Which side that is.
    pub side: DiffSide,
    /// How the row changed.
    pub flag: DiffFlag,
    /// The row's own columns (the side and flag columns left out): read them with
    /// [`Row::get`] or [`DiffRow::read`].
    pub row: Row,
}

impl DiffRow {
    /// The row's columns read into `T` (by label or by position, as `T`'s [`FromRow`] does;
    /// position 0 is the table's first column).
    pub fn read<T: FromRow>(&self) -> Result<T> {
        T::from_row(&self.row)
    }
}

/// The rows of a DIFF, in the server's order, and the two table names of its header.
#[derive(Debug, Default)]
pub struct DiffRows {
    /// The target table's name, from the first column's label.
    pub target: String,
    /// The base table's name, from the first column's label.
    pub base: String,
    /// The rows.
    pub rows: Vec<DiffRow>,
}

impl DiffRows {
    /// Reads a DIFF's result; a row whose flag is not one of MatrixOne's is a
    /// [`crate::ErrorKind::Decode`] error.
    pub(crate) fn from_result(result: ResultSet) -> Result<DiffRows> {
        let Some(label) = result.columns().first().cloned() else {
            return Ok(DiffRows::default());
        };
        let (target, base) = parse_header(&label)?;
        let mut rows = Vec::with_capacity(result.len());
        for row in result.into_rows() {
            let table: String = row.get(0)?;
            let flag_text: String = row.get(1)?;
            let flag = DiffFlag::parse(&flag_text).ok_or_else(|| {
                Error::decode(format!("DATA BRANCH DIFF returned an unknown flag {flag_text:?}"))
            })?;
            let side = if target == base {
                DiffSide::Unknown
            } else if table == target {
                DiffSide::Target
            } else if table == base {
                DiffSide::Base
            } else {
                DiffSide::Unknown
            };
            rows.push(DiffRow { table, side, flag, row: row.skipping(2) });
        }
        Ok(DiffRows { target, base, rows })
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the tables do not differ.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, DiffRow> {
        self.rows.iter()
    }

    /// Every row as (side, flag, the row's columns read into `T`).
    pub fn typed<T: FromRow>(&self) -> Result<Vec<(DiffSide, DiffFlag, T)>> {
        self.rows.iter().map(|r| Ok((r.side, r.flag, r.read()?))).collect()
    }
}

impl IntoIterator for DiffRows {
    type Item = DiffRow;
    type IntoIter = std::vec::IntoIter<DiffRow>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

/// `diff <target> against <base>` -> (target, base).
fn parse_header(label: &str) -> Result<(String, String)> {
    label
        .strip_prefix("diff ")
        .and_then(|rest| rest.split_once(" against "))
        .map(|(t, b)| (t.to_owned(), b.to_owned()))
        .ok_or_else(|| {
            Error::decode(format!(
                "DATA BRANCH DIFF's first column is {label:?}, not \"diff <target> against <base>\""
            ))
        })
}

/// Rows inserted, deleted and updated on one side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SideCounts {
    /// `INSERTED`.
    pub inserted: u64,
    /// `DELETED`.
    pub deleted: u64,
    /// `UPDATED`.
    pub updated: u64,
}

/// What `OUTPUT SUMMARY` returns: per side, how many rows were inserted, deleted and updated.
///
/// MatrixOne answers with columns `metric`, then one per table (labelled with its name), and a
/// row per metric (`INSERTED`, `DELETED`, `UPDATED`; edge/branch_matrix_coverage.result).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DiffSummary {
    /// The target's label.
    pub target_name: String,
    /// The base's label.
    pub base_name: String,
    /// The target's counts.
    pub target: SideCounts,
    /// The base's counts.
    pub base: SideCounts,
}

impl DiffSummary {
    pub(crate) fn from_result(result: &ResultSet) -> Result<DiffSummary> {
        let columns = result.columns();
        if columns.len() < 3 {
            return Err(Error::decode(format!(
                "DATA BRANCH DIFF ... OUTPUT SUMMARY returned columns {columns:?}, expected metric, target, base"
            )));
        }
        let mut summary = DiffSummary {
            target_name: columns[1].clone(),
            base_name: columns[2].clone(),
            ..DiffSummary::default()
        };
        for row in result.iter() {
            let metric: String = row.get(0)?;
            let target: u64 = row.get::<Option<u64>>(1)?.unwrap_or(0);
            let base: u64 = row.get::<Option<u64>>(2)?.unwrap_or(0);
            let (t, b) = match metric.to_ascii_uppercase().as_str() {
                "INSERTED" => (&mut summary.target.inserted, &mut summary.base.inserted),
                "DELETED" => (&mut summary.target.deleted, &mut summary.base.deleted),
                "UPDATED" => (&mut summary.target.updated, &mut summary.base.updated),
                other => {
                    return Err(Error::decode(format!(
                        "OUTPUT SUMMARY returned an unknown metric {other:?}"
                    )));
                }
            };
            *t = target;
            *b = base;
        }
        Ok(summary)
    }
}

/// What `OUTPUT FILE` returns: where the server saved the SQL, and its hint (which statements
/// the file holds). Columns `FILE SAVED TO` and `HINT` (edge/branch_float_special_values.result).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DiffFile {
    /// The file's path (or URL) on the server's side.
    pub path: String,
    /// The server's hint.
    pub hint: String,
}

impl DiffFile {
    pub(crate) fn from_result(result: &ResultSet) -> Result<DiffFile> {
        let Some(row) = result.first() else {
            return Err(Error::decode("DATA BRANCH DIFF ... OUTPUT FILE returned no row"));
        };
        Ok(DiffFile { path: row.get(0)?, hint: row.get_optional::<String>(1)?.unwrap_or_default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse() {
        assert_eq!(parse_header("diff t2 against t1").unwrap(), ("t2".to_owned(), "t1".to_owned()));
        assert!(parse_header("flag").is_err());
    }
}
