//! [`Config`]: where mosim listens, which backend it uses, which MatrixOne line it imitates.

use std::net::SocketAddr;
use std::time::Duration;

/// The MatrixOne release line whose RESTORE grammar mosim speaks (reference §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// v3.0.x: `RESTORE ... FROM SNAPSHOT s`; the `{SNAPSHOT = s}` restore form is a 1064.
    V3,
    /// v4.x and main: `RESTORE ... {SNAPSHOT = s}`; `FROM SNAPSHOT` is a 1064.
    #[default]
    V4,
}

/// How to start a [`Server`](crate::Server). `Debug` hides the backend's password.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// MariaDB URL, e.g. `mysql://root@127.0.0.1:3306`; any database in it is ignored.
    pub backend_url: String,
    /// Version string sent in the handshake and returned by `SELECT VERSION()`.
    pub server_version: String,
    /// Which RESTORE grammar to accept.
    pub dialect: Dialect,
    /// How long a client has, from the greeting, to log in (MySQL's `connect_timeout`).
    pub handshake_timeout: Duration,
    /// How long a logged-in client may stay silent between commands (MySQL's `wait_timeout`).
    pub idle_timeout: Duration,
    /// Most client connections served at once; more are refused with error 1040.
    pub max_connections: usize,
    /// Largest command a logged-in client may send, in bytes (MySQL's `max_allowed_packet`).
    pub max_packet: usize,
    /// Reproduces MatrixOne #28138 / #26874 (severity s0): a prepared statement re-executed on
    /// the same connection keeps the NULL positions of its first execution, so a later
    /// non-NULL value there is stored as NULL. Off by default.
    pub quirk_prepared_null_shape: bool,
    /// Reproduces MatrixOne's answer to COM_QUIT (matrixorigin/Astra PR #610): the connection
    /// stays open, its input read and discarded, until the client closes it or the idle
    /// timeout passes, so a client waiting for the server to close waits in vain. Off by
    /// default.
    pub quirk_ignore_quit: bool,
}

/// Default [`Config::handshake_timeout`]: MySQL's `connect_timeout`.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Config::idle_timeout`]: MySQL's `wait_timeout`, 8 hours.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(8 * 3600);
/// Default [`Config::max_connections`]: MySQL's `max_connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 151;
/// Default [`Config::max_packet`]: 64 MiB, MySQL 8.0's `max_allowed_packet`.
pub const DEFAULT_MAX_PACKET: usize = 64 << 20;

/// The version a v4.2.0 server reports (reference §10.3).
pub const V4_VERSION: &str = "8.0.30-MatrixOne-v4.2.0";
/// The version a v3.0.18 server reports.
pub const V3_VERSION: &str = "8.0.30-MatrixOne-v3.0.18";

impl Config {
    /// A v4.2.0 server on an ephemeral loopback port in front of `backend_url`.
    pub fn new(backend_url: impl Into<String>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            backend_url: backend_url.into(),
            server_version: V4_VERSION.to_owned(),
            dialect: Dialect::V4,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_packet: DEFAULT_MAX_PACKET,
            quirk_prepared_null_shape: false,
            quirk_ignore_quit: false,
        }
    }

    /// Switches to the v3.0 line: its RESTORE grammar and its version string.
    pub fn v3(mut self) -> Self {
        self.dialect = Dialect::V3;
        self.server_version = V3_VERSION.to_owned();
        self
    }

    /// Sets the listen address.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Sets how long a client has to log in after the greeting.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// Sets how long a logged-in client may stay silent before mosim closes its connection.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets how many client connections mosim serves at once.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n;
        self
    }

    /// Sets the largest command a logged-in client may send, in bytes.
    pub fn max_packet(mut self, bytes: usize) -> Self {
        self.max_packet = bytes;
        self
    }

    /// Turns [`Config::quirk_prepared_null_shape`] on or off.
    pub fn quirk_prepared_null_shape(mut self, on: bool) -> Self {
        self.quirk_prepared_null_shape = on;
        self
    }

    /// Turns [`Config::quirk_ignore_quit`] on or off.
    pub fn quirk_ignore_quit(mut self, on: bool) -> Self {
        self.quirk_ignore_quit = on;
        self
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("backend_url", &crate::url::redacted(&self.backend_url))
            .field("server_version", &self.server_version)
            .field("dialect", &self.dialect)
            .field("handshake_timeout", &self.handshake_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_packet", &self.max_packet)
            .field("quirk_prepared_null_shape", &self.quirk_prepared_null_shape)
            .field("quirk_ignore_quit", &self.quirk_ignore_quit)
            .finish()
    }
}
