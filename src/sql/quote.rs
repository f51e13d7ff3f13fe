//! Identifier quoting and MatrixOne name validation.

use crate::error::{Error, Result};

/// Quotes one identifier with backticks, doubling any backtick inside it.
///
/// An empty name or one containing NUL is refused: MySQL and MatrixOne reject both, and a
/// clear error here beats a parser error later.
///
/// ```
/// use matrixone::sql::quote_ident;
/// assert_eq!(quote_ident("users").unwrap(), "`users`");
/// assert_eq!(quote_ident("we`ird").unwrap(), "`we``ird`");
/// assert!(quote_ident("").is_err());
/// ```
pub fn quote_ident(name: &str) -> Result<String> {
    if name.is_empty() {
        return Err(Error::invalid_input("an identifier must not be empty"));
    }
    if name.contains('\0') {
        return Err(Error::invalid_input("an identifier must not contain NUL"));
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('`');
    for c in name.chars() {
        if c == '`' {
            out.push('`');
        }
        out.push(c);
    }
    out.push('`');
    Ok(out)
}

/// Quotes `db.table` (or just `table` when `db` is `None`), each part on its own.
///
/// ```
/// use matrixone::sql::qualified_ident;
/// assert_eq!(qualified_ident(Some("test"), "users").unwrap(), "`test`.`users`");
/// assert_eq!(qualified_ident(None, "users").unwrap(), "`users`");
/// ```
pub fn qualified_ident(db: Option<&str>, name: &str) -> Result<String> {
    match db {
        Some(db) => Ok(format!("{}.{}", quote_ident(db)?, quote_ident(name)?)),
        None => quote_ident(name),
    }
}

/// Validates a snapshot or PITR name and returns it lower-cased.
///
/// MatrixOne lower-cases these names and splices them unescaped into its own internal SQL, so
/// the SDK accepts only `[A-Za-z0-9_]+` and sends the lower-case form. `what` names the kind of
/// object in the error message.
///
/// ```
/// use matrixone::sql::validate_object_name;
/// assert_eq!(validate_object_name("snapshot", "Daily_01").unwrap(), "daily_01");
/// assert!(validate_object_name("snapshot", "s1 FOR CLUSTER -- ").is_err());
/// assert!(validate_object_name("pitr", "").is_err());
/// ```
pub fn validate_object_name(what: &str, name: &str) -> Result<String> {
    if name.is_empty() {
        return Err(Error::invalid_input(format!("{what} name must not be empty")));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(Error::invalid_input(format!(
            "{what} name {name:?} contains {bad:?}; only letters, digits and '_' are allowed"
        )));
    }
    Ok(name.to_ascii_lowercase())
}
