//! DDL inside a MatrixOne transaction, on a backend that commits before every DDL.
//!
//! MatrixOne lets CREATE / DROP / ALTER TABLE, indexes, views, databases and the clones run
//! inside a transaction and makes them part of it (`statementCanBeExecutedInUncommittedTransaction`,
//! pkg/frontend/stmt_kind.go): ROLLBACK takes them back with the rows, as
//! test/distributed/cases/pessimistic_transaction/atomicity.result shows (a table created and
//! filled after BEGIN is gone after ROLLBACK; an ALTER is undone). MariaDB commits the open
//! transaction before each of them. mosim therefore commits on purpose and keeps an undo log:
//!
//! 1. MariaDB's open transaction is committed first, after mosim wrote a marker row in it and
//!    read back the marker's `row_start`: the transaction's id, the one every row version it
//!    wrote carries in the system-versioned user tables (`row_start` for versions it made,
//!    `row_end` for versions it ended).
//! 2. The DDL runs, after mosim set aside what it needs to undo it: a dropped table is renamed
//!    into `mo_catalog` instead (keeping rows and history), a table to be altered is renamed
//!    there and replaced by a copy that the ALTER changes, a view's definition is saved.
//! 3. The client's transaction goes on: with autocommit=0 MariaDB opens the next one itself;
//!    after BEGIN mosim opens it before the next statement.
//!
//! ROLLBACK undoes the DDL in reverse order, then brings every versioned user table back to
//! its rows before the transaction: versions made by the committed parts are deleted, versions
//! they ended are inserted again. COMMIT keeps everything; what was set aside becomes the
//! dropped table's past in mosim's graveyard when a snapshot or PITR can still need it, and is
//! dropped otherwise. CREATE TABLE ... CLONE reads the transaction's own rows (clone.go keeps
//! "the shared transaction view so it can read its own uncommitted source data"), since they
//! are committed by then.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::SqlError;
use crate::mo::branch::stmt::BranchStmt;
use crate::mo::catalog::{self, current_database, system_db_list, table_exists};
use crate::mo::clock::now_ns;
use crate::mo::copy::writable_columns;
use crate::mo::graveyard;
use crate::mo::pool::Pool;
use crate::mo::{self as mo_mod, Action as MoAction};
use crate::sql::lexer::{Kind as Tok, Token};
use crate::sql::rewrite::{TRX_VERSIONING, created_table, ident, sql_str};
use crate::sql::statement::{MoStmt, TableName};
use crate::wire::backend::Backend;

/// What undoes one step of a DDL.
#[derive(Debug, Clone)]
enum Undo {
    /// Drop a table the transaction created (or cloned).
    DropTable { db: String, table: String },
    /// Drop a temporary table the transaction created, in the client's session.
    DropTemporary { db: String, table: String },
    /// Drop a database the transaction created (or cloned).
    DropDatabase { db: String },
    /// Create a database the transaction dropped, from its saved definition.
    CreateDatabase { sql: String },
    /// Move a table the transaction dropped back from `mo_catalog.grave`.
    Unbury { grave: String, db: String, table: String, at: i128 },
    /// Drop a view, then re-create the saved one (if it existed).
    RestoreView { db: String, view: String, create: Option<String> },
    /// Drop the altered table (under its name after the ALTER) and move the saved one back.
    Swap { grave: String, db: String, table: String, now: (String, String), at: i128 },
}

/// One session's undo log for the transaction open now.
#[derive(Debug, Default)]
pub(crate) struct UndoLog {
    /// One entry per DDL, in order; each entry's steps run in order to undo it.
    ddl: Vec<Vec<Undo>>,
    /// MariaDB transaction ids of the committed parts of this transaction.
    parts: Vec<u64>,
    /// Marker rows to remove once the transaction ends.
    marks: Vec<String>,
    /// MariaDB's side of an explicit transaction is committed; the next statement reopens it.
    reopen: bool,
}

/// The marker table, versioned by transaction so a marker's `row_start` is its writer's id.
const MARKS_TABLE: &str = "mo_catalog.mo_txn_marks";
static MARKS_READY: AtomicBool = AtomicBool::new(false);
static NEXT_MARK: AtomicU64 = AtomicU64::new(0);

/// ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: a READ ONLY transaction wrote nothing to undo.
const READ_ONLY_TXN: u16 = 1792;

impl UndoLog {
    /// Whether there is anything to undo.
    pub(crate) fn is_empty(&self) -> bool {
        self.ddl.is_empty() && self.parts.is_empty()
    }

    /// Whether MariaDB's side of the transaction waits to be reopened.
    pub(crate) fn reopening(&self) -> bool {
        self.reopen
    }

    /// Before a statement: reopens the explicit transaction an emulated DDL committed on
    /// MariaDB, unless the statement reads the diagnostics of the DDL (SHOW WARNINGS).
    pub(crate) async fn resume(&mut self, client: &mut Backend, diagnostics: bool) -> Result<(), SqlError> {
        if !self.reopen || diagnostics {
            return Ok(());
        }
        self.reopen = false;
        client.exec("START TRANSACTION").await.map(|_| ())
    }

