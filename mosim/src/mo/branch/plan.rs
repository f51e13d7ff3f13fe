//! What a DIFF, MERGE or PICK reads (see `diff.rs` for what it computes): the target and
//! the base, each live or at its `{SNAPSHOT}` (a table dropped since is read from its
//! graveyard copy), their columns and key, and their lowest common ancestor on the branch
//! tree (`registry.rs`), read at the point where the two paths leave it: the earliest of the
//! branch points of the first edges below it, or the read point of a side that is the
//! ancestor itself (diff/diff_1.result). MatrixOne: `branchMetaInfo` and the DAG walk in
//! pkg/frontend/data_branch_types.go, data_branch.go.

use crate::error::{ER_PARSE, SqlError};
use crate::mo::branch::registry::{self, Node};
use crate::mo::branch::schema;
use crate::mo::branch::stmt::BranchTable;
use crate::mo::point::{self, Point};
use crate::mo::{catalog, graveyard, resolve};
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, cell};

/// One table a diff reads.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// The name the client wrote, for labels and messages.
    pub(crate) name: String,
    /// Its database.
    pub(crate) db: String,
    /// A FROM item without alias: the table, or a derived table reading it at a point.
    pub(crate) from: String,
    /// Its visible columns, in table order.
    pub(crate) cols: Vec<String>,
    /// The table read, as (database, table): the live one, or its graveyard copy.
    pub(crate) phys: (String, String),
}

/// A table as [`read`] reads it.
struct Read {
    from: String,
    cols: Vec<String>,
    phys: (String, String),
}

impl Read {
    fn into_source(self, name: &str, db: &str) -> Source {
        Source { name: name.to_owned(), db: db.to_owned(), from: self.from, cols: self.cols, phys: self.phys }
    }
}

/// Everything a diff, merge or pick needs to build its SQL.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) target: Source,
    pub(crate) base: Source,
    /// The common ancestor at the branch point, when there is one.
    pub(crate) ancestor: Option<Source>,
    /// The columns shown: the target's, then those only the base has (or `COLUMNS (...)`).
    pub(crate) out: Vec<String>,
    /// The columns compared between target and base: those both have.
    pub(crate) cmp: Vec<String>,
    /// The columns compared with the ancestor: those all three have.
    pub(crate) cmp_a: Vec<String>,
    /// The row key: the target's primary key, or every compared column.
    pub(crate) key: Vec<String>,
    /// Whether `key` is a primary key.
    pub(crate) has_pk: bool,
    /// Compared columns the ancestor lacks (both sides added them since), with each side's
    /// default as SQL (`information_schema.columns.column_default`): the value the ancestor's
    /// rows are taken to have, as they got it when the column was added
    /// (edge/branch_edge_cases.result, both_add_left / both_add_right).
    pub(crate) added: Vec<(String, String, String)>,
}

/// Looks the two tables up, their columns and their common ancestor.
pub(crate) async fn plan(
    b: &mut Backend,
    current: Option<&str>,
    target: &BranchTable,
    base: &BranchTable,
    columns: Option<&[String]>,
) -> Result<Plan, SqlError> {
    plan_with(b, current, target, base, columns, None).await
}

/// [`plan`] of the target's own changes between two points (`PICK ... BETWEEN SNAPSHOT`): the
/// target is read at `to`, and the ancestor is the target itself at `from`.
pub(crate) async fn plan_between(
    b: &mut Backend,
    current: Option<&str>,
    target: &BranchTable,
    base: &BranchTable,
    from: Point,
    to: Point,
) -> Result<Plan, SqlError> {
    plan_with(b, current, target, base, None, Some((from, to))).await
}

