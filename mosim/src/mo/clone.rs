//! `CREATE DATABASE|TABLE ... CLONE ...` (reference §2): a copy, now or as of a snapshot.

use crate::error::SqlError;
use crate::mo::catalog;
use crate::mo::copy::{copy_rows, user_tables};
use crate::mo::point::Point;
use crate::mo::{Action, check_account, graveyard, resolve};
use crate::sql::rewrite::ident;
use crate::sql::statement::{MoStmt, TableName, TimeSpec};
use crate::wire::backend::Backend;

/// Runs a clone on mosim's connection `b`; `current` is the client's current database, which
/// unqualified names fall back to. The copy never runs in the client's session (and reads the
/// source without locking it: mosim's connections are READ COMMITTED); inside a transaction
/// `txn_undo` first commits the transaction's rows, so the clone reads them, and undoes the
/// clone on ROLLBACK.
pub(crate) async fn execute(
    b: &mut Backend,
    current: Option<String>,
    stmt: MoStmt,
) -> Result<Action, SqlError> {
    run(b, current, stmt).await
}

async fn run(b: &mut Backend, current: Option<String>, stmt: MoStmt) -> Result<Action, SqlError> {
    match stmt {
        MoStmt::CloneTable { if_not_exists, dst, src, at, to_account } => {
            clone_table(b, current, if_not_exists, dst, src, at, to_account).await
        }
        MoStmt::CloneDatabase { if_not_exists, dst, src, at, to_account } => {
            check_account(to_account.as_deref())?;
            clone_database(b, if_not_exists, &dst, &src, at).await
        }
        _ => Ok(Action::Ok(0)),
    }
}

async fn clone_table(
    b: &mut Backend,
    current: Option<String>,
    if_not_exists: bool,
    dst: TableName,
    src: TableName,
    at: Option<TimeSpec>,
    to_account: Option<String>,
) -> Result<Action, SqlError> {
    // handleCloneTable (pkg/frontend/clone.go): accounts, then the databases that unqualified
    // names fall back to (the session's), then the destination's database.
    check_account(to_account.as_deref())?;
    let src_db = src
        .db
        .or_else(|| current.clone())
        .ok_or_else(|| SqlError::internal(format!("no db selected for the src table {}", src.table)))?;
    let dst_db = dst
        .db
        .or(current)
        .ok_or_else(|| SqlError::internal(format!("no db selected for the dst table {}", dst.table)))?;
    if dst_db.eq_ignore_ascii_case("mo_catalog") {
        return Err(SqlError::internal("cannot clone data into system database"));
    }
    let at = match &at {
        Some(spec) => Some(resolve(b, spec).await?),
        None => None,
    };
    // The table live at the instant may have been dropped (or replaced) since.
    let buried = match at {
        Some(p) => graveyard::buried_at(b, &src_db, &src.table, p.ns).await?,
        None => None,
    };
    if buried.is_none() && !catalog::table_exists(b, &src_db, &src.table).await? {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError::new(
            crate::error::ER_PARSE,
            format!("SQL parser error: table {} does not exist", src.table),
        ));
    }
    let (source_db, source_table) = match buried {
        Some(g) => ("mo_catalog".to_owned(), g),
        None => (src_db, src.table.clone()),
    };
    if catalog::table_exists(b, &dst_db, &dst.table).await? {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError {
            code: 1050,
            state: "42S01".into(),
            message: format!("table {} already exists", dst.table),
        });
    }
    copy_table(b, (&source_db, &source_table), (&dst_db, &dst.table), at).await?;
    Ok(Action::Ok(0))
}

/// CREATE TABLE ... LIKE (keeps indexes and versioning) and the rows; undone on failure.
async fn copy_table(
    b: &mut Backend,
    src: (&str, &str),
    dst: (&str, &str),
    at: Option<Point>,
) -> Result<(), SqlError> {
    b.exec(&format!("CREATE TABLE {}.{} LIKE {}.{}", ident(dst.0), ident(dst.1), ident(src.0), ident(src.1)))
        .await?;
    b.exec("SET @mosim_fk = @@foreign_key_checks, foreign_key_checks = 0").await?;
    let copied = copy_rows(b, src, dst, at).await;
    b.exec("SET foreign_key_checks = @mosim_fk").await?;
    if let Err(e) = copied {
        let _ = b.exec(&format!("DROP TABLE IF EXISTS {}.{}", ident(dst.0), ident(dst.1))).await;
        return Err(e);
    }
    graveyard::record_created(b, dst.0, dst.1).await
}

async fn clone_database(
    b: &mut Backend,
    if_not_exists: bool,
    dst: &str,
    src: &str,
    at: Option<TimeSpec>,
) -> Result<Action, SqlError> {
    let mut listed = None;
    let at = match &at {
        Some(TimeSpec::Snapshot(name)) => {
            let snap = catalog::get_snapshot(b, name).await?;
            if snap.level == "table" {
                return Err(SqlError::internal(
                    "cannot use a table-level snapshot to clone cluster/account/database",
                ));
            }
            listed = Some(catalog::snapshot_tables(b, name).await?);
            Some(crate::mo::snapshot_point(b, &snap).await?)
        }
        Some(spec) => Some(resolve(b, spec).await?),
        None => None,
    };
    let listed_here: Option<Vec<String>> =
        listed.map(|l| l.into_iter().filter(|(d, t)| d == src && !t.is_empty()).map(|(_, t)| t).collect());
    let src_exists = catalog::database_exists(b, src).await?;
    if !src_exists && listed_here.as_ref().is_none_or(|l| l.is_empty()) {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError {
            code: 1049,
            state: "42000".into(),
            message: format!("Unknown database {src}"),
        });
    }
    if catalog::database_exists(b, dst).await? {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError::new(1007, format!("database {dst} already exists")));
    }
    // (source database, source table, destination table): a snapshot's own table list,
    // reading dropped tables from the graveyard; otherwise the tables there now.
    let mut sources = Vec::new();
    match (listed_here, at) {
        (Some(listed), Some(p)) => {
            for t in listed {
                match graveyard::buried_at(b, src, &t, p.ns).await? {
                    Some(g) => sources.push(("mo_catalog".to_owned(), g, t)),
                    None if catalog::table_exists(b, src, &t).await? => {
                        sources.push((src.to_owned(), t.clone(), t));
                    }
                    None => {}
                }
            }
        }
        _ => {
            for (_, t) in user_tables(b, Some(src), false).await? {
                sources.push((src.to_owned(), t.clone(), t));
            }
        }
    }
    b.exec(&format!("CREATE DATABASE {}", ident(dst))).await?;
    for (sdb, st, dt) in &sources {
        if let Err(e) = copy_table(b, (sdb, st), (dst, dt), at).await {
            let _ = b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(dst))).await;
            return Err(e);
        }
    }
    Ok(Action::Ok(0))
}
