//! MatrixOne's rule of which statements may run inside an active transaction, and the
//! transaction state that rule depends on.
//!
//! MatrixOne checks every statement while a transaction is active
//! (`canExecuteStatementInUncommittedTransaction`, pkg/frontend/mysql_cmd_executor.go, called
//! from `executeStmtWithWorkspace` when `TxnHandler.InActiveTxn()`), with the classification
//! of `statementCanBeExecutedInUncommittedTransaction` in pkg/frontend/stmt_kind.go. A refused
//! statement fails with one of four texts (mysql_cmd_executor.go, near the top), all
//! `internal error` (20101); the transaction stays open.
//!
//! "Active" is MatrixOne's `TxnHandler` state (pkg/frontend/txn.go): after BEGIN / START
//! TRANSACTION (`OPTION_BEGIN`) until COMMIT or ROLLBACK; and with autocommit=0
//! (`OPTION_NOT_AUTOCOMMIT`) from the first statement after a commit on, since every statement
//! opens the transaction that the next COMMIT ends. A SET that opened the transaction closes it
//! again (`needToFinishTransactionAtStatementEnd`), and sequence DDL, administrative statements
//! and LOCK TABLES commit it (`NeedToBeCommittedInActiveTransaction`, stmt_kind.go). So after
//! `SET autocommit = 0` the first statement is never refused, the second may be.
//!
//! These rules follow MatrixOne's main branch (the commit mosim's reference was read at). The
//! v4.2.0 release differs in two places: SET TRANSACTION is refused inside a transaction (and
//! does nothing outside one), and any SET commits an active transaction.

use std::collections::HashMap;

use crate::error::SqlError;
use crate::sql::lexer::{Kind as Tok, Token, tokenize};
use crate::sql::variables::PreparedRead;
use crate::wire::caps::{STATUS_AUTOCOMMIT, STATUS_IN_TRANS};
use crate::wire::wording::Wording;

/// A statement as `statementCanBeExecutedInUncommittedTransaction` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Runs inside a transaction, as part of it: DML, SELECT, most SHOWs, USE, EXPLAIN, CALL,
    /// TRUNCATE, savepoints, DATA BRANCH CREATE / DELETE / DIFF.
    Allowed,
    /// BEGIN / START TRANSACTION: commits an open transaction and opens one (`OPTION_BEGIN`).
    Begin,
    /// COMMIT / ROLLBACK (not to a savepoint); `chain` for `AND CHAIN`.
    End { rollback: bool, chain: bool },
    /// SET of variables, SET NAMES, SET TRANSACTION: allowed; one that opened the transaction
    /// with autocommit=0 closes it again.
    Set,
    /// DDL MatrixOne allows inside a transaction, as part of it: CREATE / DROP / ALTER TABLE,
    /// CREATE / DROP INDEX, CREATE / ALTER / DROP VIEW, CREATE / DROP DATABASE, the clones.
    /// MariaDB commits before each of them, so mosim runs them as `mo::txn_undo` describes.
    Ddl,
    /// ANALYZE / CHECK TABLE: allowed in MatrixOne; MariaDB commits before them.
    Maintenance,
    /// CREATE / DROP SEQUENCE: refused after BEGIN; with autocommit=0 they run and commit.
    Sequence,
    /// LOCK TABLES: allowed; commits the transaction.
    LockTables,
    /// Account, user and role statements, GRANT / REVOKE, SET ROLE / PASSWORD, USE ROLE
    /// (`IsAdministrativeStatement`): refused; outside a transaction they commit.
    Administrative,
    /// DDL MatrixOne does not allow inside a transaction (RENAME TABLE).
    RefusedDdl,
    /// DATA BRANCH MERGE: allowed only after BEGIN.
    BranchMerge,
    /// DATA BRANCH PICK: never inside a transaction.
    BranchPick,
    /// `PREPARE name FROM ...`: as the statement it prepares.
    Prepare { name: String, inner: Box<Kind> },
    /// `EXECUTE name`: as the statement prepared under that name.
    Execute { name: String },
    /// Anything MatrixOne does not list: snapshots, PITR, RESTORE, SHOW SNAPSHOTS / PITR,
    /// KILL, routines, ... (`unclassified statement appears in uncommitted transaction`).
    Unclassified,
}

/// How a refused statement is worded (mysql_cmd_executor.go, the `*ErrorInfo` helpers).
const ONLY_CREATE: &str = "Only CREATE of DDL is supported in transactions";
const ADMINISTRATIVE: &str = "administrative command is unsupported in transactions";
const UNCLASSIFIED: &str = "unclassified statement appears in uncommitted transaction";
const BRANCH: &str = "DATA BRANCH MERGE/PICK is not supported in transactions";

