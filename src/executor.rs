//! The [`Executor`] trait: one set of `&self` methods served by [`crate::Client`] (on the pool) and
//! [`crate::Transaction`] (inside it), so `async fn save(db: &impl Executor, ..)` works with both.

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt as _;
use sqlx::Either;
use sqlx::mysql::MySqlRow;
use tracing::Instrument as _;

use crate::decode::Decode;
use crate::error::{Error, ErrorKind, Result};
use crate::from_row::FromRow;
use crate::insert::{InsertOptions, Insertable};
use crate::lease::Lease;
use crate::mo::{Dialect, InTransaction, MoStatement};
use crate::pool::kill_query;
use crate::result::{Columns, ResultSet, Row, columns_of};
use crate::retry::Attempts;
use crate::session_mode::read_no_backslash_escapes;
use crate::shared::Shared;
use crate::sql::EscapeMode;
use crate::sql::session::{SessionEffect, session_effect};
use crate::statement::{Statement, Wire};
use crate::transaction::TxState;
use sealed::ConnectionGuard;

pub(crate) mod sealed {
    use super::*;

    /// What an executor provides underneath the public methods: a connection to run on, and the
    /// client's shared state. Sealed: only this crate's types implement [`super::Executor`].
    pub trait Connection: Send + Sync {
        /// A connection for one statement: a pooled one, or the transaction's.
        fn connection(&self) -> impl Future<Output = Result<ConnectionGuard<'_>>> + Send;

        /// The client's shared state.
        fn shared(&self) -> &Shared;

        /// Whether statements run inside a transaction (and so must not be retried alone).
        fn in_transaction(&self) -> bool;

        /// The client this executor belongs to (itself, or the transaction's), for statements
        /// that must run outside a transaction.
        fn client(&self) -> crate::Client;

        /// A transaction of its own for work of several statements that must be all or nothing
        /// (a bulk insert): a new one on a Client; `None` inside a Transaction, which is already
        /// the unit.
        fn begin_atomic(&self) -> impl Future<Output = Result<Option<crate::Transaction>>> + Send;
    }

    /// A connection held for one statement.
    pub enum ConnectionGuard<'a> {
        /// Taken from the pool; returned when dropped, or closed if its state is uncertain.
        Pooled(Lease),
        /// The transaction's own connection, locked for the statement.
        Transaction(tokio::sync::MutexGuard<'a, TxState>),
    }

    impl ConnectionGuard<'_> {
        pub(crate) fn lease(&mut self) -> Result<&mut Lease> {
            match self {
                ConnectionGuard::Pooled(lease) => Ok(lease),
                ConnectionGuard::Transaction(state) => state.lease(),
            }
        }

        /// How this connection's session reads string literals.
        pub(crate) fn escape_mode(&self, shared: &Shared) -> EscapeMode {
            match self {
                ConnectionGuard::Pooled(_) => shared.escape_mode(),
                ConnectionGuard::Transaction(state) => state.escape_mode,
            }
        }

        /// Refuses what must not run here, before anything is sent: on a pooled connection
        /// anything that leaves session state behind; in a transaction, transaction control that
        /// would end it behind the SDK's back. A transaction whose session changed gets a fresh
        /// connection afterwards.
        pub(crate) fn admit(&mut self, effect: SessionEffect) -> Result<()> {
            match (self, effect) {
                (_, SessionEffect::None) => Ok(()),
                (ConnectionGuard::Pooled(_), SessionEffect::Changes(what)) => {
                    Err(Error::invalid_input(format!(
                        "{what} changes the session of one pooled connection, and the next caller on that \
                     connection would inherit it (statements on a Client run on any pooled connection): \
                     run it inside a Transaction (its connection is closed afterwards), or set it for \
                     every connection with ConnectOptions (session_variable, init_sql, database, ...)"
                    )))
                }
                (ConnectionGuard::Pooled(_), SessionEffect::TransactionControl(what)) => {
                    Err(Error::invalid_input(format!(
                        "{what} would leave a transaction open on a pooled connection: use client.begin() \
                         or client.transaction(..), which commit, roll back and clean up"
                    )))
                }
                (ConnectionGuard::Transaction(_), SessionEffect::TransactionControl(what)) => {
                    Err(Error::invalid_input(format!(
                        "{what} inside a Transaction would end or nest it behind the SDK's back: use \
                         tx.commit() or tx.rollback() (SAVEPOINT is fine; MatrixOne refuses ROLLBACK TO SAVEPOINT)"
                    )))
                }
                (ConnectionGuard::Transaction(state), SessionEffect::Changes(_)) => {
                    state.lease()?.discard();
                    Ok(())
                }
            }
        }
    }
}

