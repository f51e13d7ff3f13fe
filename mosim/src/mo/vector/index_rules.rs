//! MatrixOne's rules for a new IVFFLAT or HNSW index (pkg/vectorindex/ivfflat/plugin/plan/
//! schema.go and pkg/vectorindex/hnsw/plugin/plan/schema.go, `BuildSecondaryIndexDefs`):
//! one column, which exists and is a vector column, no second index of the same algorithm
//! on it, and for HNSW a BIGINT primary key. Checked for `CREATE INDEX ... USING IVFFLAT |
//! HNSW ON t (c)` against the table as it is, and for the `KEY ... USING ...` clauses of
//! CREATE TABLE against the statement's own columns.

use crate::error::SqlError;
use crate::mo::pool::Pool;
use crate::mo::vector::text::Elem;
use crate::sql::dialect::Scan;
use crate::sql::lexer::Token;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::cell;

/// A vector index a statement creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewIndex {
    /// `IVFFLAT` or `HNSW`, as MatrixOne names them in its errors.
    pub(crate) algo: &'static str,
    pub(crate) columns: Vec<String>,
}

/// What the rules need to know about the table.
#[derive(Debug, Default)]
pub(crate) struct TableFacts {
    /// Column names (lower-cased) and whether each is a vector column.
    pub(crate) columns: Vec<(String, bool)>,
    /// The primary key's columns with their data type (lower-cased).
    pub(crate) primary: Vec<(String, String)>,
    /// Existing vector indexes: algorithm (lower-cased) and first column.
    pub(crate) vector_indexes: Vec<(String, String)>,
}

fn algo_of(scan: &Scan<'_>, i: usize) -> Option<&'static str> {
    if !scan.kw(i, "using") {
        return None;
    }
    if scan.kw(i + 1, "ivfflat") {
        Some("IVFFLAT")
    } else if scan.kw(i + 1, "hnsw") {
        Some("HNSW")
    } else {
        None
    }
}

/// The vector indexes of a statement: (index, columns).
pub(crate) fn new_indexes(toks: &[Token]) -> Vec<NewIndex> {
    let scan = Scan::new(toks);
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(algo) = algo_of(&scan, i) else { continue };
        let Some(open) = (i + 2..toks.len()).find(|&j| scan.is(j, '(')) else { continue };
        let columns = scan
            .args(open)
            .iter()
            .filter_map(|r| toks.get(r.start).and_then(|t| t.ident()).map(str::to_lowercase))
            .collect();
        out.push(NewIndex { algo, columns });
    }
    out
}

/// Applies the rules.
pub(crate) fn check(idx: &NewIndex, facts: &TableFacts) -> Result<(), SqlError> {
    if idx.columns.len() != 1 {
        let kind = if idx.algo == "IVFFLAT" { "IVF" } else { "HNSW" };
        return Err(SqlError::not_supported(format!("don't support multi column  {kind} vector index")));
    }
    if idx.algo == "HNSW" {
        if facts.primary.is_empty() {
            return Err(SqlError::internal("primary key cannot be empty for hnsw index"));
        }
        if facts.primary.len() > 1 || facts.primary[0].1 != "bigint" {
            return Err(SqlError::internal("type of primary key must be bigint"));
        }
    }
    let col = &idx.columns[0];
    let Some((_, vector)) = facts.columns.iter().find(|(c, _)| c == col) else {
        return Err(SqlError::invalid_input(format!("column '{col}' is not exist")));
    };
    if !vector {
        return Err(SqlError::not_supported(if idx.algo == "IVFFLAT" {
            "IVFFLAT only supports VECFXX column types"
        } else {
            "HNSW only supports VECF32 and VECF64 column types"
        }));
    }
    if facts.vector_indexes.iter().any(|(a, c)| a.eq_ignore_ascii_case(idx.algo) && c == col) {
        return Err(SqlError::not_supported(format!(
            "Multiple {} indexes are not allowed to use the same column",
            idx.algo
        )));
    }
    Ok(())
}

/// The facts of a CREATE TABLE statement's own definition.
pub(crate) fn facts_of_create_table(toks: &[Token]) -> Option<TableFacts> {
    let scan = Scan::new(toks);
    let open = toks.iter().position(|t| t.is('('))?;
    scan.closing(open)?;
    let mut facts = TableFacts::default();
    let mut types = Vec::new();
    for item in scan.args(open) {
        let head = scan.word(item.start).unwrap_or_default();
        if ["primary", "key", "index", "unique", "constraint", "fulltext", "foreign", "check"]
            .contains(&head.as_str())
        {
            let primary =
                head == "primary" || (head == "constraint" && item.clone().any(|k| scan.kw(k, "primary")));
            if primary && let Some(o) = item.clone().find(|&k| scan.is(k, '(')) {
                for a in scan.args(o) {
                    if let Some(c) = toks.get(a.start).and_then(|t| t.ident()) {
                        facts.primary.push((c.to_lowercase(), String::new()));
                    }
                }
            }
            continue;
        }
        let Some(name) = toks.get(item.start).and_then(|t| t.ident()) else { continue };
        let name = name.to_lowercase();
        let ty = scan.word(item.start + 1).unwrap_or_default();
        facts.columns.push((name.clone(), Elem::from_name(&ty).is_some()));
        if item.clone().any(|k| scan.kw(k, "primary")) {
            facts.primary.push((name.clone(), ty.clone()));
        }
        types.push((name, ty));
    }
    for p in &mut facts.primary {
        if p.1.is_empty()
            && let Some((_, ty)) = types.iter().find(|(n, _)| *n == p.0)
        {
            p.1 = ty.clone();
        }
    }
    Some(facts)
}