async fn plan_with(
    b: &mut Backend,
    current: Option<&str>,
    target: &BranchTable,
    base: &BranchTable,
    columns: Option<&[String]>,
    between: Option<(Point, Point)>,
) -> Result<Plan, SqlError> {
    let (t_db, mut t_at) = locate(b, current, target).await?;
    let (b_db, b_at) = locate(b, current, base).await?;
    if let Some((_, to)) = between {
        t_at = Some(to);
    }
    let t_src = source(b, &target.name.table, &t_db, t_at).await?;
    let b_src = source(b, &base.name.table, &b_db, b_at).await?;
    schema::check(b, (&t_src.phys.0, &t_src.phys.1), (&b_src.phys.0, &b_src.phys.1)).await?;
    let ancestor = match between {
        Some((from, _)) => read(b, &t_db, &target.name.table, Some(from))
            .await?
            .map(|r| r.into_source(&target.name.table, &t_db)),
        None => ancestor(b, (&t_db, &target.name.table, t_at), (&b_db, &base.name.table, b_at)).await?,
    };

    let mut out: Vec<String> = t_src.cols.clone();
    out.extend(b_src.cols.iter().filter(|c| !t_src.cols.contains(c)).cloned());
    if let Some(cols) = columns {
        let mut picked: Vec<String> = Vec::new();
        for c in cols {
            // Column names are case-insensitive; the table's spelling is kept.
            let Some(found) = out.iter().find(|o| o.eq_ignore_ascii_case(c)) else {
                return Err(SqlError::invalid_input(format!(
                    "column \"{c}\" not found in table \"{}\"",
                    target.name.table
                )));
            };
            if !picked.contains(found) {
                picked.push(found.clone());
            }
        }
        out = picked;
    }
    let cmp: Vec<String> = t_src.cols.iter().filter(|c| b_src.cols.contains(c)).cloned().collect();
    let cmp_a: Vec<String> = match &ancestor {
        Some(a) => cmp.iter().filter(|c| a.cols.contains(c)).cloned().collect(),
        None => cmp.clone(),
    };
    // A system-versioned table's key also holds `row_end`, which no read shows.
    let mut pk = primary_key(b, &t_src.phys.0, &t_src.phys.1).await?;
    pk.retain(|k| t_src.cols.contains(k));
    let has_pk = !pk.is_empty() && pk.iter().all(|k| cmp_a.contains(k));
    let key = if has_pk { pk } else { cmp_a.clone() };
    let mut added = Vec::new();
    if ancestor.is_some() {
        let (t_defaults, b_defaults) = (defaults(b, &t_src.phys).await?, defaults(b, &b_src.phys).await?);
        let of = |list: &[(String, String)], c: &str| {
            list.iter().find(|(n, _)| n == c).map_or_else(|| "NULL".to_owned(), |(_, d)| d.clone())
        };
        for c in cmp.iter().filter(|c| !cmp_a.contains(c)) {
            added.push((c.clone(), of(&t_defaults, c), of(&b_defaults, c)));
        }
    }
    Ok(Plan { target: t_src, base: b_src, ancestor, out, cmp, cmp_a, key, has_pk, added })
}

/// The database of a table operand and the point it is read at, failing as MatrixOne does
/// for a missing table (edge/branch_unhappy_path.result).
async fn locate(
    b: &mut Backend,
    current: Option<&str>,
    t: &BranchTable,
) -> Result<(String, Option<Point>), SqlError> {
    let db =
        t.name.db.clone().or_else(|| current.map(str::to_owned)).ok_or_else(|| missing(&t.name.table))?;
    let at = match &t.at {
        Some(spec) => Some(resolve(b, spec).await?),
        None => None,
    };
    Ok((db, at))
}

/// `SQL parser error: table "t" does not exist` (edge/branch_unhappy_path.result).
pub(crate) fn missing(t: &str) -> SqlError {
    SqlError::new(ER_PARSE, format!("SQL parser error: table \"{t}\" does not exist"))
}

/// A table as of `at` (or now): the live table, or its graveyard copy when the table live
/// then has been dropped since.
async fn source(b: &mut Backend, name: &str, db: &str, at: Option<Point>) -> Result<Source, SqlError> {
    let read = read(b, db, name, at).await?.ok_or_else(|| missing(name))?;
    Ok(read.into_source(name, db))
}

