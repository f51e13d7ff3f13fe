//! [`ConnectOptions`]: where and how to connect, from a builder, a URL or `MATRIXONE_URL`.
//!
//! The password is kept out of every `Debug` and `Display` form and out of error messages.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use sqlx::mysql::{MySqlConnectOptions, MySqlSslMode};

use crate::error::{Error, Result};
use crate::mo::Dialect;
use crate::value::Value;

/// The environment variable [`ConnectOptions::from_env`] reads.
pub const URL_ENV: &str = "MATRIXONE_URL";

/// Whether and how to use TLS; the names follow MySQL's `ssl-mode`, and so do `Display` and
/// `FromStr`.
///
/// ```
/// use matrixone::SslMode;
/// assert_eq!(SslMode::VerifyCa.to_string(), "verify_ca");
/// assert_eq!("VERIFY-CA".parse::<SslMode>().unwrap(), SslMode::VerifyCa);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, derive_more::Display)]
pub enum SslMode {
    /// Plain TCP.
    #[display("disabled")]
    Disabled,
    /// TLS when the server offers it (the default).
    #[default]
    #[display("preferred")]
    Preferred,
    /// TLS or fail; the certificate is not checked.
    #[display("required")]
    Required,
    /// TLS with the server certificate checked against the CA.
    #[display("verify_ca")]
    VerifyCa,
    /// Like `VerifyCa`, and the host name must match the certificate.
    #[display("verify_identity")]
    VerifyIdentity,
}

impl FromStr for SslMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<SslMode> {
        Ok(match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "disabled" => SslMode::Disabled,
            "preferred" => SslMode::Preferred,
            "required" => SslMode::Required,
            "verify_ca" => SslMode::VerifyCa,
            "verify_identity" => SslMode::VerifyIdentity,
            _ => return Err(Error::invalid_input(format!("unknown ssl-mode {s:?}"))),
        })
    }
}

/// Connection settings for a [`crate::Client`].
///
/// ```
/// use matrixone::ConnectOptions;
/// let opts: ConnectOptions = "mysql://root:111@127.0.0.1:6001/test".parse().unwrap();
/// assert_eq!(opts.to_string(), "mysql://root:***@127.0.0.1:6001/test");
///
/// let opts = ConnectOptions::new().host("db").user("root").password("secret").account("acc1").role("admin");
/// assert_eq!(opts.login_name().unwrap(), "acc1:root:admin");
/// assert!(!format!("{opts:?}").contains("secret"));
/// ```
#[derive(Clone, PartialEq)]
pub struct ConnectOptions {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) password: Option<String>,
    pub(crate) database: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) max_connections: u32,
    pub(crate) min_connections: u32,
    pub(crate) connect_timeout: Duration,
    pub(crate) acquire_timeout: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) max_lifetime: Option<Duration>,
    pub(crate) test_before_acquire: bool,
    /// `None`: prepared, except on MatrixOne (see [`ConnectOptions::prepared_statements`]).
    pub(crate) prepared_statements: Option<bool>,
    pub(crate) statement_timeout: Option<Duration>,
    pub(crate) statement_cache_capacity: usize,
    pub(crate) ssl_mode: SslMode,
    pub(crate) ssl_ca: Option<PathBuf>,
    pub(crate) slow_statement_threshold: Duration,
    pub(crate) no_backslash_escapes: Option<bool>,
    pub(crate) dialect: Option<Dialect>,
    /// Run on every new connection, in order (see [`ConnectOptions::session_variable`]).
    pub(crate) init: Vec<InitStep>,
}

/// One connection-initialisation step.
#[derive(Clone, PartialEq)]
pub(crate) enum InitStep {
    /// `SET name = value`.
    Variable(String, Value),
    /// SQL run as it is.
    Sql(String),
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            host: "127.0.0.1".into(),
            port: 6001,
            user: "root".into(),
            password: None,
            database: None,
            account: None,
            role: None,
            max_connections: 10,
            min_connections: 0,
            connect_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(30),
            idle_timeout: Some(Duration::from_secs(600)),
            max_lifetime: Some(Duration::from_secs(1800)),
            test_before_acquire: true,
            prepared_statements: None,
            statement_timeout: None,
            statement_cache_capacity: 100,
            ssl_mode: SslMode::Preferred,
            ssl_ca: None,
            slow_statement_threshold: Duration::from_secs(1),
            no_backslash_escapes: None,
            dialect: None,
            init: Vec::new(),
        }
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $t:ty => |$s:ident, $v:ident| $body:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $v: $t) -> Self {
            let $s = &mut self;
            $body;
            self
        }
    )*};
}

