//! `DATA BRANCH DIFF ... OUTPUT FILE 'dir'`: the SQL that applies the target's changes to
//! the base, written to a file in `dir` on mosim's host (pkg/frontend/data_branch_output.go
//! `prepareFSForDiffAsFile`, `makeFileName`; statements as `execSQLStatements` writes them,
//! one per line ending in `;`). Answers `FILE SAVED TO` and `HINT`
//! (edge/branch_float_special_values.result).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::branch::diff::{Side, project};
use crate::mo::branch::literal;
use crate::mo::branch::plan::Plan;
use crate::mo::branch::stmt::BranchTable;
use crate::sql::rewrite::ident;
use crate::sql::statement::TimeSpec;
use crate::wire::backend::Backend;
use crate::wire::response::TYPE_VAR_STRING;

/// Writes the file and answers with its path.
pub(crate) async fn write(
    b: &mut Backend,
    plan: &Plan,
    target: &BranchTable,
    base: &BranchTable,
    dir: &str,
) -> Result<Action, SqlError> {
    if dir.starts_with("stage:") {
        return Err(SqlError::not_supported(
            "DATA BRANCH DIFF ... OUTPUT FILE to a stage (mosim has no stages)",
        ));
    }
    let stamp = b.query("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y%m%d_%H%i%s'), UUID()").await?;
    let cell = |i: usize| stamp.rows.first().and_then(|r| r.get(i).cloned().flatten()).unwrap_or_default();
    let name = format!("diff_{}_{}_{}_{}.sql", name_part(target), name_part(base), cell(0), cell(1));
    let path = std::path::Path::new(dir).join(&name);

    let dst = format!("{}.{}", ident(&plan.base.db), ident(&plan.base.name));
    let types = literal::column_types(b, plan).await?;
    let carried = plan.carried();
    let literal = |c: &String| literal::of(&format!("m.{}", ident(c)), literal::type_of(&types, c));
    let mut selects = Vec::new();
    for q in plan.changes(Side::Target) {
        selects.push(format!(
            "SELECT CAST('{}' AS CHAR(16)) AS __mosim_flag, {} FROM {}",
            q.flag,
            project(q.shows, &q.shows_cols, &carried),
            q.from_where
        ));
    }
    let changes = selects.join(" UNION ALL ");
    let key_list: Vec<String> = plan.key.iter().map(literal).collect();
    let key_text = if key_list.len() == 1 {
        key_list[0].clone()
    } else {
        format!("CONCAT('(', CONCAT_WS(',', {}), ')')", key_list.join(", "))
    };
    let order: Vec<String> = plan.key.iter().map(|k| format!("m.{}", ident(k))).collect();
    let deletes = b
        .query(&format!(
            "SELECT {key_text} FROM ({changes}) AS m WHERE m.__mosim_flag <> 'INSERT' ORDER BY {}",
            order.join(", ")
        ))
        .await?;
    let writable: Vec<String> =
        plan.cmp.iter().filter(|c| plan.out.contains(c) || plan.key.contains(c)).cloned().collect();
    let row_text = format!(
        "CONCAT('(', CONCAT_WS(',', {}), ')')",
        writable.iter().map(literal).collect::<Vec<_>>().join(", ")
    );
    let inserts = b
        .query(&format!(
            "SELECT {row_text} FROM ({changes}) AS m WHERE m.__mosim_flag <> 'DELETE' ORDER BY {}",
            order.join(", ")
        ))
        .await?;
    let texts = |rows: Vec<Vec<Option<String>>>| -> Vec<String> {
        rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect()
    };
    let (deletes, inserts) = (texts(deletes.rows), texts(inserts.rows));
    let mut sql = String::new();
    if !deletes.is_empty() {
        let keys: Vec<String> = plan.key.iter().map(|k| ident(k)).collect();
        let lhs = if keys.len() == 1 { keys[0].clone() } else { format!("({})", keys.join(",")) };
        sql.push_str(&format!("delete from {dst} where {lhs} in ({});\n", deletes.join(",")));
    }
    if !inserts.is_empty() {
        let cols: Vec<String> = writable.iter().map(|c| ident(c)).collect();
        sql.push_str(&format!("insert into {dst} ({}) values {};\n", cols.join(","), inserts.join(",")));
    }
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, sql))
        .map_err(|e| SqlError::internal(format!("write {}: {e}", path.display())))?;
    let hint = format!("DELETE FROM {dst}, INSERT INTO {dst}");
    let shown = std::path::Path::new(dir).join(&name).to_string_lossy().into_owned();
    Ok(Action::Rows(
        vec![("FILE SAVED TO", TYPE_VAR_STRING), ("HINT", TYPE_VAR_STRING)],
        vec![vec![Some(shown), Some(hint)]],
    ))
}

/// A table's part of the file name, its snapshot after `_` (`makeFileNameWithUUID`), bytes
/// other than letters, digits, `-`, `_`, `.` and printable non-ASCII as `@XX`
/// (`encodeDiffFileNamePart`).
fn name_part(t: &BranchTable) -> String {
    let mut s = encode(&t.name.table);
    if let Some(TimeSpec::Snapshot(sp)) = &t.at {
        s.push('_');
        s.push_str(&encode(sp));
    }
    s
}

fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') || (!ch.is_ascii() && !ch.is_control())
        {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("@{byte:02X}"));
            }
        }
    }
    out
}
