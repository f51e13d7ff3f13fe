//! Snapshot and PITR names as they go into SQL: validated, lower-cased, then quoted.

use super::literal::mode_independent_literal;
use crate::error::Result;
use crate::sql::{quote_ident, validate_object_name};

/// `name` validated as a snapshot or PITR name (`[A-Za-z0-9_]+`), lower-cased and
/// backtick-quoted, for the places the grammar takes an identifier.
pub(crate) fn object_ident(what: &str, name: &str) -> Result<String> {
    quote_ident(&validate_object_name(what, name)?)
}

/// `name` validated and lower-cased as for [`object_ident`], as a string literal, for
/// `{SNAPSHOT = '...'}` and `WHERE ... = '...'`.
pub(crate) fn object_literal(what: &str, name: &str) -> Result<String> {
    mode_independent_literal(&validate_object_name(what, name)?)
}
