//! MatrixOne-only forms mosim does not carry out: they answer 20105 `not supported` naming
//! the feature, never a MariaDB error that points somewhere else (4161 unknown data type for
//! `VECF32`, 1128 for `WITH PARSER ngram`, 1305 for `l2_distance`, 1064 for the rest).
//!
//! The lists follow MatrixOne's grammar (pkg/sql/parsers/dialect/mysql/mysql_sql.y: the
//! statement rules under `normal_stmt`, `show_stmt`, `create_ddl_stmt`, `load_param_opt`,
//! `index_option`, `using_opt`, `table_function`) and its function registry
//! (pkg/sql/plan/function/function_id.go; the names below are those the backend does not
//! know and mosim does not map, see `functions`).

use crate::error::SqlError;
use crate::sql::dialect::Scan;

/// Statements recognised by their first words, and the feature each belongs to.
const STATEMENTS: [(&[&str], &str); 52] = [
    (&["create", "stage"], "stages"),
    (&["alter", "stage"], "stages"),
    (&["drop", "stage"], "stages"),
    (&["show", "stages"], "stages"),
    (&["remove", "files"], "stages"),
    (&["create", "cdc"], "CDC"),
    (&["drop", "cdc"], "CDC"),
    (&["show", "cdc"], "CDC"),
    (&["pause", "cdc"], "CDC"),
    (&["resume", "cdc"], "CDC"),
    (&["restart", "cdc"], "CDC"),
    (&["create", "external", "table"], "external tables"),
    (&["create", "cluster", "table"], "cluster tables"),
    (&["create", "dynamic", "table"], "dynamic tables"),
    (&["create", "source"], "sources"),
    (&["create", "connector"], "connectors"),
    (&["drop", "connector"], "connectors"),
    (&["show", "connectors"], "connectors"),
    (&["create", "task"], "SQL tasks"),
    (&["alter", "task"], "SQL tasks"),
    (&["drop", "task"], "SQL tasks"),
    (&["show", "tasks"], "SQL tasks"),
    (&["create", "extension"], "extensions"),
    (&["load", "extension"], "extensions"),
    (&["create", "iceberg"], "Iceberg catalogs"),
    (&["alter", "iceberg"], "Iceberg catalogs"),
    (&["drop", "iceberg"], "Iceberg catalogs"),
    (&["show", "iceberg"], "Iceberg catalogs"),
    (&["create", "mongodb"], "MongoDB connections"),
    (&["alter", "mongodb"], "MongoDB connections"),
    (&["drop", "mongodb"], "MongoDB connections"),
    (&["show", "mongodb"], "MongoDB connections"),
    (&["pause", "daemon"], "daemon tasks"),
    (&["cancel", "daemon"], "daemon tasks"),
    (&["resume", "daemon"], "daemon tasks"),
    (&["backup"], "BACKUP"),
    (&["upgrade", "account"], "UPGRADE ACCOUNT"),
    (&["show", "upgrade"], "SHOW UPGRADE"),
    (&["show", "roles"], "SHOW ROLES"),
    (&["show", "locks"], "SHOW LOCKS"),
    (&["show", "node"], "SHOW NODE LIST"),
    (&["show", "table_number"], "SHOW TABLE_NUMBER"),
    (&["show", "column_number"], "SHOW COLUMN_NUMBER"),
    (&["show", "table_values"], "SHOW TABLE_VALUES"),
    (&["show", "table_size"], "SHOW TABLE_SIZE"),
    (&["show", "recovery_window"], "SHOW RECOVERY_WINDOW"),
    (&["show", "logservice"], "SHOW LOGSERVICE"),
    (&["show", "backend"], "SHOW BACKEND SERVERS"),
    (&["show", "ccpr"], "cross-cluster publications"),
    (&["pause", "ccpr"], "cross-cluster publications"),
    (&["resume", "ccpr"], "cross-cluster publications"),
    (&["drop", "ccpr"], "cross-cluster publications"),
];

/// Column types MariaDB lacks.
const TYPES: [(&str, &str); 5] = [
    ("vecf16", "vector types (VECF16)"),
    ("vecbf16", "vector types (VECBF16)"),
    ("vecint8", "vector types (VECINT8)"),
    ("vecuint8", "vector types (VECUINT8)"),
    ("datalink", "the DATALINK type"),
];

/// MatrixOne's table functions other than generate_series.
const TABLE_FUNCTIONS: [&str; 31] = [
    "unnest",
    "generate_random_int64",
    "generate_random_float64",
    "meta_scan",
    "metadata_scan",
    "current_account",
    "processlist",
    "mo_locks",
    "mo_configurations",
    "mo_transactions",
    "mo_cache",
    "mo_check_constraints",
    "fulltext_index_scan",
    "fulltext_index_tokenize",
    "fulltext2_create",
    "fulltext2_compact",
    "stage_list",
    "moplugin_table",
    "hnsw_create",
    "hnsw_search",
    "ivf_create",
    "fulltext2_search",
    "parse_jsonl_data",
    "parse_jsonl_file",
    "table_stats",
    "load_file_chunks",
    "cagra_create",
    "cagra_search",
    "ivfpq_create",
    "ivfpq_search",
    "ivf_search",
];

