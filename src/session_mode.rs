//! The session's `NO_BACKSLASH_ESCAPES`: read, and pinned on every new connection, so that the
//! client-side binder always escapes literals the way the session parses them.
//!
//! Every pooled connection is set to the client's one mode ([`crate::ConnectOptions::no_backslash_escapes`],
//! off by default) whatever the server's global `sql_mode` says: a `SET GLOBAL sql_mode` between
//! two connects cannot give one client connections that parse literals differently. A Client
//! refuses `SET` statements; a transaction that runs one re-reads its mode right after.

use sqlx::mysql::MySqlConnection;

/// Whether the session's `sql_mode` contains `NO_BACKSLASH_ESCAPES`.
pub(crate) async fn read_no_backslash_escapes(conn: &mut MySqlConnection) -> sqlx::Result<bool> {
    use sqlx::Row as _;
    let row = sqlx::Executor::fetch_one(&mut *conn, "SELECT @@SESSION.sql_mode").await?;
    let mode: String = row.try_get_unchecked(0)?;
    Ok(mode.split(',').any(|m| m.trim().eq_ignore_ascii_case("NO_BACKSLASH_ESCAPES")))
}

/// Sets `NO_BACKSLASH_ESCAPES` to `wanted` on a new connection when it differs.
///
/// A server that cannot report its `sql_mode` is taken to use MySQL's default (backslash
/// escapes); then only a wish for the other mode fails.
pub(crate) async fn pin_no_backslash_escapes(conn: &mut MySqlConnection, wanted: bool) -> sqlx::Result<()> {
    let on = match read_no_backslash_escapes(conn).await {
        Ok(on) => on,
        Err(e) if !wanted => {
            tracing::warn!(target: "matrixone::connect", error = %e, "cannot read sql_mode; assuming backslash escapes");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let set = match (wanted, on) {
        (true, false) => "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')",
        (false, true) => {
            "SET SESSION sql_mode = TRIM(BOTH ',' FROM \
             REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))"
        }
        _ => return Ok(()),
    };
    sqlx::Executor::execute(&mut *conn, set).await?;
    Ok(())
}