/// What every buffered statement call shares: its span, its attempts (more than one only on a
/// Client, for a statement with a retry policy), and a connection per attempt; `$body` is one
/// attempt, with `$guard` (the connection) and `$stmt` (this attempt's statement) bound.
macro_rules! statement_call {
    ($exec:expr, $stmt:expr, |$guard:ident, $attempt:ident| $body:block) => {{
        let stmt: Statement = $stmt;
        let span = statement_span($exec.shared(), &stmt);
        async move {
            let mut attempts = Retries::new($exec, &stmt);
            let mut stmt = Some(stmt);
            loop {
                let $attempt = attempts.statement(&mut stmt);
                let result: Result<_> = async {
                    // MatrixOne's own column types need the relay (`crate::relay`); every other
                    // statement takes the direct path.
                    let mut $guard = match crate::relay::route($attempt.sql()) {
                        None => $exec.connection().await?,
                        Some(route) => ConnectionGuard::Pooled(
                            Box::pin(crate::relay::lease($exec.shared(), route, $exec.in_transaction()))
                                .await?,
                        ),
                    };
                    $body
                }
                .await;
                match result {
                    Err(e) if Box::pin(attempts.again(&e)).await => {}
                    other => return other,
                }
            }
        }
        .instrument(span)
    }};
}

/// Runs SQL. Implemented by [`crate::Client`] and [`crate::Transaction`]; all methods take
/// `&self`.
///
/// Every method takes `impl Into<Statement>`: `&str`, `String`, [`crate::query`] with bound
/// values, or a sea-query `SelectStatement` / `InsertStatement` / `UpdateStatement` /
/// `DeleteStatement`.
pub trait Executor: sealed::Connection {
    /// Runs a statement and buffers everything it returns.
    fn execute(&self, stmt: impl Into<Statement> + Send) -> impl Future<Output = Result<ResultSet>> + Send {
        statement_call!(self, stmt.into(), |guard, stmt| {
            let mut sets: Vec<(Columns, Vec<Row>)> = Vec::new();
            let (affected, last_id) = run_statement(&mut guard, self.shared(), stmt, |row, at| {
                if at.set == sets.len() {
                    sets.push((at.columns.clone(), Vec::new()));
                }
                if let Some((_, rows)) = sets.last_mut() {
                    rows.push(Row::new(row, at.columns));
                }
                Ok(Flow::Continue)
            })
            .await?;
            Ok(ResultSet::from_sets(sets, affected, last_id))
        })
    }

    /// Maps every row through [`FromRow`].
    fn fetch_all<T: FromRow + Send>(
        &self,
        stmt: impl Into<Statement> + Send,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        statement_call!(self, stmt.into(), |guard, stmt| {
            let mut out = Vec::new();
            run_statement(&mut guard, self.shared(), stmt, |row, at| {
                at.only_one_set()?;
                out.push(T::from_row(&Row::new(row, at.columns))?);
                Ok(Flow::Continue)
            })
            .await?;
            Ok(out)
        })
    }

    /// The first row through [`FromRow`]; [`ErrorKind::RowNotFound`] when there is none.
    fn fetch_one<T: FromRow + Send>(
        &self,
        stmt: impl Into<Statement> + Send,
    ) -> impl Future<Output = Result<T>> + Send {
        let stmt = stmt.into();
        async move { self.fetch_optional(stmt).await?.ok_or_else(Error::row_not_found) }
    }

    /// The first row through [`FromRow`], or `None`. Later rows are not read: the driver
    /// discards them before the connection's next statement.
    fn fetch_optional<T: FromRow + Send>(
        &self,
        stmt: impl Into<Statement> + Send,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        statement_call!(self, stmt.into(), |guard, stmt| {
            let mut first = None;
            run_statement(&mut guard, self.shared(), stmt, |row, at| {
                first = Some(T::from_row(&Row::new(row, at.columns))?);
                Ok(Flow::Stop)
            })
            .await?;
            Ok(first)
        })
    }

