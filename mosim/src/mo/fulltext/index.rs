//! MatrixOne's rule for a new fulltext index: no two fulltext indexes of a table on the
//! same columns (fulltext/fulltext.result: `create fulltext index ftidx02 on src (body,
//! title)` after `ftidx` on the same columns is `not supported: Fulltext index are not
//! allowed to use the same column`).

use crate::error::SqlError;
use crate::mo::fulltext::query::indexes;
use crate::mo::pool::Pool;
use crate::sql::lexer::Token;

/// The table and columns of `CREATE FULLTEXT INDEX i ON [db.]t (cols)` or `ALTER TABLE
/// [db.]t ADD FULLTEXT [INDEX | KEY] [i] (cols)`.
pub(crate) fn new_index(toks: &[Token]) -> Option<(Option<String>, String, Vec<String>)> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    let name_at = |i: usize| -> Option<(Option<String>, String, usize)> {
        let a = toks.get(i)?.ident()?.to_owned();
        if toks.get(i + 1).is_some_and(|t| t.is('.')) {
            Some((Some(a), toks.get(i + 2)?.ident()?.to_owned(), i + 3))
        } else {
            Some((None, a, i + 1))
        }
    };
    let (db, table, from) = if kw(0, "create") && kw(1, "fulltext") && kw(2, "index") && kw(4, "on") {
        name_at(5)?
    } else if kw(0, "alter") && kw(1, "table") {
        let (db, table, next) = name_at(2)?;
        let at = (next..toks.len()).find(|&i| kw(i, "add") && kw(i + 1, "fulltext"))?;
        (db, table, at + 2)
    } else {
        return None;
    };
    let open = (from..toks.len()).find(|&i| toks[i].is('('))?;
    let mut cols = Vec::new();
    for t in &toks[open + 1..] {
        if t.is(')') {
            break;
        }
        if let Some(c) = t.ident() {
            cols.push(c.to_lowercase());
        }
    }
    Some((db, table, cols))
}

/// Fails as MatrixOne does when the table already has a fulltext index on these columns.
pub(crate) async fn check(pool: &Pool, db: &str, table: &str, cols: &[String]) -> Result<(), SqlError> {
    let mut wanted = cols.to_vec();
    wanted.sort();
    for idx in indexes(pool, db, table).await? {
        let mut have = idx.columns.clone();
        have.sort();
        if have == wanted {
            return Err(SqlError::not_supported("Fulltext index are not allowed to use the same column"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn new_fulltext_indexes_are_found() {
        let t = tokenize(b"create fulltext index ftidx on db.src (body, title) with parser ngram");
        assert_eq!(
            new_index(&t),
            Some((Some("db".into()), "src".into(), vec!["body".into(), "title".into()]))
        );
        let t = tokenize(b"alter table src add fulltext index ftidx2 (body)");
        assert_eq!(new_index(&t), Some((None, "src".into(), vec!["body".into()])));
        assert_eq!(new_index(&tokenize(b"create index i on t (a)")), None);
    }
}
