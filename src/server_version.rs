//! [`ServerVersion`]: which server the client talks to, from its `VERSION()`.

/// The server's version string and what it says about the server.
///
/// ```
/// use matrixone::ServerVersion;
/// let mo = ServerVersion::parse("8.0.30-MatrixOne-v4.2.1");
/// assert!(mo.is_matrixone());
/// assert_eq!(mo.matrixone(), Some((4, 2, 1)));
/// let maria = ServerVersion::parse("10.11.6-MariaDB-0+deb12u1");
/// assert!(!maria.is_matrixone());
/// assert_eq!(maria.matrixone(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerVersion {
    text: String,
    matrixone: Option<(u32, u32, u32)>,
}

impl ServerVersion {
    /// Reads a `VERSION()` text. MatrixOne reports `8.0.30-MatrixOne-vX.Y.Z` (an optional
    /// suffix after the patch number is ignored).
    pub fn parse(text: &str) -> ServerVersion {
        ServerVersion { text: text.to_owned(), matrixone: parse_matrixone(text) }
    }

    /// Not learned yet: the client has not opened a connection.
    pub(crate) fn unknown() -> ServerVersion {
        ServerVersion { text: String::new(), matrixone: None }
    }

    /// The text the server reported; empty before the first connection.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the server is MatrixOne.
    pub fn is_matrixone(&self) -> bool {
        self.text.contains("MatrixOne")
    }

    /// MatrixOne's own version (major, minor, patch), when the server is MatrixOne and says it.
    pub fn matrixone(&self) -> Option<(u32, u32, u32)> {
        self.matrixone
    }
}

impl std::fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.text.is_empty() { "unknown" } else { &self.text })
    }
}

/// What a statement needs of the server, checked before it is sent ([`crate::Executor::run`]).
///
/// The server's version is the one it reports (`VERSION()`, see [`ServerVersion`]). The rules:
/// - [`Requires::Any`]: any server.
/// - [`Requires::MatrixOne`]: a MatrixOne server of any version. MySQL and MariaDB are refused:
///   the statement is MatrixOne's own (accounts, publications) and would only earn a parser error
///   there, or, worse, mean something else (MySQL's `CREATE USER u` is `u@'%'` with other options).
/// - [`Requires::MatrixOneAtLeast`]: MatrixOne of at least that version (DATA BRANCH arrived in
///   3.0.5, reference §0). A MatrixOne build that reports no number (`8.0.30-MatrixOne-v`, a dev
///   build) is let through: it cannot be told apart from a new release. So is one that reports
///   `1.3.0`: that is the number a MatrixOne whose configuration sets no version falls back to
///   (pkg/frontend/mysql_protocol.go, `serverVersion.Store("1.3.0")`), which development and CI
///   builds report (reference §10.3); no release was ever tagged 1.3.0 (1.2.4 came before 2.0.0).
///
/// What the statements of [`crate::mo`] need (the first release whose grammar,
/// pkg/sql/parsers/dialect/mysql/mysql_sql.y at MatrixOne's release tags, has the form):
/// snapshots 1.2.0 (of the current account, a database or a table: 2.1.0); PITRs 2.0.0 (of the
/// current account or a table: 2.1.0); `CLONE` 3.0.0; `RESTORE` from a snapshot 1.2.0, from a
/// PITR 2.0.0, `RESTORE ACCOUNT a DATABASE d [TABLE t] FROM PITR` 4.1.0; DATA BRANCH 3.0.5;
/// accounts, users, roles, grants, publications and subscriptions any MatrixOne. `mo_ctl` is a
/// function call and runs anywhere. Which grammar of `RESTORE` to speak is a separate matter
/// ([`crate::mo::Dialect`]).
///
/// A refusal is an [`crate::ErrorKind::UnsupportedServer`] error whose message names what is
/// needed and what the server reported; nothing is sent. A development build that reports some
/// other old number would be refused too; to send a statement anyway, run its text yourself:
/// `client.execute(stmt.to_sql()?)` (binding [`crate::mo::MoStatement::values`] when it has
/// `?`s).
///
/// ```
/// use matrixone::ServerVersion;
/// use matrixone::mo::Requires;
/// let old = ServerVersion::parse("8.0.30-MatrixOne-v3.0.4");
/// let err = Requires::MatrixOneAtLeast(3, 0, 5).check(&old, "DATA BRANCH").unwrap_err();
/// assert_eq!(err.kind(), matrixone::ErrorKind::UnsupportedServer);
/// assert!(err.message().contains("MatrixOne 3.0.5"));
/// assert!(Requires::MatrixOneAtLeast(3, 0, 5).check(&ServerVersion::parse("8.0.30-MatrixOne-v4.2.0"), "DATA BRANCH").is_ok());
/// assert!(Requires::MatrixOne.check(&ServerVersion::parse("10.11.6-MariaDB"), "CREATE ACCOUNT").is_err());
/// assert!(Requires::Any.check(&ServerVersion::parse("10.11.6-MariaDB"), "SELECT").is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Requires {
    /// Any server.
    Any,
    /// MatrixOne, any version.
    MatrixOne,
    /// MatrixOne at least (major, minor, patch).
    MatrixOneAtLeast(u32, u32, u32),
}