/// Classifies a statement by its leading words, as MatrixOne's parser would type it.
pub(crate) fn classify(toks: &[Token]) -> Kind {
    let w = |i: usize| -> String {
        match toks.get(i).map(|t| &t.kind) {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            _ => String::new(),
        }
    };
    let Some(first) = toks.first() else { return Kind::Allowed };
    if first.is('(') {
        return Kind::Allowed;
    }
    let word = w(0);
    match word.as_str() {
        "select" | "with" | "values" | "table" | "insert" | "replace" | "update" | "delete" | "load"
        | "explain" | "describe" | "desc" | "call" | "truncate" | "savepoint" | "release" | "deallocate"
        | "unlock" => Kind::Allowed,
        "analyze" | "check" => Kind::Maintenance,
        "begin" if w(1).is_empty() || w(1) == "work" => Kind::Begin,
        "start" if w(1) == "transaction" => Kind::Begin,
        "commit" => Kind::End { rollback: false, chain: chained(toks) },
        "rollback" if toks.iter().any(|t| t.is_kw("to")) => Kind::Allowed,
        "rollback" => Kind::End { rollback: true, chain: chained(toks) },
        "set" => match w(1).as_str() {
            "role" | "password" => Kind::Administrative,
            "default" if w(2) == "role" => Kind::Administrative,
            _ => Kind::Set,
        },
        "use" if w(1) == "role" || w(1) == "secondary" => Kind::Administrative,
        "use" => Kind::Allowed,
        "grant" | "revoke" => Kind::Administrative,
        "lock" => Kind::LockTables,
        "rename" if w(1) == "table" || w(1) == "tables" => Kind::RefusedDdl,
        "create" => create_kind(toks),
        "drop" => {
            let i = if w(1) == "temporary" { 2 } else { 1 };
            match w(i).as_str() {
                "table" | "tables" | "index" | "view" | "database" | "schema" => Kind::Ddl,
                "sequence" => Kind::Sequence,
                "account" | "user" | "role" => Kind::Administrative,
                "prepare" => Kind::Allowed,
                _ => Kind::Unclassified,
            }
        }
        "alter" => {
            let mut i = 1;
            while matches!(w(i).as_str(), "online" | "ignore") {
                i += 1;
            }
            match w(i).as_str() {
                "table" | "view" => Kind::Ddl,
                "account" | "user" => Kind::Administrative,
                _ => Kind::Unclassified,
            }
        }
        "show" => show_kind(toks),
        "prepare" => {
            let name = toks.get(1).and_then(Token::ident).unwrap_or_default().to_ascii_lowercase();
            let inner = match toks.get(3).map(|t| &t.kind) {
                Some(Tok::Str(sql)) => classify(&tokenize(sql.as_bytes())),
                // PREPARE ... FROM @var: the text is not known here.
                _ => Kind::Allowed,
            };
            Kind::Prepare { name, inner: Box::new(inner) }
        }
        "execute" => Kind::Execute {
            name: toks.get(1).and_then(Token::ident).unwrap_or_default().to_ascii_lowercase(),
        },
        "data" if w(1) == "branch" => match w(2).as_str() {
            "merge" => Kind::BranchMerge,
            "pick" => Kind::BranchPick,
            // Allowed, and part of the transaction (edge/branch_edge_cases.result).
            "create" | "delete" => Kind::Ddl,
            _ => Kind::Allowed,
        },
        "reset" if w(1) == "prepare" => Kind::Allowed,
        _ => Kind::Unclassified,
    }
}

/// `COMMIT | ROLLBACK [WORK] AND CHAIN` (not `AND NO CHAIN`).
fn chained(toks: &[Token]) -> bool {
    toks.windows(2).any(|p| p[0].is_kw("and") && p[1].is_kw("chain"))
}