impl ConnectOptions {
    /// MatrixOne's defaults: `root` at `127.0.0.1:6001`, no password, no database.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses the URL in `MATRIXONE_URL`.
    pub fn from_env() -> Result<Self> {
        match std::env::var(URL_ENV) {
            Ok(url) => url.parse(),
            Err(_) => Err(Error::invalid_input(format!("{URL_ENV} is not set"))),
        }
    }

    setters! {
        /// The server's host name or address.
        host: impl Into<String> => |s, v| s.host = v.into();
        /// The server's port (MatrixOne: 6001).
        port: u16 => |s, v| s.port = v;
        /// The user name. A MatrixOne login `account:user[:role]` is accepted here too.
        user: impl Into<String> => |s, v| s.user = v.into();
        /// The password; never shown by `Debug`, `Display` or errors.
        password: impl Into<String> => |s, v| s.password = Some(v.into());
        /// The default database.
        database: impl Into<String> => |s, v| s.database = Some(v.into());
        /// The MatrixOne account (tenant); the login becomes `account:user[:role]`.
        account: impl Into<String> => |s, v| s.account = Some(v.into());
        /// The MatrixOne role; without an account the login becomes `sys:user:role`.
        role: impl Into<String> => |s, v| s.role = Some(v.into());
        /// The most connections the pool opens (default 10).
        max_connections: u32 => |s, v| s.max_connections = v;
        /// Connections the pool keeps open even when idle (default 0).
        min_connections: u32 => |s, v| s.min_connections = v;
        /// How long `Client::connect` waits for the first connection (default 10 s).
        connect_timeout: Duration => |s, v| s.connect_timeout = v;
        /// How long a statement waits for a free pooled connection (default 30 s).
        acquire_timeout: Duration => |s, v| s.acquire_timeout = v;
        /// Closes connections idle for longer than this (default 10 min; `None`: never).
        idle_timeout: Option<Duration> => |s, v| s.idle_timeout = v;
        /// Closes connections older than this (default 30 min; `None`: never).
        max_lifetime: Option<Duration> => |s, v| s.max_lifetime = v;
        /// Checks a pooled connection (a PING) before handing it out when it has been idle for a
        /// second or more, so that one the server closed meanwhile is replaced before a caller
        /// sees it fail (default true). Connections in steady use are not checked: that costs a
        /// round trip per statement.
        test_before_acquire: bool => |s, v| s.test_before_acquire = v;
        /// Statements with bound values are prepared (true), or the SDK inlines the values as
        /// escaped literals through its audited binder and uses the text protocol (false).
        ///
        /// Unset (the default): prepared on MySQL and MariaDB, text on MatrixOne (recognised by
        /// its `VERSION()`, `...-MatrixOne-v...`). MatrixOne's binary protocol has corrupted data:
        /// a cached prepared INSERT keeps the NULL positions of its first execution and stores
        /// later values there as NULL (MatrixOne issues #28138 and #26874, both severity s0;
        /// also #27443, #27338, #25423).
        prepared_statements: bool => |s, v| s.prepared_statements = Some(v);
        /// How long a statement may run before the SDK stops it (default: no limit; MatrixOne has
        /// no server-side statement timeout, #23361). On expiry the server is told to stop it
        /// (`KILL QUERY` from a side connection), its connection is closed rather than reused,
        /// and the call fails with [`crate::ErrorKind::Timeout`]. [`crate::Statement::timeout`]
        /// overrides it for one statement. It bounds `execute`, `fetch_*` and `run`; a
        /// [`crate::Client::fetch`] stream is paced by its consumer and is not bounded (dropping
        /// the stream stops the statement on the server).
        statement_timeout: Duration => |s, v| s.statement_timeout = Some(v);
        /// Prepared statements cached per connection (default 100).
        statement_cache_capacity: usize => |s, v| s.statement_cache_capacity = v;
        /// TLS mode (default `Preferred`).
        ssl_mode: SslMode => |s, v| s.ssl_mode = v;
        /// The CA certificate file for `VerifyCa` / `VerifyIdentity`.
        ssl_ca: impl Into<PathBuf> => |s, v| s.ssl_ca = Some(v.into());
        /// Statements slower than this are logged at WARN (default 1 s).
        slow_statement_threshold: Duration => |s, v| s.slow_statement_threshold = v;
        /// Sets `NO_BACKSLASH_ESCAPES` on (true) or off (false, the default) in every session.
        /// Each new connection is pinned to this mode whatever the server's global `sql_mode`
        /// says, so that every pooled session parses literals the way the SDK escapes them.
        no_backslash_escapes: bool => |s, v| s.no_backslash_escapes = Some(v);
        /// Pins the MatrixOne grammar instead of learning it from the server.
        dialect: Dialect => |s, v| s.dialect = Some(v);
    }