impl Requires {
    /// `Ok` when `server` can run a statement with this requirement; else an
    /// [`crate::ErrorKind::UnsupportedServer`] error naming `what`, the version needed and the
    /// server's. An unknown version (no connection yet) passes: the executor learns the version
    /// before it checks.
    pub fn check(self, server: &ServerVersion, what: &str) -> crate::Result<()> {
        if server.as_str().is_empty() {
            return Ok(());
        }
        let refused = match self {
            Requires::Any => false,
            Requires::MatrixOne => !server.is_matrixone(),
            Requires::MatrixOneAtLeast(major, minor, patch) => {
                !server.is_matrixone()
                    || server.matrixone().is_some_and(|v| v != UNSET_VERSION && v < (major, minor, patch))
            }
        };
        if !refused {
            return Ok(());
        }
        Err(crate::Error::new(
            crate::ErrorKind::UnsupportedServer,
            format!("{what} needs {self}; the server is {server}: nothing was sent"),
        ))
    }
}

impl std::fmt::Display for Requires {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Requires::Any => f.write_str("any server"),
            Requires::MatrixOne => f.write_str("MatrixOne"),
            Requires::MatrixOneAtLeast(major, minor, patch) => {
                write!(f, "MatrixOne {major}.{minor}.{patch} or later")
            }
        }
    }
}

/// The server's version, asking the server (`SELECT VERSION()`) when no connection has told it
/// yet (a lazy client's first statement).
pub(crate) async fn learn<E: crate::Executor + ?Sized>(exec: &E) -> crate::Result<ServerVersion> {
    let known = &exec.shared().server_version;
    if let Some(version) = known.get() {
        return Ok(version.clone());
    }
    let text: String = exec.fetch_scalar("SELECT VERSION()").await?;
    Ok(known.get_or_init(|| ServerVersion::parse(&text)).clone())
}

/// What MatrixOne reports when its configuration sets no version (pkg/frontend/mysql_protocol.go):
/// a development or CI build, not a release (none was tagged 1.3.0).
const UNSET_VERSION: (u32, u32, u32) = (1, 3, 0);

fn parse_matrixone(text: &str) -> Option<(u32, u32, u32)> {
    let (_, after) = text.split_once("MatrixOne-")?;
    let digits = after.trim_start_matches(['v', 'V']);
    let mut parts = digits.split(|c: char| !c.is_ascii_digit());
    let mut next = || parts.next().and_then(|p| p.parse().ok());
    Some((next()?, next()?, next().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(ServerVersion::parse("8.0.30-MatrixOne-v3.0.4").matrixone(), Some((3, 0, 4)));
        assert_eq!(ServerVersion::parse("8.0.30-MatrixOne-v4.2.1-dev").matrixone(), Some((4, 2, 1)));
        assert_eq!(ServerVersion::parse("8.0.30-MatrixOne-v").matrixone(), None);
        assert!(ServerVersion::parse("8.0.30-MatrixOne-v").is_matrixone());
        assert_eq!(ServerVersion::unknown().to_string(), "unknown");
        let dev = ServerVersion::parse("8.0.30-MatrixOne-v");
        assert!(Requires::MatrixOneAtLeast(3, 0, 5).check(&dev, "DATA BRANCH").is_ok());
        let old = ServerVersion::parse("8.0.30-MatrixOne-v3.0.4");
        assert!(Requires::MatrixOne.check(&old, "CREATE ACCOUNT").is_ok());
        assert!(Requires::MatrixOneAtLeast(3, 0, 5).check(&old, "DATA BRANCH").is_err());
        assert!(
            Requires::MatrixOneAtLeast(3, 0, 5)
                .check(&ServerVersion::parse("8.0.30-MatrixOne-v3.0.5"), "x")
                .is_ok()
        );
        assert!(Requires::MatrixOneAtLeast(3, 0, 5).check(&ServerVersion::unknown(), "x").is_ok());
        // A build that sets no version says 1.3.0: let through, like one that says nothing.
        let unset = ServerVersion::parse("8.0.30-MatrixOne-v1.3.0");
        assert!(Requires::MatrixOneAtLeast(4, 1, 0).check(&unset, "x").is_ok());
        let real_old = ServerVersion::parse("8.0.30-MatrixOne-v1.2.4");
        assert!(Requires::MatrixOneAtLeast(2, 0, 0).check(&real_old, "x").is_err());
        assert!(Requires::MatrixOneAtLeast(1, 2, 0).check(&real_old, "x").is_ok());
    }
}