/// MatrixOne's functions that MariaDB does not have and mosim does not map. Grouped by
/// feature for the message.
const FUNCTIONS: [(&str, &[&str]); 8] = [
    (
        "vector functions",
        &[
            "l2_distance_sq_xc",
            "l2_distance_xc",
            "subvector",
            "cluster_centers",
            "vecbf16_from_base64",
            "vecf16_from_base64",
            "vecf32_from_base64",
            "vecf64_from_base64",
            "vecint8_from_base64",
            "vecuint8_from_base64",
        ],
    ),
    ("fulltext functions", &["fulltext_match", "fulltext_match_score"]),
    (
        "AI and plugin functions",
        &[
            "llm_chat",
            "llm_embedding",
            "onnx_run",
            "moplugin",
            "try_moplugin",
            "starlark",
            "try_starlark",
            "python_user_defined_function",
            "jq",
            "try_jq",
            "load_text",
            "save_file",
        ],
    ),
    (
        "geospatial functions",
        &[
            "h3_h3index",
            "h3_h3index_areneighbors",
            "h3_h3index_areneighbours",
            "h3_h3index_boundary",
            "h3_h3index_center",
            "h3_h3index_neighbors",
            "h3_h3index_neighbours",
            "h3_h3index_parent",
            "h3_h3index_resolution",
            "s2_cellid",
            "s2_cellid_allneighbors",
            "s2_cellid_allneighbours",
            "s2_cellid_area",
            "s2_cellid_areneighbors",
            "s2_cellid_areneighbours",
            "s2_cellid_center",
            "s2_cellid_edgeneighbors",
            "s2_cellid_edgeneighbours",
            "s2_cellid_level",
            "s2_cellid_parent",
            "st_collect",
            "st_coveredby",
            "st_covers",
            "st_frechetdistance",
            "st_geohash",
            "st_geomcollfromtxt",
            "st_geomfrombinary",
            "st_hausdorffdistance",
            "st_iscollection",
            "st_isvalid",
            "st_latfromgeohash",
            "st_latitude",
            "st_lineinterpolatepoint",
            "st_lineinterpolatepoints",
            "st_longfromgeohash",
            "st_longitude",
            "st_makeenvelope",
            "st_numinteriorring",
            "st_point",
            "st_point32",
            "st_pointatdistance",
            "st_pointfromgeohash",
            "st_simplify",
            "st_swapxy",
            "st_validate",
            "mbrcoveredby",
            "mbrcovers",
        ],
    ),
    (
        "bitmap and sketch functions",
        &[
            "bitmap_bit_position",
            "bitmap_bucket_number",
            "bitmap_construct_agg",
            "bitmap_count",
            "bitmap_or_agg",
            "hll_add_agg",
            "hll_cardinality",
            "hll_merge_agg",
            "approx_count",
            "approx_percentile",
            "bit_cast",
            "max_by",
            "max_by_non_null",
            "median",
        ],
    ),
    (
        "MatrixOne system functions",
        &[
            "mo_admin_name",
            "mo_cpu",
            "mo_cpu_dump",
            "mo_cu",
            "mo_cu_v1",
            "mo_disable_memory_usage_detail",
            "mo_enable_memory_usage_detail",
            "mo_explain_phy",
            "mo_feature_limit_upsert",
            "mo_feature_registry_upsert",
            "mo_is_legacy_temporary_table",
            "mo_log_date",
            "mo_memory",
            "mo_memory_usage",
            "mo_show_col_unique",
            "mo_show_visible_bin",
            "mo_show_visible_bin_enum",
            "mo_table_col_max",
            "mo_table_col_min",
            "mo_table_rows",
            "mo_table_size",
            "purge_log",
            "roles_graphml",
            "build_version",
            "git_version",
            "icu_version",
            "last_query_id",
            "last_uuid",
            "add_fault_point",
            "remove_fault_point",
            "trigger_fault_point",
            "enable_fault_injection",
            "disable_fault_injection",
            "fault_inject",
            "ts_to_time",
            "serial",
            "serial_full",
            "serial_extract",
            "hash_value",
            "assert",
            "validate_password_strength",
        ],
    ),
    ("JSON functions", &["json_row", "json_schema_valid", "json_schema_validation_report"]),
    (
        "string, date and UUID functions",
        &[
            "date_trunc",
            "split_part",
            "sinh",
            "is_uuid",
            "uuid_v1",
            "uuid_v4",
            "uuid_v6",
            "uuid_v7",
            "uuid_extract_timestamp",
            "uuid_extract_version",
            "empty",
            "grouping",
        ],
    ),
];

/// The 20105 answer for a MatrixOne feature mosim does not simulate.
pub(crate) fn not_simulated(feature: &str) -> SqlError {
    SqlError::not_supported(format!("{feature} (MatrixOne only; mosim does not simulate it)"))
}

