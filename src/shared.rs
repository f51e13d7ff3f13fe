//! [`Shared`]: the state one client and all its clones and transactions share.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::mo::Dialect;
use crate::options::ConnectOptions;
use crate::pool::Pool;
use crate::server_version::ServerVersion;
use crate::sql::EscapeMode;

/// The pool, the options, and what the client learned about its server.
pub struct Shared {
    pub(crate) pool: Pool,
    pub(crate) options: ConnectOptions,
    /// 0: not learned yet; otherwise a [`Dialect`] code.
    learned_dialect: AtomicU8,
    /// The login's MatrixOne account, once a statement needed it.
    current_account: OnceLock<String>,
    /// The server's version, learned by the first connection.
    pub(crate) server_version: Arc<OnceLock<ServerVersion>>,
    /// The server's `max_allowed_packet`, once a bulk insert asked for it.
    max_allowed_packet: OnceLock<u64>,
    /// Connections through the column-type relay, once a statement needed one (`crate::relay`).
    relay: OnceLock<Pool>,
}

const V3: u8 = 1;
const V4: u8 = 2;

impl Shared {
    pub(crate) fn new(
        pool: Pool,
        options: ConnectOptions,
        server_version: Arc<OnceLock<ServerVersion>>,
    ) -> Shared {
        Shared {
            pool,
            options,
            learned_dialect: AtomicU8::new(0),
            current_account: OnceLock::new(),
            server_version,
            max_allowed_packet: OnceLock::new(),
            relay: OnceLock::new(),
        }
    }

    /// The pool of relayed connections, built on first use.
    pub(crate) fn relay_pool(&self) -> Result<&Pool> {
        if self.pool.is_closed() {
            return Err(Error::new(ErrorKind::Connection, "the client was closed"));
        }
        if let Some(pool) = self.relay.get() {
            return Ok(pool);
        }
        // A lazy client whose first statement is relayed learns its server here.
        let learned = self.server_version.clone();
        let pool = crate::pool::build_relayed(&self.options, move |facts| {
            learned.get_or_init(|| ServerVersion::parse(&facts.version));
        })?;
        Ok(self.relay.get_or_init(|| pool))
    }

    /// Relayed connections open now.
    pub(crate) fn relayed_connections(&self) -> usize {
        self.relay.get().map_or(0, |pool| pool.status().size)
    }

    /// Closes both pools (see [`crate::Client::close`]).
    pub(crate) fn close(&self) {
        self.pool.close();
        if let Some(relay) = self.relay.get() {
            relay.close();
        }
    }

    /// How string literals must be escaped for this client's pooled sessions: every new
    /// connection is pinned to this mode (`session_mode.rs`).
    pub(crate) fn escape_mode(&self) -> EscapeMode {
        if self.options.no_backslash_escapes.unwrap_or(false) {
            EscapeMode::NoBackslash
        } else {
            EscapeMode::Backslash
        }
    }

    /// Whether statements with values are prepared: as the options say, else everywhere but on
    /// MatrixOne, whose binary protocol has stored values as NULL (#28138).
    pub(crate) fn prepared_statements(&self) -> bool {
        self.options
            .prepared_statements
            .unwrap_or_else(|| !self.server_version.get().is_some_and(ServerVersion::is_matrixone))
    }

    /// The dialect to speak: pinned, learned, or V4 to start with.
    pub(crate) fn dialect(&self) -> Dialect {
        self.known_dialect().unwrap_or(Dialect::V4)
    }

    /// The dialect in force when it is known: pinned, or learned from the server.
    pub(crate) fn known_dialect(&self) -> Option<Dialect> {
        self.options.dialect.or(match self.learned_dialect.load(Ordering::Relaxed) {
            V3 => Some(Dialect::V3),
            V4 => Some(Dialect::V4),
            _ => None,
        })
    }

    pub(crate) fn current_account(&self) -> Option<String> {
        self.current_account.get().cloned()
    }

    /// Keeps the account for later statements and returns it.
    pub(crate) fn remember_current_account(&self, account: String) -> String {
        self.current_account.get_or_init(|| account).clone()
    }

    pub(crate) fn max_allowed_packet(&self) -> Option<u64> {
        self.max_allowed_packet.get().copied()
    }

    /// Keeps the server's `max_allowed_packet` for later inserts and returns it.
    pub(crate) fn remember_max_allowed_packet(&self, bytes: u64) -> u64 {
        *self.max_allowed_packet.get_or_init(|| bytes)
    }

    /// Whether a parser error may still be answered by trying the other dialect.
    pub(crate) fn may_probe_dialect(&self) -> bool {
        self.options.dialect.is_none() && self.learned_dialect.load(Ordering::Relaxed) == 0
    }

    pub(crate) fn learn_dialect(&self, dialect: Dialect) {
        if self.options.dialect.is_none() {
            let code = match dialect {
                Dialect::V3 => V3,
                Dialect::V4 => V4,
            };
            self.learned_dialect.store(code, Ordering::Relaxed);
        }
    }

    /// One event per statement: the SQL text with its placeholders (never the bound values),
    /// the time it took and the rows; a warning past the slow-statement threshold.
    pub(crate) fn log_statement(
        &self,
        sql: &str,
        elapsed: Duration,
        rows: usize,
        rows_affected: u64,
        error: Option<&Error>,
    ) {
        let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
        if elapsed >= self.options.slow_statement_threshold {
            tracing::warn!(target: "matrixone::statement", sql, elapsed_ms, rows, rows_affected, error = error.map(tracing::field::display), "slow statement");
        } else {
            tracing::debug!(target: "matrixone::statement", sql, elapsed_ms, rows, rows_affected, error = error.map(tracing::field::display), "statement");
        }
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("options", &self.options)
            .field("escape_mode", &self.escape_mode())
            .field("dialect", &self.dialect())
            .finish_non_exhaustive()
    }
}
