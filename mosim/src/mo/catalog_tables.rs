//! MatrixOne's catalog tables that applications read, as views in the backend's
//! `mo_catalog` over MariaDB's `information_schema`: `mo_database`, `mo_tables`,
//! `mo_columns` and `mo_indexes`, with MatrixOne's column names and meanings
//! (`MoDatabaseSchema`, `MoTablesSchema`, `MoColumnsSchema` in pkg/catalog/types.go;
//! `MoCatalogMoIndexesDDL` in pkg/frontend/predefined.go; index rows as in
//! test/distributed/cases/ddl/table_kind.result). The official Python SDK finds an index's
//! tables with `SELECT ... FROM mo_catalog.mo_indexes JOIN mo_catalog.mo_tables ON
//! mo_indexes.table_id = mo_tables.rel_id WHERE relname = ? AND reldatabase = ?`.
//!
//! What differs: ids are derived from names (an MD5 prefix, stable while the name is), so a
//! renamed table gets a new `rel_id`; `atttyp` is the type as text (`INT(11)`) where
//! MatrixOne stores an encoded type; `rel_createsql` is NULL; an index has no hidden
//! `__mo_alias_*` column row and no `index_table_name` (MariaDB keeps indexes inside the
//! table). mosim's own bookkeeping tables and the `row_start` / `row_end` versioning
//! columns are left out. Also here: the column-type lookup that SUM / AVG typing needs.

use crate::error::SqlError;
use crate::mo::pool::Pool;
use crate::sql::dialect::result_types::{ColumnType, Columns};
use crate::sql::rewrite::sql_str;
use crate::wire::backend::cell;