    /// Sets the session variable `name` to `value` on every connection of the pool, also those
    /// it opens later (`SET name = value` right after connecting, before the connection is handed
    /// out). The way to turn on MatrixOne's session switches such as `experimental_hnsw_index`
    /// for a whole client: a `SET` run on a Client would reach one pooled connection only (the
    /// SDK refuses it for that reason).
    ///
    /// `name` must be a variable name (`[A-Za-z_][A-Za-z0-9_]*`, optionally `@@session.` before
    /// it); `value` is written as a literal by the SDK's audited binder. A bad name or value
    /// fails `Client::connect` with [`crate::ErrorKind::InvalidInput`] before anything is sent.
    ///
    /// ```
    /// use matrixone::ConnectOptions;
    /// let opts = ConnectOptions::new()
    ///     .session_variable("experimental_hnsw_index", 1)
    ///     .session_variable("my_label", "it's");
    /// assert_eq!(
    ///     opts.init_statements().unwrap(),
    ///     ["SET experimental_hnsw_index = 1", r"SET my_label = 'it\'s'"]
    /// );
    /// assert!(ConnectOptions::new().session_variable("x = 1; DROP TABLE t; --", 1).init_statements().is_err());
    /// ```
    pub fn session_variable(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.init.push(InitStep::Variable(name.into(), value.into()));
        self
    }

    /// Runs `sql` on every new connection of the pool, after the
    /// [`ConnectOptions::session_variable`]s set before it. For what a typed variable cannot say;
    /// the text is sent as it is (it is the caller's SQL, not user input). Transaction control
    /// (`BEGIN`, `COMMIT`, ...) is refused.
    ///
    /// ```
    /// use matrixone::ConnectOptions;
    /// let opts = ConnectOptions::new().init_sql("SET time_zone = '+08:00'");
    /// assert_eq!(opts.init_statements().unwrap(), ["SET time_zone = '+08:00'"]);
    /// assert!(ConnectOptions::new().init_sql("BEGIN").init_statements().is_err());
    /// ```
    pub fn init_sql(mut self, sql: impl Into<String>) -> Self {
        self.init.push(InitStep::Sql(sql.into()));
        self
    }

    /// The statements every new connection runs, in order, rendered for the session's
    /// backslash mode ([`ConnectOptions::no_backslash_escapes`]).
    pub fn init_statements(&self) -> Result<Vec<String>> {
        let mode = if self.no_backslash_escapes.unwrap_or(false) {
            crate::sql::EscapeMode::NoBackslash
        } else {
            crate::sql::EscapeMode::Backslash
        };
        self.init
            .iter()
            .map(|step| match step {
                InitStep::Variable(name, value) => {
                    validate_variable_name(name)?;
                    let mut sql = format!("SET {name} = ");
                    crate::sql::push_literal(&mut sql, value, mode)?;
                    Ok(sql)
                }
                InitStep::Sql(sql) => match crate::sql::session::session_effect(sql, mode) {
                    crate::sql::session::SessionEffect::TransactionControl(what) => {
                        Err(Error::invalid_input(format!(
                            "init_sql must not start or end a transaction ({what})"
                        )))
                    }
                    _ => Ok(sql.clone()),
                },
            })
            .collect()
    }