fn create_kind(toks: &[Token]) -> Kind {
    let mut i = 1;
    // Skip what may stand between CREATE and the object: OR REPLACE, TEMPORARY, EXTERNAL,
    // UNIQUE / FULLTEXT / SPATIAL, and a view's ALGORITHM = x, DEFINER = u, SQL SECURITY x.
    loop {
        let Some(t) = toks.get(i) else { return Kind::Unclassified };
        if t.is_kw("or") && toks.get(i + 1).is_some_and(|t| t.is_kw("replace")) {
            i += 2;
        } else if ["temporary", "external", "unique", "fulltext", "spatial", "cluster"]
            .iter()
            .any(|k| t.is_kw(k))
        {
            i += 1;
        } else if t.is_kw("algorithm") || t.is_kw("definer") {
            // `= value`, where a definer is `user@host` in up to five tokens.
            i += 1;
            let stop = (i + 6).min(toks.len());
            while i < stop && !toks[i].is_kw("sql") && !toks[i].is_kw("view") && !toks[i].is_kw("definer") {
                i += 1;
            }
        } else if t.is_kw("sql") && toks.get(i + 1).is_some_and(|t| t.is_kw("security")) {
            i += 3;
        } else {
            break;
        }
    }
    let object = match toks.get(i).map(|t| &t.kind) {
        Some(Tok::Word(w)) => w.to_ascii_lowercase(),
        _ => return Kind::Unclassified,
    };
    match object.as_str() {
        "table" | "index" | "view" | "database" | "schema" => Kind::Ddl,
        "sequence" => Kind::Sequence,
        "account" | "user" | "role" => Kind::Administrative,
        "iceberg" => Kind::Allowed,
        _ => Kind::Unclassified,
    }
}

/// The SHOW statements stmt_kind.go lists; the others (SHOW SNAPSHOTS, SHOW PITR, SHOW ROLES,
/// SHOW STAGES, SHOW TABLE_SIZE, SHOW CREATE FUNCTION, ...) are unclassified.
fn show_kind(toks: &[Token]) -> Kind {
    let w = |i: usize| -> String {
        match toks.get(i).map(|t| &t.kind) {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            _ => String::new(),
        }
    };
    let mut i = 1;
    while matches!(w(i).as_str(), "full" | "extended" | "global" | "session" | "local") {
        i += 1;
    }
    let allowed = match w(i).as_str() {
        "create" => matches!(w(i + 1).as_str(), "table" | "view" | "database" | "schema" | "publication"),
        "table" => w(i + 1) == "status",
        "function" | "procedure" => w(i + 1) == "status",
        "node" => w(i + 1) == "list",
        "character" => w(i + 1) == "set",
        "backend" => w(i + 1) == "servers",
        "publication" => w(i + 1) == "coverage",
        "columns" | "fields" | "databases" | "schemas" | "tables" | "sequences" | "processlist"
        | "errors" | "warnings" | "count" | "collation" | "variables" | "status" | "index" | "indexes"
        | "keys" | "grants" | "locks" | "table_number" | "column_number" | "table_values" | "accounts"
        | "publications" | "subscriptions" | "config" | "charset" | "engines" | "triggers" | "events"
        | "plugins" | "privileges" | "profiles" | "profile" | "upgrade" | "iceberg" | "logservice" => true,
        _ => false,
    };
    if allowed { Kind::Allowed } else { Kind::Unclassified }
}

/// Whether the statement only reads the diagnostics of the one before it, so an implicit
/// step in between would wipe what it reads.
pub(crate) fn reads_diagnostics(toks: &[Token]) -> bool {
    let w = |i: usize| {
        toks.get(i).is_some_and(|t| t.is_kw("show"))
            && toks.get(i + 1).is_some_and(|t| t.is_kw("warnings") || t.is_kw("errors") || t.is_kw("count"))
    };
    w(0)
}

/// What ended with a statement, for the DDL undo log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The transaction is still open (or there was none).
    No,
    /// It committed: COMMIT, BEGIN over it, autocommit back on, or a committing statement.
    Committed,
}

/// One session's transaction state as MatrixOne's `TxnHandler` keeps it.
#[derive(Debug, Default)]
pub(crate) struct TxnState {
    /// `OPTION_BEGIN`: BEGIN / START TRANSACTION opened the transaction.
    begun: bool,
    /// `InActiveTxn()`: a transaction is open, so the rule applies to the next statement.
    active: bool,
    /// Kinds of the statements prepared by name (`PREPARE s FROM '...'`), for EXECUTE.
    by_name: HashMap<String, Kind>,
    /// Statements prepared over the protocol (COM_STMT_PREPARE), by id.
    by_id: HashMap<u32, Prepared>,
}

/// A statement prepared over the protocol: its kind, and for DDL the client's text and the
/// text MariaDB prepared, so that inside a transaction it can run as `txn_undo` runs DDL.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) kind: Kind,
    /// How MatrixOne words the statement's errors.
    pub(crate) wording: Wording,
    /// The variables mosim keeps that it reads, set before each execution.
    pub(crate) reads: Vec<PreparedRead>,
    pub(crate) sql: Vec<u8>,
    pub(crate) text: Vec<u8>,
}