/// The FROM item and columns of `db.t` at `at`, or `None` if it cannot be read.
async fn read(b: &mut Backend, db: &str, t: &str, at: Option<Point>) -> Result<Option<Read>, SqlError> {
    let (rdb, rt) = match at {
        Some(p) => match graveyard::buried_at(b, db, t, p.ns).await? {
            Some(g) => ("mo_catalog".to_owned(), g),
            None => (db.to_owned(), t.to_owned()),
        },
        None => (db.to_owned(), t.to_owned()),
    };
    if !catalog::table_exists(b, &rdb, &rt).await? {
        return Ok(None);
    }
    let cols = visible_columns(b, &rdb, &rt).await?;
    let live = format!("{}.{}", ident(&rdb), ident(&rt));
    let from = match at {
        // A table mosim does not version (made before it, or TEMPORARY) has no past to read:
        // it is read as it is now.
        Some(p) => match point::versioning(b, &rdb, &rt).await? {
            point::Versioning::None => live,
            kind => point::read_at(&rdb, &rt, kind, p).0,
        },
        None => live,
    };
    Ok(Some(Read { from, cols, phys: (rdb, rt) }))
}

/// The common ancestor of the two tables, read at the point where their histories part.
async fn ancestor(
    b: &mut Backend,
    target: (&str, &str, Option<Point>),
    base: (&str, &str, Option<Point>),
) -> Result<Option<Source>, SqlError> {
    let t_node = registry::node_at(b, target.0, target.1, target.2).await?;
    let b_node = registry::node_at(b, base.0, base.1, base.2).await?;
    let t_chain = registry::lineage(b, &t_node).await?;
    let b_chain = registry::lineage(b, &b_node).await?;
    let Some((i, j)) = registry::lowest_common(&t_chain, &b_chain) else {
        return Ok(None);
    };
    let now = point::now(b).await?;
    // Where each path leaves the ancestor: the branch point of the node below it, or the
    // side's own read point when the side is the ancestor.
    let leave = |chain: &[(Node, Option<Point>)], at_index: usize, read: Option<Point>| -> Point {
        if at_index == 0 { read.unwrap_or(now) } else { chain[at_index].1.unwrap_or(now) }
    };
    let at = registry::earlier(leave(&t_chain, i, target.2), leave(&b_chain, j, base.2));
    let lca = &t_chain[i].0;
    let live = registry::node(b, &lca.db, &lca.table).await?;
    let readable = if live.created == lca.created {
        read(b, &lca.db, &lca.table, Some(at)).await?
    } else {
        // Dropped (or replaced) since: only its graveyard copy can tell.
        match graveyard::buried_at(b, &lca.db, &lca.table, at.ns).await? {
            Some(_) => read(b, &lca.db, &lca.table, Some(at)).await?,
            None => None,
        }
    };
    Ok(readable.map(|r| r.into_source(&lca.table, &lca.db)))
}

/// Each column's default as SQL (`NULL` when it has none).
async fn defaults(b: &mut Backend, (db, t): &(String, String)) -> Result<Vec<(String, String)>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT column_name, COALESCE(column_default, 'NULL') FROM information_schema.columns \
             WHERE table_schema = {} AND table_name = {}",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows
        .rows
        .into_iter()
        .map(|r| {
            let col = |i: usize| cell(&r, i);
            (col(0), col(1))
        })
        .collect())
}

/// The visible columns of `db.t`, in order (not mosim's versioning columns).
pub(crate) async fn visible_columns(b: &mut Backend, db: &str, t: &str) -> Result<Vec<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = {} AND table_name = {} \
             AND extra NOT LIKE '%INVISIBLE%' ORDER BY ordinal_position",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
}

/// The primary key columns of `db.t`, in key order (empty without one).
pub(crate) async fn primary_key(b: &mut Backend, db: &str, t: &str) -> Result<Vec<String>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT column_name FROM information_schema.statistics WHERE table_schema = {} \
             AND table_name = {} AND index_name = 'PRIMARY' ORDER BY seq_in_index",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
}
