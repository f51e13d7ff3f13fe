//! `DATA BRANCH CREATE TABLE / DATABASE`: a clone (mo/clone.rs, reading at the snapshot when
//! one is named) that the registry remembers as a branch of its source, with the point it
//! was branched at (pkg/frontend/data_branch.go; errors from
//! git4data/branch/edge/branch_unhappy_path.result).

use crate::error::{ER_PARSE, SqlError};
use crate::mo::branch::plan::missing;
use crate::mo::branch::registry;
use crate::mo::branch::stmt::BranchTable;
use crate::mo::copy::user_tables;
use crate::mo::point::{self, Point};
use crate::mo::{Action, catalog, check_account, clone, resolve};
use crate::sql::rewrite::sql_str;
use crate::sql::statement::{MoStmt, TableName, TimeSpec};
use crate::wire::backend::Backend;

/// The point a branch starts from: the snapshot's, or now. Taken before the copy, so a
/// commit that lands between the two shows in both tables, and a diff (which hides changes
/// both sides made alike) does not report it.
async fn branch_point(b: &mut Backend, at: Option<&TimeSpec>) -> Result<Point, SqlError> {
    match at {
        Some(spec) => resolve(b, spec).await,
        None => point::now(b).await,
    }
}

/// `DATA BRANCH CREATE TABLE dst FROM src[{snapshot}] [TO ACCOUNT a]`.
pub(crate) async fn table(
    b: &mut Backend,
    current: Option<&str>,
    dst: &TableName,
    src: &BranchTable,
    to_account: Option<&str>,
) -> Result<Action, SqlError> {
    check_account(to_account)?;
    let src_db = src.name.db.as_deref().or(current).ok_or_else(|| missing(&src.name.table))?.to_owned();
    let dst_db = dst.db.as_deref().or(current).ok_or_else(|| missing(&dst.table))?.to_owned();
    let at = branch_point(b, src.at.as_ref()).await?;
    let kind = table_type(b, &src_db, &src.name.table).await?;
    match kind.as_deref() {
        None if src.at.is_none() => return Err(missing(&src.name.table)),
        Some("VIEW") => {
            return Err(SqlError::internal(format!("{src_db}.{} is not BASE TABLE", src.name.table)));
        }
        _ => {}
    }
    if catalog::table_exists(b, &dst_db, &dst.table).await? {
        return Err(SqlError::new(
            ER_PARSE,
            format!("SQL parser error: table \"{}\" already exists", dst.table),
        ));
    }
    let parent = registry::node(b, &src_db, &src.name.table).await?;
    clone::execute(
        b,
        current.map(str::to_owned),
        MoStmt::CloneTable {
            if_not_exists: false,
            dst: TableName { db: Some(dst_db.clone()), table: dst.table.clone() },
            src: TableName { db: Some(src_db), table: src.name.table.clone() },
            at: src.at.clone(),
            to_account: None,
        },
    )
    .await?;
    let child = registry::node(b, &dst_db, &dst.table).await?;
    registry::record(b, &child, &parent, at, registry::Level::Table).await?;
    Ok(Action::Ok(0))
}

/// `DATA BRANCH CREATE DATABASE dst FROM src [{snapshot}] [TO ACCOUNT a]`: every table of
/// the copy is a branch of the source's table of the same name.
pub(crate) async fn database(
    b: &mut Backend,
    dst: &str,
    src: &str,
    at: Option<&TimeSpec>,
    to_account: Option<&str>,
) -> Result<Action, SqlError> {
    check_account(to_account)?;
    if catalog::database_exists(b, dst).await? {
        return Err(SqlError::new(ER_PARSE, format!("SQL parser error: database \"{dst}\" already exists")));
    }
    let point = branch_point(b, at).await?;
    let mut parents = Vec::new();
    for (_, t) in user_tables(b, Some(src), false).await? {
        parents.push(registry::node(b, src, &t).await?);
    }
    clone::execute(
        b,
        None,
        MoStmt::CloneDatabase {
            if_not_exists: false,
            dst: dst.to_owned(),
            src: src.to_owned(),
            at: at.cloned(),
            to_account: None,
        },
    )
    .await?;
    for (_, t) in user_tables(b, Some(dst), false).await? {
        if let Some(parent) = parents.iter().find(|p| p.table == t) {
            let child = registry::node(b, dst, &t).await?;
            registry::record(b, &child, parent, point, registry::Level::Database).await?;
        }
    }
    Ok(Action::Ok(0))
}

/// `BASE TABLE`, `SYSTEM VERSIONED`, `VIEW`, ... or `None` when `db.t` does not exist.
async fn table_type(b: &mut Backend, db: &str, t: &str) -> Result<Option<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT table_type FROM information_schema.tables WHERE table_schema = {} AND table_name = {}",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
}