    /// Commits MariaDB's side of the transaction before a DDL, recording its id when it wrote
    /// anything (so ROLLBACK can take its rows back).
    async fn commit_part(&mut self, client: &mut Backend, cat: &Pool) -> Result<(), SqlError> {
        self.reopen = false;
        if !client.in_transaction() {
            return Ok(());
        }
        ensure_marks(cat).await?;
        let token = format!("{}_{}", client.thread_id, NEXT_MARK.fetch_add(1, Ordering::Relaxed));
        match client.exec(&format!("INSERT INTO {MARKS_TABLE} (token) VALUES ({})", sql_str(&token))).await {
            Ok(_) => {
                let rows = client
                    .query(&format!("SELECT row_start FROM {MARKS_TABLE} WHERE token = {}", sql_str(&token)))
                    .await?;
                let id =
                    rows.rows.first().and_then(|r| r.first().cloned().flatten()).and_then(|v| v.parse().ok());
                if let Some(id) = id {
                    self.parts.push(id);
                }
                self.marks.push(token);
            }
            Err(e) if e.code == READ_ONLY_TXN => {}
            Err(e) => return Err(e),
        }
        client.exec("COMMIT").await.map(|_| ())
    }

    /// The transaction committed: tables the DROPs and ALTERs set aside become the dropped
    /// tables' past where a snapshot or PITR can need it (as a DROP outside a transaction
    /// does, see `graveyard`), and are dropped otherwise. Best effort: the commit stands.
    pub(crate) async fn committed(&mut self, cat: &Pool) {
        let steps: Vec<Undo> = self.ddl.drain(..).flatten().collect();
        let marks = std::mem::take(&mut self.marks);
        self.parts.clear();
        self.reopen = false;
        let Ok(mut b) = cat.get().await else { return };
        for step in steps {
            let (grave, db, table, at, dropped) = match step {
                Undo::Unbury { grave, db, table, at } => (grave, db, table, at, true),
                Undo::Swap { grave, db, table, at, .. } => (grave, db, table, at, false),
                _ => continue,
            };
            let keep = graveyard::needed(&mut b, &db, &table).await.unwrap_or(false)
                && crate::mo::point::versioning(&mut b, "mo_catalog", &grave).await.ok()
                    == Some(crate::mo::point::Versioning::Transaction)
                && !in_foreign_key(&mut b, "mo_catalog", &grave).await.unwrap_or(true);
            if keep {
                let _ = graveyard::record_burial(&mut b, &grave, &db, &table, at).await;
            } else {
                let _ = b.exec("SET foreign_key_checks = 0").await;
                let _ = b.exec(&format!("DROP TABLE IF EXISTS mo_catalog.{}", ident(&grave))).await;
                if dropped {
                    let _ = graveyard::forget_created(&mut b, &db, Some(&table)).await;
                }
            }
        }
        remove_marks(&mut b, &marks).await;
        b.release();
    }

    /// ROLLBACK, after MariaDB rolled back its open part: undoes every DDL in reverse order,
    /// then the rows the committed parts wrote. `client` is the client's session (for its
    /// temporary tables); the rest runs on mosim's connection.
    pub(crate) async fn rolled_back(&mut self, client: &mut Backend, cat: &Pool) -> Result<(), SqlError> {
        let ddl = std::mem::take(&mut self.ddl);
        let parts = std::mem::take(&mut self.parts);
        let marks = std::mem::take(&mut self.marks);
        self.reopen = false;
        let mut b = cat.get().await?;
        let result = undo_all(client, &mut b, ddl, &parts).await;
        let _ = b.exec("SET foreign_key_checks = 1").await;
        remove_marks(&mut b, &marks).await;
        b.release();
        result
    }
}

async fn undo_all(
    client: &mut Backend,
    b: &mut Backend,
    ddl: Vec<Vec<Undo>>,
    parts: &[u64],
) -> Result<(), SqlError> {
    b.exec("SET foreign_key_checks = 0").await?;
    let mut first_error = None;
    // Views are re-created last: MariaDB checks that the tables they read exist, and those
    // may come back in a later step (a view dropped after its table).
    let mut views = Vec::new();
    for steps in ddl.into_iter().rev() {
        for step in steps {
            let step = match step {
                Undo::RestoreView { db, view, create } => {
                    if let Some(sql) = create {
                        views.push(sql);
                    }
                    Undo::RestoreView { db, view, create: None }
                }
                other => other,
            };
            // Every step is tried: one failing (a table another session dropped meanwhile)
            // must not leave the others in place.
            if let Err(e) = undo_step(client, b, step).await {
                first_error.get_or_insert(e);
            }
        }
    }
    // The earliest definition is the one the transaction started from: it goes last.
    for sql in views {
        let sql = match sql.strip_prefix("CREATE ") {
            Some(rest) => format!("CREATE OR REPLACE {rest}"),
            None => sql,
        };
        if let Err(e) = b.exec(&sql).await {
            first_error.get_or_insert(e);
        }
    }
    if !parts.is_empty()
        && let Err(e) = undo_rows(b, parts).await
    {
        first_error.get_or_insert(e);
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(SqlError::internal(format!(
            "mosim could not fully undo the transaction's DDL: {}",
            e.message
        ))),
    }
}

