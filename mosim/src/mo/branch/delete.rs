//! `DATA BRANCH DELETE TABLE / DATABASE`: drops the table (or database) the way DROP does,
//! keeping its history for snapshots, and marks it deleted in the registry, where it stays a
//! node of the DAG (`table_deleted = 1` in metadata/branch_metadata.result).

use crate::error::SqlError;
use crate::mo::branch::plan::missing;
use crate::mo::branch::registry;
use crate::mo::copy::user_tables;
use crate::mo::{Action, catalog, graveyard};
use crate::sql::rewrite::ident;
use crate::sql::statement::TableName;
use crate::wire::backend::Backend;

/// `DATA BRANCH DELETE TABLE [db.]t`.
pub(crate) async fn table(
    client: &mut Backend,
    cat: &mut Backend,
    current: Option<&str>,
    t: &TableName,
) -> Result<Action, SqlError> {
    let db = t.db.as_deref().or(current).ok_or_else(|| missing(&t.table))?.to_owned();
    if !catalog::table_exists(cat, &db, &t.table).await? {
        return Err(missing(&t.table));
    }
    let node = registry::node(cat, &db, &t.table).await?;
    registry::mark_deleted(cat, &node).await?;
    let name = TableName { db: Some(db.clone()), table: t.table.clone() };
    let original = format!("DROP TABLE {}.{}", ident(&db), ident(&t.table));
    graveyard::drop_tables(client, cat, false, &[name], &original).await
}

/// `DATA BRANCH DELETE DATABASE d`.
pub(crate) async fn database(client: &mut Backend, cat: &mut Backend, db: &str) -> Result<Action, SqlError> {
    if catalog::database_exists(cat, db).await? {
        for (_, t) in user_tables(cat, Some(db), false).await? {
            let node = registry::node(cat, db, &t).await?;
            registry::mark_deleted(cat, &node).await?;
        }
    }
    graveyard::drop_database(client, cat, db, &format!("DROP DATABASE {}", ident(db))).await
}

/// DELETE inside a transaction: validated and marked deleted here, then dropped as the
/// equivalent DROP (returned), which `txn_undo` sets aside so ROLLBACK brings it back, as in
/// MatrixOne (edge/branch_edge_cases.result, `br_txn_src`). The registry's mark stays.
pub(crate) async fn as_drop(
    cat: &mut Backend,
    current: Option<&str>,
    stmt: crate::mo::branch::stmt::BranchStmt,
) -> Result<crate::sql::statement::MoStmt, SqlError> {
    use crate::mo::branch::stmt::BranchStmt;
    use crate::sql::statement::MoStmt;
    registry::setup(cat).await?;
    match stmt {
        BranchStmt::DeleteTable(t) => {
            let db = t.db.as_deref().or(current).ok_or_else(|| missing(&t.table))?.to_owned();
            if !catalog::table_exists(cat, &db, &t.table).await? {
                return Err(missing(&t.table));
            }
            let node = registry::node(cat, &db, &t.table).await?;
            registry::mark_deleted(cat, &node).await?;
            let original = format!("DROP TABLE {}.{}", ident(&db), ident(&t.table));
            Ok(MoStmt::DropTable {
                if_exists: false,
                tables: vec![TableName { db: Some(db), table: t.table }],
                original,
            })
        }
        BranchStmt::DeleteDatabase(db) => {
            if catalog::database_exists(cat, &db).await? {
                for (_, t) in user_tables(cat, Some(&db), false).await? {
                    let node = registry::node(cat, &db, &t).await?;
                    registry::mark_deleted(cat, &node).await?;
                }
            }
            let original = format!("DROP DATABASE {}", ident(&db));
            Ok(MoStmt::DropDatabase { name: db, original })
        }
        other => Ok(MoStmt::Branch(Box::new(other))),
    }
}
