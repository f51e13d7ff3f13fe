//! [`Statement`] and [`query`]: SQL text, its bound values, and which protocol carries it.

use sqlx::Arguments as _;
use sqlx::mysql::MySqlArguments;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::sql::{EscapeMode, inline_values};
use crate::value::Value;
use std::time::Duration;

/// SQL text with the values bound to its `?` placeholders.
///
/// A statement without values goes over the text protocol. One with values is prepared
/// (binary protocol), unless prepared statements are off for the client
/// ([`crate::ConnectOptions::prepared_statements`]) or the statement is marked
/// [`Statement::text_only`]: then the SDK renders the values as escaped literals itself.
///
/// `Debug` shows the SQL and how many values are bound, never the values (they may be secrets).
///
/// ```
/// use matrixone::query;
/// let stmt = query("SELECT * FROM users WHERE id = ? AND name = ?").bind(1).bind("Alice");
/// assert_eq!(stmt.sql(), "SELECT * FROM users WHERE id = ? AND name = ?");
/// assert_eq!(stmt.values().len(), 2);
/// ```
#[derive(Clone, PartialEq)]
pub struct Statement {
    sql: String,
    values: Vec<Value>,
    text_only: bool,
    /// Retries on a Client after errors a retry can fix; `None`: one attempt.
    retry: Option<RetryPolicy>,
    /// Overrides the client's statement timeout.
    timeout: Option<Duration>,
    /// Why the statement cannot run, found while building it (a sea-query value the SDK does not
    /// support); reported when it runs, before anything is sent.
    invalid: Option<String>,
    /// Texts (passwords, as given and as escaped) that an error about the statement must not
    /// show, neither to the caller nor in the log: replaced by `***`.
    secrets: Vec<String>,
}

/// Starts a [`Statement`] from SQL text with `?` placeholders.
pub fn query(sql: impl Into<String>) -> Statement {
    Statement::new(sql)
}

/// How a statement reaches the server, decided once when it runs.
pub(crate) enum Wire {
    /// COM_QUERY with this text.
    Text(String),
    /// COM_STMT_PREPARE and COM_STMT_EXECUTE with these arguments.
    Prepared(String, MySqlArguments),
}

impl Wire {
    /// What sqlx executes: no arguments means COM_QUERY, arguments mean a prepared statement.
    pub(crate) fn into_execute(self) -> (sqlx::AssertSqlSafe<String>, Option<MySqlArguments>) {
        match self {
            Wire::Text(sql) => (sqlx::AssertSqlSafe(sql), None),
            Wire::Prepared(sql, args) => (sqlx::AssertSqlSafe(sql), Some(args)),
        }
    }
}

