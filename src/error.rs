//! [`Error`], [`ErrorKind`] and the classifier that turns a server's error number and message into
//! a kind.
//!
//! MatrixOne reports most snapshot, PITR and clone failures with one code (20101, `internal error:
//! ...`), so [`ErrorKind::from_server`] looks at the message as well as the number. The server's
//! number always stays available through [`Error::code`].

use std::fmt;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in a form a program can match on.
///
/// Marked `#[non_exhaustive]`: new kinds may be added as MatrixOne adds error texts.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A snapshot with that name already exists.
    SnapshotExists,
    /// No snapshot with that name exists.
    SnapshotNotFound,
    /// A PITR with that name (or for that scope) already exists.
    PitrExists,
    /// No PITR with that name exists.
    PitrNotFound,
    /// The database already exists (MySQL 1007, or MatrixOne's clone message).
    DatabaseExists,
    /// The database does not exist (MySQL 1049).
    DatabaseNotFound,
    /// The table already exists (MySQL 1050).
    TableExists,
    /// The table does not exist (MySQL 1146).
    TableNotFound,
    /// The account does not exist.
    AccountNotFound,
    /// A unique key was violated (MySQL 1062).
    DuplicateKey,
    /// The server could not parse the statement (MySQL 1064).
    Syntax,
    /// The user lacks a privilege for the statement.
    PermissionDenied,
    /// MatrixOne asks the client to retry the transaction: a write conflict (20601, 20619), "txn
    /// need retry" (20628, 20631 when a table definition changed), or a CN rolling restart (20634).
    TxnRetry,
    /// A deadlock was detected and the transaction rolled back (MySQL 1213, MatrixOne 20701), or
    /// MatrixOne's deadlock check was too busy to tell (20704).
    Deadlock,
    /// A lock could not be had: the wait timed out (MySQL 1205, MatrixOne 20709/20710), or
    /// MatrixOne's fast-fail lock policy refused to wait (20706).
    LockWaitTimeout,
    /// A statement ran past its timeout; the server was told to stop it.
    Timeout,
    /// MatrixOne does not run this statement inside a transaction (snapshot and PITR DDL,
    /// RESTORE, account/user/role administration; pkg/frontend/stmt_kind.go): run it on the
    /// Client, before BEGIN or after COMMIT. The SDK refuses the typed statements before sending
    /// anything; the server's own refusals (`unclassified statement appears in uncommitted
    /// transaction`, `administrative command is unsupported in transactions`) get this kind too.
    NotAllowedInTransaction,
    /// The connection was lost during COMMIT (or MatrixOne said the commit status is unknown,
    /// 20638): the transaction may or may not have been committed. Check before doing it again;
    /// the retry helper never re-runs such a transaction.
    CommitUnknown,
    /// The server cannot run this statement: it is MatrixOne's own and the server is MySQL or
    /// MariaDB, or it needs a newer MatrixOne than the server reports (DATA BRANCH needs 3.0.5).
    /// The SDK refuses it before sending anything; the message names the version needed and the
    /// server's ([`crate::mo::Requires`]).
    UnsupportedServer,
    /// A DATA BRANCH MERGE or PICK met a row changed on both sides with different values and
    /// the conflict policy was FAIL (the default): nothing was applied.
    /// [`crate::mo::BranchConflict::of`] reads the conflicting key from the error.
    BranchConflict,
    /// A vector's number of elements differs from its column's or the other operand's
    /// (MatrixOne: `invalid input: expected vector dimension 3 != actual dimension 2.`,
    /// pkg/common/moerr/error_no_ctx.go, test/distributed/cases/array/array.result).
    VectorDimensionMismatch,
    /// A statement that must return a row returned none.
    RowNotFound,
    /// The SDK refused an argument before anything was sent to the server.
    InvalidInput,
    /// A value could not be decoded into the requested Rust type.
    Decode,
    /// The connection could not be established or was lost.
    Connection,
    /// No pooled connection became free within the acquire time-out.
    PoolTimedOut,
    /// Anything else; [`Error::code`] and the message tell more.
    Other,
}

