//! `DATA BRANCH DIFF target AGAINST base`: the row differences of two tables since their
//! common ancestor, computed by MariaDB from versioned reads.
//!
//! MatrixOne (pkg/frontend/data_branch.go, data_branch_hashdiff.go) finds the lowest common
//! ancestor (LCA) of the two tables on the branch DAG and collects what each side changed
//! since the LCA's branch point, keyed by primary key. mosim reads three tables:
//!
//! - `T`, the target, and `B`, the base, each live or at its `{SNAPSHOT}`;
//! - `A`, the LCA as it was at the earliest of: the points where the paths to the target and
//!   to the base leave it, and the read point of a side that is the LCA itself. With no
//!   common ancestor `A` is empty, so every row of a side that the other side lacks (or holds
//!   with other values) is that side's INSERT, as in diff/diff_1.result's unrelated tables.
//!
//! A key `k` is a change of the target when `T(k) != A(k)` and `T(k) != B(k)`: a change both
//! sides made alike is no difference (merge/merge_1.result, after a merge). It is an INSERT
//! when `A` lacks `k`, a DELETE when `T` lacks it (the row shown is `A`'s), an UPDATE
//! otherwise. Likewise for the base. Rows come ordered by key, the target's before the base's
//! (diff/diff_1.result, merge/merge_2.result).

use crate::mo::branch::plan::{Plan, Source};
use crate::sql::rewrite::{ident, sql_str};

/// `x.c <=> y.c AND ...` over `cols` (`TRUE` when empty).
pub(crate) fn same(x: &str, y: &str, cols: &[String]) -> String {
    if cols.is_empty() {
        return "TRUE".to_owned();
    }
    cols.iter().map(|c| format!("{x}.{c} <=> {y}.{c}", c = ident(c))).collect::<Vec<_>>().join(" AND ")
}

/// Which side a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Target,
    Base,
}

/// One kind of change of one side, as a SELECT of its rows.
pub(crate) struct ChangeQuery {
    pub(crate) flag: &'static str,
    /// The SELECT's FROM and WHERE; `x` is the side's table, `a` the ancestor, `y` the other
    /// side (in subqueries).
    pub(crate) from_where: String,
    /// The alias whose values the rows show: `x`, or `a` for a DELETE.
    pub(crate) shows: &'static str,
    /// The columns that alias has.
    pub(crate) shows_cols: Vec<String>,
}

impl Plan {
    fn side(&self, side: Side) -> (&Source, &Source) {
        match side {
            Side::Target => (&self.target, &self.base),
            Side::Base => (&self.base, &self.target),
        }
    }

    /// Whether the row `alias` of `side` (same key as the ancestor's row `a`) is the
    /// ancestor's: the columns all three have alike, and each column both sides added since
    /// at the side's default.
    pub(crate) fn as_in_ancestor(&self, alias: &str, side: Side) -> String {
        let mut cond = same("a", alias, &self.cmp_a);
        for (c, t_default, b_default) in &self.added {
            let default = if side == Side::Target { t_default } else { b_default };
            cond.push_str(&format!(" AND {alias}.{} <=> ({default})", ident(c)));
        }
        cond
    }

    /// The INSERT, UPDATE and DELETE queries of one side.
    pub(crate) fn changes(&self, side: Side) -> Vec<ChangeQuery> {
        let (x, y) = self.side(side);
        let same_as_other = format!(
            "NOT EXISTS (SELECT 1 FROM {} AS y WHERE {} AND {})",
            y.from,
            same("y", "x", &self.key),
            same("y", "x", &self.cmp)
        );
        let mut out = Vec::with_capacity(3);
        let Some(a) = &self.ancestor else {
            out.push(ChangeQuery {
                flag: "INSERT",
                from_where: format!("{} AS x WHERE {same_as_other}", x.from),
                shows: "x",
                shows_cols: x.cols.clone(),
            });
            return out;
        };
        out.push(ChangeQuery {
            flag: "INSERT",
            from_where: format!(
                "{} AS x WHERE NOT EXISTS (SELECT 1 FROM {} AS a WHERE {}) AND {same_as_other}",
                x.from,
                a.from,
                same("a", "x", &self.key)
            ),
            shows: "x",
            shows_cols: x.cols.clone(),
        });
        if self.has_pk {
            out.push(ChangeQuery {
                flag: "UPDATE",
                from_where: format!(
                    "{} AS x JOIN {} AS a ON {} WHERE NOT ({}) AND {same_as_other}",
                    x.from,
                    a.from,
                    same("a", "x", &self.key),
                    self.as_in_ancestor("x", side)
                ),
                shows: "x",
                shows_cols: x.cols.clone(),
            });
        }
        out.push(ChangeQuery {
            flag: "DELETE",
            from_where: format!(
                "{} AS a WHERE NOT EXISTS (SELECT 1 FROM {} AS x WHERE {}) \
                 AND EXISTS (SELECT 1 FROM {} AS y WHERE {})",
                a.from,
                x.from,
                same("x", "a", &self.key),
                y.from,
                same("y", "a", &self.key)
            ),
            shows: "a",
            shows_cols: a.cols.clone(),
        });
        out
    }

    /// The columns the change rows carry: the shown ones, then key columns not shown.
    pub(crate) fn carried(&self) -> Vec<String> {
        let mut cols = self.out.clone();
        cols.extend(self.key.iter().filter(|k| !self.out.contains(k)).cloned());
        cols
    }

    /// Every change of both sides as one UNION ALL, with columns `__mo_diff_source`,
    /// `__mo_diff_flag`, `__mosim_side` (0 target, 1 base) and [`Plan::carried`].
    pub(crate) fn body(&self) -> String {
        let carried = self.carried();
        let mut selects = Vec::new();
        for (side, n) in [(Side::Target, 0), (Side::Base, 1)] {
            let label = &self.side(side).0.name;
            for q in self.changes(side) {
                let cols = project(q.shows, &q.shows_cols, &carried);
                selects.push(format!(
                    "SELECT CAST({} AS CHAR(255)) AS __mo_diff_source, CAST('{}' AS CHAR(16)) AS __mo_diff_flag, \
                     {n} AS __mosim_side, {cols} FROM {}",
                    sql_str(label),
                    q.flag,
                    q.from_where
                ));
            }
        }
        selects.join(" UNION ALL ")
    }

    /// ORDER BY of the body's rows: by key, the target's row first.
    pub(crate) fn order(&self, alias: &str) -> String {
        let mut keys: Vec<String> = self.key.iter().map(|k| format!("{alias}.{}", ident(k))).collect();
        keys.push(format!("{alias}.__mosim_side"));
        keys.join(", ")
    }
}

/// `alias.c AS c` for each wanted column the alias has, `NULL AS c` for the others.
pub(crate) fn project(alias: &str, has: &[String], wanted: &[String]) -> String {
    wanted
        .iter()
        .map(|c| {
            if has.contains(c) {
                format!("{alias}.{0} AS {0}", ident(c))
            } else {
                format!("NULL AS {}", ident(c))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_safe_comparison_and_projection() {
        let cols = vec!["a".to_owned(), "b`c".to_owned()];
        assert_eq!(same("x", "y", &cols), "x.`a` <=> y.`a` AND x.`b``c` <=> y.`b``c`");
        assert_eq!(same("x", "y", &[]), "TRUE");
        assert_eq!(project("x", &cols[..1], &cols), "x.`a` AS `a`, NULL AS `b``c`");
    }
}