    /// The first column of the first row; [`ErrorKind::RowNotFound`] when there is no row. Ask
    /// for `Option<T>` to read a NULL.
    fn fetch_scalar<T: Decode + Send>(
        &self,
        stmt: impl Into<Statement> + Send,
    ) -> impl Future<Output = Result<T>> + Send {
        let stmt = stmt.into();
        async move { Ok(self.fetch_one::<(T,)>(stmt).await?.0) }
    }

    /// Runs a typed MatrixOne statement (see [`crate::mo`]) over the text protocol and decodes
    /// its output.
    ///
    /// On a [`crate::Transaction`] it follows MatrixOne's rule for statements inside a transaction
    /// ([`crate::mo::InTransaction`]): clones and `mo_ctl` run in it; `SHOW SNAPSHOTS` and
    /// `SHOW PITR` (which MatrixOne refuses there) read the catalog on another pooled connection;
    /// snapshot and PITR DDL and RESTORE are refused before anything is sent, with
    /// [`ErrorKind::NotAllowedInTransaction`].
    ///
    /// For a statement whose SQL differs between MatrixOne lines (RESTORE), the client speaks the
    /// pinned [`Dialect`], or the one it learned, or tries [`Dialect::V4`] and, when the server
    /// answers with MatrixOne's parser error, [`Dialect::V3`] once, and remembers what worked.
    /// Where 3.x grammar must name the account (a database or table RESTORE), the session's own
    /// account (`current_account_name()`) is filled in.
    ///
    /// A statement that needs MatrixOne, or a newer MatrixOne than the server reports
    /// ([`crate::mo::Requires`]: DATA BRANCH needs 3.0.5), is refused before anything is sent,
    /// with [`ErrorKind::UnsupportedServer`]. Values the statement carries (passwords, PICK keys)
    /// are inlined only on the way to the server: the recorded SQL keeps its `?`, and a server
    /// error quoting a password has it replaced by `***` (in the statement log too).
    fn run<S: MoStatement>(&self, stmt: S) -> impl Future<Output = Result<S::Output>> + Send {
        async move {
            let requires = stmt.requires();
            if requires != crate::mo::Requires::Any {
                // A malformed statement is reported as such first.
                let sql = stmt.render_in_account(self.shared().dialect(), "sys")?;
                let version = Box::pin(crate::server_version::learn(self)).await?;
                // The SQL with its `?` (passwords and keys are bound values), shortened.
                let what = match sql.char_indices().nth(80) {
                    Some((at, _)) => format!("{}...", &sql[..at]),
                    None => sql,
                };
                requires.check(&version, &what)?;
            }
            if self.in_transaction() {
                match stmt.in_transaction() {
                    InTransaction::Allowed => {}
                    InTransaction::OutsideTransaction => return Box::pin(self.client().run(stmt)).await,
                    InTransaction::Refused(what) => {
                        // A malformed statement is reported as such first.
                        stmt.render_in_account(self.shared().dialect(), "sys")?;
                        return Err(Error::new(
                            ErrorKind::NotAllowedInTransaction,
                            format!(
                                "MatrixOne does not run {what} inside a transaction \
                                 (pkg/frontend/stmt_kind.go); nothing was sent and the transaction \
                                 goes on: run it on the Client, before BEGIN or after COMMIT"
                            ),
                        ));
                    }
                }
            }
            let shared = self.shared();
            let varies = stmt.varies_by_dialect();
            let dialect = shared.dialect();
            // Boxed: the fallback and account paths are rare, and inline they would triple the size
            // of every `run` future (deeply nested callers overflowed a test thread's stack).
            let sql = Box::pin(render(self, &stmt, dialect)).await?;
            let first = Box::pin(self.execute(mo_statement(&stmt, sql))).await;
            let rs = match first {
                Err(e)
                    if varies
                        && dialect == Dialect::V4
                        && shared.may_probe_dialect()
                        && is_mo_parse_error(&e) =>
                {
                    let sql = Box::pin(render(self, &stmt, Dialect::V3)).await?;
                    let rs = Box::pin(self.execute(mo_statement(&stmt, sql))).await?;
                    shared.learn_dialect(Dialect::V3);
                    rs
                }
                other => {
                    let rs = other?;
                    if varies {
                        shared.learn_dialect(dialect);
                    }
                    rs
                }
            };
            S::decode_output(rs)
        }
    }