    /// The user name sent at login: `account:user:role`, `account:user`, `sys:user:role` or `user`.
    ///
    /// Fails when the user name already has `:` or `#` in it and an account or role is set too.
    pub fn login_name(&self) -> Result<String> {
        let embedded = self.user.contains(':') || self.user.contains('#');
        if embedded && (self.account.is_some() || self.role.is_some()) {
            return Err(Error::invalid_input(format!(
                "user {:?} already names an account or role; do not also set account() or role()",
                self.user
            )));
        }
        if self.user.is_empty() {
            return Err(Error::invalid_input("the user name must not be empty"));
        }
        Ok(match (&self.account, &self.role) {
            (Some(a), Some(r)) => format!("{a}:{}:{r}", self.user),
            (Some(a), None) => format!("{a}:{}", self.user),
            (None, Some(r)) => format!("sys:{}:{r}", self.user),
            (None, None) => self.user.clone(),
        })
    }

    /// The database named by these options, if any.
    pub fn get_database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The pinned dialect, if any.
    pub fn get_dialect(&self) -> Option<Dialect> {
        self.dialect
    }

    /// The options for sqlx's driver.
    pub(crate) fn to_sqlx(&self) -> Result<MySqlConnectOptions> {
        let mut opts = MySqlConnectOptions::new()
            .host(&self.host)
            .port(self.port)
            .username(&self.login_name()?)
            .statement_cache_capacity(self.statement_cache_capacity)
            // `||` stays OR, as on MatrixOne and plain MySQL (sqlx would turn on PIPES_AS_CONCAT).
            .pipes_as_concat(false)
            // Without either sql_mode flag sqlx skips its `sql_mode=(SELECT CONCAT(..))` subquery,
            // which MatrixOne is not known to accept (reference §10.6); MySQL and MariaDB have
            // NO_ENGINE_SUBSTITUTION on by default anyway. What remains is `time_zone` and `NAMES`.
            .no_engine_substitution(false)
            .ssl_mode(match self.ssl_mode {
                SslMode::Disabled => MySqlSslMode::Disabled,
                SslMode::Preferred => MySqlSslMode::Preferred,
                SslMode::Required => MySqlSslMode::Required,
                SslMode::VerifyCa => MySqlSslMode::VerifyCa,
                SslMode::VerifyIdentity => MySqlSslMode::VerifyIdentity,
            });
        if let Some(password) = &self.password {
            opts = opts.password(password);
        }
        if let Some(db) = &self.database {
            opts = opts.database(db);
        }
        if let Some(ca) = &self.ssl_ca {
            opts = opts.ssl_ca(ca);
        }
        // The SDK logs statements itself, without bound values; sqlx's own log would repeat them.
        use sqlx::ConnectOptions as _;
        Ok(opts.disable_statement_logging())
    }
}

/// A session variable name as `SET` takes it unquoted: `[A-Za-z_][A-Za-z0-9_]*`, optionally
/// after `@@session.` or `@@`. Validated, since it is spliced into the statement.
fn validate_variable_name(name: &str) -> Result<()> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.strip_prefix("@@session.").or_else(|| lower.strip_prefix("@@")).unwrap_or(&lower);
    let mut chars = bare.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("{name:?} is not a session variable name ([A-Za-z_][A-Za-z0-9_]*)")))
    }
}

impl FromStr for ConnectOptions {
    type Err = Error;

