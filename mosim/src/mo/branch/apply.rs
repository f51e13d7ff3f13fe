//! Applying a source's changes to a destination, as MERGE and PICK do, with the conflict
//! policies of `conflict_opt` (pkg/frontend/data_branch_hashdiff.go `checkConflict`,
//! data_branch_pick.go).
//!
//! The source's changes (the target side of a diff of source against destination) are
//! gathered in a temporary table, each marked whether the destination changed the same key
//! since the common ancestor in another way: that is a conflict. Then the destination's rows
//! at the keys applied are deleted and the source's rows inserted, all or nothing, so a
//! failure (a duplicate unique key, as in edge/branch_edge_cases.result) changes nothing.
//!
//! This runs in the client's session: MatrixOne's MERGE "reuses an explicit BEGIN
//! transaction" (pkg/frontend/stmt_kind.go), so after BEGIN the changes are part of the
//! client's transaction (a savepoint undoes a failed one) and ROLLBACK takes them back;
//! otherwise they are one transaction of their own. A temporary table neither commits nor
//! ends a MariaDB transaction.

use crate::error::SqlError;
use crate::mo::branch::diff::{Side, project, same};
use crate::mo::branch::literal;
use crate::mo::branch::plan::Plan;
use crate::mo::branch::stmt::Conflict;
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, cell};

/// The work table: TEMPORARY, so private to the connection and gone with it.
const WORK: &str = "mo_catalog.mosim_branch_apply";

/// How the changes are chosen and named.
pub(crate) struct Apply<'a> {
    /// PICK: a conflict is named INSERT in its message (data_branch_pick.go), and without
    /// WHEN CONFLICT the source's row wins.
    pub(crate) pick: bool,
    /// A condition on the work table's alias `m` restricting the keys (PICK's KEYS).
    pub(crate) keys: Option<String>,
    /// The policy; `None` is MERGE's default (fail) or PICK's (the source wins).
    pub(crate) conflict: Option<Conflict>,
    /// The destination's database and table.
    pub(crate) dst: (&'a str, &'a str),
}

/// Applies the target-side changes of `plan` (source against destination) to the
/// destination, on `b`: the client's session.
pub(crate) async fn run(b: &mut Backend, plan: &Plan, how: &Apply<'_>) -> Result<(), SqlError> {
    b.exec(&format!("DROP TEMPORARY TABLE IF EXISTS {WORK}")).await?;
    let result = apply(b, plan, how).await;
    let dropped = b.exec(&format!("DROP TEMPORARY TABLE IF EXISTS {WORK}")).await;
    result?;
    dropped.map(|_| ())
}

