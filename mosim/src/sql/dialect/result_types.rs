//! SUM and AVG return MatrixOne's types.
//!
//! MatrixOne types an aggregate by its argument's type (`SumReturnType` / `AvgReturnType`
//! in pkg/sql/colexec/aggexec/sumavg2.go; the types MatrixOne's tests print, e.g.
//! `sum(b)[-5,64,0]` for an INT column in function/func_aggr_sum.result and `avg(a)[8,54,0]`
//! in function/func_aggr_avg.result):
//!
//! | argument | SUM | AVG |
//! |---|---|---|
//! | TINYINT .. INT, YEAR | BIGINT | DOUBLE |
//! | unsigned TINYINT .. INT, BIT | BIGINT UNSIGNED | DOUBLE |
//! | BIGINT [UNSIGNED] (and integer literals, which are BIGINT) | DECIMAL(38,0) | DECIMAL(38,4) |
//! | DECIMAL(p,s) | DECIMAL(38,s) | DECIMAL(38, min(max(12,s), s+6)) |
//! | FLOAT, DOUBLE | DOUBLE | DOUBLE |
//!
//! MariaDB returns DECIMAL for SUM and AVG of every integer type, and DECIMAL(.., s+4) for
//! AVG of a decimal: an application that decodes `SUM(int_col)` as `i64`, or reads `AVG` of
//! an INT as a float, works on MatrixOne and fails on mosim. mosim looks up the type of a
//! column that SUM / AVG takes directly and casts the result where the two differ.
//! (`SUM(CASE WHEN .. THEN 1 ELSE 0 END)` sums BIGINT literals: DECIMAL(38,0) on
//! MatrixOne too, as function/func_datetime_extract_separator_boundaries.result shows.)

use std::collections::HashMap;

use crate::error::{ER_INVALID_ARG, SqlError};
use crate::sql::dialect::{Scan, alias};
use crate::sql::lexer::Kind;
use crate::sql::rewrite::{Edit, is_alias};

/// A table a statement reads, as it names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableRef {
    /// The qualifying database, if any, as written.
    pub(crate) db: Option<String>,
    /// The table's name as written; `None` for a derived table or a CTE.
    pub(crate) table: Option<String>,
    /// The alias it is known by in the statement, lower-cased.
    pub(crate) alias: Option<String>,
}

/// Which aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Sum,
    Avg,
}

/// A SUM or AVG of a bare column.
#[derive(Debug, Clone)]
pub(crate) struct Aggregate {
    pub(crate) func: Func,
    /// Byte offset where the call starts.
    pub(crate) start: usize,
    /// Byte offset where the call (with any OVER clause) ends.
    pub(crate) end: usize,
    /// The table qualifier the column is written with (`t` in `t.c`), lower-cased.
    pub(crate) qualifier: Option<String>,
    /// The column's name, lower-cased.
    pub(crate) column: String,
    /// The select-list label to keep, if the call is a whole select item.
    pub(crate) label: Option<Vec<u8>>,
}

/// A column's type as `information_schema.COLUMNS` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnType {
    /// `DATA_TYPE`, lower-case (`int`, `decimal`, ...).
    pub(crate) data_type: String,
    /// Whether `COLUMN_TYPE` says `unsigned`.
    pub(crate) unsigned: bool,
    /// `NUMERIC_SCALE`.
    pub(crate) scale: Option<u32>,
}

/// Columns by lower-cased (database, table), then by lower-cased column name.
/// (MatrixOne folds table names to lower case; so does the lookup.)
pub(crate) type Columns = HashMap<(String, String), HashMap<String, ColumnType>>;

/// The SUM / AVG calls on bare columns in `scan`, and the tables the statement reads.
pub(crate) fn find(sql: &[u8], scan: &Scan<'_>) -> (Vec<Aggregate>, Vec<TableRef>) {
    let t = scan.t;
    let mut aggs = Vec::new();
    for i in 0..t.len() {
        let func = match scan.word(i).as_deref() {
            Some("sum") => Func::Sum,
            Some("avg") => Func::Avg,
            _ => continue,
        };
        if !scan.is_call(i) {
            continue;
        }
        let Some(close) = scan.closing(i + 1) else { continue };
        let mut j = i + 2;
        if scan.kw(j, "distinct") || scan.kw(j, "all") {
            j += 1;
        }
        let names: Vec<String> = {
            let mut v = Vec::new();
            let mut k = j;
            while let Some(n) = t.get(k).and_then(|t| t.ident()) {
                v.push(n.to_lowercase());
                if scan.is(k + 1, '.') {
                    k += 2;
                } else {
                    k += 1;
                    break;
                }
            }
            if k != close
                || matches!(t[j].kind, Kind::Word(ref w) if w.starts_with(|c: char| c.is_ascii_digit()))
            {
                continue;
            }
            v
        };
        let (qualifier, column) = match names.as_slice() {
            [c] => (None, c.clone()),
            [q, c] | [_, q, c] => (Some(q.clone()), c.clone()),
            _ => continue,
        };
        // A window function's OVER clause belongs to the call.
        let last = if scan.kw(close + 1, "over") {
            if scan.is(close + 2, '(') { scan.closing(close + 2).unwrap_or(close) } else { close + 2 }
        } else {
            close
        };
        let Some(last_tok) = t.get(last) else { continue };
        aggs.push(Aggregate {
            func,
            start: t[i].start,
            end: last_tok.end,
            qualifier,
            column,
            label: scan.select_item_label(sql, i, last),
        });
    }
    if aggs.is_empty() {
        return (aggs, Vec::new());
    }
    (aggs, tables(scan))
}