/// Creates (or refreshes) the views; run at start-up with the rest of the catalog.
pub(crate) const VIEWS: [&str; 4] = [
    r"CREATE OR REPLACE SQL SECURITY INVOKER VIEW mo_catalog.mo_database AS
      SELECT CAST(CONV(SUBSTR(MD5(s.SCHEMA_NAME), 1, 15), 16, 10) AS UNSIGNED) AS dat_id,
             s.SCHEMA_NAME AS datname,
             'def' AS dat_catalog_name,
             CONCAT('create database ', s.SCHEMA_NAME) AS dat_createsql,
             CAST(0 AS UNSIGNED) AS owner,
             CAST(0 AS UNSIGNED) AS creator,
             (SELECT MIN(t.CREATE_TIME) FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = s.SCHEMA_NAME) AS created_time,
             CAST(0 AS UNSIGNED) AS account_id,
             '' AS dat_type
      FROM information_schema.SCHEMATA s
      WHERE s.SCHEMA_NAME NOT IN ('performance_schema', 'sys')",
    r"CREATE OR REPLACE SQL SECURITY INVOKER VIEW mo_catalog.mo_tables AS
      SELECT CAST(CONV(SUBSTR(MD5(CONCAT(t.TABLE_SCHEMA, '.', t.TABLE_NAME)), 1, 15), 16, 10) AS UNSIGNED) AS rel_id,
             t.TABLE_NAME AS relname,
             t.TABLE_SCHEMA AS reldatabase,
             CAST(CONV(SUBSTR(MD5(t.TABLE_SCHEMA), 1, 15), 16, 10) AS UNSIGNED) AS reldatabase_id,
             IF(t.TABLE_TYPE = 'TEMPORARY', 't', 'p') AS relpersistence,
             CASE t.TABLE_TYPE WHEN 'VIEW' THEN 'v' WHEN 'SEQUENCE' THEN 'S' ELSE 'r' END AS relkind,
             t.TABLE_COMMENT AS rel_comment,
             CAST(NULL AS CHAR) AS rel_createsql,
             t.CREATE_TIME AS created_time,
             CAST(0 AS UNSIGNED) AS creator,
             CAST(0 AS UNSIGNED) AS owner,
             CAST(0 AS UNSIGNED) AS account_id,
             CAST(COALESCE(t.CREATE_OPTIONS, '') LIKE '%partitioned%' AS SIGNED) AS partitioned,
             CAST(NULL AS BINARY) AS partition_info,
             COALESCE(v.VIEW_DEFINITION, '') AS viewdef,
             '' AS `constraint`,
             CAST(0 AS UNSIGNED) AS rel_version,
             CAST(0 AS UNSIGNED) AS catalog_version,
             CAST(NULL AS CHAR) AS extra_info,
             CAST(CONV(SUBSTR(MD5(CONCAT(t.TABLE_SCHEMA, '.', t.TABLE_NAME)), 1, 15), 16, 10) AS UNSIGNED) AS rel_logical_id
      FROM information_schema.TABLES t
      LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
      WHERE t.TABLE_SCHEMA NOT IN ('performance_schema', 'sys')
        AND NOT (t.TABLE_SCHEMA = 'mo_catalog' AND (t.TABLE_NAME LIKE 'dropped\_%' OR t.TABLE_NAME IN ('mo_dropped', 'mo_created', 'mo_snapshot_tables')))",
    r"CREATE OR REPLACE SQL SECURITY INVOKER VIEW mo_catalog.mo_columns AS
      SELECT CONCAT(CONV(SUBSTR(MD5(CONCAT(c.TABLE_SCHEMA, '.', c.TABLE_NAME)), 1, 15), 16, 10), '-', c.COLUMN_NAME) AS att_uniq_name,
             CAST(0 AS UNSIGNED) AS account_id,
             CAST(CONV(SUBSTR(MD5(c.TABLE_SCHEMA), 1, 15), 16, 10) AS UNSIGNED) AS att_database_id,
             c.TABLE_SCHEMA AS att_database,
             CAST(CONV(SUBSTR(MD5(CONCAT(c.TABLE_SCHEMA, '.', c.TABLE_NAME)), 1, 15), 16, 10) AS UNSIGNED) AS att_relname_id,
             c.TABLE_NAME AS att_relname,
             c.COLUMN_NAME AS attname,
             IF(c.COLLATION_NAME = 'ascii_bin' AND c.COLUMN_COMMENT RLIKE '^vecf(32|64)[(][0-9]+[)]$',
                UPPER(c.COLUMN_COMMENT), UPPER(c.COLUMN_TYPE)) AS atttyp,
             CAST(c.ORDINAL_POSITION AS SIGNED) AS attnum,
             CAST(COALESCE(c.CHARACTER_MAXIMUM_LENGTH, c.NUMERIC_PRECISION, 0) AS SIGNED) AS att_length,
             CAST(c.IS_NULLABLE = 'NO' AS SIGNED) AS attnotnull,
             CAST(c.COLUMN_DEFAULT IS NOT NULL AS SIGNED) AS atthasdef,
             COALESCE(c.COLUMN_DEFAULT, '') AS att_default,
             0 AS attisdropped,
             IF(c.COLUMN_KEY = 'PRI', 'p', 'n') AS att_constraint_type,
             CAST(c.COLUMN_TYPE LIKE '%unsigned%' AS SIGNED) AS att_is_unsigned,
             CAST(c.EXTRA LIKE '%auto_increment%' AS SIGNED) AS att_is_auto_increment,
             IF(c.COLLATION_NAME = 'ascii_bin' AND c.COLUMN_COMMENT RLIKE '^vecf(32|64)[(][0-9]+[)]$',
                '', c.COLUMN_COMMENT) AS att_comment,
             CAST(c.EXTRA LIKE '%INVISIBLE%' AS SIGNED) AS att_is_hidden,
             CAST(c.EXTRA LIKE '%on update%' AS SIGNED) AS attr_has_update,
             IF(c.EXTRA LIKE '%on update%', SUBSTRING(c.EXTRA, LOCATE('on update', c.EXTRA) + 10), '') AS attr_update,
             0 AS attr_is_clusterby,
             CAST(c.ORDINAL_POSITION - 1 AS UNSIGNED) AS attr_seqnum,
             IF(c.DATA_TYPE = 'enum', SUBSTRING(c.COLUMN_TYPE, 6, CHAR_LENGTH(c.COLUMN_TYPE) - 6), '') AS attr_enum,
             CAST(c.GENERATION_EXPRESSION IS NOT NULL AND c.GENERATION_EXPRESSION <> '' AS SIGNED) AS attr_has_generated,
             COALESCE(c.GENERATION_EXPRESSION, '') AS attr_generated
      FROM information_schema.COLUMNS c
      WHERE c.TABLE_SCHEMA NOT IN ('performance_schema', 'sys')
        AND NOT (c.COLUMN_NAME IN ('row_start', 'row_end') AND c.EXTRA LIKE '%INVISIBLE%')",
    r"CREATE OR REPLACE SQL SECURITY INVOKER VIEW mo_catalog.mo_indexes AS
      SELECT CAST(CONV(SUBSTR(MD5(CONCAT(s.TABLE_SCHEMA, '.', s.TABLE_NAME, '.', s.INDEX_NAME)), 1, 15), 16, 10) AS UNSIGNED) AS id,
             CAST(CONV(SUBSTR(MD5(CONCAT(s.TABLE_SCHEMA, '.', s.TABLE_NAME)), 1, 15), 16, 10) AS UNSIGNED) AS table_id,
             CAST(CONV(SUBSTR(MD5(s.TABLE_SCHEMA), 1, 15), 16, 10) AS UNSIGNED) AS database_id,
             s.INDEX_NAME AS name,
             CASE WHEN s.INDEX_NAME = 'PRIMARY' THEN 'PRIMARY' WHEN s.NON_UNIQUE = 0 THEN 'UNIQUE' ELSE 'MULTIPLE' END AS type,
             CASE WHEN s.INDEX_TYPE = 'FULLTEXT' THEN 'fulltext'
                  WHEN s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw|fulltext) [{]' THEN SUBSTRING_INDEX(s.INDEX_COMMENT, ' ', 1)
                  ELSE '' END AS algo,
             '' AS algo_table_type,
             IF(s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw|fulltext) [{]' AND s.INDEX_COMMENT <> 'fulltext {}', SUBSTR(s.INDEX_COMMENT, LOCATE(' ', s.INDEX_COMMENT) + 1), '') AS algo_params,
             CAST(s.IGNORED = 'NO' AS SIGNED) AS is_visible,
             0 AS hidden,
             IF(s.INDEX_COMMENT RLIKE '^(ivfflat|hnsw|fulltext) [{]', '', s.INDEX_COMMENT) AS comment,
             s.COLUMN_NAME AS column_name,
             CAST(s.SEQ_IN_INDEX AS UNSIGNED) AS ordinal_position,
             CAST(NULL AS CHAR) AS options,
             CAST(NULL AS CHAR) AS index_table_name,
             CAST(NULL AS CHAR) AS included_columns
      FROM information_schema.STATISTICS s
      WHERE s.TABLE_SCHEMA NOT IN ('performance_schema', 'sys')
        AND s.COLUMN_NAME NOT IN ('row_start', 'row_end')",
];

/// The types of every column of `tables` ((database, table) as written), read on one of
/// mosim's own connections so the client's session (its ROW_COUNT(), warnings and open
/// transaction) is untouched.
pub(crate) async fn column_types(pool: &Pool, tables: &[(String, String)]) -> Result<Columns, SqlError> {
    let mut columns = Columns::new();
    if tables.is_empty() {
        return Ok(columns);
    }
    let filter: Vec<String> = tables
        .iter()
        .map(|(db, t)| format!("(TABLE_SCHEMA = {} AND TABLE_NAME = {})", sql_str(db), sql_str(t)))
        .collect();
    let sql = format!(
        "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_SCALE \
         FROM information_schema.COLUMNS WHERE {}",
        filter.join(" OR ")
    );
    let mut cat = pool.get().await?;
    let rows = cat.query(&sql).await;
    cat.release();
    for row in rows?.rows {
        let text = |i: usize| cell(&row, i);
        let ty = ColumnType {
            data_type: text(3).to_ascii_lowercase(),
            unsigned: text(4).to_ascii_lowercase().contains("unsigned"),
            scale: text(5).parse().ok(),
        };
        columns
            .entry((text(0).to_lowercase(), text(1).to_lowercase()))
            .or_default()
            .insert(text(2).to_lowercase(), ty);
    }
    Ok(columns)
}