async fn undo_step(client: &mut Backend, b: &mut Backend, step: Undo) -> Result<(), SqlError> {
    match step {
        Undo::DropTable { db, table } => {
            b.exec(&format!("DROP TABLE IF EXISTS {}.{}", ident(&db), ident(&table))).await?;
            graveyard::forget_created(b, &db, Some(&table)).await
        }
        Undo::DropTemporary { db, table } => client
            .exec(&format!("DROP TEMPORARY TABLE IF EXISTS {}.{}", ident(&db), ident(&table)))
            .await
            .map(|_| ()),
        Undo::DropDatabase { db } => {
            b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(&db))).await?;
            graveyard::forget_created(b, &db, None).await
        }
        Undo::CreateDatabase { sql } => b.exec(&sql).await.map(|_| ()),
        Undo::Unbury { grave, db, table, .. } => b
            .exec(&format!("RENAME TABLE mo_catalog.{} TO {}.{}", ident(&grave), ident(&db), ident(&table)))
            .await
            .map(|_| ()),
        Undo::RestoreView { db, view, create } => {
            b.exec(&format!("DROP VIEW IF EXISTS {}.{}", ident(&db), ident(&view))).await?;
            match create {
                Some(sql) => b.exec(&sql).await.map(|_| ()),
                None => Ok(()),
            }
        }
        Undo::Swap { grave, db, table, now, .. } => {
            b.exec(&format!("DROP TABLE IF EXISTS {}.{}", ident(&now.0), ident(&now.1))).await?;
            b.exec(&format!("RENAME TABLE mo_catalog.{} TO {}.{}", ident(&grave), ident(&db), ident(&table)))
                .await
                .map(|_| ())
        }
    }
}

