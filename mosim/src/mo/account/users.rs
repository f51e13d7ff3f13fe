//! Users, roles, GRANT / REVOKE and SHOW GRANTS inside an account, kept in mosim's catalog
//! (never as MariaDB users). Texts from pkg/frontend/authenticate.go (`InitUser`,
//! `doDropUser`, `InitRole`, `doDropRole`, `doGrantPrivilege`, `doRevokePrivilege`,
//! `doGrantRole`, `doRevokeRole`, `doAlterUser`) and the SHOW GRANTS layout of
//! test/distributed/cases/zz_accesscontrol/*.result (`GRANT p ON kind level `u`@`localhost``).

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::account::parse::{AccountStmt, Object};
use crate::mo::account::registry::in_transaction;
use crate::mo::account::{ACCOUNT_ADMIN_ROLE, PUBLIC_ROLE, check_name, password_hash};
use crate::mo::catalog::exists;
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, cell};

fn is_predefined(role: &str) -> bool {
    role == ACCOUNT_ADMIN_ROLE || role == PUBLIC_ROLE || role == "moadmin"
}

async fn user_exists(b: &mut Backend, account: &str, user: &str) -> Result<bool, SqlError> {
    exists(
        b,
        "mo_catalog.mosim_users",
        &format!("account_name = {} AND user_name = {}", sql_str(account), sql_str(user)),
    )
    .await
}

async fn role_exists(b: &mut Backend, account: &str, role: &str) -> Result<bool, SqlError> {
    exists(
        b,
        "mo_catalog.mosim_roles",
        &format!("account_name = {} AND role_name = {}", sql_str(account), sql_str(role)),
    )
    .await
}

async fn admin_of(b: &mut Backend, account: &str) -> Result<String, SqlError> {
    if account == crate::mo::SYS {
        return Ok("root".to_owned());
    }
    Ok(crate::mo::account::registry::find(b, account).await?.map(|a| a.admin).unwrap_or_default())
}