/// The first MatrixOne-only form in `scan` that mosim does not carry out, as its error.
pub(crate) fn check(scan: &Scan<'_>) -> Option<SqlError> {
    let t = scan.t;
    for (words, feature) in STATEMENTS {
        if words.iter().enumerate().all(|(i, w)| scan.kw(i, w)) {
            return Some(not_simulated(feature));
        }
    }
    let first = |k: &str| scan.kw(0, k);
    if (first("create") || first("alter")) && (1..t.len()).any(|i| scan.kw(i, "publication")) {
        // `CREATE DATABASE d FROM acc PUBLICATION p`, `CREATE TABLE t FROM ... PUBLICATION p`.
        return Some(not_simulated("subscriptions"));
    }
    if first("load") && scan.kw(1, "data") {
        if (2..t.len().min(6)).any(|i| scan.kw(i, "url") || (scan.kw(i, "infile") && scan.is(i + 1, '{'))) {
            return Some(not_simulated("LOAD DATA from object storage or stages"));
        }
        if (2..t.len()).any(|i| scan.kw(i, "jsondata") || scan.kw(i, "jsontype")) {
            return Some(not_simulated("LOAD DATA of JSON lines"));
        }
    }
    for i in 0..t.len() {
        let Some(w) = scan.word(i) else { continue };
        let next = |k: &str| scan.kw(i + 1, k);
        // A vector type always takes its dimension: `VECF32(3)`; DATALINK only in DDL.
        let as_type = if w == "datalink" { first("create") || first("alter") } else { scan.is(i + 1, '(') };
        if let Some((_, feature)) = TYPES.iter().find(|(name, _)| *name == w)
            && as_type
            && !scan.is(i.wrapping_sub(1), '.')
        {
            return Some(not_simulated(feature));
        }
        let feature = match w.as_str() {
            "using" if ["ivfpq", "cagra"].iter().any(|k| next(k)) => {
                Some("vector indexes (IVFPQ, CAGRA)".to_owned())
            }
            "using" if next("master") => Some("MASTER indexes".to_owned()),
            "in" if next("bm25") => Some("BM25 fulltext search".to_owned()),
            "cross" | "outer" if next("apply") => Some("CROSS APPLY / OUTER APPLY".to_owned()),
            "alter" if next("reindex") && !["ivfflat", "hnsw"].iter().any(|k| scan.kw(i + 3, k)) => {
                Some("ALTER REINDEX of IVFPQ / CAGRA / fulltext indexes".to_owned())
            }
            "sliding" | "fill" | "gapfill" if scan.is(i + 1, '(') => {
                Some("time windows (INTERVAL ... SLIDING / FILL)".to_owned())
            }
            "sample" if scan.is(i + 1, '(') => Some("SAMPLE".to_owned()),
            "fulltext2" => Some("FULLTEXT2 indexes".to_owned()),
            _ => None,
        };
        if let Some(f) = feature {
            return Some(not_simulated(&f));
        }
        if !scan.is_call(i) {
            continue;
        }
        if TABLE_FUNCTIONS.contains(&w.as_str()) {
            return Some(not_simulated(&format!("the table function {w}")));
        }
        let after = scan.closing(i + 1).map_or(t.len(), |c| c + 1);
        // MariaDB has these only as window functions.
        let window = |at: usize| scan.kw(at, "over");
        let group = |at: usize| {
            let within = scan.kw(at, "within") && scan.kw(at + 1, "group") && scan.is(at + 2, '(');
            if within { scan.closing(at + 2).map_or(at, |c| c + 1) } else { at }
        };
        if matches!(w.as_str(), "percentile_cont" | "percentile_disc" | "median") && window(group(after)) {
            continue;
        }
        if w == "lastval" && scan.is(i + 2, ')') {
            // MariaDB's LASTVAL names its sequence; MatrixOne's takes none.
            return Some(not_simulated("lastval() without a sequence"));
        }
        if matches!(w.as_str(), "percentile_cont" | "percentile_disc") {
            return Some(not_simulated(&format!("{w} as an aggregate (MariaDB has it only with OVER)")));
        }
        if let Some((group, _)) = FUNCTIONS.iter().find(|(_, names)| names.contains(&w.as_str())) {
            return Some(not_simulated(&format!("function {w} ({group})")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn matrixone_only_forms_answer_20105() {
        for sql in [
            "create table v (id int, e vecf16(3))",
            "select l2_distance_xc(e, '[1,2,3]') from v",
            "create index i using ivfpq on v (e) lists = 4 op_type 'vector_l2_ops'",
            "select * from t cross apply generate_series(1, t.a) g",
            "create stage s url = 's3://b'",
            "show roles",
            "select median(a) from t",
            "select * from unnest('[1,2]') u",
        ] {
            let (code, msg) = rewritten(sql).unwrap_err();
            assert_eq!(code, 20105, "{sql}");
            assert!(msg.starts_with("not supported: "), "{msg}");
        }
        assert!(rewritten("select median(a) over (partition by b) from t").is_ok());
        assert!(rewritten("select t.vecf32 from t").is_ok());
    }
}
