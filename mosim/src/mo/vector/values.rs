//! Vector literals written to vector columns: `INSERT ... VALUES (1, '[1,2,3]')`,
//! `INSERT ... SET v = '[...]'`, `UPDATE t SET v = '[...]'`, `ON DUPLICATE KEY UPDATE`, and
//! compared with them (`WHERE v = '[...]'`, `!=`, `<>` in SELECT, UPDATE, DELETE).
//!
//! MatrixOne casts the text to the column's type, so a value of another dimension fails
//! with `invalid input: expected vector dimension 5 != actual dimension 2.`, malformed
//! text with `internal error: malformed vector input: ...` (array/array.result), and the
//! value is kept as floats, printed back in its own form (`[1, 2, 3]`). mosim reads the
//! table's vector columns (their `COMMENT 'vecf32(n)'` marker, see
//! `sql::dialect::vector_types`) and replaces each such literal with MatrixOne's text of it,
//! or answers the error, before MariaDB sees the statement. Values that are not literals
//! (`INSERT ... SELECT`) are stored as they come, and the column's CHECK still refuses
//! another dimension (MariaDB's error 4025 then). A prepared statement's `?` for a vector
//! column becomes `mo_catalog.mo_vector_in(?, n)`, which checks the bound text with
//! MatrixOne's errors and spaces it as MatrixOne prints it (`JSON_LOOSE`: `[1, 2, 3]`; the
//! digits stay as bound).

use std::collections::HashMap;

use crate::error::SqlError;
use crate::mo::pool::Pool;
use crate::mo::vector::text::{self, Elem};
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::{Edit, ident_bytes, sql_str};
use crate::wire::backend::cell;

/// A vector column: element type and dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VecColumn {
    pub(crate) elem: Elem,
    pub(crate) dim: usize,
}

/// A table's visible columns in order, with the vector ones marked.
#[derive(Debug, Default)]
pub(crate) struct TableColumns {
    /// Lower-cased names, in table order.
    pub(crate) names: Vec<String>,
    /// The vector columns by lower-cased name.
    pub(crate) vectors: HashMap<String, VecColumn>,
}

/// Reads `vecf32(3)` from a column comment mosim wrote.
pub(crate) fn marker(comment: &str) -> Option<VecColumn> {
    let (name, rest) = comment.split_once('(')?;
    let dim = rest.strip_suffix(')')?.parse().ok()?;
    Some(VecColumn { elem: Elem::from_name(name)?, dim })
}

/// The table a write statement targets (`INSERT [IGNORE] [INTO] t`, `REPLACE [INTO] t`,
/// `UPDATE [IGNORE] t`), with the index of the token after its name.
pub(crate) fn target(toks: &[Token]) -> Option<(Option<String>, String, usize)> {
    let first = toks.first()?;
    let mut i = 1;
    if first.is_kw("select") || first.is_kw("delete") {
        // The first table of the outermost FROM.
        let mut depth = 0usize;
        i = toks.iter().position(|t| {
            if t.is('(') {
                depth += 1;
            } else if t.is(')') {
                depth = depth.saturating_sub(1);
            }
            depth == 0 && t.is_kw("from")
        })? + 1;
    } else if !["insert", "replace", "update"].iter().any(|k| first.is_kw(k)) {
        return None;
    }
    while toks.get(i).is_some_and(|t| {
        ["into", "ignore", "low_priority", "delayed", "high_priority"].iter().any(|k| t.is_kw(k))
    }) {
        i += 1;
    }
    let a = toks.get(i)?.ident()?.to_owned();
    if toks.get(i + 1).is_some_and(|t| t.is('.')) {
        let b = toks.get(i + 2)?.ident()?.to_owned();
        return Some((Some(a), b, i + 3));
    }
    Some((None, a, i + 1))
}

