//! The branch registry: which table was branched from which, and at what point.
//!
//! MatrixOne keeps this in `mo_catalog.mo_branch_metadata` (table id, parent table id, clone
//! timestamp, `table_deleted`; pkg/frontend/data_branch.go, databranchutils/branch_dag.go)
//! and finds the lowest common ancestor of two tables on that DAG. mosim keeps the same
//! edges in `mo_catalog.mo_branches`, naming a table by database, name and the instant mosim
//! saw it created (`mo_catalog.mo_created`), so a table dropped and created again under the
//! same name is a new node, as a new table id is in MatrixOne.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::SqlError;
use crate::mo::graveyard;
use crate::mo::point::Point;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::{Backend, cell};

/// Creates the registry if it is missing.
const SETUP: &str = "CREATE TABLE IF NOT EXISTS mo_catalog.mo_branches (
    database_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    table_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    created_at BIGINT NOT NULL,
    parent_database VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    parent_table VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    parent_created_at BIGINT NOT NULL,
    branch_ns BIGINT NOT NULL,
    branch_commit BIGINT UNSIGNED NULL,
    level VARCHAR(16) NOT NULL DEFAULT 'table',
    table_deleted TINYINT NOT NULL DEFAULT 0,
    PRIMARY KEY (database_name, table_name, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

/// MatrixOne's `mo_catalog.mo_branch_metadata` (`MoCatalogBranchMetadataDDL` in
/// pkg/frontend/predefined.go) as a view of the registry, its ids those of mosim's
/// `mo_tables.rel_id` (derived from the names, src/mo/catalog_tables.rs), so
/// metadata/branch_metadata.result's queries work.
const METADATA_VIEW: &str = "CREATE VIEW IF NOT EXISTS mo_catalog.mo_branch_metadata AS SELECT
    CAST(CONV(SUBSTR(MD5(CONCAT(database_name, '.', table_name)), 1, 15), 16, 10) AS UNSIGNED) AS table_id,
    branch_ns AS clone_ts,
    CAST(CONV(SUBSTR(MD5(CONCAT(parent_database, '.', parent_table)), 1, 15), 16, 10) AS UNSIGNED) AS p_table_id,
    CAST(0 AS UNSIGNED) AS creator,
    level,
    table_deleted
    FROM mo_catalog.mo_branches";

/// How many parents a lineage walk follows at most (a guard against a corrupted cycle).
const MAX_DEPTH: usize = 256;

/// One table as the registry names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) db: String,
    pub(crate) table: String,
    /// When mosim saw it created (0 when it did not).
    pub(crate) created: i64,
}

/// Makes sure the registry exists.
pub(crate) async fn setup(b: &mut Backend) -> Result<(), SqlError> {
    // Once per process, as txn_undo's marks table: the ALTER would otherwise take a metadata
    // lock on every statement.
    if READY.load(Ordering::Relaxed) {
        return Ok(());
    }
    b.exec(SETUP).await?;
    // A registry made before branches recorded their level.
    b.exec("ALTER TABLE mo_catalog.mo_branches ADD COLUMN IF NOT EXISTS level VARCHAR(16) NOT NULL DEFAULT 'table'")
        .await?;
    b.exec(METADATA_VIEW).await?;
    READY.store(true, Ordering::Relaxed);
    Ok(())
}

/// Whether [`setup`] has run in this process.
static READY: AtomicBool = AtomicBool::new(false);

/// The table now named `db.t`.
pub(crate) async fn node(b: &mut Backend, db: &str, t: &str) -> Result<Node, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT COALESCE(MAX(created_at), 0) FROM mo_catalog.mo_created \
             WHERE database_name = {} AND table_name = {}",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    let created = rows.rows.first().and_then(|r| r.first().cloned().flatten()).and_then(|v| v.parse().ok());
    Ok(Node { db: db.to_owned(), table: t.to_owned(), created: created.unwrap_or(0) })
}

/// What a branch was created by: `table` or `database` (pkg/frontend/clone.go
/// `dataBranchLevel_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Table,
    Database,
}

/// The table named `db.t` at `at` (now when `None`): a table dropped since is the
/// graveyard copy's incarnation.
pub(crate) async fn node_at(b: &mut Backend, db: &str, t: &str, at: Option<Point>) -> Result<Node, SqlError> {
    if let Some(p) = at
        && let Some(g) = graveyard::buried_at(b, db, t, p.ns).await?
    {
        let rows = b
            .query(&format!(
                "SELECT COALESCE(created_at, 0) FROM mo_catalog.mo_dropped WHERE gname = {}",
                sql_str(&g)
            ))
            .await?;
        let created =
            rows.rows.first().and_then(|r| r.first().cloned().flatten()).and_then(|v| v.parse().ok());
        return Ok(Node { db: db.to_owned(), table: t.to_owned(), created: created.unwrap_or(0) });
    }
    node(b, db, t).await
}

