//! Reading results whose column types the driver refuses: MatrixOne's own type codes, through a
//! loopback relay used only for the statements that send them.
//!
//! # The problem
//!
//! MatrixOne has column type codes of its own next to MySQL's (pkg/defines/type.go): 0xF1
//! `MYSQL_TYPE_TEXT`, 0xF2 `INVALID`, 0xF3 `UUID`, 0xF4 `BOOL`. Ordinary query results never carry
//! them on the wire: the frontend turns TEXT into BLOB (`convertMysqlTextTypeToBlobType`,
//! pkg/frontend/util.go), UUID into VAR_STRING (`convertEngineTypeToMysqlType`,
//! pkg/frontend/mysql_cmd_executor.go) and writes BOOL as TINY (`makeColumnDefinition41Payload`,
//! pkg/frontend/mysql_protocol.go). But the result sets the frontend builds by hand keep 0xF1:
//! `SHOW PUBLICATIONS`, `SHOW SUBSCRIPTIONS` (pkg/frontend/publication_subscription.go), `SHOW CDC`
//! (pkg/frontend/cdc_util.go) and `DATA BRANCH DIFF` (its TEXT columns,
//! pkg/frontend/data_branch_output.go). sqlx-mysql refuses an unknown code while it reads the
//! column definitions (`ColumnType::try_from_u16`: "unknown column type 0xf1"), before any row,
//! so such a statement failed as a broken connection, and sqlx cannot be patched from a library.
//!
//! # The mechanism
//!
//! Those statements, recognised by their first words ([`route()`]), run on connections of a second,
//! lazily built pool whose connections pass through a relay ([`pump`]): for each such connection
//! the SDK connects to the server itself, listens on a fresh `127.0.0.1` port, lets sqlx connect
//! there, and copies the bytes both ways. The relay follows the protocol exactly (connection phase;
//! then per command: OK, ERR, column count, column definitions, EOF unless `CLIENT_DEPRECATE_EOF`,
//! rows until EOF/OK or ERR, `SERVER_MORE_RESULTS_EXISTS`; the layouts of `COM_STMT_PREPARE` and
//! `COM_STMT_EXECUTE`) and changes nothing but bytes of column definitions ([`coldef`]), in place:
//!
//! - 0xF1 TEXT becomes 0xFC BLOB with a text character set, which sqlx reads as `TEXT` (so it
//!   decodes as `String`, or as JSON with `serde_json::Value` / [`crate::Json`]);
//! - 0xF3 UUID becomes 0xFD VAR_STRING with a text character set (it is sent as text, and was
//!   marked binary); 0xF4 BOOL becomes 0x01 TINY (MatrixOne sends it as one);
//! - any other code sqlx does not know makes the relay answer the driver with an ERR packet naming
//!   the column and the code, in place of that result, and drop the rest of the server's answer to
//!   that command: the statement fails with [`crate::ErrorKind::Decode`], and the connection,
//!   still in step with the server, goes back to the pool.
//!
//! Rows are never touched: TEXT and BLOB, UUID and VAR_STRING are sent the same way in both the
//! text and the binary protocol.
//!
//! # What it costs
//!
//! Every other statement runs exactly as before, on the main pool's direct connections: the only
//! work added to the ordinary path is [`route()`] (a look at the first word, without allocating) and
//! a copy of the statement's first bytes for error messages ([`Head`]). The relay pool, its
//! listeners and tasks exist only once such a statement ran. [`crate::PoolStatus::relayed`]
//! counts its connections.
//!
//! A statement not recognised here that still returns an unknown type (another MatrixOne result
//! built by hand, or `SHOW PUBLICATIONS` after another statement in one text) fails in the driver
//! itself; the SDK turns that into a [`crate::ErrorKind::Decode`] error naming the type and the
//! statement's first words, and closes that connection, whose remaining answer was not read.
//!
//! # TLS and transactions
//!
//! The driver cannot be watched through TLS, so the relay speaks plain TCP on both sides: it hides
//! `CLIENT_SSL` from the driver, and with [`crate::SslMode::Required`] or stricter these statements
//! are refused ([`crate::ErrorKind::InvalidInput`]) rather than sent without TLS. With the default
//! `Preferred` they run over plain TCP even when the server offers TLS; the login still never
//! sends the password itself (the relay refuses `mysql_clear_password`, the one method that
//! would). In a [`crate::Transaction`], the `SHOW` statements read the catalog on a relayed
//! connection outside it, as `SHOW SNAPSHOTS` does; `DATA BRANCH DIFF`, which may read the
//! transaction's own writes, is refused there.