impl TxnState {
    /// Whether a statement that starts now belongs to a multi-statement transaction: after
    /// BEGIN, or with autocommit off (where it opens one if none is open).
    pub(crate) fn in_transaction(&self, status: u16) -> bool {
        self.begun || status & STATUS_AUTOCOMMIT == 0
    }

    /// Whether BEGIN opened the current transaction (`OPTION_BEGIN`).
    pub(crate) fn begun(&self) -> bool {
        self.begun
    }

    /// Whether a transaction is active, so the rule applies.
    #[cfg(test)]
    pub(crate) fn active(&self) -> bool {
        self.active
    }

    /// MatrixOne's refusal of `kind` in the active transaction, if any. `prepared` is a
    /// statement reached through PREPARE / EXECUTE (or their protocol commands), which
    /// MatrixOne words as unclassified whatever it prepares.
    pub(crate) fn check(&self, kind: &Kind) -> Result<(), SqlError> {
        if !self.active {
            return Ok(());
        }
        let (allowed, prepared) = self.allowed(kind);
        if allowed {
            return Ok(());
        }
        let text = match kind {
            _ if prepared => UNCLASSIFIED,
            Kind::BranchMerge | Kind::BranchPick => BRANCH,
            Kind::Sequence | Kind::RefusedDdl => ONLY_CREATE,
            Kind::Administrative => ADMINISTRATIVE,
            _ => UNCLASSIFIED,
        };
        Err(SqlError::internal(text))
    }

    /// Whether `kind` may run, and whether it came through a prepared statement.
    fn allowed(&self, kind: &Kind) -> (bool, bool) {
        match kind {
            Kind::Allowed
            | Kind::Begin
            | Kind::End { .. }
            | Kind::Set
            | Kind::Ddl
            | Kind::Maintenance
            | Kind::LockTables => (true, false),
            // Case 1 / 3 of stmt_kind.go: refused after BEGIN, run with autocommit=0.
            Kind::Sequence => (!self.begun, false),
            Kind::BranchMerge => (self.begun, false),
            Kind::Administrative | Kind::RefusedDdl | Kind::BranchPick | Kind::Unclassified => (false, false),
            Kind::Prepare { inner, .. } => (self.allowed(inner).0, true),
            Kind::Execute { name } => match self.by_name.get(name) {
                Some(inner) => (self.allowed(inner).0, true),
                None => (true, true),
            },
        }
    }

    /// The statement prepared over the protocol as `id`, if mosim saw it prepared.
    pub(crate) fn prepared(&self, id: u32) -> Option<&Prepared> {
        self.by_id.get(&id)
    }

    /// Remembers what COM_STMT_PREPARE prepared under `id`; texts are kept for DDL only.
    pub(crate) fn remember_prepared(
        &mut self,
        id: u32,
        kind: Kind,
        (wording, reads): (Wording, Vec<PreparedRead>),
        sql: &[u8],
        text: &[u8],
    ) {
        let (sql, text) =
            if kind == Kind::Ddl { (sql.to_vec(), text.to_vec()) } else { (Vec::new(), Vec::new()) };
        self.by_id.insert(id, Prepared { kind, wording, reads, sql, text });
    }

    /// Forgets a statement closed with COM_STMT_CLOSE, or all of them on a reset.
    pub(crate) fn forget_prepared(&mut self, id: Option<u32>) {
        match id {
            Some(id) => {
                self.by_id.remove(&id);
            }
            None => {
                self.by_id.clear();
                self.by_name.clear();
            }
        }
    }

