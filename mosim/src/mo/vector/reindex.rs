//! `ALTER TABLE t ALTER REINDEX i IVFFLAT LISTS = 3` (mysql_sql.y `alter_table_alter`
//! REINDEX; array/array_index.result): MatrixOne rebuilds the index with the new parameters,
//! and `SHOW INDEX` / `mo_indexes` show them. mosim searches exactly, so only the parameters
//! change: the index (see `sql::dialect::vector_index`) is dropped and added again with the
//! merged comment. An unknown index is MatrixOne's `internal error: Can't REINDEX 'i'; check
//! that column/key exists` (pkg/sql/plan/build_ddl.go).

use std::collections::BTreeMap;

use crate::error::SqlError;
use crate::mo::pool::Pool;
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::{ident, sql_str};

/// A parsed `ALTER TABLE [db.]t ALTER REINDEX i algo options`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reindex {
    pub(crate) db: Option<String>,
    pub(crate) table: String,
    pub(crate) index: String,
    pub(crate) algo: String,
    pub(crate) params: Vec<(String, String)>,
}

/// Recognises the statement.
pub(crate) fn parse(toks: &[Token]) -> Option<Reindex> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if !(kw(0, "alter") && kw(1, "table")) {
        return None;
    }
    let first = toks.get(2)?.ident()?.to_owned();
    let (db, table, i) = if toks.get(3).is_some_and(|t| t.is('.')) {
        (Some(first), toks.get(4)?.ident()?.to_owned(), 5)
    } else {
        (None, first, 3)
    };
    if !(kw(i, "alter") && kw(i + 1, "reindex")) {
        return None;
    }
    let index = toks.get(i + 2)?.ident()?.to_owned();
    let algo = match &toks.get(i + 3)?.kind {
        Kind::Word(w) => w.to_ascii_lowercase(),
        _ => return None,
    };
    let mut params = Vec::new();
    let mut j = i + 4;
    while let Some(Kind::Word(name)) = toks.get(j).map(|t| &t.kind) {
        let name = name.to_ascii_lowercase();
        let mut v = j + 1;
        if toks.get(v).is_some_and(|t| t.is('=')) {
            v += 1;
        }
        let value = match toks.get(v).map(|t| &t.kind) {
            Some(Kind::Word(w) | Kind::Str(w)) => w.clone(),
            _ => break,
        };
        params.push((name, value));
        j = v + 1;
    }
    Some(Reindex { db, table, index, algo, params })
}

/// The statement MariaDB runs instead: the index dropped and added with the new parameters.
pub(crate) async fn rewrite(pool: &Pool, r: &Reindex, db: &str) -> Result<String, SqlError> {
    let sql = format!(
        "SELECT COLUMN_NAME, INDEX_COMMENT FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} AND INDEX_NAME = {} ORDER BY SEQ_IN_INDEX",
        sql_str(db),
        sql_str(&r.table),
        sql_str(&r.index)
    );
    let mut cat = pool.get().await?;
    let rows = cat.query(&sql).await;
    cat.release();
    let rows = rows?.rows;
    let not_found =
        || SqlError::internal(format!("Can't REINDEX '{}'; check that column/key exists", r.index));
    let comment = rows.first().and_then(|row| row.get(1).cloned().flatten()).ok_or_else(not_found)?;
    let (algo, json) = comment.split_once(' ').ok_or_else(not_found)?;
    if !["ivfflat", "hnsw"].contains(&algo) {
        return Err(not_found());
    }
    // The existing parameters, then the new ones over them.
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    for pair in json.trim_matches(['{', '}']).split(',').filter(|p| !p.is_empty()) {
        if let Some((k, v)) = pair.split_once(':') {
            params.insert(k.trim_matches('"').to_owned(), v.trim_matches('"').to_owned());
        }
    }
    for (k, v) in &r.params {
        params.insert(k.clone(), v.replace(['"', '\\'], ""));
    }
    let json: Vec<String> = params.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect();
    let columns: Vec<String> = rows
        .iter()
        .filter_map(|row| row.first().cloned().flatten())
        .map(|c| format!("{}(1)", ident(&c)))
        .collect();
    Ok(format!(
        "ALTER TABLE {}.{} DROP INDEX {}, ADD INDEX {} ({}) COMMENT {}",
        ident(db),
        ident(&r.table),
        ident(&r.index),
        ident(&r.index),
        columns.join(", "),
        sql_str(&format!("{algo} {{{}}}", json.join(",")))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn reindex_is_recognised() {
        let r = parse(&tokenize(b"alter table tbl alter reindex idx1 ivfflat lists=3")).unwrap();
        assert_eq!(
            r,
            Reindex {
                db: None,
                table: "tbl".into(),
                index: "idx1".into(),
                algo: "ivfflat".into(),
                params: vec![("lists".into(), "3".into())]
            }
        );
        assert!(parse(&tokenize(b"alter table t add column c int")).is_none());
    }
}