    /// Writes one row of an [`Insertable`] type into its table; returns the rows affected (1).
    fn insert<T: Insertable + Sync>(&self, row: &T) -> impl Future<Output = Result<u64>> + Send {
        crate::insert::insert_many(self, std::slice::from_ref(row), InsertOptions::new())
    }

    /// Writes `rows` with multi-row INSERTs, as few as the server's `max_allowed_packet` and the
    /// 65535-placeholder limit allow, all or nothing; returns the rows affected. See
    /// [`crate::insert`] for the chunking and what a failure part-way leaves (nothing on a Client;
    /// in a Transaction, the caller's transaction decides).
    fn insert_many<T: Insertable + Sync>(&self, rows: &[T]) -> impl Future<Output = Result<u64>> + Send {
        crate::insert::insert_many(self, rows, InsertOptions::new())
    }

    /// [`Executor::insert_many`] with [`InsertOptions`]: `ON DUPLICATE KEY UPDATE`, another
    /// table, smaller statements.
    fn insert_many_with<T: Insertable + Sync>(
        &self,
        rows: &[T],
        options: InsertOptions,
    ) -> impl Future<Output = Result<u64>> + Send {
        crate::insert::insert_many(self, rows, options)
    }
}

/// Each secret as given and as written inside a literal in either escaping mode (a server error
/// quotes the statement as it was sent).
fn secret_forms(secrets: Vec<String>) -> Vec<String> {
    let mut forms = Vec::with_capacity(secrets.len() * 3);
    for secret in secrets {
        for mode in [EscapeMode::Backslash, EscapeMode::NoBackslash] {
            let literal = crate::sql::string_literal(&secret, mode);
            let inner = &literal[1..literal.len() - 1];
            if inner != secret {
                forms.push(inner.to_owned());
            }
        }
        forms.push(secret);
    }
    // The longest first, so that no shorter form leaves part of a longer one behind.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
}

/// The rendered SQL with the statement's values bound (inlined on the way out, see
/// [`MoStatement::values`]), over the text protocol.
fn mo_statement<S: MoStatement>(stmt: &S, sql: String) -> Statement {
    let secrets = secret_forms(stmt.secrets());
    stmt.values().into_iter().fold(Statement::new(sql).text_only(), Statement::bind).with_secrets(secrets)
}

/// Renders `stmt` for `dialect`, asking the server for the session's account only when the
/// dialect needs it and only once the statement is known to be valid.
async fn render<E: Executor + ?Sized, S: MoStatement>(
    exec: &E,
    stmt: &S,
    dialect: Dialect,
) -> Result<String> {
    if !stmt.needs_current_account(dialect) {
        return stmt.render(dialect);
    }
    // Validates every other part first, so an invalid statement sends nothing at all.
    stmt.render_in_account(dialect, "sys")?;
    let account = match exec.shared().current_account() {
        Some(account) => account,
        None => {
            let account: String = exec.fetch_scalar("SELECT current_account_name()").await?;
            exec.shared().remember_current_account(account)
        }
    };
    stmt.render_in_account(dialect, &account)
}

impl<T: sealed::Connection> Executor for T {}

/// The attempts of one statement: one, or as its retry policy allows when on a Client.
struct Retries {
    attempts: Option<Attempts>,
}

impl Retries {
    fn new<E: Executor + ?Sized>(exec: &E, stmt: &Statement) -> Retries {
        let attempts = match stmt.retry_policy() {
            Some(policy) if !exec.in_transaction() => Some(Attempts::new(policy.clone(), "statement")),
            _ => None,
        };
        Retries { attempts }
    }

    /// The statement for the next attempt: a copy while retries may follow, else the original
    /// (a statement without a policy runs once and is never copied).
    fn statement(&self, stmt: &mut Option<Statement>) -> Statement {
        let next = if self.attempts.is_some() { stmt.clone() } else { stmt.take() };
        next.unwrap_or_else(|| Statement::new(""))
    }

    /// Whether to run another attempt after `err` (after its backoff).
    async fn again(&mut self, err: &Error) -> bool {
        match &mut self.attempts {
            Some(attempts) => attempts.again(err).await,
            None => false,
        }
    }
}

/// MatrixOne's parser error (1064, `SQL parser error ...`): the statement's grammar is unknown.
fn is_mo_parse_error(e: &Error) -> bool {
    e.kind() == ErrorKind::Syntax && e.code() == Some(1064) && e.message().starts_with("SQL parser error")
}

