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
    }
}
