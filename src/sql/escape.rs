//! String literal escaping: the one audited function that turns text into a SQL literal.

/// How the session's parser treats a backslash inside a string literal.
///
/// MySQL, MariaDB and MatrixOne treat `\` as an escape character unless `sql_mode` contains
/// `NO_BACKSLASH_ESCAPES`; then it is an ordinary character and only `''` escapes a quote.
/// Escaping for the wrong mode corrupts data or opens an injection, so every caller names the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EscapeMode {
    /// The default: `\` escapes the next character.
    #[default]
    Backslash,
    /// `sql_mode` has `NO_BACKSLASH_ESCAPES`: `\` is an ordinary character.
    NoBackslash,
}

/// Appends `value` to `out` as a single-quoted string literal that the server reads back as
/// exactly `value`, in the given mode.
///
/// In [`EscapeMode::Backslash`] it escapes the `mysql_real_escape_string` set: `\ ' "`, NUL,
/// `\n`, `\r` and `\x1a`. In [`EscapeMode::NoBackslash`] the only special character is `'`,
/// which is doubled; every other byte stands for itself.
pub fn push_string_literal(out: &mut String, value: &str, mode: EscapeMode) {
    out.reserve(value.len() + 2);
    out.push('\'');
    match mode {
        EscapeMode::Backslash => {
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '"' => out.push_str("\\\""),
                    '\0' => out.push_str("\\0"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\x1a' => out.push_str("\\Z"),
                    c => out.push(c),
                }
            }
        }
        EscapeMode::NoBackslash => {
            for c in value.chars() {
                if c == '\'' {
                    out.push('\'');
                }
                out.push(c);
            }
        }
    }
    out.push('\'');
}

/// Returns `value` as a string literal; see [`push_string_literal`].
///
/// ```
/// use matrixone::sql::{string_literal, EscapeMode};
/// assert_eq!(string_literal("O'Brien", EscapeMode::Backslash), r"'O\'Brien'");
/// assert_eq!(string_literal(r"a\b", EscapeMode::Backslash), r"'a\\b'");
/// assert_eq!(string_literal("O'Brien", EscapeMode::NoBackslash), "'O''Brien'");
/// assert_eq!(string_literal(r"a\b", EscapeMode::NoBackslash), r"'a\b'");
/// ```
pub fn string_literal(value: &str, mode: EscapeMode) -> String {
    let mut out = String::new();
    push_string_literal(&mut out, value, mode);
    out
}