    /// Updates the state after a statement of `kind` ran (or failed: MatrixOne then rolls
    /// back the statement only, and the transaction stays). `before` and `after` are the
    /// server status flags around it; `mosim_closed` is set when mosim's DDL emulation
    /// committed MariaDB's side of an open transaction and will open it again.
    pub(crate) fn after(
        &mut self,
        kind: &Kind,
        succeeded: bool,
        before: u16,
        after: u16,
        mosim_closed: bool,
    ) -> Ended {
        let was_active = self.active;
        let autocommit = after & STATUS_AUTOCOMMIT != 0;
        let multi = self.begun || !autocommit;
        let mut ended = Ended::No;
        if let Kind::Prepare { name, inner } = kind
            && succeeded
        {
            self.by_name.insert(name.clone(), (**inner).clone());
        }
        match kind {
            Kind::Begin if succeeded => {
                if was_active {
                    ended = Ended::Committed;
                }
                self.begun = true;
                self.active = true;
            }
            Kind::End { chain, .. } => {
                ended = Ended::Committed;
                self.begun = *chain;
                self.active = *chain;
            }
            Kind::Set => {
                // autocommit off -> on commits (TxnHandler.SetAutocommit); a SET that opened
                // the transaction closes it (needToFinishTransactionAtStatementEnd).
                if before & STATUS_AUTOCOMMIT == 0 && autocommit {
                    ended = Ended::Committed;
                    self.begun = false;
                    self.active = false;
                } else if !was_active {
                    self.active = false;
                }
            }
            Kind::Sequence | Kind::Administrative | Kind::LockTables if succeeded && multi => {
                ended = Ended::Committed;
                self.begun = false;
                self.active = false;
            }
            _ => self.active = multi,
        }
        // MariaDB ended an explicit transaction on its own (an implicit commit mosim did not
        // emulate): so did the transaction.
        if self.begun
            && autocommit
            && after & STATUS_IN_TRANS == 0
            && !mosim_closed
            && !matches!(kind, Kind::Begin)
        {
            ended = Ended::Committed;
            self.begun = false;
            self.active = false;
        }
        ended
    }

    /// The client is gone or reset its session: nothing is open any more.
    pub(crate) fn reset(&mut self) {
        self.begun = false;
        self.active = false;
        self.forget_prepared(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(sql: &str) -> Kind {
        classify(&tokenize(sql.as_bytes()))
    }

    #[test]
    fn statements_are_classified_as_stmt_kind_go_does() {
        for sql in
            ["select 1", "insert into t values (1)", "show tables", "show full columns from t", "use d"]
        {
            assert_eq!(kind(sql), Kind::Allowed, "{sql}");
        }
        for sql in [
            "create table t (a int)",
            "create temporary table t (a int)",
            "create unique index i on t (a)",
            "create or replace algorithm = merge definer = `root`@`%` sql security invoker view v as select 1",
            "drop database d",
            "alter table t add column b int",
            "create table t2 clone t1",
        ] {
            assert_eq!(kind(sql), Kind::Ddl, "{sql}");
        }
        for sql in [
            "show snapshots",
            "show pitr",
            "create snapshot s for account",
            "restore cluster {snapshot = 's'}",
            "kill 1",
        ] {
            assert_eq!(kind(sql), Kind::Unclassified, "{sql}");
        }
        for sql in ["create user u identified by 'p'", "grant select on *.* to u", "use role r", "set role r"]
        {
            assert_eq!(kind(sql), Kind::Administrative, "{sql}");
        }
        assert_eq!(kind("rename table a to b"), Kind::RefusedDdl);
        assert_eq!(kind("create sequence s"), Kind::Sequence);
        assert_eq!(kind("rollback to savepoint a"), Kind::Allowed);
        assert_eq!(kind("commit and chain"), Kind::End { rollback: false, chain: true });
        assert_eq!(kind("data branch pick t into u"), Kind::BranchPick);
        assert_eq!(kind("data branch create table t from u"), Kind::Ddl);
        assert_eq!(kind("data branch diff t against u"), Kind::Allowed);
        assert!(
            matches!(kind("prepare s from 'show snapshots'"), Kind::Prepare { inner, .. } if *inner == Kind::Unclassified)
        );
    }

    #[test]
    fn autocommit_off_opens_the_transaction_at_the_first_statement() {
        let mut t = TxnState::default();
        let off = 0;
        // SET autocommit = 0 itself opens nothing.
        t.after(&Kind::Set, true, STATUS_AUTOCOMMIT, off, false);
        assert!(!t.active());
        assert!(t.check(&Kind::Unclassified).is_ok(), "the first statement is never refused");
        t.after(&Kind::Unclassified, true, off, off, false);
        assert!(t.active());
        assert_eq!(
            t.check(&Kind::Unclassified).unwrap_err().message,
            format!("internal error: {UNCLASSIFIED}")
        );
        // A sequence is refused only after BEGIN (OPTION_BEGIN).
        assert!(t.check(&Kind::Sequence).is_ok());
        assert_eq!(
            t.after(&Kind::End { rollback: false, chain: false }, true, off, off, false),
            Ended::Committed
        );
        assert!(!t.active());
        t.after(&Kind::Begin, true, off, STATUS_IN_TRANS, false);
        assert_eq!(t.check(&Kind::Sequence).unwrap_err().message, format!("internal error: {ONLY_CREATE}"));
    }
}