/// Whether the statement has a string literal that looks like a vector: only then is the
/// table's definition read.
pub(crate) fn has_vector_literal(toks: &[Token]) -> bool {
    toks.iter().any(|t| matches!(&t.kind, Kind::Str(s) if text::looks_like_vector(s)))
}

/// The target of a write statement that has vector-like literals: database (if named),
/// table, and the token after the table's name.
pub(crate) fn target_with_literals(toks: &[Token]) -> Option<(Option<String>, String, usize)> {
    let query = toks.first().is_some_and(|t| t.is_kw("select") || t.is_kw("delete"));
    let wanted = if query {
        // Only a comparison needs the table's columns (a kNN query's literal does not).
        toks.iter().enumerate().any(|(i, t)| {
            matches!(&t.kind, Kind::Str(s) if text::looks_like_vector(s))
                && (i.checked_sub(1).is_some_and(|p| toks[p].is('=') || toks[p].is('>') || toks[p].is('<'))
                    || toks.get(i + 1).is_some_and(|n| n.is('=')))
        })
    } else {
        has_vector_literal(toks) || toks.iter().any(|t| t.is('?'))
    };
    if wanted { target(toks) } else { None }
}

/// The edits of [`edits`] for the table `db.table` (`db` `None`: no current database, so
/// nothing to look up; MariaDB reports that).
/// `cache` is the session's (`wire::VectorDefs`), which keeps a table's columns until the
/// session runs DDL.
pub(crate) async fn literal_edits(
    pool: &Pool,
    cache: Option<&mut crate::mo::vector::wire::VectorDefs>,
    db: Option<&str>,
    table: &str,
    toks: &[Token],
    after: usize,
) -> Result<Vec<Edit>, SqlError> {
    let Some(db) = db else { return Ok(Vec::new()) };
    let Some(cache) = cache else { return edits(toks, &columns(pool, db, table).await?, after) };
    let cols = cache.table_columns(db, table, false).await?;
    match edits(toks, cols.as_ref(), after) {
        // Another session may have redefined the table since it was cached: read it again
        // before answering an error.
        Err(_) => {
            let fresh = cache.table_columns(db, table, true).await?;
            edits(toks, fresh.as_ref(), after)
        }
        ok => ok,
    }
}

/// Reads a table's columns (mosim's own connection).
pub(crate) async fn columns(pool: &Pool, db: &str, table: &str) -> Result<TableColumns, SqlError> {
    let sql = format!(
        "SELECT COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND EXTRA NOT LIKE '%INVISIBLE%' \
         ORDER BY ORDINAL_POSITION",
        sql_str(db),
        sql_str(table)
    );
    let mut cat = pool.get().await?;
    let rows = cat.query(&sql).await;
    cat.release();
    let mut out = TableColumns::default();
    for row in rows?.rows {
        let name = cell(&row, 0).to_lowercase();
        if let Some(v) = row.get(1).cloned().flatten().as_deref().and_then(marker) {
            out.vectors.insert(name.clone(), v);
        }
        out.names.push(name);
    }
    Ok(out)
}

/// The edit putting one literal in MatrixOne's form for `col`, or MatrixOne's error. A
/// prepared statement's `?` is checked when it is bound, by `mo_catalog.mo_vector_in`.
fn fix(t: &Token, col: VecColumn) -> Result<Option<Edit>, SqlError> {
    if t.is('?') {
        let wrapped = format!("mo_catalog.mo_vector_in(?, {})", col.dim);
        return Ok(Some((t.start, t.end, wrapped.into_bytes())));
    }
    let Kind::Str(s) = &t.kind else { return Ok(None) };
    let canon = text::canonical(s, col.elem, Some(col.dim))?;
    Ok(Some((t.start, t.end, sql_str(&canon).into_bytes())))
}

