//! `LIMIT` inside an `IN` / `ANY` / `SOME` / `ALL` subquery.
//!
//! MatrixOne runs `x IN (SELECT ... ORDER BY y LIMIT n)` (expected results in
//! test/distributed/cases/subquery/subquery-with-in.result); MariaDB refuses it with 1235
//! "This version of MariaDB doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'". The same
//! query over a derived table is allowed and means the same, so mosim wraps the subquery:
//! `x IN (SELECT * FROM (SELECT ... LIMIT n) AS __mo_limited)`.
//!
//! A correlated subquery (one that names a column of the outer query) cannot be wrapped:
//! MariaDB's derived tables do not see outer columns, so such a query fails with 1054.

use crate::sql::dialect::Scan;
use crate::sql::rewrite::Edit;

/// Edits wrapping every limited IN / ANY / SOME / ALL subquery in a derived table.
pub(crate) fn edits(scan: &Scan<'_>) -> Vec<Edit> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 1..t.len() {
        if !t[i].is('(') || !(scan.kw(i + 1, "select") || scan.kw(i + 1, "with") || scan.is(i + 1, '(')) {
            continue;
        }
        let quantified = ["any", "some", "all"].iter().any(|k| scan.kw(i - 1, k))
            && i >= 2
            && (t[i - 2].is('=') || t[i - 2].is('<') || t[i - 2].is('>'));
        if !(scan.kw(i - 1, "in") || quantified) {
            continue;
        }
        let Some(close) = scan.closing(i) else { continue };
        // A LIMIT of this subquery itself (or of a parenthesised part of a UNION in it).
        let union_part = |p: usize| {
            scan.open.get(p) == Some(&i)
                && (p == i + 1
                    || ["union", "except", "intersect", "minus", "all", "distinct"]
                        .iter()
                        .any(|k| scan.kw(p - 1, k)))
        };
        let limited =
            (i + 1..close).any(|j| scan.kw(j, "limit") && (scan.open[j] == i || union_part(scan.open[j])));
        if limited {
            out.push((t[i].end, t[i].end, b"SELECT * FROM (".to_vec()));
            out.push((t[close].start, t[close].start, b") AS __mo_limited".to_vec()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn limited_subqueries_are_wrapped() {
        assert_eq!(
            rewritten("select * from t where id in (select id from s order by x limit 10)").unwrap(),
            "select * from t where id in (SELECT * FROM (select id from s order by x limit 10) AS __mo_limited)"
        );
        assert_eq!(
            rewritten("select 1 from t where a > all (select b from s limit 1)").unwrap(),
            "select 1 from t where a > all (SELECT * FROM (select b from s limit 1) AS __mo_limited)"
        );
        for plain in [
            "select * from t where id in (select id from s)",
            "select * from t where exists (select 1 from s limit 1)",
            "select * from t where id in (select id from (select id from s limit 3) d)",
            "select * from t union all (select * from s limit 1)",
        ] {
            assert_eq!(rewritten(plain).unwrap(), plain);
        }
    }
}