impl ErrorKind {
    /// Classifies a server error from its number and message.
    ///
    /// ```
    /// use matrixone::ErrorKind;
    /// assert_eq!(
    ///     ErrorKind::from_server(20101, "internal error: snapshot sp1 already exists"),
    ///     ErrorKind::SnapshotExists
    /// );
    /// assert_eq!(ErrorKind::from_server(1062, "Duplicate entry '1' for key 'PRIMARY'"), ErrorKind::DuplicateKey);
    /// assert_eq!(ErrorKind::from_server(1064, "SQL parser error: ..."), ErrorKind::Syntax);
    /// assert_eq!(
    ///     ErrorKind::from_server(20301, "invalid input: expected vector dimension 3 != actual dimension 2."),
    ///     ErrorKind::VectorDimensionMismatch
    /// );
    /// ```
    pub fn from_server(code: u16, message: &str) -> ErrorKind {
        // MatrixOne reports a missing clone source table as a parse error (1064, "SQL parser
        // error: table x does not exist"). Only that text: a 1064 quotes the statement, so a
        // general message match could be fooled by the user's own SQL.
        if code == 1064 && is_mo_missing_table(message) {
            return ErrorKind::TableNotFound;
        }
        if let Some(kind) = kind_from_code(code) {
            return kind;
        }
        kind_from_message(message).unwrap_or(ErrorKind::Other)
    }

    /// Whether a statement that failed this way may succeed when the transaction is retried.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::TxnRetry | ErrorKind::Deadlock | ErrorKind::LockWaitTimeout)
    }
}

/// `SQL parser error: table <name> does not exist`, MatrixOne's text for a missing clone source.
fn is_mo_missing_table(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.strip_prefix("sql parser error: table ").is_some_and(|rest| rest.ends_with(" does not exist"))
}

/// MySQL and MatrixOne error numbers whose meaning does not depend on the message.
fn kind_from_code(code: u16) -> Option<ErrorKind> {
    Some(match code {
        1007 => ErrorKind::DatabaseExists,
        1049 => ErrorKind::DatabaseNotFound,
        1050 => ErrorKind::TableExists,
        1146 => ErrorKind::TableNotFound,
        1062 => ErrorKind::DuplicateKey,
        1064 => ErrorKind::Syntax,
        1205 => ErrorKind::LockWaitTimeout,
        1213 => ErrorKind::Deadlock,
        // 1045 (access denied for user) only happens while logging in.
        1045 => ErrorKind::Connection,
        1044 | 1142 | 1143 | 1227 => ErrorKind::PermissionDenied,
        // pkg/common/moerr/error.go; the frontend sends MatrixOne's own number when the error has
        // no MySQL equivalent (pkg/frontend/protocol.go), so these arrive as they are.
        20601 | 20619 | 20628 | 20631 | 20634 => ErrorKind::TxnRetry,
        20701 | 20704 => ErrorKind::Deadlock,
        20706 | 20709 | 20710 => ErrorKind::LockWaitTimeout,
        20638 => ErrorKind::CommitUnknown,
        _ => return None,
    })
}

/// MatrixOne's message texts (reference sections 1c, 2c, 4d, 5c), checked most specific first.
fn kind_from_message(message: &str) -> Option<ErrorKind> {
    let m = message.to_ascii_lowercase();
    let m = m.strip_prefix("internal error: ").unwrap_or(&m);
    let has = |s: &str| m.contains(s);
    // pkg/frontend/data_branch_hashdiff.go and data_branch_pick.go:
    // "conflict: %s %s and %s %s on pk(%v) with different values".
    let kind = if m.starts_with("conflict: ") && has(" on pk(") {
        ErrorKind::BranchConflict
    } else if has("expected vector dimension") && has("actual dimension") {
        ErrorKind::VectorDimensionMismatch
    } else if m.starts_with("snapshot ") && has(" already exists") {
        ErrorKind::SnapshotExists
    } else if (m.starts_with("snapshot ") && has(" does not exist"))
        || has("snapshot records by name(")
        || (has("snapshot '") && has("' not found"))
    {
        ErrorKind::SnapshotNotFound
    } else if (m.starts_with("pitr ") && has(" already exists")) || has(" already has a pitr") {
        ErrorKind::PitrExists
    } else if m.starts_with("pitr ") && has(" does not exist") {
        ErrorKind::PitrNotFound
    } else if m.starts_with("account ") && has(" does not exist") || has("not existed account name") {
        ErrorKind::AccountNotFound
    } else if m.starts_with("database ") && has(" already exists") {
        ErrorKind::DatabaseExists
    } else if m.starts_with("unknown database") || (m.starts_with("database ") && has(" does not exist")) {
        ErrorKind::DatabaseNotFound
    } else if m.starts_with("table ") && has(" already exists") {
        ErrorKind::TableExists
    } else if (has("table ") && has(" does not exist"))
        || (m.starts_with("table ") && has(" not exists at snapshot "))
        || has("no such table")
        || has("doesn't exist")
    {
        ErrorKind::TableNotFound
    } else if has("do not have privilege")
        || has("only sys ")
        || m.starts_with("non-sys account can't ")
        || has("permission denied")
        || has("access denied")
    {
        ErrorKind::PermissionDenied
    } else if m.starts_with("sql parser error") {
        ErrorKind::Syntax
    } else if has("unclassified statement appears in uncommitted transaction")
        || has("administrative command is unsupported in transactions")
    {
        ErrorKind::NotAllowedInTransaction
    } else if has("txn need retry") || has("txn is stale") {
        ErrorKind::TxnRetry
    } else {
        return None;
    };
    Some(kind)
}

