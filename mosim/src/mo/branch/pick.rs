//! `DATA BRANCH PICK src INTO dst KEYS (...) [WHEN CONFLICT ...]`: a merge of the chosen keys
//! only, taking the source's inserted and updated rows (pkg/frontend/data_branch_pick.go:
//! "PICK only cares about ... target INSERT ... base DELETE"); without WHEN CONFLICT the
//! source's row wins. Results and errors: git4data/branch/pick/*.result,
//! edge/branch_unhappy_path.result.

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::branch::apply::{self, Apply};
use crate::mo::branch::diff::{self, Plan};
use crate::mo::branch::stmt::{BranchTable, Conflict, PickKeys};
use crate::sql::rewrite::ident;
use crate::wire::backend::Backend;

/// Runs a PICK: planned on mosim's connection `cat`, applied in the client's session.
pub(crate) async fn run(
    client: &mut Backend,
    cat: &mut Backend,
    current: Option<&str>,
    src: &BranchTable,
    dst: &BranchTable,
    between: Option<&(String, String)>,
    keys: Option<&PickKeys>,
    conflict: Option<Conflict>,
) -> Result<Action, SqlError> {
    if dst.at.is_some() {
        return Err(SqlError::invalid_input(
            "destination snapshot option is not supported for DATA BRANCH PICK",
        ));
    }
    if between.is_some() {
        if src.at.is_some() {
            return Err(SqlError::invalid_input(
                "BETWEEN SNAPSHOT and source table snapshot option cannot be used together",
            ));
        }
        return Err(SqlError::not_supported(
            "DATA BRANCH PICK ... BETWEEN SNAPSHOT (not simulated by mosim)",
        ));
    }
    let plan = diff::plan(cat, current, src, dst, None).await?;
    if !plan.has_pk {
        return Err(SqlError::not_supported(format!(
            "DATA BRANCH PICK requires a table with a primary key; table {} has no primary key",
            src.name.table
        )));
    }
    let filter = match keys {
        Some(k) => Some(key_filter(&plan, k)?),
        None => None,
    };
    let how = Apply { pick: true, keys: filter, conflict, dst: (&plan.base.db, &dst.name.table) };
    apply::run(client, &plan, &how).await?;
    Ok(Action::Ok(0))
}

/// `(m.k1, ...) IN (...)` over the work table's alias `m`, checking the KEYS' shape against
/// the primary key as MatrixOne does.
fn key_filter(plan: &Plan, keys: &PickKeys) -> Result<String, SqlError> {
    let cols: Vec<String> = plan.key.iter().map(|k| format!("m.{}", ident(k))).collect();
    let lhs = if cols.len() == 1 { cols[0].clone() } else { format!("({})", cols.join(", ")) };
    match keys {
        PickKeys::Values(values) => {
            for v in values {
                let tuple = v.starts_with('(');
                if cols.len() == 1 && tuple {
                    return Err(SqlError::invalid_input(
                        "KEYS contains tuples but table has a single-column primary key; use scalar values",
                    ));
                }
                if cols.len() > 1 && !tuple {
                    return Err(SqlError::invalid_input(format!(
                        "KEYS expression must be a tuple for composite primary key (expected {} columns)",
                        cols.len()
                    )));
                }
            }
            Ok(format!("{lhs} IN ({})", values.join(", ")))
        }
        // Run in the client's session, the query sees its current database.
        PickKeys::Query(q) => Ok(format!("{lhs} IN (SELECT * FROM ({q}) AS mosim_keys)")),
    }
}