async fn apply(b: &mut Backend, plan: &Plan, how: &Apply<'_>) -> Result<(), SqlError> {
    let carried = plan.carried();
    let dst_from = &plan.base.from;
    let mut selects = Vec::new();
    for q in plan.changes(Side::Target) {
        // The destination changed the key too: it has an inserted row (no ancestor row), or
        // its row is no longer the ancestor's.
        let conflict = match q.flag {
            "INSERT" => {
                format!("EXISTS (SELECT 1 FROM {dst_from} AS y2 WHERE {})", same("y2", q.shows, &plan.key))
            }
            _ => format!(
                "NOT EXISTS (SELECT 1 FROM {dst_from} AS y2 WHERE {} AND {})",
                same("y2", "a", &plan.key),
                plan.as_in_ancestor("y2", Side::Base)
            ),
        };
        selects.push(format!(
            "SELECT CAST('{}' AS CHAR(16)) AS __mosim_flag, ({conflict}) AS __mosim_conflict, {} FROM {}",
            q.flag,
            project(q.shows, &q.shows_cols, &carried),
            q.from_where
        ));
    }
    b.exec(&format!("CREATE TEMPORARY TABLE {WORK} AS {}", selects.join(" UNION ALL "))).await?;
    let keys = how.keys.as_deref().map_or_else(String::new, |k| format!(" AND ({k})"));
    if matches!(how.conflict, Some(Conflict::Fail)) || (how.conflict.is_none() && !how.pick) {
        let key_list: Vec<String> = plan.key.iter().map(|k| format!("m.{}", ident(k))).collect();
        // The key as MatrixOne prints it: SQL literals (pick/pick_*.result: pk(1), pk(true)).
        let types = literal::column_types(b, plan).await?;
        let literals: Vec<String> = plan
            .key
            .iter()
            .map(|k| literal::of(&format!("m.{}", ident(k)), literal::type_of(&types, k)))
            .collect();
        let first = b
            .query(&format!(
                "SELECT m.__mosim_flag, {} FROM {WORK} AS m WHERE m.__mosim_conflict{keys} ORDER BY {} LIMIT 1",
                literals.join(", "),
                key_list.join(", ")
            ))
            .await?;
        if let Some(row) = first.rows.first() {
            let flag = cell(row, 0);
            // An update or delete meets the other side's change on its deleted half first
            // (merge/merge_2.result: "t2 DELETE and t1 DELETE").
            let kind = if flag == "INSERT" || how.pick { "INSERT" } else { "DELETE" };
            let pk: Vec<String> =
                row.iter().skip(1).map(|v| v.clone().unwrap_or_else(|| "NULL".to_owned())).collect();
            return Err(SqlError::internal(format!(
                "conflict: {} {kind} and {} {kind} on pk({}) with different values",
                plan.target.name,
                plan.base.name,
                pk.join(",")
            )));
        }
    }
    let wins = if matches!(how.conflict, Some(Conflict::Accept)) || (how.conflict.is_none() && how.pick) {
        "TRUE"
    } else {
        "NOT m.__mosim_conflict"
    };
    let pending = b.query(&format!("SELECT COUNT(*) FROM {WORK} AS m WHERE {wins}{keys}")).await?;
    if pending.rows.first().and_then(|r| r.first().cloned().flatten()).as_deref() == Some("0") {
        return Ok(());
    }
    let dst = format!("{}.{}", ident(how.dst.0), ident(how.dst.1));
    let writable = writable(b, how.dst.0, how.dst.1).await?;
    let cols: Vec<String> = writable.iter().filter(|c| carried.contains(c)).map(|c| ident(c)).collect();
    let m_cols: Vec<String> = cols.iter().map(|c| format!("m.{c}")).collect();
    let statements = [
        // Single-table form: MariaDB resolves a multi-table DELETE's alias in the default
        // database, which mosim's connection has none of.
        format!(
            "DELETE FROM {dst} WHERE EXISTS (SELECT 1 FROM {WORK} AS m WHERE {} AND {wins}{keys})",
            same(&dst, "m", &plan.key)
        ),
        format!(
            "INSERT INTO {dst} ({}) SELECT {} FROM {WORK} AS m WHERE m.__mosim_flag <> 'DELETE' AND {wins}{keys}",
            cols.join(", "),
            m_cols.join(", ")
        ),
    ];
    let own = !b.in_transaction();
    let (begin, undo, end) = if own {
        ("START TRANSACTION", "ROLLBACK", "COMMIT")
    } else {
        ("SAVEPOINT mosim_branch", "ROLLBACK TO SAVEPOINT mosim_branch", "RELEASE SAVEPOINT mosim_branch")
    };
    b.exec(begin).await?;
    for s in &statements {
        if let Err(e) = b.exec(s).await {
            let _ = b.exec(undo).await;
            return Err(e);
        }
    }
    if let Err(e) = b.exec(end).await {
        let _ = b.exec(undo).await;
        return Err(e);
    }
    Ok(())
}

/// The columns an INSERT into `db.t` may write: visible and not generated.
async fn writable(b: &mut Backend, db: &str, t: &str) -> Result<Vec<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = {} AND table_name = {} \
             AND extra NOT LIKE '%GENERATED%' AND extra NOT LIKE '%INVISIBLE%' ORDER BY ordinal_position",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
}