/// One span per statement call (all its attempts), with OpenTelemetry's database attribute
/// names. The SQL is the text with its `?` placeholders: bound values never reach a span or an
/// event. Built only when a subscriber wants it.
pub(crate) fn statement_span(shared: &Shared, stmt: &Statement) -> tracing::Span {
    use tracing::field::Empty;
    let span = tracing::debug_span!(
        target: "matrixone::statement",
        "statement",
        db.system.name = "matrixone",
        db.query.text = Empty,
        db.operation.name = Empty,
        server.address = %shared.options.host,
        server.port = shared.options.port,
        db.response.returned_rows = Empty,
        error.type = Empty,
        matrixone.retries = Empty,
        matrixone.timed_out = Empty,
    );
    if !span.is_disabled() {
        let sql = stmt.sql();
        span.record("db.query.text", sql);
        let operation = sql.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        span.record("db.operation.name", operation.as_str());
    }
    span
}

/// Records how a statement ended on the current statement span.
fn record_outcome(rows: usize, outcome: &Result<()>) {
    let span = tracing::Span::current();
    if span.is_disabled() {
        return;
    }
    span.record("db.response.returned_rows", rows);
    if let Err(e) = outcome {
        span.record("error.type", tracing::field::debug(e.kind()));
        if e.kind() == ErrorKind::Timeout {
            span.record("matrixone.timed_out", true);
        }
    }
}

/// Whether [`run_statement`] should read on after a row.
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// Decides how a statement may run on this connection and renders it: refuses what must not run
/// here (see [`ConnectionGuard::admit`]) and inlines values for the session's escaping.
pub(crate) fn prepare(
    guard: &mut ConnectionGuard<'_>,
    shared: &Shared,
    stmt: Statement,
) -> Result<(Wire, SessionEffect)> {
    let mode = guard.escape_mode(shared);
    let effect = session_effect(stmt.sql(), mode);
    guard.admit(effect)?;
    Ok((stmt.into_wire(shared.prepared_statements(), mode)?, effect))
}

/// Where a row stands: which row-returning result of the statement it belongs to (0 for the first;
/// a text with several statements, or a CALL, can return more) and that result's column labels.
pub(crate) struct RowPlace {
    pub(crate) set: usize,
    pub(crate) columns: Columns,
}

impl RowPlace {
    /// For readers that map rows into one type: rows of a second result have other columns, and
    /// mapping them by the first result's labels would mix values up silently.
    pub(crate) fn only_one_set(&self) -> Result<()> {
        if self.set == 0 {
            Ok(())
        } else {
            Err(Error::decode(
                "the statement returned more than one result set with rows; fetch_* map one result \
                 into one type: run it with execute() and read ResultSet::more_results()",
            ))
        }
    }
}

/// Tracks result boundaries in the driver's stream: column labels are read anew for each result.
#[derive(Default)]
pub(crate) struct ResultBoundaries {
    sets: usize,
    current: Option<Columns>,
}

impl ResultBoundaries {
    /// The place of a row just read.
    pub(crate) fn row(&mut self, row: &MySqlRow) -> RowPlace {
        let columns = match &self.current {
            Some(columns) => columns.clone(),
            None => {
                self.sets += 1;
                self.current.insert(columns_of(row)).clone()
            }
        };
        RowPlace { set: self.sets - 1, columns }
    }

    /// One result ended (the driver's `Either::Left`).
    pub(crate) fn end_of_result(&mut self) {
        self.current = None;
    }
}

