//! CREATE / ALTER / DROP ACCOUNT and SHOW ACCOUNTS, run by `sys` only (MatrixOne:
//! pkg/frontend/authenticate.go `InitGeneralTenant`, `doAlterAccount`, `doDropAccount`;
//! texts from test/distributed/cases/tenant/tenant.result and
//! zz_accesscontrol/create_account.result).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::account::namespace;
use crate::mo::account::parse::AccountStmt;
use crate::mo::account::{ACCOUNT_ADMIN_ROLE, check_name, password_hash};
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, cell};
use crate::wire::response::{TYPE_DATETIME, TYPE_VAR_STRING};

/// One account's record.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) admin: String,
    pub(crate) status: String,
}

/// Looks an account up.
pub(crate) async fn find(b: &mut Backend, name: &str) -> Result<Option<Account>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT admin_name, status FROM mo_catalog.mosim_accounts WHERE account_name = {}",
            sql_str(name)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().map(|r| {
        let col = |i: usize| cell(&r, i);
        Account { admin: col(0), status: col(1) }
    }))
}

/// Carries out an account statement (the caller checked that the session is `sys`'s).
pub(crate) async fn execute(b: &mut Backend, stmt: AccountStmt) -> Result<Action, SqlError> {
    match stmt {
        AccountStmt::CreateAccount { if_not_exists, name, admin, password, status, comment } => {
            check_name(&name)?;
            check_name(&admin)?;
            if name == crate::mo::SYS || find(b, &name).await?.is_some() {
                if if_not_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("the tenant {name} exists")));
            }
            let status = match status.as_deref() {
                Some("suspend") => "suspend",
                Some("restricted") => "restricted",
                _ => "open",
            };
            let n = sql_str(&name);
            let a = sql_str(&admin);
            let statements = [
                format!(
                    "INSERT INTO mo_catalog.mosim_accounts VALUES ({n}, {a}, UTC_TIMESTAMP(), {}, {}, {})",
                    sql_str(status),
                    if status == "suspend" { "UTC_TIMESTAMP()" } else { "NULL" },
                    sql_str(comment.as_deref().unwrap_or(""))
                ),
                format!(
                    "INSERT INTO mo_catalog.mosim_users VALUES ({n}, {a}, {}, 'unlock', {})",
                    sql_str(&password_hash(&password.0)),
                    sql_str(ACCOUNT_ADMIN_ROLE)
                ),
                format!(
                    "INSERT INTO mo_catalog.mosim_user_roles VALUES ({n}, {}, {a})",
                    sql_str(ACCOUNT_ADMIN_ROLE)
                ),
            ];
            in_transaction(b, &statements).await?;
            Ok(Action::Ok(0))
        }
        AccountStmt::AlterAccount { if_exists, name, auth, status, comment } => {
            let Some(acc) = find(b, &name).await? else {
                if if_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("there is no account {name}")));
            };
            if name == crate::mo::SYS && status.as_deref() == Some("suspend") {
                return Err(SqlError::internal("account sys can not be suspended"));
            }
            let n = sql_str(&name);
            let mut statements = Vec::new();
            if let Some((admin, password)) = auth {
                if admin != acc.admin {
                    // doAlterAccount (authenticate.go): the admin named must be the account's.
                    return Err(SqlError::internal(format!("there is no user {admin}")));
                }
                statements.push(format!(
                    "UPDATE mo_catalog.mosim_users SET auth = {} WHERE account_name = {n} AND user_name = {}",
                    sql_str(&password_hash(&password.0)),
                    sql_str(&admin)
                ));
            }
            match status.as_deref() {
                Some("suspend") => statements.push(format!(
                    "UPDATE mo_catalog.mosim_accounts SET status = 'suspend', suspended_time = UTC_TIMESTAMP() \
                     WHERE account_name = {n}"
                )),
                Some(s) => statements.push(format!(
                    "UPDATE mo_catalog.mosim_accounts SET status = {}, suspended_time = NULL WHERE account_name = {n}",
                    sql_str(s)
                )),
                None => {}
            }
            if let Some(c) = comment {
                statements.push(format!(
                    "UPDATE mo_catalog.mosim_accounts SET comments = {} WHERE account_name = {n}",
                    sql_str(&c)
                ));
            }
            in_transaction(b, &statements).await?;
            Ok(Action::Ok(0))
        }
        AccountStmt::DropAccount { if_exists, name } => {
            if name == crate::mo::SYS {
                return Err(SqlError::internal(format!("can not delete the account {name}")));
            }
            if find(b, &name).await?.is_none() {
                if if_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("there is no account {name}")));
            }
            // Its databases go first: a failure leaves the account to drop again.
            for db in namespace::backend_databases(b, &name).await? {
                b.exec(&format!("DROP DATABASE IF EXISTS {}", ident(&db))).await?;
            }
            let n = sql_str(&name);
            let statements: Vec<String> = [
                "mosim_accounts",
                "mosim_users",
                "mosim_roles",
                "mosim_user_roles",
                "mosim_privileges",
                "mosim_publications",
                "mosim_subscriptions",
            ]
            .iter()
            .map(|t| format!("DELETE FROM mo_catalog.{t} WHERE account_name = {n}"))
            .collect();
            in_transaction(b, &statements).await?;
            Ok(Action::Ok(0))
        }
        AccountStmt::ShowAccounts { like } => show(b, like.as_deref()).await,
        _ => Ok(Action::Ok(0)),
    }
}

