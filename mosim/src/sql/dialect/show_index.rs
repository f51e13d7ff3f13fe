//! `SHOW INDEX | INDEXES | KEYS FROM t [FROM db] [WHERE ...]` with MatrixOne's columns
//! (array/array_index.result, ddl/table_kind.result): `Table, Non_unique, Key_name,
//! Seq_in_index, Column_name, Collation, Cardinality, Sub_part, Packed, Null, Index_type,
//! Comment, Index_comment, Index_params, Visible, Expression`, a vector or fulltext index's
//! algorithm in `Index_type` (`ivfflat`) and its parameters in `Index_params`
//! (`{"lists":"2","op_type":"vector_l2_ops"}`), MatrixOne's constants elsewhere
//! (`Collation` A, `Cardinality` 0). With WHERE, MatrixOne labels the columns in lower case.
//!
//! The `row_start` / `row_end` versioning columns MariaDB adds to unique keys are left out.
//!
//! MariaDB's SHOW INDEX has other columns, so the statement becomes a SELECT over
//! `information_schema.STATISTICS` (the indexes mosim stores for MatrixOne's vector and
//! fulltext ones carry their algorithm in their comment, see `vector_index`, `fulltext_ddl`).

use crate::sql::dialect::Scan;
use crate::sql::lexer::lossy;
use crate::sql::rewrite::{Edit, sql_str};

/// The columns: label, expression over `s` (a STATISTICS row).
const COLUMNS: [(&str, &str); 16] = [
    ("Table", "s.TABLE_NAME"),
    ("Non_unique", "CAST(s.NON_UNIQUE AS SIGNED)"),
    ("Key_name", "s.INDEX_NAME"),
    ("Seq_in_index", "CAST(s.SEQ_IN_INDEX AS INT)"),
    ("Column_name", "s.COLUMN_NAME"),
    ("Collation", "'A'"),
    ("Cardinality", "CAST(0 AS SIGNED)"),
    ("Sub_part", "CAST(NULL AS CHAR)"),
    ("Packed", "CAST(NULL AS CHAR)"),
    ("Null", "IF(s.INDEX_NAME <> 'PRIMARY' AND s.NULLABLE = 'YES', 'YES', '')"),
    (
        "Index_type",
        "CASE WHEN s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw) [{]' THEN SUBSTRING_INDEX(s.INDEX_COMMENT, ' ', 1) \
         WHEN s.INDEX_COMMENT RLIKE '^fulltext [{]' OR s.INDEX_TYPE = 'FULLTEXT' THEN 'FULLTEXT' ELSE '' END",
    ),
    ("Comment", "''"),
    ("Index_comment", "IF(s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw|fulltext) [{]', '', s.INDEX_COMMENT)"),
    (
        "Index_params",
        "IF(s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw|fulltext) [{]' AND s.INDEX_COMMENT <> 'fulltext {}', \
         SUBSTR(s.INDEX_COMMENT, LOCATE(' ', s.INDEX_COMMENT) + 1), '')",
    ),
    ("Visible", "IF(s.IGNORED = 'NO', 'YES', 'NO')"),
    ("Expression", "s.COLUMN_NAME"),
];

/// The whole statement's replacement, if it is a SHOW INDEX.
pub(crate) fn edits(sql: &[u8], scan: &Scan<'_>) -> Vec<Edit> {
    let t = scan.t;
    let mut i = 1;
    if !scan.kw(0, "show") {
        return Vec::new();
    }
    if scan.kw(i, "extended") {
        i += 1;
    }
    if !["index", "indexes", "keys"].iter().any(|k| scan.kw(i, k)) {
        return Vec::new();
    }
    i += 1;
    if !(scan.kw(i, "from") || scan.kw(i, "in")) {
        return Vec::new();
    }
    let Some(first) = t.get(i + 1).and_then(|x| x.ident()) else { return Vec::new() };
    let (mut db, table, mut j) = if scan.is(i + 2, '.') {
        let Some(tb) = t.get(i + 3).and_then(|x| x.ident()) else { return Vec::new() };
        (Some(first.to_owned()), tb.to_owned(), i + 4)
    } else {
        (None, first.to_owned(), i + 2)
    };
    if scan.kw(j, "from") || scan.kw(j, "in") {
        let Some(d) = t.get(j + 1).and_then(|x| x.ident()) else { return Vec::new() };
        db = Some(d.to_owned());
        j += 2;
    }
    let filter = if scan.kw(j, "where") {
        let end = if t.last().is_some_and(|x| x.is(';')) { t.len() - 1 } else { t.len() };
        if j + 1 >= end {
            return Vec::new();
        }
        Some(lossy(&sql[t[j + 1].start..t[end - 1].end]))
    } else if j < t.len() && !t[j].is(';') {
        // LIKE or anything else: left to MariaDB.
        return Vec::new();
    } else {
        None
    };
    let lower = filter.is_some();
    let label = |l: &str| if lower { l.to_lowercase() } else { l.to_owned() };
    let items: Vec<String> = COLUMNS.iter().map(|(l, e)| format!("{e} AS `{}`", label(l))).collect();
    let schema = db.as_deref().map_or_else(|| "DATABASE()".to_owned(), sql_str);
    let mut text = format!(
        "SELECT * FROM (SELECT {} FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = {schema} AND s.TABLE_NAME = {} AND s.COLUMN_NAME NOT IN ('row_start', 'row_end')) AS __mo_show",
        items.join(", "),
        sql_str(&table)
    );
    if let Some(f) = &filter {
        text.push_str(&format!(" WHERE {f}"));
    }
    text.push_str(&format!(
        " ORDER BY `{}` <> 'PRIMARY', `{}`, `{}`",
        label("Key_name"),
        label("Key_name"),
        label("Seq_in_index")
    ));
    let end = t.last().map_or(sql.len(), |x| if x.is(';') { x.start } else { sql.len() });
    vec![(0, end, text.into_bytes())]
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn show_index_has_matrixones_columns() {
        let sql = rewritten("show index from tbl").unwrap();
        assert!(sql.starts_with("SELECT * FROM (SELECT s.TABLE_NAME AS `Table`, "), "{sql}");
        assert!(sql.contains("s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = 'tbl'"), "{sql}");
        let sql = rewritten("show index from tbl where Key_name = 'idx1'").unwrap();
        assert!(
            sql.contains("AS `key_name`") && sql.contains(") AS __mo_show WHERE Key_name = 'idx1' ORDER BY"),
            "{sql}"
        );
        let sql = rewritten("show keys in t from d").unwrap();
        assert!(sql.contains("s.TABLE_SCHEMA = 'd' AND s.TABLE_NAME = 't'"), "{sql}");
    }
}
