//! Capability and status flag bits used by the connection phase and result framing.

pub(crate) const LONG_PASSWORD: u32 = 1;
pub(crate) const FOUND_ROWS: u32 = 1 << 1;
pub(crate) const LONG_FLAG: u32 = 1 << 2;
pub(crate) const CONNECT_WITH_DB: u32 = 1 << 3;
pub(crate) const IGNORE_SPACE: u32 = 1 << 8;
pub(crate) const PROTOCOL_41: u32 = 1 << 9;
pub(crate) const INTERACTIVE: u32 = 1 << 10;
pub(crate) const SSL: u32 = 1 << 11;
pub(crate) const TRANSACTIONS: u32 = 1 << 13;
pub(crate) const SECURE_CONNECTION: u32 = 1 << 15;
pub(crate) const MULTI_STATEMENTS: u32 = 1 << 16;
pub(crate) const MULTI_RESULTS: u32 = 1 << 17;
pub(crate) const PS_MULTI_RESULTS: u32 = 1 << 18;
pub(crate) const PLUGIN_AUTH: u32 = 1 << 19;
pub(crate) const CONNECT_ATTRS: u32 = 1 << 20;
pub(crate) const PLUGIN_AUTH_LENENC: u32 = 1 << 21;
pub(crate) const DEPRECATE_EOF: u32 = 1 << 24;

/// What mosim offers clients. No SSL, compression, LOCAL INFILE or session tracking: every
/// packet mosim writes itself then has one simple layout.
pub(crate) const SERVER_CAPS: u32 = LONG_PASSWORD
    | FOUND_ROWS
    | LONG_FLAG
    | CONNECT_WITH_DB
    | IGNORE_SPACE
    | PROTOCOL_41
    | INTERACTIVE
    | TRANSACTIONS
    | SECURE_CONNECTION
    | MULTI_STATEMENTS
    | MULTI_RESULTS
    | PS_MULTI_RESULTS
    | PLUGIN_AUTH
    | CONNECT_ATTRS
    | PLUGIN_AUTH_LENENC
    | DEPRECATE_EOF;

/// Capabilities that change how a MariaDB session frames its answers or reads statements: a
/// backend connection can serve a client only if both agree on these.
pub(crate) const SESSION_CAPS: u32 =
    FOUND_ROWS | IGNORE_SPACE | MULTI_STATEMENTS | MULTI_RESULTS | PS_MULTI_RESULTS | DEPRECATE_EOF;

/// What mosim expects a client to ask for, to open its backend connection before the greeting:
/// sqlx's set (so the SDK's), which modern connectors share.
pub(crate) const EXPECTED_CLIENT_CAPS: u32 = SESSION_CAPS | TRANSACTIONS;

/// Status flag: a transaction is open.
pub(crate) const STATUS_IN_TRANS: u16 = 1;
/// Status flag: autocommit is on.
pub(crate) const STATUS_AUTOCOMMIT: u16 = 2;
/// Status flag: another result set follows.
pub(crate) const STATUS_MORE_RESULTS: u16 = 8;

/// The only auth plugin MatrixOne advertises (reference §10.1).
pub(crate) const NATIVE_PASSWORD: &str = "mysql_native_password";
