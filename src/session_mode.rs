//! What a new connection learns about its session, and the `NO_BACKSLASH_ESCAPES` mode it is
//! pinned to, so that the client-side binder always escapes literals the way the session parses
//! them.
//!
//! Every pooled connection is set to the client's one mode ([`crate::ConnectOptions::no_backslash_escapes`],
//! off by default) whatever the server's global `sql_mode` says: a `SET GLOBAL sql_mode` between
//! two connects cannot give one client connections that parse literals differently. A Client
//! refuses `SET` statements; a transaction that runs one re-reads its mode right after.

use sqlx::Row as _;
use sqlx::mysql::MySqlConnection;

/// What one query at connect time tells about the session and the server.
#[derive(Debug, Clone)]
pub(crate) struct SessionFacts {
    pub(crate) thread_id: u64,
    /// `VERSION()`: `8.0.30-MatrixOne-v4.2.0` on MatrixOne, `10.11.x-MariaDB-...` on MariaDB.
    pub(crate) version: String,
}

/// Reads the session's id, the server's version and `sql_mode` in one round trip, and sets
/// `NO_BACKSLASH_ESCAPES` to `wanted` when it differs.
///
/// A server that cannot report its `sql_mode` is taken to use MySQL's default (backslash
/// escapes); then only a wish for the other mode fails.
pub(crate) async fn open_session(conn: &mut MySqlConnection, wanted: bool) -> sqlx::Result<SessionFacts> {
    let row = sqlx::Executor::fetch_one(&mut *conn, "SELECT CONNECTION_ID(), VERSION(), @@SESSION.sql_mode")
        .await?;
    let thread_id = row
        .try_get_unchecked::<u64, _>(0)
        .or_else(|_| row.try_get_unchecked::<i64, _>(0).map(|v| v as u64))?;
    let version: String = row.try_get_unchecked(1)?;
    let mode: Option<String> = row.try_get_unchecked(2).ok();
    let on = mode.as_deref().is_some_and(has_no_backslash_escapes);
    if mode.is_none() && !wanted {
        tracing::warn!(target: "matrixone::connect", "cannot read sql_mode; assuming backslash escapes");
    }
    let set = match (wanted, on) {
        (true, false) => Some("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')"),
        (false, true) => Some(
            "SET SESSION sql_mode = TRIM(BOTH ',' FROM \
             REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))",
        ),
        _ => None,
    };
    if let Some(set) = set {
        sqlx::Executor::execute(&mut *conn, set).await?;
    }
    Ok(SessionFacts { thread_id, version })
}

/// Whether the session's `sql_mode` contains `NO_BACKSLASH_ESCAPES`.
pub(crate) async fn read_no_backslash_escapes(conn: &mut MySqlConnection) -> sqlx::Result<bool> {
    let row = sqlx::Executor::fetch_one(&mut *conn, "SELECT @@SESSION.sql_mode").await?;
    let mode: String = row.try_get_unchecked(0)?;
    Ok(has_no_backslash_escapes(&mode))
}

fn has_no_backslash_escapes(sql_mode: &str) -> bool {
    sql_mode.split(',').any(|m| m.trim().eq_ignore_ascii_case("NO_BACKSLASH_ESCAPES"))
}