/// Runs one statement, hands each row to `on_row` until it says stop, and returns the summed
/// rows-affected and the last insert id. Logs the SQL (never the bound values) and the time.
///
/// The connection is marked busy while the statement runs: a caller that drops this future
/// halfway (a timeout, a cancelled task) leaves a connection that is closed, never reused.
pub(crate) async fn run_statement(
    guard: &mut ConnectionGuard<'_>,
    shared: &Shared,
    stmt: Statement,
    mut on_row: impl FnMut(MySqlRow, RowPlace) -> Result<Flow> + Send,
) -> Result<(u64, u64)> {
    let mut stmt = stmt;
    let secrets = stmt.take_secrets();
    let started = Instant::now();
    // Copied only when an event could be recorded (a slow-statement WARN is the least verbose).
    let logged_sql = tracing::enabled!(target: "matrixone::statement", tracing::Level::WARN)
        .then(|| stmt.sql().to_owned());
    let limit = stmt.timeout_limit().or(shared.options.statement_timeout);
    let head = crate::relay::Head::of(stmt.sql());
    let (wire, effect) = prepare(guard, shared, stmt)?;
    let lease = guard.lease()?;
    let thread_id = lease.thread_id();
    let (mut affected, mut last_id, mut rows) = (0u64, 0u64, 0usize);
    let conn = lease.start();
    let work = async {
        let mut stream = sqlx::Executor::fetch_many(&mut *conn, wire.into_execute());
        let mut boundaries = ResultBoundaries::default();
        while let Some(item) = stream.try_next().await? {
            match item {
                Either::Left(done) => {
                    boundaries.end_of_result();
                    affected += done.rows_affected();
                    if done.last_insert_id() != 0 {
                        last_id = done.last_insert_id();
                    }
                }
                Either::Right(row) => {
                    rows += 1;
                    let place = boundaries.row(&row);
                    if let Flow::Stop = on_row(row, place)? {
                        break;
                    }
                }
            }
        }
        Ok(())
    };
    let outcome: Result<()> = match limit {
        None => work.await,
        Some(limit) => match tokio::time::timeout(limit, work).await {
            Ok(outcome) => outcome,
            // The lease stays busy: its connection is closed, never reused.
            Err(_) => Err(Box::pin(stop_timed_out(lease, shared, thread_id, limit)).await),
        },
    };
    record_outcome(rows, &outcome);
    // A timed-out statement's lease stays busy (its connection is closed): nothing below applies.
    let outcome = if outcome.as_ref().is_err_and(|e| e.kind() == ErrorKind::Timeout) {
        outcome
    } else {
        let outcome = outcome.map_err(|e| crate::relay::with_statement(e, &head));
        if outcome.as_ref().is_err_and(crate::relay::leaves_connection_out_of_step) {
            // The driver stopped reading in the middle of an answer: the lease stays busy, so the
            // connection is closed and a transaction cannot go on with it. The statement itself
            // ended on the server: nothing to stop.
            lease.killed();
        } else {
            // Rows left unread are drained by the driver before the connection's next use.
            lease.done();
        }
        if outcome.as_ref().is_err_and(|e| e.kind() == ErrorKind::Connection) {
            // The connection broke (I/O, protocol): the next caller must get a fresh one.
            lease.discard();
        }
        match outcome {
            Ok(()) if effect.may_change_sql_mode() => refresh_escape_mode(guard).await,
            other => other,
        }
    };
    // A server error may quote the statement as sent, passwords inlined: never log or return that.
    let outcome = if secrets.is_empty() { outcome } else { outcome.map_err(|e| e.redacted(&secrets)) };
    if let Some(sql) = logged_sql {
        shared.log_statement(&sql, started.elapsed(), rows, affected, outcome.as_ref().err());
    }
    outcome.map(|()| (affected, last_id))
}

/// A statement ran past `limit`: tells the server to stop it, and says so.
async fn stop_timed_out(lease: &mut Lease, shared: &Shared, thread_id: u64, limit: Duration) -> Error {
    lease.killed();
    let stopped = match shared.options.to_sqlx() {
        Ok(options) => kill_query(&options, thread_id, shared.options.connect_timeout).await,
        Err(e) => Err(e),
    };
    let how = match stopped {
        Ok(()) => format!("the server was told to stop it (KILL QUERY {thread_id})"),
        Err(e) => format!("telling the server to stop it failed: {e}"),
    };
    Error::new(
        ErrorKind::Timeout,
        format!("the statement ran past its timeout of {limit:?}; {how}; its connection was closed"),
    )
}

/// After a `SET` in a transaction, reads how its session now escapes literals (a `SET` may have
/// changed `sql_mode`), so the values of its later statements are escaped for the session as it is.
async fn refresh_escape_mode(guard: &mut ConnectionGuard<'_>) -> Result<()> {
    let ConnectionGuard::Transaction(state) = guard else { return Ok(()) };
    let lease = state.lease()?;
    let no_backslash = read_no_backslash_escapes(lease.start()).await?;
    lease.done();
    state.escape_mode = if no_backslash { EscapeMode::NoBackslash } else { EscapeMode::Backslash };
    Ok(())
}
