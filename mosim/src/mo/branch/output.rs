//! What a DIFF returns: its rows (optionally the first n), `OUTPUT COUNT`, `OUTPUT SUMMARY`,
//! `OUTPUT AS t` (pkg/frontend/data_branch_output.go; result shapes from
//! git4data/branch/diff/*.result, edge/branch_output_limit_*.result,
//! edge/branch_matrix_coverage.result and privilege/branch_privilege.result).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::branch::diff::project;
use crate::mo::branch::plan::Plan;
use crate::mo::branch::stmt::{BranchTable, DiffOutput};
use crate::sql::rewrite::{ident, sql_str};
use crate::sql::statement::{TableName, TimeSpec};
use crate::wire::backend::{Backend, cell};
use crate::wire::response::{TYPE_MO_TEXT, TYPE_VAR_STRING};

/// The answer to a DIFF planned as `plan`. The rows, count and summary are queries the
/// client's session runs (so they carry the table's own column types); `OUTPUT AS` runs on
/// mosim's connection `b`.
pub(crate) async fn answer(
    b: &mut Backend,
    current: Option<&str>,
    plan: &Plan,
    target: &BranchTable,
    base: &BranchTable,
    output: &DiffOutput,
) -> Result<Action, SqlError> {
    let body = plan.body();
    let shown: Vec<String> = plan.out.iter().map(|c| format!("d.{}", ident(c))).collect();
    let shown = if shown.is_empty() { String::new() } else { format!(", {}", shown.join(", ")) };
    match output {
        DiffOutput::Rows | DiffOutput::Limit(_) => {
            // "diff t2 against t1" (diff/diff_1.result): the names without database or hint.
            let label = format!("diff {} against {}", target.name.table, base.name.table);
            let limit = match output {
                DiffOutput::Limit(n) => format!(" LIMIT {n}"),
                _ => String::new(),
            };
            // The side and flag columns are MYSQL_TYPE_VARCHAR (`buildOutputSchema`).
            let mut types = vec![Some(TYPE_VARCHAR), Some(TYPE_VARCHAR)];
            types.extend(wire_types(b, plan).await?);
            Ok(Action::ForwardAs(
                format!(
                    "SELECT d.__mo_diff_source AS {}, d.__mo_diff_flag AS `flag`{shown} FROM ({body}) AS d \
                     ORDER BY {}{limit}",
                    ident(&label),
                    plan.order("d")
                ),
                types,
            ))
        }
        DiffOutput::Count => Ok(Action::Forward(format!("SELECT COUNT(*) AS `COUNT(*)` FROM ({body}) AS d"))),
        DiffOutput::Summary => {
            let count = |side: u8| format!("COUNT(CASE WHEN d.__mosim_side = {side} THEN 1 END)");
            Ok(Action::ForwardAs(
                format!(
                    "SELECT m.metric AS metric, {} AS {}, {} AS {} FROM \
                 (SELECT 1 AS n, 'INSERTED' AS metric, 'INSERT' AS flag UNION ALL \
                  SELECT 2, 'DELETED', 'DELETE' UNION ALL SELECT 3, 'UPDATED', 'UPDATE') AS m \
                 LEFT JOIN ({body}) AS d ON d.__mo_diff_flag = m.flag GROUP BY m.n, m.metric ORDER BY m.n",
                    count(0),
                    ident(&summary_label(target)),
                    count(1),
                    ident(&summary_label(base)),
                ),
                vec![Some(TYPE_VARCHAR)],
            ))
        }
        DiffOutput::As(t) => save(b, current, plan, t).await,
        DiffOutput::File(dir) => crate::mo::branch::file::write(b, plan, target, base, dir).await,
    }
}

