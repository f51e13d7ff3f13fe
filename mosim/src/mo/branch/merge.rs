//! `DATA BRANCH MERGE src INTO dst [WHEN CONFLICT FAIL | SKIP | ACCEPT]`: applies what the
//! source changed since the common ancestor to the destination (git4data/branch/merge/*.result).
//! Without WHEN CONFLICT a conflict fails, as FAIL does (merge/merge_2.result).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::branch::apply::{self, Apply};
use crate::mo::branch::diff;
use crate::mo::branch::stmt::{BranchTable, Conflict};
use crate::wire::backend::Backend;

/// Runs a MERGE on mosim's connection `b`.
pub(crate) async fn run(
    b: &mut Backend,
    current: Option<&str>,
    src: &BranchTable,
    dst: &BranchTable,
    conflict: Option<Conflict>,
) -> Result<Action, SqlError> {
    if dst.at.is_some() {
        return Err(SqlError::invalid_input(
            "destination snapshot option is not supported for DATA BRANCH MERGE",
        ));
    }
    let plan = diff::plan(b, current, src, dst, None).await?;
    let how = Apply { pick: false, keys: None, conflict, dst: (&plan.base.db, &dst.name.table) };
    apply::run(b, &plan, &how).await?;
    Ok(Action::Ok(0))
}
