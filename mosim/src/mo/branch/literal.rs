//! Values as SQL literals, the way MatrixOne writes them into a conflict's `pk(...)` and a
//! diff file (`formatValIntoString` in pkg/frontend/data_branch_helpers.go): numbers as
//! they are, binary strings as hex literals, other values as quoted strings, NULL as `NULL`.

use crate::error::SqlError;
use crate::mo::branch::plan::Plan;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::{Backend, cell};

/// SQL computing the literal text of the value of `expr`, a column of type `data_type`
/// (`information_schema.columns.data_type`).
pub(crate) fn of(expr: &str, data_type: Option<&str>) -> String {
    match data_type {
        Some(t) if is_number(t) => format!("IFNULL(CAST({expr} AS CHAR), 'NULL')"),
        Some(t) if is_binary(t) => format!("IF({expr} IS NULL, 'NULL', CONCAT('x''', HEX({expr}), ''''))"),
        _ => format!("QUOTE({expr})"),
    }
}

/// The type of column `c` in `types`.
pub(crate) fn type_of<'a>(types: &'a [(String, String)], c: &str) -> Option<&'a str> {
    types.iter().find(|(n, _)| n == c).map(|(_, t)| t.as_str())
}

/// The data types of the target's and base's columns.
pub(crate) async fn column_types(b: &mut Backend, plan: &Plan) -> Result<Vec<(String, String)>, SqlError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for src in [&plan.target, &plan.base] {
        let rows = b
            .query(&format!(
                "SELECT column_name, data_type FROM information_schema.columns \
                 WHERE table_schema = {} AND table_name = {}",
                sql_str(&src.phys.0),
                sql_str(&src.phys.1)
            ))
            .await?;
        for r in rows.rows {
            let col = |i: usize| cell(&r, i);
            if !out.iter().any(|(n, _)| *n == col(0)) {
                out.push((col(0), col(1)));
            }
        }
    }
    Ok(out)
}

fn is_number(t: &str) -> bool {
    matches!(
        t,
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float" | "double" | "bit"
    )
}

fn is_binary(t: &str) -> bool {
    matches!(t, "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob")
}