/// The facts of an existing table (mosim's own connection).
pub(crate) async fn facts_of_table(pool: &Pool, db: &str, table: &str) -> Result<TableFacts, SqlError> {
    let cols = format!(
        "SELECT COLUMN_NAME, COLUMN_KEY, DATA_TYPE, COLLATION_NAME = 'ascii_bin' AND COLUMN_COMMENT RLIKE '^vecf(32|64)[(][0-9]+[)]$' \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND COLUMN_NAME NOT IN ('row_start', 'row_end') \
         ORDER BY ORDINAL_POSITION",
        sql_str(db),
        sql_str(table)
    );
    let idx = format!(
        "SELECT SUBSTRING_INDEX(INDEX_COMMENT, ' ', 1), COLUMN_NAME FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND INDEX_COMMENT RLIKE '^(ivfflat|hnsw) [{{]'",
        sql_str(db),
        sql_str(table)
    );
    let mut cat = pool.get().await?;
    let cols = cat.query(&cols).await;
    let idx = match &cols {
        Ok(_) => cat.query(&idx).await,
        Err(e) => Err(e.clone()),
    };
    cat.release();
    let mut facts = TableFacts::default();
    for row in cols?.rows {
        let text = |i: usize| cell(&row, i).to_lowercase();
        facts.columns.push((text(0), text(3) == "1"));
        if text(1) == "pri" {
            facts.primary.push((text(0), text(2)));
        }
    }
    for row in idx?.rows {
        let text = |i: usize| cell(&row, i).to_lowercase();
        facts.vector_indexes.push((text(0), text(1)));
    }
    Ok(facts)
}

/// The existing table a statement adds a vector index to: `CREATE INDEX i USING ... ON
/// [db.]t (...)` or `ALTER TABLE [db.]t ADD ... USING ...`.
pub(crate) fn target_table(toks: &[Token]) -> Option<(Option<String>, String)> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    let name_at = |i: usize| -> Option<(Option<String>, String)> {
        let a = toks.get(i)?.ident()?.to_owned();
        if toks.get(i + 1).is_some_and(|t| t.is('.')) {
            Some((Some(a), toks.get(i + 2)?.ident()?.to_owned()))
        } else {
            Some((None, a))
        }
    };
    if kw(0, "alter") && kw(1, "table") {
        return name_at(2);
    }
    if kw(0, "create") && !toks.iter().take(6).any(|t| t.is_kw("table")) {
        let on = toks.iter().position(|t| t.is_kw("on"))?;
        return name_at(on + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn rules_follow_matrixone() {
        let t = tokenize(b"create table v(a bigint primary key, b vecf32(3), c int, key h using hnsw (b))");
        let facts = facts_of_create_table(&t).unwrap();
        let idx = new_indexes(&t);
        assert_eq!(idx, [NewIndex { algo: "HNSW", columns: vec!["b".into()] }]);
        assert!(check(&idx[0], &facts).is_ok());
        let bad = NewIndex { algo: "HNSW", columns: vec!["c".into()] };
        assert_eq!(
            check(&bad, &facts).unwrap_err().message,
            "not supported: HNSW only supports VECF32 and VECF64 column types"
        );
        let t = tokenize(b"create table v(a int primary key, b vecf32(3), key h using hnsw (b))");
        let e = check(&new_indexes(&t)[0], &facts_of_create_table(&t).unwrap()).unwrap_err();
        assert_eq!(e.message, "internal error: type of primary key must be bigint");
        let ivf = NewIndex { algo: "IVFFLAT", columns: vec!["b".into(), "c".into()] };
        assert_eq!(
            check(&ivf, &facts).unwrap_err().message,
            "not supported: don't support multi column  IVF vector index"
        );
        let facts = TableFacts { vector_indexes: vec![("ivfflat".into(), "b".into())], ..facts };
        let ivf = NewIndex { algo: "IVFFLAT", columns: vec!["b".into()] };
        assert_eq!(
            check(&ivf, &facts).unwrap_err().message,
            "not supported: Multiple IVFFLAT indexes are not allowed to use the same column"
        );
    }
}
