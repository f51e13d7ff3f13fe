//! DATA BRANCH, MatrixOne's "git for data" (reference §6; grammar `branch_stmt` in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y; implementation pkg/frontend/data_branch*.go).
//!
//! A branch is a clone the registry remembers with its base and the point it was branched
//! at; DIFF, MERGE and PICK compare each side with the common ancestor at that point. The
//! catalog work runs on mosim's own connection (MatrixOne's background executor); the rows a
//! DIFF returns are read by the client's session, so they carry the table's types, and MERGE
//! and PICK write there, so that after BEGIN they are part of the client's transaction.

pub(crate) mod apply;
pub(crate) mod create;
pub(crate) mod delete;
pub(crate) mod diff;
pub(crate) mod file;
pub(crate) mod literal;
pub(crate) mod merge;
pub(crate) mod output;
pub(crate) mod parse;
pub(crate) mod pick;
pub(crate) mod plan;
pub(crate) mod registry;
pub(crate) mod schema;
pub(crate) mod stmt;

use crate::error::SqlError;
use crate::mo::{Action, catalog};
use crate::wire::backend::Backend;
use crate::wire::caps::STATUS_AUTOCOMMIT;
use stmt::BranchStmt;

/// Runs one DATA BRANCH statement; `client` is the client's session (for its current
/// database, and the DROP of DELETE), `cat` mosim's own connection.
pub(crate) async fn execute(
    client: &mut Backend,
    cat: &mut Backend,
    stmt: BranchStmt,
) -> Result<Action, SqlError> {
    registry::setup(cat).await?;
    let current = catalog::current_database(client).await?;
    let current = current.as_deref();
    refuse_in_implicit_transaction(client, &stmt)?;
    match stmt {
        BranchStmt::CreateTable { dst, src, to_account } => {
            create::table(cat, current, &dst, &src, to_account.as_deref()).await
        }
        BranchStmt::CreateDatabase { dst, src, at, to_account } => {
            create::database(cat, &dst, &src, at.as_ref(), to_account.as_deref()).await
        }
        BranchStmt::DeleteTable(t) => delete::table(client, cat, current, &t).await,
        BranchStmt::DeleteDatabase(db) => delete::database(client, cat, &db).await,
        BranchStmt::Diff { target, base, columns, output } => {
            let plan = plan::plan(cat, current, &target, &base, columns.as_deref()).await?;
            output::answer(cat, current, &plan, &target, &base, &output).await
        }
        BranchStmt::Merge { src, dst, conflict } => {
            merge::run(client, cat, current, &src, &dst, conflict).await
        }
        BranchStmt::Pick(pick) => pick::run(client, cat, current, &pick).await,
    }
}

/// MERGE and PICK check the session themselves too (`dataBranchMergeTxnNotAllowed` in
/// pkg/frontend/mysql_cmd_executor.go, called by data_branch.go; `dataBranchPickTxnNotAllowed`
/// by data_branch_pick.go): with autocommit off MERGE needs a transaction BEGIN opened, and
/// PICK always fails (pick/pick_6.result), even as the first statement, which the general
/// rule (`txn_rules`) lets through.
fn refuse_in_implicit_transaction(client: &Backend, stmt: &BranchStmt) -> Result<(), SqlError> {
    let autocommit_off = client.status & STATUS_AUTOCOMMIT == 0;
    let refused = match stmt {
        BranchStmt::Merge { .. } => autocommit_off && !client.in_transaction(),
        BranchStmt::Pick(_) => autocommit_off,
        _ => false,
    };
    if refused {
        return Err(SqlError::internal("DATA BRANCH MERGE/PICK is not supported in transactions"));
    }
    Ok(())
}
