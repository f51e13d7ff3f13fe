//! CREATE / ALTER / DROP / SHOW PITR (reference §5), with MatrixOne's validation.

use crate::error::SqlError;
use crate::mo::catalog::{self, exists};
use crate::mo::clock::now_ns;
use crate::mo::{Action, SYS, check_account};
use crate::sql::rewrite::sql_str;
use crate::sql::statement::Scope;
use crate::wire::backend::Backend;

/// MatrixOne's system databases (`needSkipDb`), which no PITR may cover.
const SKIPPED: [&str; 7] =
    ["mo_catalog", "information_schema", "mysql", "system", "system_metrics", "mo_task", "mo_debug"];

/// Value and unit checks of pkg/frontend/pitr.go: 1..=100 and one of `h d mo y`.
///
/// CREATE allows 1..=100, ALTER 0..=100 (`min`); the unit is reported lower-cased.
fn check_range(value: u64, unit: &str, min: u64) -> Result<String, SqlError> {
    if !(min..=100).contains(&value) {
        return Err(SqlError::internal(format!("invalid pitr value {value}")));
    }
    let lower = unit.to_lowercase();
    if !["h", "d", "mo", "y"].contains(&lower.as_str()) {
        return Err(SqlError::internal(format!("invalid pitr unit {lower}")));
    }
    Ok(lower)
}

/// `CREATE PITR`.
pub(crate) async fn create(
    b: &mut Backend,
    if_not_exists: bool,
    name: &str,
    scope: Scope,
    value: u64,
    unit: &str,
) -> Result<Action, SqlError> {
    // doCreatePitr's order: value, unit, name, then the scope.
    let unit = check_range(value, unit, 1)?;
    if catalog::find_pitr(b, name).await?.is_some() {
        if if_not_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError::internal(format!("pitr {name} already exists")));
    }
    let (level, account, db, table) = match &scope {
        Scope::Cluster => ("cluster", "*", "*", "*"),
        Scope::Account(a) => {
            check_account(a.as_deref())?;
            ("account", SYS, "*", "*")
        }
        Scope::Database(db) => ("database", SYS, db.as_str(), "*"),
        Scope::Table(db, t) => ("table", SYS, db.as_str(), t.as_str()),
    };
    match &scope {
        Scope::Database(db) if SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(db)) => {
            return Err(SqlError::internal(format!("can not create pitr for current database {db}")));
        }
        Scope::Table(db, t) if SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(db)) => {
            return Err(SqlError::internal(format!("can not create pitr for current table {db}.{t}")));
        }
        _ => {}
    }
    match &scope {
        Scope::Database(db) if !catalog::database_exists(b, db).await? => {
            return Err(SqlError::internal(format!("database {db} does not exist")));
        }
        Scope::Table(db, t) if !catalog::table_exists(b, db, t).await? => {
            return Err(SqlError::internal(format!("table {db}.{t} does not exist")));
        }
        _ => {}
    }
    let same_scope = format!(
        "level = {} AND database_name = {} AND table_name = {}",
        sql_str(level),
        sql_str(db),
        sql_str(table)
    );
    if exists(b, "mo_catalog.mo_pitr", &same_scope).await? {
        let msg = match &scope {
            Scope::Cluster => "cluster level pitr already exists".to_owned(),
            Scope::Account(_) => format!("account `{SYS}` already has a pitr"),
            Scope::Database(db) => format!("database `{db}` already has a pitr"),
            Scope::Table(db, t) => format!("database `{db}` table `{t}` already has a pitr"),
        };
        return Err(SqlError::internal(msg));
    }
    let now = now_ns(b).await?;
    let inserted = b
        .exec(&format!(
            "INSERT INTO mo_catalog.mo_pitr (pname, create_time, modified_time, level, account_name, \
             database_name, table_name, pitr_length, pitr_unit) VALUES ({}, {now}, {now}, {}, {}, {}, {}, {value}, {})",
            sql_str(name),
            sql_str(level),
            sql_str(account),
            sql_str(db),
            sql_str(table),
            sql_str(&unit)
        ))
        .await;
    match inserted {
        Err(e) if e.code == 1062 && if_not_exists => Ok(Action::Ok(0)),
        Err(e) if e.code == 1062 => Err(SqlError::internal(format!("pitr {name} already exists"))),
        r => r.map(|_| Action::Ok(0)),
    }
}

/// `ALTER PITR`.
pub(crate) async fn alter(
    b: &mut Backend,
    if_exists: bool,
    name: &str,
    value: u64,
    unit: &str,
) -> Result<Action, SqlError> {
    // doAlterPitr checks the range before the name.
    let unit = check_range(value, unit, 0)?;
    if catalog::find_pitr(b, name).await?.is_none() {
        if if_exists {
            return Ok(Action::Ok(0));
        }
        return Err(SqlError::internal(format!("pitr {name} does not exist")));
    }
    let now = now_ns(b).await?;
    b.exec(&format!(
        "UPDATE mo_catalog.mo_pitr SET pitr_length = {value}, pitr_unit = {}, modified_time = {now} WHERE pname = {}",
        sql_str(&unit),
        sql_str(name)
    ))
    .await?;
    Ok(Action::Ok(0))
}

/// `DROP PITR`.
pub(crate) async fn drop(b: &mut Backend, if_exists: bool, name: &str) -> Result<Action, SqlError> {
    let n = b.exec(&format!("DELETE FROM mo_catalog.mo_pitr WHERE pname = {}", sql_str(name))).await?;
    if n == 0 && !if_exists {
        return Err(SqlError::internal(format!("pitr {name} does not exist")));
    }
    crate::mo::graveyard::collect(b).await?;
    Ok(Action::Ok(0))
}

/// The SELECT that answers `SHOW PITR [WHERE ...]`: second-precision times in the session
/// time zone (`FROM_UNIXTIME(create_time/1e9)`), `*` for unset scope, lower-case labels
/// with WHERE.
pub(crate) fn show_sql(filter: Option<&str>) -> String {
    let cols = [
        ("pname", "PITR_NAME"),
        ("FROM_UNIXTIME(create_time DIV 1000000000)", "CREATED_TIME"),
        ("FROM_UNIXTIME(modified_time DIV 1000000000)", "MODIFIED_TIME"),
        ("level", "PITR_LEVEL"),
        ("account_name", "ACCOUNT_NAME"),
        ("database_name", "DATABASE_NAME"),
        ("table_name", "TABLE_NAME"),
        ("pitr_length", "PITR_LENGTH"),
        ("pitr_unit", "PITR_UNIT"),
    ];
    let base = "FROM mo_catalog.mo_pitr";
    match filter {
        None => {
            let list: Vec<String> = cols.iter().map(|(c, l)| format!("{c} AS `{l}`")).collect();
            format!("SELECT {} {base} ORDER BY create_time DESC", list.join(", "))
        }
        Some(f) => {
            let inner: Vec<String> =
                cols.iter().map(|(c, l)| format!("{c} AS `{}`", l.to_lowercase())).collect();
            let outer: Vec<String> = cols.iter().map(|(_, l)| format!("`{}`", l.to_lowercase())).collect();
            format!(
                "SELECT {} FROM (SELECT {}, create_time AS mosim_ts {base}) AS pitrs WHERE {f} ORDER BY mosim_ts DESC",
                outer.join(", "),
                inner.join(", ")
            )
        }
    }
}
