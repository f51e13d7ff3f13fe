//! Operators MatrixOne spells its own way.
//!
//! - `q1 MINUS q2` is MariaDB's `q1 EXCEPT q2` (MatrixOne's `union_op` in
//!   pkg/sql/parsers/dialect/mysql/mysql_sql.y; results in
//!   test/distributed/cases/union/minus.result).
//! - `a [NOT] ILIKE b [ESCAPE c]` is a case-insensitive LIKE (`ILIKE` in mysql_sql.y; results
//!   in test/distributed/cases/operator/like_operator.result). MariaDB has no ILIKE; mosim
//!   writes `a [NOT] LIKE b COLLATE utf8mb4_uca1400_as_ci`: case-insensitive like MatrixOne's
//!   lower-casing, and accent-sensitive like it too (`'e' ILIKE 'é'` is false).
//! - `j -> '$.path'` and `j ->> '$.path'` are `JSON_EXTRACT(j, '$.path')` and its
//!   `JSON_UNQUOTE` (results in test/distributed/cases/function/func_json_arrow.result);
//!   MariaDB 10.11 has neither operator.

use crate::sql::dialect::Scan;
use crate::sql::lexer::Kind;
use crate::sql::rewrite::Edit;

/// Case-insensitive, accent-sensitive: what MatrixOne's ILIKE compares with.
const ILIKE_COLLATION: &[u8] = b" COLLATE utf8mb4_uca1400_as_ci";

/// Edits for MINUS, ILIKE, `->` and `->>`.
pub(crate) fn edits(scan: &Scan<'_>) -> Vec<Edit> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 1..t.len() {
        if let Some(e) = json_arrow(scan, i) {
            out.extend(e);
            continue;
        }
        if scan.kw(i, "minus")
            && (scan.kw(i + 1, "select")
                || scan.is(i + 1, '(')
                || scan.kw(i + 1, "all")
                || scan.kw(i + 1, "distinct"))
        {
            out.push((t[i].start, t[i].end, b"EXCEPT".to_vec()));
        } else if scan.kw(i, "ilike")
            && let Some(last) = operand_end(scan, i + 1)
        {
            out.push((t[i].start, t[i].end, b"LIKE".to_vec()));
            out.push((t[last].end, t[last].end, ILIKE_COLLATION.to_vec()));
        }
    }
    out
}

/// `left -> 'path'` / `left ->> 'path'` whose `-` is at `i`.
fn json_arrow(scan: &Scan<'_>, i: usize) -> Option<[Edit; 3]> {
    let t = scan.t;
    let adjacent = |a: usize| t.get(a + 1).is_some_and(|n| n.start == t[a].end);
    if !(scan.is(i, '-') && scan.is(i + 1, '>') && adjacent(i)) {
        return None;
    }
    let unquote = scan.is(i + 2, '>') && adjacent(i + 1);
    let right = if unquote { i + 3 } else { i + 2 };
    if !matches!(t.get(right).map(|t| &t.kind), Some(Kind::Str(_) | Kind::Punct('?'))) {
        return None;
    }
    let left = operand_start(scan, i.checked_sub(1)?)?;
    let (open, close): (&[u8], &[u8]) =
        if unquote { (b"JSON_UNQUOTE(JSON_EXTRACT(", b"))") } else { (b"JSON_EXTRACT(", b")") };
    Some([
        (t[left].start, t[left].start, open.to_vec()),
        (t[i].start, t[right].start, b", ".to_vec()),
        (t[right].end, t[right].end, close.to_vec()),
    ])
}

/// The first token of the simple operand that ends at `last`: a (qualified) column, a
/// function call or a parenthesised expression.
fn operand_start(scan: &Scan<'_>, last: usize) -> Option<usize> {
    let t = scan.t;
    match &t.get(last)?.kind {
        Kind::Word(_) | Kind::Quoted(_) | Kind::Var(_) => {
            let mut j = last;
            while j >= 2 && scan.is(j - 1, '.') && t[j - 2].ident().is_some() {
                j -= 2;
            }
            Some(j)
        }
        Kind::Punct(')') => {
            let open = scan.opening(last)?;
            let called = open > 0 && matches!(t[open - 1].kind, Kind::Word(_)) && scan.is_call(open - 1);
            Some(if called { open - 1 } else { open })
        }
        _ => None,
    }
}

/// The last token of the simple operand starting at `i`: a literal, a placeholder, a
/// variable, a (qualified) column, or a function call.
fn operand_end(scan: &Scan<'_>, i: usize) -> Option<usize> {
    let t = scan.t.get(i)?;
    match &t.kind {
        Kind::Str(_) | Kind::Var(_) => Some(i),
        Kind::Punct('?') => Some(i),
        Kind::Word(_) | Kind::Quoted(_) => {
            if scan.is(i + 1, '(') {
                return scan.closing(i + 1);
            }
            let mut j = i;
            while scan.is(j + 1, '.') && scan.t.get(j + 2).and_then(|t| t.ident()).is_some() {
                j += 2;
            }
            Some(j)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn minus_and_ilike() {
        assert_eq!(
            rewritten("select a from t minus select a from s").unwrap(),
            "select a from t EXCEPT select a from s"
        );
        assert_eq!(
            rewritten("select t.j->'$.a', j ->> '$.b', json_object('k', 1)->>'$.k' from t").unwrap(),
            "select JSON_EXTRACT(t.j, '$.a'), JSON_UNQUOTE(JSON_EXTRACT(j , '$.b')), \
             JSON_UNQUOTE(JSON_EXTRACT(json_object('k', 1), '$.k')) from t"
        );
        assert_eq!(
            rewritten("select * from t where name not ilike concat('%', ?, '%') escape '!'").unwrap(),
            "select * from t where name not LIKE concat('%', ?, '%') COLLATE utf8mb4_uca1400_as_ci escape '!'"
        );
    }
}