pub(crate) mod coldef;
pub(crate) mod pump;
mod route;
mod wire;

pub(crate) use route::{Head, Route, route};

use crate::error::{Error, ErrorKind, Result};
use crate::lease::Lease;
use crate::options::SslMode;
use crate::pool::checkout_error;
use crate::shared::Shared;

/// The error number of the ERR packet the relay sends in place of a result with a column type the
/// driver cannot read. In MySQL's client-error range (2000 to 2999, never sent by servers):
/// `CR_UNSUPPORTED_PARAM_TYPE`.
pub(crate) const UNKNOWN_TYPE_CODE: u16 = 2036;

/// How that ERR packet's message starts.
pub(crate) const UNKNOWN_TYPE_PREFIX: &str = "matrixone relay: ";

/// A connection for a statement that [`route()`] sent to the relay: from the client's relay pool,
/// outside any transaction.
pub(crate) async fn lease(shared: &Shared, route: Route, in_transaction: bool) -> Result<Lease> {
    if in_transaction && route == Route::BranchDiff {
        return Err(Error::invalid_input(
            "DATA BRANCH DIFF returns MatrixOne column types that the SDK reads through a relayed \
             connection of its own, outside the transaction, where the transaction's own changes are \
             not visible: run it on the Client, before BEGIN or after COMMIT",
        ));
    }
    if matches!(shared.options.ssl_mode, SslMode::Required | SslMode::VerifyCa | SslMode::VerifyIdentity) {
        return Err(Error::invalid_input(format!(
            "{} returns MatrixOne column types that the SDK reads through a loopback relay, and the \
             relay does not speak TLS to the server: with ssl_mode={} it is refused rather than sent \
             without TLS",
            route.name(),
            shared.options.ssl_mode
        )));
    }
    let pool = shared.relay_pool()?;
    let conn = Box::pin(pool.get()).await.map_err(|e| checkout_error(e, &shared.options))?;
    Ok(Lease::new(conn))
}

/// The SDK's error for a driver error about a column type it cannot read, if `err` is one: the
/// relay's ERR packet, or sqlx's own refusal (on a connection that did not go through the relay).
pub(crate) fn unknown_column_type(err: &sqlx::Error) -> Option<Error> {
    match err {
        sqlx::Error::Database(db) => {
            let number = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()?.number();
            let what = db.message().strip_prefix(UNKNOWN_TYPE_PREFIX)?;
            (number == UNKNOWN_TYPE_CODE).then(|| Error::decode(what.to_owned()))
        }
        sqlx::Error::Protocol(message) => {
            let code = message.strip_prefix("unknown column type ")?;
            Some(Error::new(
                ErrorKind::Decode,
                format!(
                    "the server sent column type {code}, which the driver cannot read (the SDK \
                     reads MatrixOne's own types only for the statements it knows to send them); \
                     its connection is not used again"
                ),
            ))
        }
        _ => None,
    }
}

/// Whether `err` came from the driver refusing a column type on a direct connection, which leaves
/// the rest of the server's answer unread: that connection must not be used again.
pub(crate) fn leaves_connection_out_of_step(err: &Error) -> bool {
    err.kind() == ErrorKind::Decode
        && std::error::Error::source(err)
            .and_then(|s| s.downcast_ref::<sqlx::Error>())
            .is_some_and(|s| matches!(s, sqlx::Error::Protocol(_)))
}

/// Adds the statement's first words to an error about a column type (`err` is returned as it is
/// otherwise).
pub(crate) fn with_statement(err: Error, head: &Head) -> Error {
    let about_type = err.kind() == ErrorKind::Decode
        && std::error::Error::source(&err)
            .and_then(|s| s.downcast_ref::<sqlx::Error>())
            .is_some_and(|s| unknown_column_type(s).is_some());
    if about_type { err.context(format_args!("in the result of `{}`", head.as_str())) } else { err }
}
