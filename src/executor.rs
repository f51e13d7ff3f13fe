//! The [`Executor`] trait: one set of `&self` methods served by [`crate::Client`] (on the pool) and
//! [`crate::Transaction`] (inside it), so `async fn save(db: &impl Executor, ..)` works with both.

use std::future::Future;
use std::time::Instant;

use futures_util::TryStreamExt as _;
use sqlx::Either;
use sqlx::mysql::{MySqlConnection, MySqlRow};

use crate::decode::Decode;
use crate::error::{Error, ErrorKind, Result};
use crate::from_row::FromRow;
use crate::mo::{Dialect, MoStatement};
use crate::result::{Columns, ResultSet, Row, columns_of};
use crate::shared::Shared;
use crate::statement::Statement;

pub(crate) mod sealed {
    use super::*;

    /// What an executor provides underneath the public methods: a connection to run on, and the
    /// client's shared state. Sealed: only this crate's types implement [`super::Executor`].
    pub trait Connection: Send + Sync {
        /// A connection for one statement: a pooled one, or the transaction's.
        fn connection(&self) -> impl Future<Output = Result<ConnectionGuard<'_>>> + Send;

        /// The client's shared state.
        fn shared(&self) -> &Shared;
    }

    /// A connection held for one statement.
    pub enum ConnectionGuard<'a> {
        /// Taken from the pool; returned when dropped.
        Pooled(sqlx::pool::PoolConnection<sqlx::MySql>),
        /// The transaction's own connection, locked for the statement.
        Transaction(tokio::sync::MutexGuard<'a, Option<sqlx::Transaction<'static, sqlx::MySql>>>),
    }

    impl ConnectionGuard<'_> {
        pub(crate) fn get(&mut self) -> Result<&mut MySqlConnection> {
            match self {
                ConnectionGuard::Pooled(conn) => Ok(&mut *conn),
                ConnectionGuard::Transaction(tx) => match tx.as_mut() {
                    Some(tx) => Ok(&mut *tx),
                    None => Err(Error::new(ErrorKind::Other, "the transaction has already ended")),
                },
            }
        }
    }
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
        let stmt = stmt.into();
        async move {
            let mut guard = self.connection().await?;
            let mut columns: Option<Columns> = None;
            let mut rows = Vec::new();
            let (affected, last_id) = run_statement(guard.get()?, self.shared(), stmt, |row| {
                let cols = columns.get_or_insert_with(|| columns_of(&row)).clone();
                rows.push(Row::new(row, cols));
                Ok(Flow::Continue)
            })
            .await?;
            Ok(ResultSet::new(columns, rows, affected, last_id))
        }
    }

    /// Maps every row through [`FromRow`].
    fn fetch_all<T: FromRow + Send>(
        &self,
        stmt: impl Into<Statement> + Send,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        let stmt = stmt.into();
        async move {
            let mut guard = self.connection().await?;
            let mut columns: Option<Columns> = None;
            let mut out = Vec::new();
            run_statement(guard.get()?, self.shared(), stmt, |row| {
                let cols = columns.get_or_insert_with(|| columns_of(&row)).clone();
                out.push(T::from_row(&Row::new(row, cols))?);
                Ok(Flow::Continue)
            })
            .await?;
            Ok(out)
        }
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
        let stmt = stmt.into();
        async move {
            let mut guard = self.connection().await?;
            let mut first = None;
            run_statement(guard.get()?, self.shared(), stmt, |row| {
                let cols = columns_of(&row);
                first = Some(T::from_row(&Row::new(row, cols))?);
                Ok(Flow::Stop)
            })
            .await?;
            Ok(first)
        }
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
    /// For a statement whose SQL differs between MatrixOne lines (RESTORE), the client speaks the
    /// pinned [`Dialect`], or the one it learned, or tries [`Dialect::V4`] and, when the server
    /// answers with MatrixOne's parser error, [`Dialect::V3`] once, and remembers what worked.
    /// Where 3.x grammar must name the account (a database or table RESTORE), the session's own
    /// account (`current_account_name()`) is filled in.
    fn run<S: MoStatement>(&self, stmt: S) -> impl Future<Output = Result<S::Output>> + Send {
        async move {
            let shared = self.shared();
            let varies = stmt.varies_by_dialect();
            let dialect = shared.dialect();
            // Boxed: the fallback and account paths are rare, and inline they would triple the size
            // of every `run` future (deeply nested callers overflowed a test thread's stack).
            let sql = Box::pin(render(self, &stmt, dialect)).await?;
            let first = Box::pin(self.execute(Statement::new(sql).text_only())).await;
            let rs = match first {
                Err(e)
                    if varies
                        && dialect == Dialect::V4
                        && shared.may_probe_dialect()
                        && is_mo_parse_error(&e) =>
                {
                    let sql = Box::pin(render(self, &stmt, Dialect::V3)).await?;
                    let rs = Box::pin(self.execute(Statement::new(sql).text_only())).await?;
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

/// MatrixOne's parser error (1064, `SQL parser error ...`): the statement's grammar is unknown.
fn is_mo_parse_error(e: &Error) -> bool {
    e.kind() == ErrorKind::Syntax && e.code() == Some(1064) && e.message().starts_with("SQL parser error")
}

/// Whether [`run_statement`] should read on after a row.
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// Runs one statement on `conn`, hands each row to `on_row` until it says stop, and returns the summed
/// rows-affected and the last insert id. Logs the SQL (never the bound values) and the time.
pub(crate) async fn run_statement(
    conn: &mut MySqlConnection,
    shared: &Shared,
    stmt: Statement,
    mut on_row: impl FnMut(MySqlRow) -> Result<Flow> + Send,
) -> Result<(u64, u64)> {
    let started = Instant::now();
    // Copied only when an event could be recorded (a slow-statement WARN is the least verbose).
    let logged_sql = tracing::enabled!(target: "matrixone::statement", tracing::Level::WARN)
        .then(|| stmt.sql().to_owned());
    let wire = stmt.into_wire(shared.options.prepared_statements, shared.escape_mode())?;
    let mut stream = sqlx::Executor::fetch_many(&mut *conn, wire.into_execute());
    let (mut affected, mut last_id, mut rows) = (0u64, 0u64, 0usize);
    let outcome: Result<()> = async {
        while let Some(item) = stream.try_next().await? {
            match item {
                Either::Left(done) => {
                    affected += done.rows_affected();
                    if done.last_insert_id() != 0 {
                        last_id = done.last_insert_id();
                    }
                }
                Either::Right(row) => {
                    rows += 1;
                    if let Flow::Stop = on_row(row)? {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
    .await;
    drop(stream);
    if let Some(sql) = logged_sql {
        shared.log_statement(&sql, started.elapsed(), rows, affected, outcome.as_ref().err());
    }
    outcome.map(|()| (affected, last_id))
}