    /// Parses `mysql://user:password@host:port/database?option=value&...`.
    ///
    /// A MatrixOne login goes in the user part percent-encoded (`acc%3Aroot%3Aadmin`), or as the
    /// `account` and `role` options. Other options: `ssl-mode`, `ssl-ca`, `max_connections`,
    /// `min_connections`, `prepared_statements`, `connect_timeout`, `acquire_timeout` and
    /// `statement_timeout` (seconds), `dialect` (`v3`/`v4`), `no_backslash_escapes`.
    fn from_str(s: &str) -> Result<ConnectOptions> {
        // The URL parser's own errors may echo the input, password included: keep them out.
        let url = url::Url::parse(s).map_err(|e| Error::invalid_input(format!("not a valid URL ({e})")))?;
        if !matches!(url.scheme(), "mysql" | "matrixone" | "mo") {
            return Err(Error::invalid_input(format!(
                "URL scheme must be mysql:// (or matrixone://), not {}://",
                url.scheme()
            )));
        }
        let decode = |v: &str| -> Result<String> {
            percent_decode_str(v)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| Error::invalid_input("the URL's user or password is not UTF-8 once decoded"))
        };
        let mut opts = ConnectOptions::new();
        if let Some(host) = url.host_str() {
            opts.host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        }
        if let Some(port) = url.port() {
            opts.port = port;
        }
        if !url.username().is_empty() {
            opts.user = decode(url.username())?;
        }
        if let Some(pw) = url.password() {
            opts.password = Some(decode(pw)?);
        }
        let db = url.path().trim_start_matches('/');
        if !db.is_empty() {
            opts.database = Some(decode(db)?);
        }
        for (key, value) in url.query_pairs() {
            opts = opts.apply_url_option(&key, &value)?;
        }
        Ok(opts)
    }
}

impl ConnectOptions {
    fn apply_url_option(self, key: &str, value: &str) -> Result<Self> {
        let bad = || Error::invalid_input(format!("bad value {value:?} for URL option {key}"));
        let num = || value.parse::<u64>().map_err(|_| bad());
        let flag = || match value {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(bad()),
        };
        Ok(match key {
            "ssl-mode" | "ssl_mode" | "sslmode" => self.ssl_mode(value.parse()?),
            "ssl-ca" | "ssl_ca" => self.ssl_ca(value),
            "account" => self.account(value),
            "role" => self.role(value),
            "max_connections" => self.max_connections(u32::try_from(num()?).map_err(|_| bad())?),
            "min_connections" => self.min_connections(u32::try_from(num()?).map_err(|_| bad())?),
            "connect_timeout" => self.connect_timeout(Duration::from_secs(num()?)),
            "acquire_timeout" => self.acquire_timeout(Duration::from_secs(num()?)),
            "statement_timeout" => self.statement_timeout(Duration::from_secs(num()?)),
            "prepared_statements" => self.prepared_statements(flag()?),
            "no_backslash_escapes" => self.no_backslash_escapes(flag()?),
            "dialect" => self.dialect(match value.to_ascii_lowercase().as_str() {
                "v3" | "3" => Dialect::V3,
                "v4" | "4" => Dialect::V4,
                _ => return Err(bad()),
            }),
            // Options sqlx's own URL form knows but the SDK sets itself are refused, not ignored.
            _ => return Err(Error::invalid_input(format!("unknown URL option {key:?}"))),
        })
    }
}

impl fmt::Display for ConnectOptions {
    /// The URL form, with the password shown as `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let user = percent_encoding::utf8_percent_encode(&self.user, percent_encoding::NON_ALPHANUMERIC);
        write!(f, "mysql://{user}")?;
        if self.password.is_some() {
            write!(f, ":***")?;
        }
        write!(f, "@{}:{}", self.host, self.port)?;
        if let Some(db) = &self.database {
            write!(f, "/{db}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("database", &self.database)
            .field("account", &self.account)
            .field("role", &self.role)
            .field("max_connections", &self.max_connections)
            .field("min_connections", &self.min_connections)
            .field("connect_timeout", &self.connect_timeout)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_lifetime", &self.max_lifetime)
            .field("prepared_statements", &self.prepared_statements)
            .field("statement_timeout", &self.statement_timeout)
            .field("ssl_mode", &self.ssl_mode)
            .field("slow_statement_threshold", &self.slow_statement_threshold)
            .field("no_backslash_escapes", &self.no_backslash_escapes)
            .field("dialect", &self.dialect)
            // Counted, not shown: a value may be a secret.
            .field("init_statements", &self.init.len())
            .finish_non_exhaustive()
    }
}
