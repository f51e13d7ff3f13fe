//! [`mode_independent_literal`]: string literals that read the same in both backslash modes.

use crate::error::{Error, Result};
use crate::sql::{EscapeMode, string_literal};

/// Renders `value` as a single-quoted string literal that the server reads back as exactly
/// `value` whether or not the session's `sql_mode` contains `NO_BACKSLASH_ESCAPES`.
///
/// A typed MatrixOne statement is rendered before it is known which mode the session is in, so
/// its literals must not depend on it. Doubling `'` is read the same way in both modes, and every
/// other character stands for itself in both, except the backslash: `'a\'b'` is one string in the
/// default mode and a syntax error (or worse, a different statement) with `NO_BACKSLASH_ESCAPES`.
/// So a value with a backslash is refused, and so is NUL (neither mode lets it through
/// unescaped). The values that reach this function are validated names and timestamps, which
/// never contain either, and `mo_ctl`'s free-form argument, where the refusal is documented.
pub(crate) fn mode_independent_literal(value: &str) -> Result<String> {
    if value.contains('\\') {
        return Err(Error::invalid_input(format!(
            "{value:?} contains a backslash, which MatrixOne reads differently depending on \
             NO_BACKSLASH_ESCAPES; it cannot be sent in a typed MatrixOne statement"
        )));
    }
    if value.contains('\0') {
        return Err(Error::invalid_input(format!("{value:?} contains NUL")));
    }
    Ok(string_literal(value, EscapeMode::NoBackslash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_backslashes_refused() {
        assert_eq!(mode_independent_literal("s1").unwrap(), "'s1'");
        assert_eq!(mode_independent_literal("a'b").unwrap(), "'a''b'");
        assert_eq!(mode_independent_literal("").unwrap(), "''");
        assert!(mode_independent_literal(r"a\b").is_err());
        assert!(mode_independent_literal("a\0b").is_err());
    }
}
