//! MatrixOne's fulltext index DDL (mysql_sql.y: `FULLTEXT key_or_index_opt index_name '('
//! cols ')' index_option_list`, `index_option: WITH PARSER ident`; parsers `ngram`, `json`,
//! `json_value`, the default one): `CREATE FULLTEXT INDEX i ON t (c1, c2) WITH PARSER ngram`,
//! the same inside CREATE TABLE and `ALTER TABLE ... ADD FULLTEXT ...`.
//!
//! mosim answers MATCH ... AGAINST itself (`mo::fulltext::query`), so the index only has
//! to be remembered: it becomes a MariaDB index on a one-character prefix of each column
//! commented `fulltext {"parser":"ngram"}` (MatrixOne's `algo` and `algo_params`, which
//! `mo_catalog.mo_indexes` shows). Unlike an InnoDB FULLTEXT index it takes JSON columns
//! (`WITH PARSER json`) and costs no table rebuild.

use crate::error::SqlError;
use crate::sql::dialect::{Scan, StmtKind};
use crate::sql::rewrite::{Edit, sql_str};

/// The parsers MatrixOne knows (pkg/fulltext/plugin/plan/schema.go); `ngram` and `default`
/// are the same tokenizer there (pkg/sql/colexec/table_function/fulltext_tokenize.go).
const PARSERS: [&str; 5] = ["ngram", "default", "json", "json_value", "gojieba"];

/// Edits turning every fulltext index definition of a DDL statement into mosim's form; an
/// unknown parser is MatrixOne's `not supported: Fulltext parser x not supported`.
pub(crate) fn edits(scan: &Scan<'_>, kind: StmtKind) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let mut out = Vec::new();
    if !matches!(kind, StmtKind::CreateTable | StmtKind::CreateIndex | StmtKind::AlterTable) {
        return Ok(out);
    }
    for i in 0..t.len() {
        if !scan.kw(i, "fulltext") {
            continue;
        }
        // The column list: the first `(` after the keyword (CREATE INDEX: after `ON t`).
        let Some(open) = (i + 1..t.len()).find(|&j| scan.is(j, '(')) else { continue };
        let Some(close) = scan.closing(open) else { continue };
        let mut replacement = Vec::new();
        if kind != StmtKind::CreateIndex && !(scan.kw(i + 1, "index") || scan.kw(i + 1, "key")) {
            // `FULLTEXT [name] (...)` in a table definition: a plain index.
            replacement.extend_from_slice(b"INDEX");
        }
        out.push((t[i].start, t[i].end, replacement));
        for arg in scan.args(open) {
            if arg.len() == 1 {
                out.push((t[arg.start].end, t[arg.start].end, b"(1)".to_vec()));
            }
        }
        let mut parser = None;
        if scan.kw(close + 1, "with") && scan.kw(close + 2, "parser") {
            parser = scan.word(close + 3);
            if let Some(p) = parser.as_deref().filter(|p| !PARSERS.contains(p)) {
                return Err(SqlError::not_supported(format!("Fulltext parser {p} not supported")));
            }
            out.push((t[close + 1].start, t[close + 3].end, Vec::new()));
        }
        let params = parser.map_or_else(|| "{}".to_owned(), |p| format!("{{\"parser\":\"{p}\"}}"));
        // Replacing the `)` rather than inserting after it: the versioning columns CREATE
        // TABLE gains are inserted right after it when the index ends the definition.
        let comment = format!(") COMMENT {}", sql_str(&format!("fulltext {params}")));
        out.push((t[close].start, t[close].end, comment.into_bytes()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn fulltext_indexes_become_commented_prefix_indexes() {
        // fulltext/fulltext.result: create fulltext index ftidx on src (body, title);
        assert_eq!(
            rewritten("create fulltext index ftidx on src (body, title)").unwrap(),
            "create  index ftidx on src (body(1), title(1)) COMMENT 'fulltext {}'"
        );
        assert_eq!(
            rewritten("create fulltext index f on t (body) with parser ngram").unwrap(),
            "create  index f on t (body(1)) COMMENT 'fulltext {\"parser\":\"ngram\"}' "
        );
        let sql =
            rewritten("create table t (id int primary key, j json, fulltext (j) with parser json)").unwrap();
        assert!(sql.contains("INDEX (j(1)) COMMENT 'fulltext {\"parser\":\"json\"}' )"), "{sql}");
        let sql = rewritten("alter table src add fulltext index ftidx2 (body)").unwrap();
        assert!(sql.ends_with("add  index ftidx2 (body(1)) COMMENT 'fulltext {}'"), "{sql}");
        // Last in the table: the versioning columns still go after it.
        let sql = rewritten("create table ftx (id int primary key, body text, fulltext (body))").unwrap();
        assert!(sql.contains("INDEX (body(1)) COMMENT 'fulltext {}')"), "{sql}");
        let (code, msg) = rewritten("create fulltext index f on t (body) with parser nosuch").unwrap_err();
        assert_eq!((code, msg.as_str()), (20105, "not supported: Fulltext parser nosuch not supported"));
    }
}
