//! Vector columns in keys: MatrixOne refuses a vector column in a primary key (`not
//! supported: VECTOR column 'b' cannot be in primary key`) and in an ordinary or unique
//! index (`not supported: VECTOR column 'b' cannot be in index`); only IVFFLAT / HNSW
//! indexes and fulltext ones take them (array/array.result).

use crate::error::SqlError;
use crate::mo::vector::text::Elem;
use crate::sql::dialect::Scan;
use crate::sql::lexer::Token;

fn in_primary_key(col: &str) -> SqlError {
    SqlError::not_supported(format!("VECTOR column '{col}' cannot be in primary key"))
}

/// MatrixOne's error for a vector column in an ordinary index.
pub(crate) fn in_index(col: &str) -> SqlError {
    SqlError::not_supported(format!("VECTOR column '{col}' cannot be in index"))
}

/// Checks the keys of a CREATE TABLE against the vector columns it defines.
pub(crate) fn check_create_table(toks: &[Token]) -> Result<(), SqlError> {
    if !(toks.first().is_some_and(|t| t.is_kw("create")) && toks.iter().take(6).any(|t| t.is_kw("table"))) {
        return Ok(());
    }
    let scan = Scan::new(toks);
    let Some(open) = toks.iter().position(|t| t.is('(')) else { return Ok(()) };
    if scan.closing(open).is_none() {
        return Ok(());
    }
    let mut vectors: Vec<String> = Vec::new();
    // Column definitions: `name vecf32(n) ... [PRIMARY KEY | UNIQUE]`.
    for item in scan.args(open) {
        let (Some(name), Some(ty)) =
            (toks.get(item.start).and_then(|t| t.ident()), scan.word(item.start + 1))
        else {
            continue;
        };
        if Elem::from_name(&ty).is_none() {
            continue;
        }
        let name = name.to_owned();
        let rest = item.start + 2..item.end;
        if rest.clone().any(|k| scan.kw(k, "primary")) {
            return Err(in_primary_key(&name));
        }
        if rest.clone().any(|k| scan.kw(k, "unique")) {
            return Err(in_index(&name));
        }
        vectors.push(name.to_lowercase());
    }
    // Table-level keys: `PRIMARY KEY (...)`, `UNIQUE [KEY] (...)`, `KEY | INDEX [name] (...)`.
    for item in scan.args(open) {
        let head = scan.word(item.start).unwrap_or_default();
        let (primary, index) = match head.as_str() {
            "primary" => (true, false),
            "unique" | "key" | "index" => (false, true),
            "constraint" => {
                ((item.clone()).any(|k| scan.kw(k, "primary")), (item.clone()).any(|k| scan.kw(k, "unique")))
            }
            _ => (false, false),
        };
        if !(primary || index)
            || (item.clone())
                .any(|k| scan.kw(k, "using") && (scan.kw(k + 1, "ivfflat") || scan.kw(k + 1, "hnsw")))
        {
            continue;
        }
        let Some(cols_open) = (item.clone()).find(|&k| scan.is(k, '(') && scan.open[k] == open) else {
            continue;
        };
        for arg in scan.args(cols_open) {
            let Some(col) = toks.get(arg.start).and_then(|t| t.ident()) else { continue };
            if vectors.contains(&col.to_lowercase()) {
                return Err(if primary { in_primary_key(col) } else { in_index(col) });
            }
        }
    }
    Ok(())
}

/// The table and columns of `CREATE [UNIQUE] INDEX i ON [db.]t (cols)` when it is an
/// ordinary index (not IVFFLAT / HNSW / FULLTEXT).
pub(crate) fn plain_index(toks: &[Token]) -> Option<(Option<String>, String, Vec<String>)> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if !kw(0, "create") {
        return None;
    }
    let mut i = 1;
    if kw(i, "unique") {
        i += 1;
    }
    if !kw(i, "index") {
        return None;
    }
    if toks.iter().any(|t| t.is_kw("ivfflat") || t.is_kw("hnsw")) {
        return None;
    }
    let on = (i..toks.len()).find(|&k| kw(k, "on"))?;
    let a = toks.get(on + 1)?.ident()?.to_owned();
    let (db, table, next) = if toks.get(on + 2).is_some_and(|t| t.is('.')) {
        (Some(a), toks.get(on + 3)?.ident()?.to_owned(), on + 4)
    } else {
        (None, a, on + 2)
    };
    if !toks.get(next).is_some_and(|t| t.is('(')) {
        return None;
    }
    let scan = Scan::new(toks);
    let cols = scan
        .args(next)
        .iter()
        .filter_map(|r| toks.get(r.start).and_then(|t| t.ident()).map(str::to_owned))
        .collect();
    Some((db, table, cols))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn vector_columns_stay_out_of_keys() {
        // array/array.result: create table t2(a int, b vecf32(3) primary key);
        let e =
            check_create_table(&tokenize(b"create table t2(a int, b vecf32(3) primary key)")).unwrap_err();
        assert_eq!(e.message, "not supported: VECTOR column 'b' cannot be in primary key");
        let e = check_create_table(&tokenize(b"create table t(a int, b vecf32(3), primary key (a, b))"))
            .unwrap_err();
        assert_eq!(e.message, "not supported: VECTOR column 'b' cannot be in primary key");
        let e = check_create_table(&tokenize(b"create table t(a int, b vecf32(3), unique key u (b))"))
            .unwrap_err();
        assert_eq!(e.message, "not supported: VECTOR column 'b' cannot be in index");
        assert!(
            check_create_table(&tokenize(
                b"create table t(a int primary key, b vecf32(3), key i using hnsw (b))"
            ))
            .is_ok()
        );
        assert_eq!(
            plain_index(&tokenize(b"create unique index t3 on vec_table(b)")),
            Some((None, "vec_table".into(), vec!["b".into()]))
        );
        assert_eq!(plain_index(&tokenize(b"create index i using ivfflat on t(b) lists=2")), None);
    }
}
