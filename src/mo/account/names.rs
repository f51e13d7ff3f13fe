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

/// Login names (users, roles), validated and quoted, joined with `, `; at least one.
pub(crate) fn login_list(what: &str, names: &[String]) -> Result<String> {
    name_list(what, names, login_ident)
}

/// Catalog names (the accounts and tables of a publication), validated and quoted, joined with
/// `, `; at least one.
pub(crate) fn catalog_list(what: &str, names: &[String]) -> Result<String> {
    name_list(what, names, catalog_ident)
}

fn name_list(what: &str, names: &[String], ident: fn(&str, &str) -> Result<String>) -> Result<String> {
    if names.is_empty() {
        return Err(Error::invalid_input(format!("name at least one {what}")));
    }
    Ok(names.iter().map(|n| ident(what, n)).collect::<Result<Vec<_>>>()?.join(", "))
}

/// ` COMMENT 'c'`, or nothing without a comment.
pub(crate) fn comment_clause(comment: &Option<String>) -> Result<String> {
    Ok(match comment {
        None => String::new(),
        Some(c) => format!(" COMMENT {}", comment_literal(c)?),
    })
}

/// The names a builder was given, owned.
pub(crate) fn strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
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
        assert_eq!(comment_clause(&None).unwrap(), "");
        assert_eq!(comment_clause(&Some("c".into())).unwrap(), " COMMENT 'c'");
    }

    #[test]
    fn lists_need_one_name_and_check_each() {
        let names = strings(["a", "b"]);
        assert_eq!(login_list("role", &names).unwrap(), "`a`, `b`");
        assert_eq!(catalog_list("account", &names).unwrap(), "`a`, `b`");
        assert_eq!(login_list("role", &[]).unwrap_err().message(), "name at least one role");
        assert!(login_list("user", &strings(["acc:bob"])).is_err());
        assert!(catalog_list("table", &strings(["t'1"])).is_err());
    }
}
