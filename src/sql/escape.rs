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
    // Runs of ordinary characters are copied whole. Every special character is ASCII and no byte
    // of a multi-byte UTF-8 character is, so splitting at special bytes keeps characters whole.
    let mut run = 0;
    for (i, b) in value.bytes().enumerate() {
        let escaped = match (mode, b) {
            (EscapeMode::Backslash, b'\\') => "\\\\",
            (EscapeMode::Backslash, b'\'') => "\\'",
            (EscapeMode::Backslash, b'"') => "\\\"",
            (EscapeMode::Backslash, 0) => "\\0",
            (EscapeMode::Backslash, b'\n') => "\\n",
            (EscapeMode::Backslash, b'\r') => "\\r",
            (EscapeMode::Backslash, 0x1a) => "\\Z",
            (EscapeMode::NoBackslash, b'\'') => "''",
            _ => continue,
        };
        out.push_str(&value[run..i]);
        out.push_str(escaped);
        run = i + 1;
    }
    out.push_str(&value[run..]);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaping written character by character, as the function was before it copied runs.
    fn reference(value: &str, mode: EscapeMode) -> String {
        let mut out = String::from("'");
        for c in value.chars() {
            match (mode, c) {
                (EscapeMode::Backslash, '\\') => out.push_str("\\\\"),
                (EscapeMode::Backslash, '\'') => out.push_str("\\'"),
                (EscapeMode::Backslash, '"') => out.push_str("\\\""),
                (EscapeMode::Backslash, '\0') => out.push_str("\\0"),
                (EscapeMode::Backslash, '\n') => out.push_str("\\n"),
                (EscapeMode::Backslash, '\r') => out.push_str("\\r"),
                (EscapeMode::Backslash, '\x1a') => out.push_str("\\Z"),
                (EscapeMode::NoBackslash, '\'') => out.push_str("''"),
                (_, c) => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    #[test]
    fn runs_are_copied_and_specials_escaped_as_before() {
        let samples = [
            "",
            "plain",
            "'",
            "''",
            "\\",
            "a'b\\c\"d\0e\nf\rg\x1ah",
            "日本'語\\",
            "é'",
            "'start",
            "end'",
            "[1,2.5,-3e-7]",
            "\u{10FFFF}'\u{7f}\u{80}",
        ];
        for value in samples {
            for mode in [EscapeMode::Backslash, EscapeMode::NoBackslash] {
                assert_eq!(string_literal(value, mode), reference(value, mode), "{value:?} {mode:?}");
            }
        }
    }
}