/// Runs `statements` as one transaction on mosim's own connection.
pub(crate) async fn in_transaction(b: &mut Backend, statements: &[String]) -> Result<(), SqlError> {
    b.exec("START TRANSACTION").await?;
    for s in statements {
        if let Err(e) = b.exec(s).await {
            let _ = b.exec("ROLLBACK").await;
            return Err(e);
        }
    }
    b.exec("COMMIT").await?;
    Ok(())
}

/// SHOW ACCOUNTS: MatrixOne's columns (tenant/tenant.result), `sys` first. Sizes are 0.
async fn show(b: &mut Backend, like: Option<&str>) -> Result<Action, SqlError> {
    let filter = like.map_or(String::new(), |p| format!(" WHERE account_name LIKE {}", sql_str(p)));
    let rows = b
        .query(&format!(
            "SELECT account_name, admin_name, DATE_FORMAT(created_time, '%Y-%m-%d %H:%i:%s'), status, \
             DATE_FORMAT(suspended_time, '%Y-%m-%d %H:%i:%s'), comments FROM mo_catalog.mosim_accounts{filter} \
             ORDER BY account_name"
        ))
        .await?;
    let mut out = Vec::new();
    let sys_matches = like.is_none_or(|p| like_match(p, crate::mo::SYS));
    if sys_matches {
        let (dbs, tables) = counts(b, None).await?;
        out.push(vec![
            Some("sys".to_owned()),
            Some("root".to_owned()),
            None,
            Some("open".to_owned()),
            None,
            Some(dbs),
            Some(tables),
            Some("0.0".to_owned()),
            Some("0.0".to_owned()),
            Some("system account".to_owned()),
        ]);
    }
    for r in rows.rows {
        let col = |i: usize| r.get(i).cloned().flatten();
        let name = col(0).unwrap_or_default();
        let (dbs, tables) = counts(b, Some(&name)).await?;
        out.push(vec![
            Some(name),
            col(1),
            col(2),
            col(3),
            col(4),
            Some(dbs),
            Some(tables),
            Some("0.0".to_owned()),
            Some("0.0".to_owned()),
            col(5),
        ]);
    }
    Ok(Action::Rows(
        vec![
            ("account_name", TYPE_VAR_STRING),
            ("admin_name", TYPE_VAR_STRING),
            ("created_time", TYPE_DATETIME),
            ("status", TYPE_VAR_STRING),
            ("suspended_time", TYPE_DATETIME),
            ("db_count", 8),
            ("tbl_count", 8),
            ("size", 5),
            ("snapshot_size", 5),
            ("comments", TYPE_VAR_STRING),
        ],
        out,
    ))
}

/// How many user databases and tables an account has (`None`: `sys`).
async fn counts(b: &mut Backend, account: Option<&str>) -> Result<(String, String), SqlError> {
    let dbs = match account {
        Some(a) => namespace::backend_databases(b, a).await?,
        None => namespace::sys_databases(b).await?,
    };
    if dbs.is_empty() {
        return Ok(("0".into(), "0".into()));
    }
    let list = dbs.iter().map(|d| sql_str(d)).collect::<Vec<_>>().join(", ");
    let rows = b
        .query(&format!("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema IN ({list})"))
        .await?;
    let tables = rows.rows.first().and_then(|r| r.first().cloned().flatten()).unwrap_or_else(|| "0".into());
    Ok((dbs.len().to_string(), tables))
}

/// SQL LIKE with `%` and `_`, case-insensitively, for the rows mosim adds itself.
pub(crate) fn like_match(pattern: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('%', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('_', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}