/// An error from this crate: its [`ErrorKind`], the server's number when there is one, a message,
/// and the underlying source.
///
/// The message never contains a password: connection errors are built from the server's or the
/// driver's text, which do not echo it, and [`crate::ConnectOptions`] redacts it everywhere.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub struct Error {
    kind: ErrorKind,
    code: Option<u16>,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of the given kind with a message and no source.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, code: None, message: message.into(), source: None }
    }

    /// An [`ErrorKind::InvalidInput`] error: the SDK refused an argument before sending anything.
    pub fn invalid_input(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// An [`ErrorKind::Decode`] error.
    pub fn decode(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Decode, message)
    }

    /// An [`ErrorKind::RowNotFound`] error.
    pub fn row_not_found() -> Error {
        Error::new(ErrorKind::RowNotFound, "the statement returned no row")
    }

    /// An error as a server would report it: number, message, and the kind the classifier gives.
    pub fn from_server(code: u16, message: impl Into<String>) -> Error {
        let message = message.into();
        Error { kind: ErrorKind::from_server(code, &message), code: Some(code), message, source: None }
    }

    /// The same error (kind, code and source kept) with `context` after its message, in
    /// parentheses, so that what the server said still leads.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{} ({context})", self.message);
        self
    }

    /// The same error with every occurrence of each secret in its message replaced by `***`.
    /// When something was replaced the source is dropped too (a server error's source repeats the
    /// message). Used for statements that carry passwords: a server's parse error quotes the
    /// statement near the point it stopped.
    pub(crate) fn redacted(mut self, secrets: &[String]) -> Error {
        let mut hit = false;
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            if self.message.contains(secret.as_str()) {
                self.message = self.message.replace(secret.as_str(), "***");
                hit = true;
            }
        }
        if hit {
            self.source = None;
        }
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The server's error number, when the server reported the error.
    pub fn code(&self) -> Option<u16> {
        self.code
    }

    /// The message, as the server or the SDK wrote it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether retrying the transaction may succeed (MatrixOne's 20631, deadlocks, lock waits).
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "{:?} ({code}): {}", self.kind, self.message),
            None => write!(f, "{:?}: {}", self.kind, self.message),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Error {
        // A column type the driver cannot read is a decoding problem, not a broken connection.
        if let Some(decode) = crate::relay::unknown_column_type(&err) {
            return decode.with_source(err);
        }
        let (kind, code, message) = match &err {
            sqlx::Error::Database(db) => {
                let code = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().map(|e| e.number());
                let message = db.message().to_owned();
                match code {
                    Some(code) => (ErrorKind::from_server(code, &message), Some(code), message),
                    None => (kind_from_message(&message).unwrap_or(ErrorKind::Other), None, message),
                }
            }
            sqlx::Error::RowNotFound => (ErrorKind::RowNotFound, None, err.to_string()),
            sqlx::Error::PoolTimedOut => (ErrorKind::PoolTimedOut, None, err.to_string()),
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::Decode(_)
            | sqlx::Error::ColumnNotFound(_)
            | sqlx::Error::ColumnIndexOutOfBounds { .. }
            | sqlx::Error::TypeNotFound { .. } => (ErrorKind::Decode, None, err.to_string()),
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => (ErrorKind::Connection, None, err.to_string()),
            sqlx::Error::Configuration(_) => (ErrorKind::InvalidInput, None, err.to_string()),
            _ => (ErrorKind::Other, None, err.to_string()),
        };
        Error { kind, code, message, source: Some(Box::new(err)) }
    }
}
