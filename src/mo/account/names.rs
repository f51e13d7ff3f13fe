//! Names and texts MatrixOne writes unescaped into its own catalog SQL (accounts, users, roles,
//! publications, comments): validated before they are quoted.
//!
//! pkg/frontend/publication_subscription.go (`insertIntoMoPubsFormat`) and
//! pkg/frontend/authenticate.go (the `mo_account`, `mo_user`, `mo_role` formats) splice these with
//! `'%s'`: a quote in one would end MatrixOne's string early.

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::sql::quote_ident;

/// A login name (account, user, role): not empty, no quote of any kind, backslash, control
/// character, or the login delimiters `:` and `#` (pkg/frontend/authenticate.go splits
/// `account:user:role` and `account#user#role` on them).
pub(crate) fn login_name<'a>(what: &str, name: &'a str) -> Result<&'a str> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input(format!("{what} name must not be empty")));
    }
    if let Some(bad) =
        name.chars().find(|c| matches!(c, '\'' | '"' | '`' | '\\' | ':' | '#') || c.is_control())
    {
        return Err(Error::invalid_input(format!(
            "{what} name {name:?} contains {bad:?}, which MatrixOne cannot take in a {what} name"
        )));
    }
    Ok(name)
}

/// A name MatrixOne writes into its catalog with `'%s'` (publications, and the databases,
/// tables and accounts they name): not empty, no quote, backslash or control character;
/// backtick-quoted.
pub(crate) fn catalog_ident(what: &str, name: &str) -> Result<String> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input(format!("{what} name must not be empty")));
    }
    if let Some(bad) = name.chars().find(|c| matches!(c, '\'' | '"' | '`' | '\\') || c.is_control()) {
        return Err(Error::invalid_input(format!(
            "{what} name {name:?} contains {bad:?}, which MatrixOne would write unescaped into its catalog"
        )));
    }
    quote_ident(name)
}

/// A login name, validated and backtick-quoted.
pub(crate) fn login_ident(what: &str, name: &str) -> Result<String> {
    quote_ident(login_name(what, name)?)
}

/// A login name, validated, as a string literal (`ADMIN_NAME 'admin'`).
pub(crate) fn login_literal(what: &str, name: &str) -> Result<String> {
    mode_independent_literal(login_name(what, name)?)
}

/// A comment MatrixOne stores by splicing: no quote, backslash or control character other than
/// tab; rendered as a literal.
pub(crate) fn comment_literal(comment: &str) -> Result<String> {
    if let Some(bad) =
        comment.chars().find(|c| matches!(c, '\'' | '"' | '\\') || (c.is_control() && *c != '\t'))
    {
        return Err(Error::invalid_input(format!(
            "comment {comment:?} contains {bad:?}: MatrixOne writes comments into its catalog unescaped, \
             so quotes, backslashes and control characters are refused"
        )));
    }
    mode_independent_literal(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_comments_are_checked() {
        assert_eq!(login_ident("user", "bob").unwrap(), "`bob`");
        assert!(login_ident("user", "bo'b").is_err());
        assert!(login_ident("user", "acc:bob").is_err());
        assert!(login_ident("role", " ").is_err());
        assert_eq!(comment_literal("a comment").unwrap(), "'a comment'");
        assert!(comment_literal("it's").is_err());
    }
}