/// Every table reference after FROM / JOIN, and CTE names (which shadow tables).
fn tables(scan: &Scan<'_>) -> Vec<TableRef> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 0..t.len() {
        // `WITH [RECURSIVE] a AS (...), b (x) AS (...)`
        let next_cte = scan.is(i, ',')
            && i > 0
            && scan.is(i - 1, ')')
            && scan.opening(i - 1).is_some_and(|o| o > 0 && scan.kw(o - 1, "as"));
        if (scan.kw(i, "with") || scan.kw(i, "recursive") || next_cte)
            && let Some(name) = t.get(i + 1).and_then(|t| t.ident())
            && (scan.kw(i + 2, "as")
                || (scan.is(i + 2, '(') && scan.closing(i + 2).is_some_and(|c| scan.kw(c + 1, "as"))))
        {
            out.push(TableRef { db: None, table: None, alias: Some(name.to_lowercase()) });
        }
        if !(scan.kw(i, "from") || scan.kw(i, "join") || scan.kw(i, "straight_join") || scan.kw(i, "update"))
        {
            continue;
        }
        let mut j = i + 1;
        loop {
            let (db, table, mut k) = if scan.is(j, '(') {
                let Some(c) = scan.closing(j) else { break };
                (None, None, c + 1)
            } else {
                let Some(first) = t.get(j).and_then(|t| t.ident()) else { break };
                if scan.is(j + 1, '.')
                    && let Some(second) = t.get(j + 2).and_then(|t| t.ident())
                {
                    (Some(first.to_owned()), Some(second.to_owned()), j + 3)
                } else if scan.is(j + 1, '(') {
                    // A table function.
                    (None, None, scan.closing(j + 1).map_or(j + 1, |c| c + 1))
                } else {
                    (None, Some(first.to_owned()), j + 1)
                }
            };
            // A `{SNAPSHOT = ...}` hint.
            if scan.is(k, '{') {
                while k < t.len() && !scan.is(k, '}') {
                    k += 1;
                }
                k += 1;
            }
            if scan.kw(k, "as") {
                k += 1;
            }
            let alias = match t.get(k).map(|t| &t.kind) {
                Some(Kind::Quoted(q)) => Some(q.to_lowercase()),
                Some(Kind::Word(w)) if is_alias(t.get(k)) => Some(w.to_lowercase()),
                _ => None,
            };
            if alias.is_some() {
                k += 1;
            }
            out.push(TableRef { db, table, alias });
            if !scan.is(k, ',') {
                break;
            }
            j = k + 1;
        }
    }
    out
}

/// The type of the column an aggregate takes, if the statement's tables name it unambiguously.
pub(crate) fn column_type<'a>(
    agg: &Aggregate,
    tables: &[TableRef],
    columns: &'a Columns,
    current_db: Option<&str>,
) -> Option<&'a ColumnType> {
    let lookup = |r: &TableRef| -> Option<&'a ColumnType> {
        let db = r.db.as_deref().or(current_db)?.to_lowercase();
        columns.get(&(db, r.table.as_deref()?.to_lowercase()))?.get(&agg.column)
    };
    match &agg.qualifier {
        Some(q) => {
            let r = tables.iter().find(|r| {
                r.alias.as_deref() == Some(q.as_str())
                    || (r.alias.is_none() && r.table.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(q)))
            })?;
            lookup(r)
        }
        None => {
            // A derived table or CTE may hold the column under that name: then mosim cannot tell.
            if tables.iter().any(|r| r.table.is_none()) {
                return None;
            }
            let mut found = tables.iter().filter_map(lookup);
            let first = found.next()?;
            found.all(|o| o == first).then_some(first)
        }
    }
}