/// Records that `child` was branched from `parent` at `at`.
pub(crate) async fn record(
    b: &mut Backend,
    child: &Node,
    parent: &Node,
    at: Point,
    level: Level,
) -> Result<(), SqlError> {
    let level = match level {
        Level::Table => "table",
        Level::Database => "database",
    };
    let commit = at.commit.map_or_else(|| "NULL".to_owned(), |c| c.to_string());
    b.exec(&format!(
        "REPLACE INTO mo_catalog.mo_branches (database_name, table_name, created_at, parent_database, \
         parent_table, parent_created_at, branch_ns, branch_commit, level, table_deleted) \
         VALUES ({}, {}, {}, {}, {}, {}, {}, {commit}, '{level}', 0)",
        sql_str(&child.db),
        sql_str(&child.table),
        child.created,
        sql_str(&parent.db),
        sql_str(&parent.table),
        parent.created,
        at.ns,
    ))
    .await
    .map(|_| ())
}

/// Marks a branch table deleted (`DATA BRANCH DELETE`): it stays in the DAG, as
/// `table_deleted` keeps it in MatrixOne, so its descendants keep their common ancestor.
pub(crate) async fn mark_deleted(b: &mut Backend, n: &Node) -> Result<(), SqlError> {
    b.exec(&format!(
        "UPDATE mo_catalog.mo_branches SET table_deleted = 1 \
         WHERE database_name = {} AND table_name = {} AND created_at = {}",
        sql_str(&n.db),
        sql_str(&n.table),
        n.created
    ))
    .await
    .map(|_| ())
}

/// The table `n` was branched from, and the point it was branched at.
async fn parent(b: &mut Backend, n: &Node) -> Result<Option<(Node, Point)>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT parent_database, parent_table, parent_created_at, branch_ns, branch_commit \
             FROM mo_catalog.mo_branches WHERE database_name = {} AND table_name = {} AND created_at = {}",
            sql_str(&n.db),
            sql_str(&n.table),
            n.created
        ))
        .await?;
    Ok(rows.rows.into_iter().next().map(|r| {
        let col = |i: usize| cell(&r, i);
        let parent = Node { db: col(0), table: col(1), created: col(2).parse().unwrap_or(0) };
        let at = Point { ns: col(3).parse().unwrap_or(0), commit: col(4).parse().ok() };
        (parent, at)
    }))
}

/// `n` and its ancestors, nearest first; each entry but the first carries the point at which
/// the entry before it was branched from it.
pub(crate) async fn lineage(b: &mut Backend, n: &Node) -> Result<Vec<(Node, Option<Point>)>, SqlError> {
    let mut chain = vec![(n.clone(), None)];
    let mut current = n.clone();
    while chain.len() < MAX_DEPTH {
        let Some((p, at)) = parent(b, &current).await? else { break };
        if chain.iter().any(|(seen, _)| *seen == p) {
            break;
        }
        chain.push((p.clone(), Some(at)));
        current = p;
    }
    Ok(chain)
}

/// The lowest common ancestor of two lineages: its index in each.
pub(crate) fn lowest_common(
    a: &[(Node, Option<Point>)],
    b: &[(Node, Option<Point>)],
) -> Option<(usize, usize)> {
    a.iter().enumerate().find_map(|(i, (n, _))| b.iter().position(|(m, _)| m == n).map(|j| (i, j)))
}

/// The earlier of two points (by commit when both have one).
pub(crate) fn earlier(x: Point, y: Point) -> Point {
    match (x.commit, y.commit) {
        (Some(a), Some(b)) => {
            if a <= b {
                x
            } else {
                y
            }
        }
        _ => {
            if x.ns <= y.ns {
                x
            } else {
                y
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(t: &str) -> Node {
        Node { db: "d".into(), table: t.into(), created: 1 }
    }

    #[test]
    fn common_ancestor_of_siblings_and_of_a_child() {
        let p = |c| Some(Point { ns: c as i128, commit: Some(c) });
        let t1 = vec![(n("t1"), None), (n("t0"), p(5))];
        let t2 = vec![(n("t2"), None), (n("t0"), p(7))];
        assert_eq!(lowest_common(&t1, &t2), Some((1, 1)));
        let t0 = vec![(n("t0"), None)];
        assert_eq!(lowest_common(&t1, &t0), Some((1, 0)));
        assert_eq!(lowest_common(&t0, &[(n("x"), None)]), None);
        assert_eq!(
            earlier(Point { ns: 9, commit: Some(1) }, Point { ns: 1, commit: Some(2) }).commit,
            Some(1)
        );
    }
}
