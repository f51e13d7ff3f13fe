//! [`Secret`]: a password that never shows itself.

/// A password (of an account's admin, or of a user). `Debug` and `Display` print `***`; the only
/// way to read it is [`Secret::expose`].
///
/// Statements carrying one render it as a `?` placeholder: the SDK inlines it, escaped for the
/// session, only on the way to the server, so neither `to_sql()`, the tracing span
/// (`db.query.text`), the statement log nor an error shows it.
///
/// ```
/// use matrixone::mo::Secret;
/// let pw = Secret::from("s3cr3t");
/// assert_eq!(format!("{pw:?} {pw}"), "Secret(***) ***");
/// assert_eq!(pw.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Secret {
        Secret(secret.to_owned())
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Secret {
        Secret(secret)
    }
}

impl From<&String> for Secret {
    fn from(secret: &String) -> Secret {
        Secret(secret.clone())
    }
}