/// Brings every user table versioned by transaction back to its rows before the committed
/// parts `parts`: in one transaction, the versions they made are deleted and the versions they
/// ended (and did not make) are inserted again. History keeps both, as after any write.
async fn undo_rows(b: &mut Backend, parts: &[u64]) -> Result<(), SqlError> {
    let ids = parts.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    let tables = b
        .query(&format!(
            "SELECT t.table_schema, t.table_name FROM information_schema.tables t \
             JOIN information_schema.columns c ON c.table_schema = t.table_schema \
             AND c.table_name = t.table_name AND c.column_name = 'row_start' AND c.data_type = 'bigint' \
             WHERE t.table_type = 'SYSTEM VERSIONED' AND t.table_schema NOT IN ({})",
            system_db_list()
        ))
        .await?;
    let tables = catalog::pairs(tables.rows);
    let probe = |(db, t): &(String, String)| {
        format!(
            "SELECT {}, {} FROM DUAL WHERE EXISTS (SELECT 1 FROM {}.{} FOR SYSTEM_TIME ALL \
             WHERE row_start IN ({ids}) OR row_end IN ({ids}))",
            sql_str(db),
            sql_str(t),
            ident(db),
            ident(t)
        )
    };
    let mut touched = Vec::new();
    // A few tables per query: which ones hold versions of these transactions. Other sessions
    // may drop tables meanwhile: a chunk that fails is probed table by table, and a table gone
    // (1146) has nothing left to undo.
    for chunk in tables.chunks(32) {
        let probes: Vec<String> = chunk.iter().map(probe).collect();
        match b.query(&probes.join(" UNION ALL ")).await {
            Ok(hits) => touched.extend(catalog::pairs(hits.rows)),
            Err(e) if e.code == NO_SUCH_TABLE => {
                for table in chunk {
                    match b.query(&probe(table)).await {
                        Ok(hits) => touched.extend(catalog::pairs(hits.rows)),
                        Err(e) if e.code == NO_SUCH_TABLE => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if touched.is_empty() {
        return Ok(());
    }
    let mut statements = Vec::with_capacity(touched.len() * 2);
    for (db, t) in &touched {
        let name = format!("{}.{}", ident(db), ident(t));
        let cols = writable_columns(b, db, t).await?;
        statements.push(format!("DELETE FROM {name} WHERE row_start IN ({ids})"));
        statements.push(format!(
            "INSERT INTO {name} ({cols}) SELECT {cols} FROM {name} FOR SYSTEM_TIME ALL \
             WHERE row_end IN ({ids}) AND row_start NOT IN ({ids})"
        ));
    }
    b.exec("START TRANSACTION").await?;
    for s in &statements {
        match b.exec(s).await {
            Ok(_) => {}
            Err(e) if e.code == NO_SUCH_TABLE => {}
            Err(e) => {
                let _ = b.exec("ROLLBACK").await;
                return Err(e);
            }
        }
    }
    b.exec("COMMIT").await.map(|_| ())
}

/// ER_NO_SUCH_TABLE.
const NO_SUCH_TABLE: u16 = 1146;

async fn ensure_marks(cat: &Pool) -> Result<(), SqlError> {
    if MARKS_READY.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut b = cat.get().await?;
    let made = b
        .exec(&format!(
            "CREATE TABLE IF NOT EXISTS {MARKS_TABLE} (token VARCHAR(64) NOT NULL PRIMARY KEY, {TRX_VERSIONING}) \
             WITH SYSTEM VERSIONING ENGINE=InnoDB"
        ))
        .await;
    b.release();
    made?;
    MARKS_READY.store(true, Ordering::Relaxed);
    Ok(())
}

async fn remove_marks(b: &mut Backend, marks: &[String]) {
    if marks.is_empty() {
        return;
    }
    let list: Vec<String> = marks.iter().map(|m| sql_str(m)).collect();
    let _ = b.exec(&format!("DELETE FROM {MARKS_TABLE} WHERE token IN ({})", list.join(", "))).await;
}

/// Whether `db.t` is in a foreign key or has triggers: renaming it into `mo_catalog` would
/// re-point other tables' keys (or fail), so such a table is changed in place, without undo.
async fn in_foreign_key(b: &mut Backend, db: &str, t: &str) -> Result<bool, SqlError> {
    let (db_s, t_s) = (sql_str(db), sql_str(t));
    let fk = catalog::exists(
        b,
        "information_schema.referential_constraints",
        &format!(
            "(constraint_schema = {db_s} AND table_name = {t_s}) OR \
             (unique_constraint_schema = {db_s} AND referenced_table_name = {t_s})"
        ),
    )
    .await?;
    let trigger = catalog::exists(
        b,
        "information_schema.triggers",
        &format!("event_object_schema = {db_s} AND event_object_table = {t_s}"),
    )
    .await?;
    Ok(fk || trigger)
}

/// Renames `db.t` into the graveyard under a fresh name; returns the name.
async fn set_aside(b: &mut Backend, db: &str, t: &str, now: i128) -> Result<String, SqlError> {
    let grave = graveyard::grave_name(now);
    b.exec(&format!("RENAME TABLE {}.{} TO mo_catalog.{}", ident(db), ident(t), ident(&grave))).await?;
    Ok(grave)
}

/// `SHOW CREATE VIEW` of `db.v`, if it is a view.
async fn view_definition(b: &mut Backend, db: &str, v: &str) -> Result<Option<String>, SqlError> {
    let is_view = catalog::exists(
        b,
        "information_schema.views",
        &format!("table_schema = {} AND table_name = {}", sql_str(db), sql_str(v)),
    )
    .await?;
    if !is_view {
        return Ok(None);
    }
    let rows = b.query(&format!("SHOW CREATE VIEW {}.{}", ident(db), ident(v))).await?;
    Ok(rows.rows.into_iter().next().and_then(|r| r.into_iter().nth(1).flatten()))
}

/// A DDL statement the client sent, as mosim needs to know it to undo it.
#[derive(Debug)]
enum Plain {
    CreateTable {
        db: Option<String>,
        table: String,
        temporary: bool,
        if_not_exists: bool,
        or_replace: bool,
    },
    CreateDatabase {
        db: String,
    },
    /// CREATE [OR REPLACE] VIEW / ALTER VIEW.
    View {
        db: Option<String>,
        view: String,
    },
    DropViews(Vec<TableName>),
    /// ALTER TABLE t, CREATE INDEX ... ON t, DROP INDEX ... ON t; `renamed` is an ALTER's
    /// `RENAME [TO] u`.
    Alter {
        table: TableName,
        renamed: Option<TableName>,
    },
    /// DROP TEMPORARY TABLE, and what mosim cannot name: run as is, nothing to undo.
    Other,
}

fn word(toks: &[Token], i: usize) -> String {
    match toks.get(i).map(|t| &t.kind) {
        Some(Tok::Word(w)) => w.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// A possibly qualified name at `toks[i]`, and the index after it.
fn name_at(toks: &[Token], i: usize) -> Option<(TableName, usize)> {
    let first = toks.get(i)?.ident()?.to_owned();
    if toks.get(i + 1).is_some_and(|t| t.is('.')) {
        let second = toks.get(i + 2)?.ident()?.to_owned();
        return Some((TableName { db: Some(first), table: second }, i + 3));
    }
    Some((TableName { db: None, table: first }, i + 1))
}

fn parse_plain(toks: &[Token]) -> Plain {
    let first = word(toks, 0);
    if first == "create" {
        let or_replace = word(toks, 1) == "or" && word(toks, 2) == "replace";
        let temporary = toks.iter().take(5).any(|t| t.is_kw("temporary"));
        if let Some((db, table, if_not_exists)) = created_table(toks) {
            return Plain::CreateTable { db, table, temporary, if_not_exists, or_replace };
        }
        if temporary && let Some(i) = toks.iter().position(|t| t.is_kw("table")) {
            let mut j = i + 1;
            let if_not_exists = word(toks, j) == "if";
            if if_not_exists {
                j += 3;
            }
            if let Some((n, _)) = name_at(toks, j) {
                return Plain::CreateTable { db: n.db, table: n.table, temporary, if_not_exists, or_replace };
            }
        }
        if let Some(i) = toks.iter().take(12).position(|t| t.is_kw("database") || t.is_kw("schema")) {
            let j = if word(toks, i + 1) == "if" { i + 4 } else { i + 1 };
            if let Some(db) = toks.get(j).and_then(Token::ident) {
                return Plain::CreateDatabase { db: db.to_owned() };
            }
        }
        if let Some(i) = toks.iter().take(16).position(|t| t.is_kw("view")) {
            let j = if word(toks, i + 1) == "if" { i + 4 } else { i + 1 };
            if let Some((n, _)) = name_at(toks, j) {
                return Plain::View { db: n.db, view: n.table };
            }
        }
        if let Some(i) = toks.iter().take(6).position(|t| t.is_kw("index")) {
            // CREATE [..] INDEX [IF NOT EXISTS] i [USING ..] ON t
            if let Some(on) = toks.iter().skip(i).position(|t| t.is_kw("on"))
                && let Some((table, _)) = name_at(toks, i + on + 1)
            {
                return Plain::Alter { table, renamed: None };
            }
        }
        return Plain::Other;
    }
    if first == "alter" {
        let mut i = 1;
        while matches!(word(toks, i).as_str(), "online" | "ignore") {
            i += 1;
        }
        let is_view = word(toks, i) == "view";
        let Some((name, after)) = name_at(toks, i + 1) else { return Plain::Other };
        if is_view {
            return Plain::View { db: name.db, view: name.table };
        }
        // `RENAME [TO | AS] u`, not RENAME COLUMN / INDEX / KEY.
        let mut renamed = None;
        for j in after..toks.len() {
            if toks[j].is_kw("rename") && !matches!(word(toks, j + 1).as_str(), "column" | "index" | "key") {
                let k = if matches!(word(toks, j + 1).as_str(), "to" | "as") { j + 2 } else { j + 1 };
                renamed = name_at(toks, k).map(|(n, _)| n);
            }
        }
        return Plain::Alter { table: name, renamed };
    }
    if first == "drop" {
        if word(toks, 1) == "view" {
            let mut j = if word(toks, 2) == "if" { 4 } else { 2 };
            let mut views = Vec::new();
            while let Some((n, next)) = name_at(toks, j) {
                views.push(n);
                if !toks.get(next).is_some_and(|t| t.is(',')) {
                    break;
                }
                j = next + 1;
            }
            return Plain::DropViews(views);
        }
        if word(toks, 1) == "index"
            && let Some(on) = toks.iter().position(|t| t.is_kw("on"))
            && let Some((table, _)) = name_at(toks, on + 1)
        {
            return Plain::Alter { table, renamed: None };
        }
    }
    Plain::Other
}

/// How a DDL came: the client's text (as rewritten for MariaDB) and its tokens, or a
/// MatrixOne statement mosim carries out (clones, DROP TABLE / DATABASE with history).
#[derive(Debug)]
pub(crate) enum Ddl<'a> {
    Plain { toks: &'a [Token], text: &'a [u8] },
    Mo(MoStmt),
}

/// Runs a DDL inside a MatrixOne transaction (`begun`: opened by BEGIN, so MariaDB's side is
/// reopened before the next statement; otherwise autocommit is off and MariaDB reopens it).
/// Returns the affected-row count of the OK the client gets.
pub(crate) async fn run(
    client: &mut Backend,
    cat: &Pool,
    log: &mut UndoLog,
    ddl: Ddl<'_>,
    begun: bool,
) -> Result<u64, SqlError> {
    let result = match ddl {
        Ddl::Plain { toks, text } => run_plain(client, cat, log, toks, text).await,
        Ddl::Mo(stmt) => run_mo(client, cat, log, stmt).await,
    };
    // Whatever happened, MariaDB's side was committed (a failing DDL commits too).
    log.reopen = begun && !client.in_transaction();
    result
}

/// ANALYZE / CHECK TABLE: MariaDB commits first; nothing of theirs needs undoing.
pub(crate) async fn before_committing_statement(
    client: &mut Backend,
    cat: &Pool,
    log: &mut UndoLog,
) -> Result<(), SqlError> {
    log.commit_part(client, cat).await
}

/// After a statement that committed on MariaDB by itself: reopen before the next one.
pub(crate) fn after_committing_statement(client: &Backend, log: &mut UndoLog, begun: bool) {
    log.reopen = begun && !client.in_transaction();
}

async fn resolve(client: &mut Backend, db: Option<String>) -> Result<Option<String>, SqlError> {
    match db {
        Some(db) => Ok(Some(db)),
        None => current_database(client).await,
    }
}

async fn run_plain(
    client: &mut Backend,
    cat: &Pool,
    log: &mut UndoLog,
    toks: &[Token],
    text: &[u8],
) -> Result<u64, SqlError> {
    let plain = parse_plain(toks);
    if word(toks, 0) == "drop" && word(toks, 1) == "temporary" {
        // MariaDB does not commit before DROP TEMPORARY TABLE (and cannot take it back).
        return run_as_is(client, text).await;
    }
    if let Plain::CreateTable { db, table, temporary: true, .. } = &plain {
        // MariaDB neither commits before CREATE TEMPORARY TABLE nor takes it back on ROLLBACK.
        let db = resolve(client, db.clone()).await?;
        let n = client.query_bytes(text).await?.affected;
        if let Some(db) = db {
            log.ddl.push(vec![Undo::DropTemporary { db, table: table.clone() }]);
        }
        return Ok(n);
    }
    log.commit_part(client, cat).await?;
    let mut b = cat.get().await?;
    let result = plain_steps(client, &mut b, log, plain, text).await;
    let _ = b.exec("SET foreign_key_checks = 1").await;
    b.release();
    result
}

async fn plain_steps(
    client: &mut Backend,
    b: &mut Backend,
    log: &mut UndoLog,
    plain: Plain,
    text: &[u8],
) -> Result<u64, SqlError> {
    let now = now_ns(b).await?;
    match plain {
        Plain::CreateTable { db, table, if_not_exists, or_replace, .. } => {
            let Some(db) = resolve(client, db).await? else { return run_as_is(client, text).await };
            let existed = table_exists(b, &db, &table).await?;
            let mut undo = Vec::new();
            if existed && or_replace && !in_foreign_key(b, &db, &table).await? {
                let grave = set_aside(b, &db, &table, now).await?;
                undo.push(Undo::Unbury { grave, db: db.clone(), table: table.clone(), at: now });
            }
            let n = match client.query_bytes(text).await {
                Ok(r) => r.affected,
                Err(e) => {
                    undo_now(client, b, undo).await;
                    return Err(e);
                }
            };
            if !existed || or_replace {
                let _ = graveyard::record_created(b, &db, &table).await;
                undo.insert(0, Undo::DropTable { db, table });
            } else if if_not_exists {
                return Ok(n);
            }
            log.ddl.push(undo);
            Ok(n)
        }
        Plain::CreateDatabase { db } => {
            let existed = catalog::database_exists(b, &db).await?;
            let n = client.query_bytes(text).await?.affected;
            if !existed {
                log.ddl.push(vec![Undo::DropDatabase { db }]);
            }
            Ok(n)
        }
        Plain::View { db, view } => {
            let Some(db) = resolve(client, db).await? else { return run_as_is(client, text).await };
            let create = view_definition(b, &db, &view).await?;
            let n = client.query_bytes(text).await?.affected;
            log.ddl.push(vec![Undo::RestoreView { db, view, create }]);
            Ok(n)
        }
        Plain::DropViews(views) => {
            let current = current_database(client).await?;
            let mut undo = Vec::new();
            for v in views {
                let Some(db) = v.db.or_else(|| current.clone()) else { continue };
                if let Some(create) = view_definition(b, &db, &v.table).await? {
                    undo.push(Undo::RestoreView { db, view: v.table, create: Some(create) });
                }
            }
            let n = client.query_bytes(text).await?.affected;
            log.ddl.push(undo);
            Ok(n)
        }
        Plain::Alter { table, renamed } => {
            let Some(db) = resolve(client, table.db).await? else { return run_as_is(client, text).await };
            let t = table.table;
            // Set aside once per table and transaction: a table created or already set aside
            // in this transaction is undone by that earlier step.
            let known = log.ddl.iter().flatten().any(|u| match u {
                Undo::DropTable { db: d, table: x } => *d == db && *x == t,
                Undo::Swap { now, .. } => now.0 == db && now.1 == t,
                _ => false,
            });
            if known || !table_exists(b, &db, &t).await? || in_foreign_key(b, &db, &t).await? {
                let n = run_as_is(client, text).await?;
                if known && let Some(r) = renamed {
                    follow_rename(log, &db, &t, r.db.unwrap_or_else(|| db.clone()), r.table);
                }
                return Ok(n);
            }
            let grave = set_aside(b, &db, &t, now).await?;
            if let Err(e) = copy_back(b, &db, &t, &grave).await {
                undo_now(
                    client,
                    b,
                    vec![Undo::Swap { grave, db: db.clone(), table: t.clone(), now: (db, t), at: now }],
                )
                .await;
                return Err(e);
            }
            let after = renamed
                .map_or_else(|| (db.clone(), t.clone()), |r| (r.db.unwrap_or_else(|| db.clone()), r.table));
            let swap = Undo::Swap { grave, db: db.clone(), table: t.clone(), now: after, at: now };
            match client.query_bytes(text).await {
                Ok(r) => {
                    log.ddl.push(vec![swap]);
                    Ok(r.affected)
                }
                Err(e) => {
                    // MariaDB left the table as it was: put the original back.
                    let Undo::Swap { grave, db, table, at, .. } = swap else { return Err(e) };
                    undo_now(
                        client,
                        b,
                        vec![Undo::Swap { grave, now: (db.clone(), table.clone()), db, table, at }],
                    )
                    .await;
                    Err(e)
                }
            }
        }
        Plain::Other => run_as_is(client, text).await,
    }
}

/// A table created in this transaction and then renamed by ALTER: its undo drops the new name.
fn follow_rename(log: &mut UndoLog, db: &str, t: &str, new_db: String, new_t: String) {
    for u in log.ddl.iter_mut().flatten() {
        match u {
            Undo::DropTable { db: d, table: x } if d == db && x == t => {
                *d = new_db.clone();
                *x = new_t.clone();
            }
            Undo::Swap { now, .. } if now.0 == db && now.1 == t => *now = (new_db.clone(), new_t.clone()),
            _ => {}
        }
    }
}

/// The copy an ALTER changes: the set-aside table's definition and current rows.
async fn copy_back(b: &mut Backend, db: &str, t: &str, grave: &str) -> Result<(), SqlError> {
    let (live, saved) = (format!("{}.{}", ident(db), ident(t)), format!("mo_catalog.{}", ident(grave)));
    b.exec(&format!("CREATE TABLE {live} LIKE {saved}")).await?;
    let cols = writable_columns(b, "mo_catalog", grave).await?;
    b.exec("SET foreign_key_checks = 0").await?;
    b.exec(&format!("INSERT INTO {live} ({cols}) SELECT {cols} FROM {saved}")).await?;
    // The next AUTO_INCREMENT value stays what it was.
    let next = b
        .query(&format!(
            "SELECT auto_increment FROM information_schema.tables WHERE table_schema = 'mo_catalog' \
             AND table_name = {}",
            sql_str(grave)
        ))
        .await?;
    if let Some(n) =
        next.rows.first().and_then(|r| r.first().cloned().flatten()).and_then(|v| v.parse::<u64>().ok())
    {
        b.exec(&format!("ALTER TABLE {live} AUTO_INCREMENT = {n}")).await?;
    }
    Ok(())
}

/// Undoes steps at once (a DDL that failed after mosim set something aside).
async fn undo_now(client: &mut Backend, b: &mut Backend, steps: Vec<Undo>) {
    for step in steps {
        let _ = undo_step(client, b, step).await;
    }
}

async fn run_as_is(client: &mut Backend, text: &[u8]) -> Result<u64, SqlError> {
    client.query_bytes(text).await.map(|r| r.affected)
}

async fn run_mo(client: &mut Backend, cat: &Pool, log: &mut UndoLog, stmt: MoStmt) -> Result<u64, SqlError> {
    let current = current_database(client).await?;
    log.commit_part(client, cat).await?;
    let mut b = cat.get().await?;
    let result = mo_steps(client, &mut b, cat, log, stmt, current).await;
    let _ = b.exec("SET foreign_key_checks = 1").await;
    b.release();
    result
}

async fn mo_steps(
    client: &mut Backend,
    b: &mut Backend,
    cat: &Pool,
    log: &mut UndoLog,
    stmt: MoStmt,
    current: Option<String>,
) -> Result<u64, SqlError> {
    let now = now_ns(b).await?;
    match stmt {
        MoStmt::CloneTable { ref dst, .. } => {
            let Some(db) = dst.db.clone().or(current) else { return clone(client, cat, stmt).await };
            let existed = table_exists(b, &db, &dst.table).await?;
            let table = dst.table.clone();
            let n = clone(client, cat, stmt).await?;
            if !existed && table_exists(b, &db, &table).await? {
                log.ddl.push(vec![Undo::DropTable { db, table }]);
            }
            Ok(n)
        }
        MoStmt::CloneDatabase { ref dst, .. } => {
            let db = dst.clone();
            let existed = catalog::database_exists(b, &db).await?;
            let n = clone(client, cat, stmt).await?;
            if !existed && catalog::database_exists(b, &db).await? {
                log.ddl.push(vec![Undo::DropDatabase { db }]);
            }
            Ok(n)
        }
        // DATA BRANCH CREATE / DELETE are part of the transaction too (txn_rules: Ddl).
        MoStmt::Branch(br) => match *br {
            BranchStmt::CreateTable { ref dst, .. } => {
                let dst = dst.clone();
                let Some(db) = dst.db.or(current) else {
                    return clone(client, cat, MoStmt::Branch(br)).await;
                };
                let existed = table_exists(b, &db, &dst.table).await?;
                let n = clone(client, cat, MoStmt::Branch(br)).await?;
                if !existed && table_exists(b, &db, &dst.table).await? {
                    log.ddl.push(vec![Undo::DropTable { db, table: dst.table }]);
                }
                Ok(n)
            }
            BranchStmt::CreateDatabase { ref dst, .. } => {
                let db = dst.clone();
                let existed = catalog::database_exists(b, &db).await?;
                let n = clone(client, cat, MoStmt::Branch(br)).await?;
                if !existed && catalog::database_exists(b, &db).await? {
                    log.ddl.push(vec![Undo::DropDatabase { db }]);
                }
                Ok(n)
            }
            other => {
                let drop = crate::mo::branch::delete::as_drop(b, current.as_deref(), other).await?;
                if matches!(drop, MoStmt::Branch(_)) {
                    return clone(client, cat, drop).await;
                }
                Box::pin(mo_steps(client, b, cat, log, drop, current)).await
            }
        },
        MoStmt::DropTable { if_exists, tables, original } => {
            let mut found = Vec::new();
            for t in &tables {
                let Some(db) = t.db.clone().or_else(|| current.clone()) else {
                    return run_as_is(client, original.as_bytes()).await;
                };
                if table_exists(b, &db, &t.table).await? {
                    if in_foreign_key(b, &db, &t.table).await? {
                        // Renaming would re-point its keys: MariaDB drops it for good.
                        return run_as_is(client, original.as_bytes()).await;
                    }
                    found.push((db, t.table.clone()));
                } else if !if_exists {
                    // MariaDB's own error for the missing table (and its drop of the others).
                    return run_as_is(client, original.as_bytes()).await;
                }
            }
            let mut undo = Vec::new();
            for (db, t) in found {
                let grave = set_aside(b, &db, &t, now).await?;
                undo.push(Undo::Unbury { grave, db, table: t, at: now });
            }
            log.ddl.push(undo);
            Ok(0)
        }
        MoStmt::DropDatabase { name, original } => {
            if !catalog::database_exists(b, &name).await? || crosses_database(b, &name).await? {
                return run_as_is(client, original.as_bytes()).await;
            }
            let create = b.query(&format!("SHOW CREATE DATABASE {}", ident(&name))).await?;
            let Some(create) = create.rows.into_iter().next().and_then(|r| r.into_iter().nth(1).flatten())
            else {
                return run_as_is(client, original.as_bytes()).await;
            };
            let mut undo = vec![Undo::CreateDatabase { sql: create }];
            let mut views = Vec::new();
            let rows = b
                .query(&format!(
                    "SELECT table_name FROM information_schema.views WHERE table_schema = {}",
                    sql_str(&name)
                ))
                .await?;
            for v in rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()) {
                if let Some(create) = view_definition(b, &name, &v).await? {
                    views.push(Undo::RestoreView { db: name.clone(), view: v, create: Some(create) });
                }
            }
            let tables = b
                .query(&format!(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = {} \
                     AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')",
                    sql_str(&name)
                ))
                .await?;
            let tables: Vec<String> =
                tables.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect();
            // One RENAME moves them all, so keys between them move with them.
            let graves: Vec<String> = tables.iter().map(|_| graveyard::grave_name(now)).collect();
            if !tables.is_empty() {
                let pairs: Vec<String> = tables
                    .iter()
                    .zip(&graves)
                    .map(|(t, g)| format!("{}.{} TO mo_catalog.{}", ident(&name), ident(t), ident(g)))
                    .collect();
                b.exec(&format!("RENAME TABLE {}", pairs.join(", "))).await?;
            }
            for (t, g) in tables.into_iter().zip(graves) {
                undo.push(Undo::Unbury { grave: g, db: name.clone(), table: t, at: now });
            }
            undo.extend(views);
            match client.query_bytes(original.as_bytes()).await {
                Ok(r) => {
                    log.ddl.push(undo);
                    Ok(r.affected)
                }
                Err(e) => {
                    // The database is still there: put its tables back.
                    let back: Vec<Undo> =
                        undo.into_iter().filter(|u| matches!(u, Undo::Unbury { .. })).collect();
                    undo_now(client, b, back).await;
                    Err(e)
                }
            }
        }
        other => clone(client, cat, other).await,
    }
}

/// Whether database `db` has keys to or from other databases, or triggers: its tables are
/// then dropped by MariaDB as they are, without undo.
async fn crosses_database(b: &mut Backend, db: &str) -> Result<bool, SqlError> {
    let s = sql_str(db);
    let fk = catalog::exists(
        b,
        "information_schema.referential_constraints",
        &format!(
            "(constraint_schema = {s} AND unique_constraint_schema <> {s}) OR \
             (unique_constraint_schema = {s} AND constraint_schema <> {s})"
        ),
    )
    .await?;
    let trigger =
        catalog::exists(b, "information_schema.triggers", &format!("event_object_schema = {s}")).await?;
    Ok(fk || trigger)
}

/// A clone as mosim runs it outside a transaction (mo::clone), now that the transaction's
/// rows are committed and so visible to it.
async fn clone(client: &mut Backend, cat: &Pool, stmt: MoStmt) -> Result<u64, SqlError> {
    match mo_mod::execute(client, cat, stmt).await? {
        MoAction::Ok(n) => Ok(n),
        MoAction::Forward(sql) | MoAction::ForwardAs(sql, _) => run_as_is(client, sql.as_bytes()).await,
        MoAction::Rows(..) => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn plain(sql: &str) -> Plain {
        parse_plain(&tokenize(sql.as_bytes()))
    }

    #[test]
    fn ddl_names_are_read() {
        assert!(matches!(plain("create temporary table if not exists d.t (a int)"),
            Plain::CreateTable { temporary: true, if_not_exists: true, ref table, .. } if table == "t"));
        assert!(
            matches!(plain("create unique index i on d.t (a)"), Plain::Alter { ref table, .. } if table.db.as_deref() == Some("d"))
        );
        assert!(matches!(plain("drop index i on t"), Plain::Alter { ref table, .. } if table.table == "t"));
        assert!(
            matches!(plain("alter table t rename to u"), Plain::Alter { renamed: Some(ref r), .. } if r.table == "u")
        );
        assert!(matches!(plain("alter table t rename column a to b"), Plain::Alter { renamed: None, .. }));
        assert!(
            matches!(plain("create or replace view v as select 1"), Plain::View { ref view, .. } if view == "v")
        );
        assert!(matches!(plain("drop view if exists a, d.b"), Plain::DropViews(ref v) if v.len() == 2));
        assert!(
            matches!(plain("create database if not exists x"), Plain::CreateDatabase { ref db } if db == "x")
        );
    }
}