/// The cast that gives an aggregate MatrixOne's type, if MariaDB's differs.
fn cast(func: Func, ty: &ColumnType) -> Option<String> {
    let small_int = matches!(ty.data_type.as_str(), "tinyint" | "smallint" | "mediumint" | "int" | "year");
    match (func, ty.data_type.as_str()) {
        (Func::Sum, _) if small_int && ty.unsigned => Some("UNSIGNED".into()),
        (Func::Sum, "bit") => Some("UNSIGNED".into()),
        (Func::Sum, _) if small_int => Some("SIGNED".into()),
        (Func::Avg, "bit") => Some("DOUBLE".into()),
        (Func::Avg, _) if small_int => Some("DOUBLE".into()),
        (Func::Avg, "decimal") => {
            let s = ty.scale.unwrap_or(0);
            Some(format!("DECIMAL(38, {})", s.max(12).min(s + 6)))
        }
        _ => None,
    }
}

/// MatrixOne's name of a type SUM and AVG refuse (`SumSupportedTypes` in
/// pkg/sql/plan/function/list_agg.go holds only numbers), for its error message.
fn refused(ty: &ColumnType) -> Option<&'static str> {
    Some(match ty.data_type.as_str() {
        "varchar" => "VARCHAR",
        "char" => "CHAR",
        "text" | "tinytext" | "mediumtext" | "longtext" => "TEXT",
        "date" => "DATE",
        "datetime" => "DATETIME",
        "timestamp" => "TIMESTAMP",
        "time" => "TIME",
        "blob" | "tinyblob" | "mediumblob" | "longblob" => "BLOB",
        _ => return None,
    })
}

/// Edits casting each aggregate whose column type is known to MatrixOne's result type; an
/// aggregate MatrixOne refuses (SUM of a VARCHAR) fails as it does there, with 20203.
pub(crate) fn edits(
    aggs: &[Aggregate],
    tables: &[TableRef],
    columns: &Columns,
    current_db: Option<&str>,
) -> Result<Vec<Edit>, SqlError> {
    let mut out = Vec::new();
    for agg in aggs {
        let Some(ty) = column_type(agg, tables, columns, current_db) else { continue };
        if let Some(name) = refused(ty) {
            let func = if agg.func == Func::Sum { "sum" } else { "avg" };
            return Err(SqlError::new(
                ER_INVALID_ARG,
                format!("invalid argument aggregate function {func}, bad value [{name}]"),
            ));
        }
        let Some(target) = cast(agg.func, ty) else { continue };
        out.push((agg.start, agg.start, b"CAST(".to_vec()));
        out.push((agg.end, agg.end, format!(" AS {target})").into_bytes()));
        if let Some(label) = &agg.label {
            out.push((agg.end, agg.end, alias(label)));
        }
    }
    Ok(out)
}

/// The (database, table) pairs, as written, whose columns [`edits`] needs.
pub(crate) fn tables_to_look_up(tables: &[TableRef], current_db: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = tables
        .iter()
        .filter_map(|r| Some((r.db.as_deref().or(current_db)?.to_owned(), r.table.clone()?)))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::{lossy, tokenize};
    use crate::sql::rewrite::splice;

    fn cast_with(sql: &str, cols: &[(&str, &str, ColumnType)]) -> String {
        let toks = tokenize(sql.as_bytes());
        let scan = Scan::new(&toks);
        let (aggs, tables) = find(sql.as_bytes(), &scan);
        let mut columns = Columns::new();
        for (table, col, ty) in cols {
            columns.entry(("d".into(), (*table).into())).or_default().insert((*col).into(), ty.clone());
        }
        lossy(&splice(sql.as_bytes(), edits(&aggs, &tables, &columns, Some("d")).unwrap()))
    }

    fn ty(data_type: &str, unsigned: bool, scale: Option<u32>) -> ColumnType {
        ColumnType { data_type: data_type.into(), unsigned, scale }
    }

    #[test]
    fn aggregates_take_matrixone_types() {
        let cols = [
            ("t", "a", ty("int", false, Some(0))),
            ("t", "b", ty("bigint", false, Some(0))),
            ("t", "d", ty("decimal", false, Some(2))),
            ("s", "u", ty("int", true, Some(0))),
        ];
        assert_eq!(
            cast_with("select sum(a), sum(b), avg(x.a), avg(d) from t x", &cols),
            "select CAST(sum(a) AS SIGNED) AS `sum(a)`, sum(b), CAST(avg(x.a) AS DOUBLE) AS `avg(x.a)`, \
             CAST(avg(d) AS DECIMAL(38, 8)) AS `avg(d)` from t x"
        );
        assert_eq!(
            cast_with("select sum(u) total from t join s on t.a = s.u", &cols),
            "select CAST(sum(u) AS UNSIGNED) total from t join s on t.a = s.u"
        );
        assert_eq!(
            cast_with("select sum(a) over (order by a) from t", &cols),
            "select CAST(sum(a) over (order by a) AS SIGNED) AS `sum(a) over (order by a)` from t"
        );
        // A derived table may hold `a`: left alone.
        let sql = "select sum(a) from (select a from t) d";
        assert_eq!(cast_with(sql, &cols), sql);
    }
}
