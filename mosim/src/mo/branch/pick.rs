//! `DATA BRANCH PICK src INTO dst [BETWEEN SNAPSHOT a AND b] [KEYS (...)] [WHEN CONFLICT ...]`:
//! a merge of the chosen keys only (or, BETWEEN two snapshots, of what the source changed
//! from the first to the second): the source's inserts, updates and deletes at those keys
//! (pick/pick_3.result deletes the picked keys the source deleted). A conflict is named
//! INSERT on both sides (pkg/frontend/data_branch_pick.go); without WHEN CONFLICT the
//! source's row wins. Results and errors: git4data/branch/pick/*.result,
//! edge/branch_unhappy_path.result.

use crate::error::SqlError;
use crate::mo::branch::apply::{self, Apply};
use crate::mo::branch::plan::{self, Plan};
use crate::mo::branch::registry;
use crate::mo::branch::stmt::{PickKeys, PickStmt};
use crate::mo::point::Point;
use crate::mo::{Action, catalog, snapshot_point};
use crate::sql::rewrite::ident;
use crate::wire::backend::Backend;

/// Runs a PICK: planned on mosim's connection `cat`, applied in the client's session.
pub(crate) async fn run(
    client: &mut Backend,
    cat: &mut Backend,
    current: Option<&str>,
    pick: &PickStmt,
) -> Result<Action, SqlError> {
    let PickStmt { src, dst, between, keys, conflict } = pick;
    if dst.at.is_some() {
        return Err(SqlError::invalid_input(
            "destination snapshot option is not supported for DATA BRANCH PICK",
        ));
    }
    let plan = match between {
        Some((from, to)) => {
            if src.at.is_some() {
                return Err(SqlError::invalid_input(
                    "BETWEEN SNAPSHOT and source table snapshot option cannot be used together",
                ));
            }
            let (from_p, to_p) = (snapshot(cat, from).await?, snapshot(cat, to).await?);
            if registry::earlier(to_p, from_p) == to_p && to_p != from_p {
                return Err(SqlError::invalid_input(format!(
                    "invalid BETWEEN SNAPSHOT range: start snapshot '{from}' is later than end snapshot '{to}'"
                )));
            }
            plan::plan_between(cat, current, src, dst, from_p, to_p).await?
        }
        None => plan::plan(cat, current, src, dst, None).await?,
    };
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
    let how = Apply { pick: true, keys: filter, conflict: *conflict, dst: (&plan.base.db, &dst.name.table) };
    apply::run(client, &plan, &how).await?;
    Ok(Action::Ok(0))
}

/// A BETWEEN SNAPSHOT operand's point (pick/pick_10.result, edge/branch_unhappy_path.result).
async fn snapshot(b: &mut Backend, name: &str) -> Result<Point, SqlError> {
    match catalog::find_snapshot(b, name).await? {
        Some(snap) => snapshot_point(b, &snap).await,
        None => Err(SqlError::invalid_input(format!("snapshot '{name}' not found"))),
    }
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