/// Edits for the vector literals of a write statement whose target table has `cols`;
/// `after` is the token after the table name.
pub(crate) fn edits(toks: &[Token], cols: &TableColumns, after: usize) -> Result<Vec<Edit>, SqlError> {
    let mut out = Vec::new();
    if cols.vectors.is_empty() {
        return Ok(out);
    }
    let scan = crate::sql::dialect::Scan::new(toks);
    // `col = 'literal'` anywhere (SET, ON DUPLICATE KEY UPDATE, WHERE), also `!=` / `<>`
    // and the literal first: MatrixOne compares the vectors, mosim their canonical text.
    for i in after..toks.len() {
        let Some(name) = toks[i].ident() else { continue };
        let Some(col) = cols.vectors.get(&name.to_lowercase()) else { continue };
        let op_len = |k: usize| -> usize {
            match (toks.get(k), toks.get(k + 1)) {
                (Some(a), _) if a.is('=') => 1,
                (Some(a), Some(b)) if (a.is('!') && b.is('=')) || (a.is('<') && b.is('>')) => 2,
                _ => 0,
            }
        };
        let n = op_len(i + 1);
        if n > 0
            && let Some(v) = toks.get(i + 1 + n)
        {
            let ends = toks
                .get(i + 2 + n)
                .is_none_or(|x| x.is(',') || x.is(';') || x.is(')') || x.ident().is_some());
            if ends && let Some(e) = fix(v, *col)? {
                out.push(e);
            }
        }
        // `col < '[...]'` (and `<=`, `>`, `>=`): MatrixOne orders vectors element by element
        // (`ArrayCompare`, pkg/container/types/compare.go), text order would not.
        let ord = match (toks.get(i + 1), toks.get(i + 2)) {
            (Some(a), Some(b)) if a.is('<') && b.is('=') => Some(("<=", 2)),
            (Some(a), Some(b)) if a.is('>') && b.is('=') => Some((">=", 2)),
            (Some(a), Some(b)) if a.is('<') && !b.is('>') => Some(("<", 1)),
            (Some(a), _) if a.is('>') => Some((">", 1)),
            _ => None,
        };
        if let Some((op, n)) = ord
            && let Some(v) = toks.get(i + 1 + n)
            && let Kind::Str(lit) = &v.kind
            && text::looks_like_vector(lit)
        {
            let canon = text::canonical(lit, col.elem, Some(col.dim))?;
            let qualified = i >= 2 && toks[i - 1].is('.') && toks[i - 2].ident().is_some();
            let start = if qualified { toks[i - 2].start } else { toks[i].start };
            let mut colref = Vec::new();
            if qualified {
                colref.extend(ident_bytes(toks[i - 2].ident().unwrap_or_default().as_bytes()));
                colref.push(b'.');
            }
            colref.extend(ident_bytes(name.as_bytes()));
            let mut text = b"mo_catalog.mo_vector_cmp(".to_vec();
            text.extend(colref);
            text.extend(format!(", {}) {op} 0", sql_str(&canon)).into_bytes());
            out.push((start, v.end, text));
            continue;
        }
        // `'literal' = col`
        if let Some(v) = i.checked_sub(2).and_then(|k| toks.get(k))
            && toks[i - 1].is('=')
            && matches!(&v.kind, Kind::Str(t) if text::looks_like_vector(t))
            && let Some(e) = fix(v, *col)?
        {
            out.push(e);
        }
    }
    // `[(c1, c2)] VALUES (...), (...)`.
    let mut i = after;
    let mut names = cols.names.clone();
    if toks.get(i).is_some_and(|t| t.is('(')) {
        let Some(close) = scan.closing(i) else { return Ok(out) };
        names = scan
            .args(i)
            .iter()
            .filter_map(|r| toks.get(r.end.saturating_sub(1)).and_then(|t| t.ident()).map(str::to_lowercase))
            .collect();
        i = close + 1;
    }
    if !toks.get(i).is_some_and(|t| t.is_kw("values") || t.is_kw("value")) {
        return Ok(out);
    }
    i += 1;
    while toks.get(i).is_some_and(|t| t.is('(')) {
        let Some(close) = scan.closing(i) else { break };
        for (pos, arg) in scan.args(i).iter().enumerate() {
            let Some(col) = names.get(pos).and_then(|n| cols.vectors.get(n)) else { continue };
            if arg.len() == 1
                && let Some(e) = fix(&toks[arg.start], *col)?
            {
                out.push(e);
            }
        }
        i = close + 1;
        if !toks.get(i).is_some_and(|t| t.is(',')) {
            break;
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::{lossy, tokenize};
    use crate::sql::rewrite::splice;

    fn cols() -> TableColumns {
        let mut c = TableColumns { names: vec!["a".into(), "b".into(), "c".into()], ..Default::default() };
        c.vectors.insert("b".into(), VecColumn { elem: Elem::F32, dim: 3 });
        c.vectors.insert("c".into(), VecColumn { elem: Elem::F64, dim: 3 });
        c
    }

    fn run(sql: &str) -> Result<String, (u16, String)> {
        let toks = tokenize(sql.as_bytes());
        let (_, _, after) = target(&toks).unwrap();
        match edits(&toks, &cols(), after) {
            Ok(e) => Ok(lossy(&splice(sql.as_bytes(), e))),
            Err(e) => Err((e.code, e.message)),
        }
    }

    #[test]
    fn literals_are_put_in_matrixones_form() {
        assert_eq!(
            run("insert into vec_table values(1, \"[1,2,3]\", \"[4,5,6]\"), (2, '[0.1,0.2,0.3]', null)")
                .unwrap(),
            "insert into vec_table values(1, '[1, 2, 3]', '[4, 5, 6]'), (2, '[0.1, 0.2, 0.3]', null)"
        );
        assert_eq!(
            run("insert into t (c, a) values ('[1,2,3]', 1)").unwrap(),
            "insert into t (c, a) values ('[1, 2, 3]', 1)"
        );
        assert_eq!(
            run("update t set b = '[3,2,1]' where a = 1").unwrap(),
            "update t set b = '[3, 2, 1]' where a = 1"
        );
        // array/array_index.result: delete from tbl where embedding="[130,40,90]";
        assert_eq!(
            run("delete from t where b=\"[130,40,90]\"").unwrap(),
            "delete from t where b='[130, 40, 90]'"
        );
        assert_eq!(
            run("select a from t where b != '[1,2,3]' or '[4,5,6]' = c").unwrap(),
            "select a from t where b != '[1, 2, 3]' or '[4, 5, 6]' = c"
        );
        // array/array.result: select * from vec_table where b> "[1,2,3]";
        assert_eq!(
            run("select a from t where t.b > \"[1,2,3]\" and b<= '[1,2,4]'").unwrap(),
            "select a from t where mo_catalog.mo_vector_cmp(`t`.`b`, '[1, 2, 3]') > 0 and mo_catalog.mo_vector_cmp(`b`, '[1, 2, 4]') <= 0"
        );
    }

    #[test]
    fn wrong_dimensions_fail_as_in_matrixone() {
        // array/array.result: insert into t4 values(1, "[1,2]", "[1,2]");
        assert_eq!(
            run("insert into t values (1, '[1,2]', '[1,2,3]')").unwrap_err(),
            (20301, "invalid input: expected vector dimension 3 != actual dimension 2.".into())
        );
        assert_eq!(run("update t set c = '[1,2,3,4]'").unwrap_err().0, 20301);
        assert_eq!(run("insert into t values (1, '1,2,3', null)").unwrap_err().0, 20101);
        // A prepared statement's parameters are checked when bound.
        assert_eq!(
            run("insert into t values (?, ?, ?)").unwrap(),
            "insert into t values (?, mo_catalog.mo_vector_in(?, 3), mo_catalog.mo_vector_in(?, 3))"
        );
    }
}
