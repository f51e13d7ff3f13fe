//! The MatrixOne-only statements mosim carries out itself, as parsed values.

/// A point in time named by a `{...}` table hint or a restore clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeSpec {
    /// `{SNAPSHOT = name}`: the snapshot's timestamp.
    Snapshot(String),
    /// `{TIMESTAMP = 'YYYY-MM-DD HH:MM:SS[.f]'}` (UTC) or `{AS OF TIMESTAMP '...'}`.
    Utc(String),
    /// `{MO_TS = n}` or an integer `{TIMESTAMP = n}`: nanoseconds since the epoch.
    Nanos(i128),
}

/// What a snapshot or PITR covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Everything.
    Cluster,
    /// One account; `None` means the current one.
    Account(Option<String>),
    /// One database.
    Database(String),
    /// One table: database, table.
    Table(String, String),
}

/// What a RESTORE brings back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RestoreTarget {
    /// `RESTORE CLUSTER`.
    Cluster,
    /// `RESTORE ACCOUNT a`; `None` is the PITR form without ACCOUNT (current account).
    Account(Option<String>),
    /// `RESTORE DATABASE [acc.]db`.
    Database { account: Option<String>, db: String },
    /// `RESTORE TABLE [acc.]db.t`.
    Table { account: Option<String>, db: String, table: String },
}

/// A possibly qualified table name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableName {
    pub(crate) db: Option<String>,
    pub(crate) table: String,
}

/// A MatrixOne-only statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MoStmt {
    /// `CREATE SNAPSHOT [IF NOT EXISTS] s FOR ...`.
    CreateSnapshot { if_not_exists: bool, name: String, scope: Scope },
    /// `DROP SNAPSHOT [IF EXISTS] s`.
    DropSnapshot { if_exists: bool, name: String },
    /// `SHOW SNAPSHOTS [WHERE expr]`, with the WHERE text as written.
    ShowSnapshots { filter: Option<String> },
    /// `CREATE DATABASE [IF NOT EXISTS] dst CLONE src [hint] [TO ACCOUNT a]`.
    CloneDatabase {
        if_not_exists: bool,
        dst: String,
        src: String,
        at: Option<TimeSpec>,
        to_account: Option<String>,
    },
    /// `CREATE TABLE [IF NOT EXISTS] dst CLONE src [hint] [COPY GRANTS] [TO ACCOUNT a]`.
    CloneTable {
        if_not_exists: bool,
        dst: TableName,
        src: TableName,
        at: Option<TimeSpec>,
        to_account: Option<String>,
    },
    /// `RESTORE ... {SNAPSHOT = s}` (v4) or `RESTORE ... FROM SNAPSHOT s` (v3).
    RestoreSnapshot { target: RestoreTarget, snapshot: String, to_account: Option<String> },
    /// `RESTORE ... FROM PITR p 'ts' [[AS] source]`.
    RestorePitr { target: RestoreTarget, pitr: String, ts: String, source_account: Option<String> },
    /// `CREATE PITR [IF NOT EXISTS] p [FOR ...] RANGE n 'unit'`.
    CreatePitr { if_not_exists: bool, name: String, scope: Scope, value: u64, unit: String },
    /// `ALTER PITR [IF EXISTS] p RANGE n 'unit'`.
    AlterPitr { if_exists: bool, name: String, value: u64, unit: String },
    /// `DROP PITR [IF EXISTS] p`.
    DropPitr { if_exists: bool, name: String },
    /// `SHOW PITR [WHERE expr]`.
    ShowPitr { filter: Option<String> },
    /// `SELECT mo_ctl('svc', 'method', 'param')`.
    MoCtl { service: String, method: String, param: String },
    /// `SHOW PUBLICATIONS [LIKE ...]`.
    ShowPublications,
    /// `DROP TABLE [IF EXISTS] t, ...`: plain SQL, but the tables' history is kept.
    DropTable { if_exists: bool, tables: Vec<TableName>, original: String },
    /// `DROP DATABASE | SCHEMA [IF EXISTS] d`: plain SQL, but the tables' history is kept.
    DropDatabase { name: String, original: String },
    /// `DATA BRANCH ...` (carried out by `mo::branch`).
    Branch(Box<crate::mo::branch::stmt::BranchStmt>),
    /// A MatrixOne statement mosim recognises but does not simulate (publications,
    /// accounts): answered with `not supported`, never a misleading 1064.
    NotSimulated(&'static str),
}