/// Carries out a user, role or grant statement in `account` for `current` (the session's
/// user; `None`: `sys`'s root).
pub(crate) async fn execute(
    b: &mut Backend,
    account: &str,
    current: Option<&str>,
    stmt: AccountStmt,
) -> Result<Action, SqlError> {
    let a = sql_str(account);
    match stmt {
        AccountStmt::CreateUser { if_not_exists, users, default_role, locked } => {
            let mut statements = Vec::new();
            for (user, password) in &users {
                check_name(user)?;
                if user_exists(b, account, user).await? {
                    if if_not_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("the user {user} exists")));
                }
                let role = default_role.clone().unwrap_or_else(|| PUBLIC_ROLE.to_owned());
                if !is_predefined(&role) && !role_exists(b, account, &role).await? {
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                statements.push(format!(
                    "INSERT INTO mo_catalog.mosim_users VALUES ({a}, {}, {}, {}, {})",
                    sql_str(user),
                    sql_str(&password_hash(&password.0)),
                    sql_str(if locked { "lock" } else { "unlock" }),
                    sql_str(&role)
                ));
                if role != PUBLIC_ROLE {
                    statements.push(format!(
                        "INSERT IGNORE INTO mo_catalog.mosim_user_roles VALUES ({a}, {}, {})",
                        sql_str(&role),
                        sql_str(user)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::AlterUser { if_exists, name, password, lock } => {
            if !user_exists(b, account, &name).await? {
                if if_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!(
                    "Operation ALTER USER failed for '{name}'@'%', user does't exist"
                )));
            }
            let mut sets = Vec::new();
            if let Some(p) = password {
                sets.push(format!("auth = {}", sql_str(&password_hash(&p.0))));
            }
            if let Some(l) = lock {
                sets.push(format!("status = {}", sql_str(if l { "lock" } else { "unlock" })));
            }
            b.exec(&format!(
                "UPDATE mo_catalog.mosim_users SET {} WHERE account_name = {a} AND user_name = {}",
                sets.join(", "),
                sql_str(&name)
            ))
            .await?;
        }
        AccountStmt::DropUser { if_exists, names } => {
            let admin = admin_of(b, account).await?;
            let mut statements = Vec::new();
            for user in &names {
                if *user == admin || Some(user.as_str()) == current {
                    return Err(SqlError::internal(format!("can not delete the user {user}")));
                }
                if !user_exists(b, account, user).await? {
                    if if_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("there is no user {user}")));
                }
                for t in ["mosim_users", "mosim_user_roles"] {
                    statements.push(format!(
                        "DELETE FROM mo_catalog.{t} WHERE account_name = {a} AND user_name = {}",
                        sql_str(user)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::CreateRole { if_not_exists, names } => {
            let mut statements = Vec::new();
            for role in &names {
                check_name(role)?;
                if is_predefined(role) || role_exists(b, account, role).await? {
                    if if_not_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("the role {role} exists")));
                }
                statements
                    .push(format!("INSERT INTO mo_catalog.mosim_roles VALUES ({a}, {})", sql_str(role)));
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::DropRole { if_exists, names } => {
            let mut statements = Vec::new();
            for role in &names {
                if is_predefined(role) {
                    return Err(SqlError::internal(format!("can not delete the role {role}")));
                }
                if !role_exists(b, account, role).await? {
                    if if_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                for t in ["mosim_roles", "mosim_user_roles", "mosim_privileges"] {
                    statements.push(format!(
                        "DELETE FROM mo_catalog.{t} WHERE account_name = {a} AND role_name = {}",
                        sql_str(role)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::GrantPrivileges { privileges, on, roles } => {
            let mut statements = Vec::new();
            for role in &roles {
                if is_predefined(role) {
                    return Err(SqlError::internal(format!(
                        "the privilege can not be granted to the role {role}"
                    )));
                }
                if !role_exists(b, account, role).await? {
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                for p in &privileges {
                    statements.push(format!(
                        "INSERT IGNORE INTO mo_catalog.mosim_privileges VALUES ({a}, {}, {}, {}, {}, {})",
                        sql_str(role),
                        sql_str(p),
                        sql_str(on.kind),
                        sql_str(&on.db),
                        sql_str(&on.table)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::RevokePrivileges { if_exists, privileges, on, roles } => {
            let mut statements = Vec::new();
            for role in &roles {
                if !role_exists(b, account, role).await? {
                    if if_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                for p in &privileges {
                    statements.push(format!(
                        "DELETE FROM mo_catalog.mosim_privileges WHERE account_name = {a} AND role_name = {} \
                         AND privilege = {} AND obj_type = {} AND db = {} AND tbl = {}",
                        sql_str(role),
                        sql_str(p),
                        sql_str(on.kind),
                        sql_str(&on.db),
                        sql_str(&on.table)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::GrantRoles { roles, users } => {
            let mut statements = Vec::new();
            for role in &roles {
                if role != ACCOUNT_ADMIN_ROLE && !role_exists(b, account, role).await? {
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                for user in &users {
                    if !user_exists(b, account, user).await? {
                        return Err(SqlError::internal(format!("there is no role or user {user}")));
                    }
                    statements.push(format!(
                        "INSERT IGNORE INTO mo_catalog.mosim_user_roles VALUES ({a}, {}, {})",
                        sql_str(role),
                        sql_str(user)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::RevokeRoles { if_exists, roles, users } => {
            let mut statements = Vec::new();
            for role in &roles {
                if !is_predefined(role) && !role_exists(b, account, role).await? {
                    if if_exists {
                        continue;
                    }
                    return Err(SqlError::internal(format!("there is no role {role}")));
                }
                for user in &users {
                    statements.push(format!(
                        "DELETE FROM mo_catalog.mosim_user_roles WHERE account_name = {a} AND role_name = {} \
                         AND user_name = {}",
                        sql_str(role),
                        sql_str(user)
                    ));
                }
            }
            in_transaction(b, &statements).await?;
        }
        AccountStmt::ShowGrants { of } => return show_grants(b, account, current, of).await,
        _ => {}
    }
    Ok(Action::Ok(0))
}

/// One SHOW GRANTS line: `GRANT p ON kind level`.
fn grant_line(privilege: &str, on: &Object) -> String {
    let level = match on.kind {
        "account" => String::new(),
        "database" => on.db.clone(),
        _ if on.db.is_empty() => on.table.clone(),
        _ => format!("{}.{}", on.db, on.table),
    };
    let privilege = if privilege == "all" { format!("{} all", on.kind) } else { privilege.to_owned() };
    format!("GRANT {privilege} ON {} {level}", on.kind)
}

async fn show_grants(
    b: &mut Backend,
    account: &str,
    current: Option<&str>,
    of: Option<(bool, String)>,
) -> Result<Action, SqlError> {
    let a = sql_str(account);
    let (label, grantee, roles_sql) = match of {
        Some((true, role)) => {
            if !is_predefined(&role) && !role_exists(b, account, &role).await? {
                return Err(SqlError::internal(format!("there is no role {role}")));
            }
            (format!("Grants for {role}"), format!("`{role}`"), sql_str(&role))
        }
        other => {
            let user = other.map_or_else(|| current.unwrap_or("root").to_owned(), |(_, u)| u);
            (
                format!("Grants for {user}@localhost"),
                format!("`{user}`@`localhost`"),
                format!(
                    "SELECT role_name FROM mo_catalog.mosim_user_roles WHERE account_name = {a} AND user_name = {}",
                    sql_str(&user)
                ),
            )
        }
    };
    let rows = b
        .query(&format!(
            "SELECT DISTINCT privilege, obj_type, db, tbl FROM mo_catalog.mosim_privileges \
             WHERE account_name = {a} AND role_name IN ({roles_sql}) ORDER BY obj_type, db, tbl, privilege"
        ))
        .await?;
    let lines: Vec<String> = rows
        .rows
        .into_iter()
        .map(|r| {
            let col = |i: usize| cell(&r, i);
            let kind = match col(1).as_str() {
                "account" => "account",
                "database" => "database",
                _ => "table",
            };
            let on = Object { kind, db: col(2), table: col(3) };
            format!("{} {grantee}", grant_line(&col(0), &on))
        })
        .collect();
    Ok(Action::Forward(literal_rows(&label, &lines)))
}

/// A SELECT returning `values` as one text column named `label`.
pub(crate) fn literal_rows(label: &str, values: &[String]) -> String {
    if values.is_empty() {
        return format!("SELECT '' AS {} FROM DUAL WHERE FALSE", ident(label));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == 0 {
                format!("SELECT {} AS {}", sql_str(v), ident(label))
            } else {
                format!("SELECT {}", sql_str(v))
            }
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}
