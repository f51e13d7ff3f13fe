//! `DATA BRANCH MERGE src INTO dst [WHEN CONFLICT FAIL | SKIP | ACCEPT]`: applies what the
//! source changed since the common ancestor to the destination (git4data/branch/merge/*.result).
//! Without WHEN CONFLICT a conflict fails, as FAIL does (merge/merge_2.result).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::branch::apply::{self, Apply};
use crate::mo::branch::plan;
use crate::mo::branch::stmt::{BranchTable, Conflict};
use crate::wire::backend::Backend;

/// Runs a MERGE: planned on mosim's connection `cat`, applied in the client's session.
pub(crate) async fn run(
    client: &mut Backend,
    cat: &mut Backend,
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
    let plan = plan::plan(cat, current, src, dst, None).await?;
    let how = Apply { pick: false, keys: None, conflict, dst: (&plan.base.db, &dst.name.table) };
    apply::run(client, &plan, &how).await?;
    Ok(Action::Ok(0))
}