/// MatrixOne's type codes for the shown columns where they differ from MariaDB's: VARCHAR is
/// `MYSQL_TYPE_VARCHAR` (15, MariaDB sends 253), a TEXT
/// column is 0xF1 (`MYSQL_TYPE_TEXT`), which `setMysqlColumnTypeInfo` (pkg/frontend/util.go)
/// keeps for DIFF rows (data_branch_output.go `buildOutputSchema`); a JSON column, a
/// LONGTEXT to MariaDB, is MatrixOne's `MYSQL_TYPE_JSON` (245).
async fn wire_types(b: &mut Backend, plan: &Plan) -> Result<Vec<Option<u8>>, SqlError> {
    let mut kinds: Vec<(String, String, bool)> = Vec::new();
    for src in [&plan.target, &plan.base] {
        let rows = b
            .query(&format!(
                "SELECT c.column_name, c.data_type, EXISTS (SELECT 1 FROM information_schema.check_constraints k \
                 WHERE k.constraint_schema = c.table_schema AND k.table_name = c.table_name \
                 AND k.check_clause = CONCAT('json_valid(`', c.column_name, '`)')) \
                 FROM information_schema.columns c WHERE c.table_schema = {} AND c.table_name = {}",
                sql_str(&src.phys.0),
                sql_str(&src.phys.1)
            ))
            .await?;
        for r in rows.rows {
            let col = |i: usize| cell(&r, i);
            if !kinds.iter().any(|(n, _, _)| *n == col(0)) {
                kinds.push((col(0), col(1), col(2) == "1"));
            }
        }
    }
    Ok(plan
        .out
        .iter()
        .map(|c| match kinds.iter().find(|(n, _, _)| n == c) {
            Some((_, _, true)) => Some(TYPE_JSON),
            Some((_, t, _)) if t == "varchar" => Some(TYPE_VARCHAR),
            Some((_, t, _)) if matches!(t.as_str(), "tinytext" | "text" | "mediumtext" | "longtext") => {
                Some(TYPE_MO_TEXT)
            }
            _ => None,
        })
        .collect())
}

/// MySQL's `MYSQL_TYPE_JSON`.
const TYPE_JSON: u8 = 245;
/// MySQL's `MYSQL_TYPE_VARCHAR`, which MatrixOne sends for VARCHAR where MariaDB sends
/// `MYSQL_TYPE_VAR_STRING` (253).
const TYPE_VARCHAR: u8 = 15;

/// A summary column's label: the table as written and its hint, as MatrixOne formats them
/// (`tree.TableName.Format` / `AtTimeStamp.Format` with single-quoted strings, in
/// pkg/sql/parsers/tree/table_name.go): `c1_tar{snapshot = 'sp_c1_tar'}`
/// (edge/branch_matrix_coverage.result), `db.t{MO_TS = 123}`. `{AS OF TIMESTAMP '...'}`
/// prints as `{timestamp = '...'}` (mosim keeps one form of the two).
fn summary_label(t: &BranchTable) -> String {
    let name = match &t.name.db {
        Some(db) => format!("{db}.{}", t.name.table),
        None => t.name.table.clone(),
    };
    match &t.at {
        Some(TimeSpec::Snapshot(s)) => format!("{name}{{snapshot = '{s}'}}"),
        Some(TimeSpec::Utc(s)) => format!("{name}{{timestamp = '{s}'}}"),
        Some(TimeSpec::Nanos(n)) => format!("{name}{{MO_TS = {n}}}"),
        None => name,
    }
}

/// `OUTPUT AS [db.]t`: a new table with `__mo_diff_source`, `__mo_diff_flag` and the shown
/// columns (privilege/branch_privilege.result shows its CREATE TABLE); answers `TABLE CREATED`.
async fn save(
    b: &mut Backend,
    current: Option<&str>,
    plan: &Plan,
    t: &TableName,
) -> Result<Action, SqlError> {
    let db = t.db.as_deref().or(current).ok_or_else(|| SqlError::internal("no database selected"))?;
    let cols = project("d", &plan.carried(), &plan.out);
    let cols = if cols.is_empty() { String::new() } else { format!(", {cols}") };
    let name = format!("{}.{}", ident(db), ident(&t.table));
    b.exec(&format!(
        "CREATE TABLE {name} AS SELECT CAST(d.__mo_diff_source AS CHAR(255)) AS __mo_diff_source, \
         CAST(d.__mo_diff_flag AS CHAR(16)) AS __mo_diff_flag{cols} FROM ({}) AS d ORDER BY {}",
        plan.body(),
        plan.order("d")
    ))
    .await?;
    Ok(Action::Rows(vec![("TABLE CREATED", TYPE_VAR_STRING)], vec![vec![Some(name)]]))
}

#[cfg(test)]
mod tests {
    use super::summary_label;
    use crate::mo::branch::stmt::BranchTable;
    use crate::sql::statement::{TableName, TimeSpec};

    #[test]
    fn summary_labels() {
        let t = |db: Option<&str>, at| BranchTable {
            name: TableName { db: db.map(str::to_owned), table: "c1_tar".into() },
            at,
        };
        assert_eq!(summary_label(&t(None, Some(TimeSpec::Snapshot("sp".into())))), "c1_tar{snapshot = 'sp'}");
        assert_eq!(summary_label(&t(Some("d"), None)), "d.c1_tar");
        assert_eq!(summary_label(&t(None, Some(TimeSpec::Nanos(5)))), "c1_tar{MO_TS = 5}");
    }
}
