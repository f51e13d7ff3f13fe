//! The DATA BRANCH statements as parsed values (grammar: `branch_stmt` in MatrixOne's
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y).

use crate::sql::statement::{TableName, TimeSpec};

/// A table operand: a possibly qualified name with an optional `{SNAPSHOT = ...}` hint
/// (MatrixOne's `table_name` carries `table_snapshot_opt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BranchTable {
    pub(crate) name: TableName,
    pub(crate) at: Option<TimeSpec>,
}

/// `WHEN CONFLICT ...` of MERGE and PICK; `None` in the statement when absent (which
/// fails on a conflict, as FAIL does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conflict {
    /// `WHEN CONFLICT FAIL`.
    Fail,
    /// `WHEN CONFLICT SKIP`: the destination's row stays.
    Skip,
    /// `WHEN CONFLICT ACCEPT`: the source's row wins.
    Accept,
}

/// What a DIFF returns (`diff_output_opt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DiffOutput {
    /// The rows themselves.
    Rows,
    /// `OUTPUT LIMIT n`: the first n rows.
    Limit(u64),
    /// `OUTPUT COUNT`: one row, `COUNT(*)`.
    Count,
    /// `OUTPUT SUMMARY`: INSERTED / DELETED / UPDATED per side.
    Summary,
    /// `OUTPUT AS [db.]t`: the rows saved into a new table.
    As(TableName),
    /// `OUTPUT FILE 'dir'`.
    File(String),
}

/// The keys a PICK takes (`pick_keys_clause`), as the client wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PickKeys {
    /// `KEYS (v1, v2, ...)` / `KEYS ((a, b), ...)`: each expression's text.
    Values(Vec<String>),
    /// `KEYS (SELECT ...)`: the query's text.
    Query(String),
}

/// One DATA BRANCH statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BranchStmt {
    /// `DATA BRANCH CREATE TABLE dst FROM src[{snapshot}] [TO ACCOUNT a]`.
    CreateTable { dst: TableName, src: BranchTable, to_account: Option<String> },
    /// `DATA BRANCH CREATE DATABASE dst FROM src [{snapshot}] [TO ACCOUNT a]`.
    CreateDatabase { dst: String, src: String, at: Option<TimeSpec>, to_account: Option<String> },
    /// `DATA BRANCH DELETE TABLE t`.
    DeleteTable(TableName),
    /// `DATA BRANCH DELETE DATABASE d`.
    DeleteDatabase(String),
    /// `DATA BRANCH DIFF target AGAINST base [COLUMNS (...)] [OUTPUT ...]`.
    Diff { target: BranchTable, base: BranchTable, columns: Option<Vec<String>>, output: DiffOutput },
    /// `DATA BRANCH MERGE src INTO dst [WHEN CONFLICT ...]`.
    Merge { src: BranchTable, dst: BranchTable, conflict: Option<Conflict> },
    /// `DATA BRANCH PICK ...`.
    Pick(PickStmt),
}

/// `DATA BRANCH PICK src INTO dst [BETWEEN SNAPSHOT a AND b] [KEYS (...)] [WHEN CONFLICT ...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PickStmt {
    pub(crate) src: BranchTable,
    pub(crate) dst: BranchTable,
    /// `BETWEEN SNAPSHOT from AND to`.
    pub(crate) between: Option<(String, String)>,
    pub(crate) keys: Option<PickKeys>,
    pub(crate) conflict: Option<Conflict>,
}