impl Statement {
    /// A statement with no bound values.
    pub fn new(sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            values: Vec::new(),
            text_only: false,
            retry: None,
            timeout: None,
            invalid: None,
            secrets: Vec::new(),
        }
    }

    /// A statement with its values already in order: the bulk writer's, built without growing a
    /// vector one value at a time.
    pub(crate) fn with_values(sql: String, values: Vec<Value>) -> Statement {
        Statement { values, ..Statement::new(sql) }
    }

    /// Marks texts an error about this statement must not show (see `secrets`).
    pub(crate) fn with_secrets(mut self, secrets: Vec<String>) -> Statement {
        self.secrets = secrets;
        self
    }

    /// The texts set with [`Statement::with_secrets`], taken out.
    pub(crate) fn take_secrets(&mut self) -> Vec<String> {
        std::mem::take(&mut self.secrets)
    }

    /// Binds the next `?` placeholder to `value`.
    pub fn bind(mut self, value: impl Into<Value>) -> Statement {
        self.values.push(value.into());
        self
    }

    /// Always uses the text protocol: bound values are inlined as escaped literals.
    ///
    /// For statements MatrixOne cannot prepare (snapshots, restore, PITR, mo_ctl, ...).
    pub fn text_only(mut self) -> Statement {
        self.text_only = true;
        self
    }

    /// Runs the statement again, as `policy` allows, when it fails with an error a retry can fix
    /// ([`crate::ErrorKind::is_retryable`]): the common case is DDL that meets MatrixOne's 20631
    /// ("txn need retry, def changed"). Each attempt takes a fresh pooled connection.
    ///
    /// Only on a [`crate::Client`]: inside a [`crate::Transaction`] the statement runs once, since
    /// after these errors MatrixOne has already rolled back the whole transaction
    /// (`errCodeRollbackWholeTxn` in pkg/frontend/util.go); retry the transaction with
    /// [`crate::Client::transaction_with`] instead.
    ///
    /// ```
    /// use matrixone::{RetryPolicy, query};
    /// let stmt = query("ALTER TABLE t ADD COLUMN c INT").retry(RetryPolicy::default().max_attempts(3));
    /// assert_eq!(stmt.retry_policy().map(|p| p.attempts()), Some(3));
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Statement {
        self.retry = Some(policy);
        self
    }

    /// Stops the statement when it runs longer than `limit`, whatever the client's
    /// [`crate::ConnectOptions::statement_timeout`]: the server is told to stop it (`KILL QUERY`),
    /// its connection is closed, and the call fails with [`crate::ErrorKind::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use matrixone::query;
    /// let stmt = query("SELECT SLEEP(?)").bind(5).timeout(Duration::from_millis(200));
    /// assert_eq!(stmt.timeout_limit(), Some(Duration::from_millis(200)));
    /// ```
    pub fn timeout(mut self, limit: Duration) -> Statement {
        self.timeout = Some(limit);
        self
    }

    /// The limit set with [`Statement::timeout`].
    pub fn timeout_limit(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry policy set with [`Statement::retry`].
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The SQL text, placeholders included.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The bound values, in placeholder order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Whether the statement is restricted to the text protocol.
    pub fn is_text_only(&self) -> bool {
        self.text_only
    }

    /// Decides the protocol and renders what it needs.
    pub(crate) fn into_wire(self, prepared: bool, mode: EscapeMode) -> Result<Wire> {
        if let Some(reason) = self.invalid {
            return Err(Error::invalid_input(reason));
        }
        if self.values.is_empty() {
            Ok(Wire::Text(self.sql))
        } else if prepared && !self.text_only && !self.values.iter().any(Value::is_vector) {
            // A vector always goes inlined as `'[1,2,3]'`: MatrixOne's prepared path has lost
            // vector parameters (reference section 9c), so a statement with one is sent as text.
            Ok(Wire::Prepared(self.sql, arguments(self.values)?))
        } else {
            inline_values(&self.sql, &self.values, mode).map(Wire::Text)
        }
    }
}

/// Moves the values into sqlx's binary-protocol arguments.
fn arguments(values: Vec<Value>) -> Result<MySqlArguments> {
    let mut args = MySqlArguments::default();
    args.reserve(values.len(), 0);
    for value in values {
        let added = match value {
            Value::Null => args.add(None::<String>),
            Value::Bool(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::UInt(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Double(v) => args.add(v),
            Value::String(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Date(v) => args.add(v),
            Value::Time(v) => args.add(v),
            Value::DateTime(v) => args.add(v),
            Value::DateTimeUtc(v) => args.add(v),
            Value::Json(v) => args.add(sqlx::types::Json(v)),
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(v) => args.add(v),
            #[cfg(feature = "uuid")]
            Value::Uuid(v) => args.add(v.hyphenated().to_string()),
            // Not reached (`into_wire` inlines statements with vectors); the text form if it were.
            Value::Vecf32(v) => args.add(v.to_text()?),
            Value::Vecf64(v) => args.add(v.to_text()?),
        };
        added.map_err(|e| Error::invalid_input(format!("cannot bind a value: {e}")))?;
    }
    Ok(args)
}

impl std::fmt::Debug for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement")
            .field("sql", &self.sql)
            .field("values", &self.values.len())
            .field("text_only", &self.text_only)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl From<&str> for Statement {
    fn from(sql: &str) -> Statement {
        Statement::new(sql)
    }
}

impl From<String> for Statement {
    fn from(sql: String) -> Statement {
        Statement::new(sql)
    }
}

impl From<&String> for Statement {
    fn from(sql: &String) -> Statement {
        Statement::new(sql.as_str())
    }
}

macro_rules! from_sea_query {
    ($($t:ty),*) => {$(
        impl From<$t> for Statement {
            fn from(stmt: $t) -> Statement {
                Statement::from(&stmt)
            }
        }
        impl From<&$t> for Statement {
            fn from(stmt: &$t) -> Statement {
                let (sql, values) = stmt.build(sea_query::MysqlQueryBuilder);
                match values.into_iter().map(Value::try_from).collect::<Result<Vec<Value>>>() {
                    Ok(values) => Statement { values, ..Statement::new(sql) },
                    Err(e) => Statement { invalid: Some(e.message().to_owned()), ..Statement::new(sql) },
                }
            }
        }
    )*};
}

from_sea_query!(
    sea_query::SelectStatement,
    sea_query::InsertStatement,
    sea_query::UpdateStatement,
    sea_query::DeleteStatement
);
