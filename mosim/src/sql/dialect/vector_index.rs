//! MatrixOne's vector indexes (mysql_sql.y: `using_opt` IVFFLAT / HNSW, `index_option` LISTS,
//! OP_TYPE, M, EF_CONSTRUCTION, EF_SEARCH) and `BY RANK WITH OPTION 'mode=...'` after a
//! kNN query's LIMIT (test/distributed/cases/vector/*.result).
//!
//! mosim searches exactly (`vector_functions`), so an index only has to be accepted and
//! remembered. `CREATE INDEX i USING IVFFLAT ON t (c) LISTS = 2 OP_TYPE 'vector_l2_ops'` (and
//! `KEY i USING HNSW (c) M = 16 ...` in CREATE TABLE) becomes a MariaDB index on a one-byte
//! prefix of the column with the comment `ivfflat {"lists":"2","op_type":"vector_l2_ops"}`:
//! MatrixOne's algorithm and `algo_params` (array/array_index.result), which
//! `mo_catalog.mo_indexes` shows as `algo` / `algo_params`; DROP INDEX works as for any index.
//! `BY RANK WITH OPTION '...'` is dropped (it only tunes how MatrixOne's index is used).

use crate::sql::dialect::{Scan, StmtKind};
use crate::sql::lexer::Kind;
use crate::sql::rewrite::{Edit, sql_str};

/// The index options MatrixOne's vector indexes take, by algorithm; names as in `algo_params`.
const OPTIONS: [&str; 5] = ["lists", "op_type", "m", "ef_construction", "ef_search"];

/// Edits for vector index definitions and `BY RANK WITH OPTION`.
pub(crate) fn edits(scan: &Scan<'_>, kind: StmtKind) -> Vec<Edit> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 0..t.len() {
        // `BY RANK WITH OPTION 'mode=pre'`
        if scan.kw(i, "by") && scan.kw(i + 1, "rank") && scan.kw(i + 2, "with") && scan.kw(i + 3, "option") {
            if let Some(s) = t.get(i + 4).filter(|s| matches!(s.kind, Kind::Str(_))) {
                out.push((t[i].start, s.end, Vec::new()));
            }
            continue;
        }
        if !matches!(kind, StmtKind::CreateTable | StmtKind::CreateIndex | StmtKind::AlterTable) {
            continue;
        }
        if !scan.kw(i, "using") {
            continue;
        }
        let Some(algo) = scan.word(i + 1).filter(|w| w == "ivfflat" || w == "hnsw") else { continue };
        // The column list: right after the algorithm (table form) or after `ON t` (CREATE INDEX).
        let open = (i + 2..t.len()).find(|&j| scan.is(j, '('));
        let Some(open) = open else { continue };
        let Some(close) = scan.closing(open) else { continue };
        out.push((t[i].start, t[i + 1].end, Vec::new()));
        for arg in scan.args(open) {
            if arg.len() == 1 {
                out.push((t[arg.start].end, t[arg.start].end, b"(1)".to_vec()));
            }
        }
        // Options up to the end of the definition.
        let mut params: Vec<(String, String)> = Vec::new();
        let mut j = close + 1;
        let mut last = close;
        while let Some(name) = scan.word(j).filter(|w| OPTIONS.contains(&w.as_str())) {
            let mut v = j + 1;
            if scan.is(v, '=') {
                v += 1;
            }
            let value = match t.get(v).map(|x| &x.kind) {
                Some(Kind::Word(w)) | Some(Kind::Str(w)) => w.clone(),
                _ => break,
            };
            params.push((name, value));
            last = v;
            j = v + 1;
        }
        params.sort();
        let json: Vec<String> =
            params.iter().map(|(k, v)| format!("\"{k}\":\"{}\"", v.replace(['"', '\\'], ""))).collect();
        // Replacing the `)` rather than inserting after it: the versioning columns CREATE
        // TABLE gains are inserted right after it when the index ends the definition.
        let comment = format!(") COMMENT {}", sql_str(&format!("{algo} {{{}}}", json.join(","))));
        out.push((t[close].start, t[close].end, comment.into_bytes()));
        if last > close {
            out.push((t[close + 1].start, t[last].end, Vec::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn vector_indexes_become_commented_prefix_indexes() {
        // vector/vector_ivf_mode_advanced.sql; array/array_index.result for algo_params.
        assert_eq!(
            rewritten("CREATE INDEX idx_cosine USING ivfflat ON cosine_test(vec) lists=4 op_type 'vector_cosine_ops'")
                .unwrap(),
            "CREATE INDEX idx_cosine  ON cosine_test(vec(1)) COMMENT 'ivfflat {\"lists\":\"4\",\"op_type\":\"vector_cosine_ops\"}' "
        );
        let sql = rewritten(
            "CREATE TABLE vector_empty(a bigint primary key, b vecf32(32), KEY `idxname` USING HNSW(b) M = 48 EF_CONSTRUCTION = 64 EF_SEARCH = 64 OP_TYPE \"vector_l2_ops\")",
        )
        .unwrap();
        assert!(
            sql.contains("KEY `idxname` (b(1)) COMMENT 'hnsw {\"ef_construction\":\"64\",\"ef_search\":\"64\",\"m\":\"48\",\"op_type\":\"vector_l2_ops\"}' )"),
            "{sql}"
        );
        assert_eq!(
            rewritten(
                "select id from t order by l2_distance(v, '[1]') limit 3 by rank with option 'mode=pre'"
            )
            .unwrap()
            .trim_end(),
            rewritten("select id from t order by l2_distance(v, '[1]') limit 3").unwrap()
        );
    }
}
