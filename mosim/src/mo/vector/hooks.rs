//! What mosim does for vectors and fulltext before a plain statement runs, in one place so
//! the session needs one call: MatrixOne's checks (the HNSW switch, vector columns in keys,
//! the rules for a new vector or fulltext index), `ALTER REINDEX` (which replaces the
//! statement), and the edits for vector literals and `MATCH ... AGAINST`.

use crate::error::SqlError;
use crate::mo::fulltext;
use crate::mo::pool::Pool;
use crate::mo::vector::wire::VectorDefs;
use crate::mo::vector::{index_rules, keys, reindex, switches, values};
use crate::sql::lexer::Token;
use crate::sql::rewrite::Edit;
use crate::sql::variables::SessionVars;

/// What the statement becomes.
#[derive(Debug)]
pub(crate) enum Before {
    /// The whole statement, replaced (`ALTER REINDEX`).
    Replace(Vec<u8>),
    /// Edits to splice in with the others.
    Edits(Vec<Edit>),
}

/// Whether [`before`] may need the session's current database (a statement it acts on).
pub(crate) fn wants_current_db(toks: &[Token]) -> bool {
    values::target_with_literals(toks).is_some_and(|(db, _, _)| db.is_none())
        || fulltext::query::has_match(toks)
        || fulltext::index::new_index(toks).is_some_and(|(db, _, _)| db.is_none())
        || (!index_rules::new_indexes(toks).is_empty()
            && index_rules::target_table(toks).is_some_and(|(db, _)| db.is_none()))
        || keys::plain_index(toks).is_some_and(|(db, _, _)| db.is_none())
        || reindex::parse(toks).is_some_and(|r| r.db.is_none())
}

/// Checks and rewrites one plain statement. `current` is the session's current database
/// (looked up only when [`wants_current_db`] said so), `cache` the session's vector-column
/// cache.
pub(crate) async fn before(
    pool: &Pool,
    cache: Option<&mut VectorDefs>,
    vars: &SessionVars,
    sql: &[u8],
    toks: &[Token],
    current: Option<&str>,
) -> Result<Before, SqlError> {
    switches::check(toks, |name| vars.value(name))?;
    keys::check_create_table(toks)?;
    let new_indexes = index_rules::new_indexes(toks);
    if !new_indexes.is_empty() {
        let facts = match index_rules::target_table(toks) {
            Some((db, table)) => match db.as_deref().or(current) {
                Some(db) => Some(index_rules::facts_of_table(pool, db, &table).await?),
                None => None,
            },
            None => index_rules::facts_of_create_table(toks),
        };
        if let Some(facts) = facts {
            for idx in &new_indexes {
                index_rules::check(idx, &facts)?;
            }
        }
    }
    if let Some((db, table, cols)) = keys::plain_index(toks)
        && let Some(db) = db.as_deref().or(current)
    {
        let known = values::columns(pool, db, &table).await?;
        if let Some(c) = cols.iter().find(|c| known.vectors.contains_key(&c.to_lowercase())) {
            return Err(keys::in_index(c));
        }
    }
    if let Some(r) = reindex::parse(toks) {
        let db = r.db.as_deref().or(current).ok_or_else(|| SqlError::new(1046, "No database selected"))?;
        return Ok(Before::Replace(reindex::rewrite(pool, &r, db).await?.into_bytes()));
    }
    if let Some((db, table, cols)) = fulltext::index::new_index(toks)
        && let Some(db) = db.as_deref().or(current)
    {
        fulltext::index::check(pool, db, &table, &cols).await?;
    }
    let mut edits = Vec::new();
    if let Some((db, table, after)) = values::target_with_literals(toks) {
        let db = db.as_deref().or(current);
        edits.extend(values::literal_edits(pool, cache, db, &table, toks, after).await?);
    }
    if fulltext::query::has_match(toks) {
        edits.extend(fulltext::query::edits(pool, sql, toks, current).await?);
    }
    Ok(Before::Edits(edits))
}
