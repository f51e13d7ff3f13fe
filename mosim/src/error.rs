//! Errors: [`Error`] for the embedding program, [`SqlError`] for what a client sees.

use std::fmt;
use std::io;

/// Why mosim could not start or stop.
#[derive(Debug)]
pub enum Error {
    /// The backend URL or a configuration value is malformed.
    Config(String),
    /// A socket could not be bound, or the backend could not be reached.
    Io(io::Error),
    /// The backend answered a setup statement with an error.
    Backend(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "mosim configuration error: {m}"),
            Error::Io(e) => write!(f, "mosim i/o error: {e}"),
            Error::Backend(m) => write!(f, "mosim backend error: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// MatrixOne's `internal error` code (moerr.ErrInternal).
pub(crate) const ER_INTERNAL: u16 = 20101;
/// MatrixOne's `not supported` code (moerr.ErrNotSupported).
pub(crate) const ER_NOT_SUPPORTED: u16 = 20105;
/// MatrixOne's `invalid argument` code (moerr.ErrInvalidArg).
pub(crate) const ER_INVALID_ARG: u16 = 20203;
/// MatrixOne's `invalid input` code (moerr.ErrInvalidInput).
pub(crate) const ER_INVALID_INPUT: u16 = 20301;
/// MySQL's ER_PARSE_ERROR, which MatrixOne uses for `SQL parser error`.
pub(crate) const ER_PARSE: u16 = 1064;

/// An error as sent to the client in an ERR packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SqlError {
    pub(crate) code: u16,
    pub(crate) state: String,
    pub(crate) message: String,
}

impl SqlError {
    /// Any code and message, SQLSTATE HY000 as MatrixOne sends for its own errors.
    pub(crate) fn new(code: u16, message: impl Into<String>) -> Self {
        Self { code, state: "HY000".to_owned(), message: message.into() }
    }

    /// `internal error: ...`, code 20101.
    pub(crate) fn internal(msg: impl fmt::Display) -> Self {
        Self::new(ER_INTERNAL, format!("internal error: {msg}"))
    }

    /// `not supported: ...`, code 20105.
    pub(crate) fn not_supported(msg: impl fmt::Display) -> Self {
        Self::new(ER_NOT_SUPPORTED, format!("not supported: {msg}"))
    }

    /// `invalid input: ...`, code 20301.
    pub(crate) fn invalid_input(msg: impl fmt::Display) -> Self {
        Self::new(ER_INVALID_INPUT, format!("invalid input: {msg}"))
    }

    /// A MatrixOne parse error: code 1064 and the parser's message layout.
    ///
    /// `pos` is the byte offset after the last token the parser accepted; MatrixOne reports
    /// that offset as the column and quotes the rest of the statement after `near`.
    pub(crate) fn syntax(sql: &str, pos: usize) -> Self {
        let pos = pos.min(sql.len());
        let near = sql.get(pos..).unwrap_or("");
        Self::new(
            ER_PARSE,
            format!(
                "SQL parser error: You have an error in your SQL syntax; check the manual that \
                 corresponds to your MatrixOne server version for the right syntax to use. \
                 syntax error at line 1 column {pos} near \"{near}\";"
            ),
        )
    }

    /// The I/O failure of an internal statement, reported like MatrixOne reports a lost backend.
    pub(crate) fn io(e: &io::Error) -> Self {
        Self::internal(format!("backend connection failed: {e}"))
    }

    /// Serialises the ERR packet payload (protocol 4.1 layout).
    pub(crate) fn to_packet(&self) -> Vec<u8> {
        let mut p = Vec::with_capacity(9 + self.message.len());
        p.push(0xFF);
        p.extend_from_slice(&self.code.to_le_bytes());
        p.push(b'#');
        let mut state = self.state.as_bytes().to_vec();
        state.resize(5, b'0');
        p.extend_from_slice(&state);
        p.extend_from_slice(self.message.as_bytes());
        p
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.state, self.message)
    }
}
