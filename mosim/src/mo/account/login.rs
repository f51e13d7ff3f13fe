//! Logins `acc:user[:role]` (also `acc#user#role`, `%3A` for `:`, a `?...` label stripped):
//! MatrixOne's `GetTenantInfo` (pkg/frontend/authenticate.go) and the checks of
//! `Session.AuthenticateUser` (pkg/frontend/session.go), whose errors reach the client as
//! 1045 `Access denied for user <user>. internal error: ...` (`RewriteError`,
//! pkg/frontend/util.go). `sys` logins are accepted with any password, as before accounts.

use sha1::{Digest, Sha1};

use crate::error::SqlError;
use crate::mo::account::{ACCOUNT_ADMIN_ROLE, PUBLIC_ROLE, Who, registry};
use crate::mo::pool::Pool;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::{Backend, cell};

/// The parts of a login name: account, user, role (`None`: the user alone, i.e. `sys`).
pub(crate) fn split(login: &str) -> Result<Option<(String, String, Option<String>)>, SqlError> {
    let login = login.split('?').next().unwrap_or(login).replace("%3A", ":").replace("%3a", ":");
    let delim = if login.contains(':') {
        ':'
    } else if login.contains('#') {
        '#'
    } else {
        return Ok(None);
    };
    let mut parts = login.split(delim).map(str::trim);
    let account = parts.next().unwrap_or("").to_lowercase();
    let user = parts.next().unwrap_or("").to_lowercase();
    let role = parts.next().map(str::to_lowercase);
    if account.is_empty() {
        return Err(SqlError::internal(format!("invalid tenant name '{account}'")));
    }
    if user.is_empty() {
        return Err(SqlError::internal(format!("invalid user name '{user}'")));
    }
    if role.as_deref() == Some("") {
        return Err(SqlError::internal("invalid role name ''"));
    }
    Ok(Some((account, user, role)))
}

/// Checks a login; `Ok(None)` is a `sys` session. `nonce` is the greeting's scramble and
/// `auth` the client's mysql_native_password answer.
pub(crate) async fn check(
    catalog: &Pool,
    login: &str,
    nonce: &[u8],
    auth: &[u8],
) -> Result<Option<Who>, SqlError> {
    let denied = |e: SqlError| {
        let user = login.split('?').next().unwrap_or(login);
        SqlError {
            code: 1045,
            state: "28000".into(),
            message: format!("Access denied for user {user}. {}", e.message),
        }
    };
    let Some((account, user, role)) = split(login).map_err(denied)? else { return Ok(None) };
    if account == crate::mo::SYS {
        return Ok(None);
    }
    let mut cat = catalog.get().await.map_err(denied)?;
    let result = authenticate(&mut cat, &account, &user, role, nonce, auth).await;
    cat.release();
    result.map(Some).map_err(denied)
}

async fn authenticate(
    b: &mut Backend,
    account: &str,
    user: &str,
    role: Option<String>,
    nonce: &[u8],
    auth: &[u8],
) -> Result<Who, SqlError> {
    let Some(acc) = registry::find(b, account).await? else {
        return Err(SqlError::internal(format!("there is no tenant {account}")));
    };
    if acc.status == "suspend" {
        return Err(SqlError::internal(format!("Account {account} is suspended")));
    }
    let rows = b
        .query(&format!(
            "SELECT auth, status, default_role FROM mo_catalog.mosim_users WHERE account_name = {} AND user_name = {}",
            sql_str(account),
            sql_str(user)
        ))
        .await?;
    let Some(row) = rows.rows.into_iter().next() else {
        return Err(SqlError::internal(format!("there is no user {user}")));
    };
    let col = |i: usize| cell(&row, i);
    if col(1) == "lock" {
        return Err(SqlError::internal("user is locked, please ask the administrator to unlock"));
    }
    if !password_matches(&col(0), nonce, auth) {
        return Err(SqlError::internal("check password failed"));
    }
    let role = match role {
        Some(r) => {
            check_role(b, account, user, &r).await?;
            r
        }
        None => col(2),
    };
    // The account's admin, or a user granted its role, administers the account.
    let admin = user == acc.admin
        || crate::mo::catalog::exists(
            b,
            "mo_catalog.mosim_user_roles",
            &format!(
                "account_name = {} AND role_name = {} AND user_name = {}",
                sql_str(account),
                sql_str(ACCOUNT_ADMIN_ROLE),
                sql_str(user)
            ),
        )
        .await?;
    Ok(Who { account: account.to_owned(), user: user.to_owned(), role, admin })
}

/// Whether `user` may take role `r` (at login, or by SET ROLE / USE ROLE): it exists and was
/// granted to the user (`public` always is). Texts from session.go `AuthenticateUser`.
pub(crate) async fn check_role(b: &mut Backend, account: &str, user: &str, r: &str) -> Result<(), SqlError> {
    let exists = r == ACCOUNT_ADMIN_ROLE
        || r == PUBLIC_ROLE
        || crate::mo::catalog::exists(
            b,
            "mo_catalog.mosim_roles",
            &format!("account_name = {} AND role_name = {}", sql_str(account), sql_str(r)),
        )
        .await?;
    if !exists {
        return Err(SqlError::internal(format!("there is no role {r}")));
    }
    let granted = r == PUBLIC_ROLE
        || crate::mo::catalog::exists(
            b,
            "mo_catalog.mosim_user_roles",
            &format!(
                "account_name = {} AND role_name = {} AND user_name = {}",
                sql_str(account),
                sql_str(r),
                sql_str(user)
            ),
        )
        .await?;
    if !granted {
        return Err(SqlError::internal(format!("the role {r} has not been granted to the user {user}")));
    }
    Ok(())
}

/// Whether `auth` is `SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw)))` for the password whose
/// `SHA1(SHA1(pw))` is `stored` (hex).
fn password_matches(stored: &str, nonce: &[u8], auth: &[u8]) -> bool {
    if auth.is_empty() {
        return stored == crate::mo::account::password_hash("");
    }
    let Some(h2) = unhex(stored) else { return false };
    if auth.len() != 20 || h2.len() != 20 {
        return false;
    }
    let mut hasher = Sha1::new();
    hasher.update(nonce);
    hasher.update(&h2);
    let mask = hasher.finalize();
    let h1: Vec<u8> = auth.iter().zip(mask.iter()).map(|(a, m)| a ^ m).collect();
    Sha1::digest(&h1).as_slice() == h2.as_slice()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_forms() {
        assert_eq!(split("root").unwrap(), None);
        assert_eq!(split("Acc:U").unwrap(), Some(("acc".into(), "u".into(), None)));
        assert_eq!(split("a#u#r").unwrap(), Some(("a".into(), "u".into(), Some("r".into()))));
        assert_eq!(split("a%3Au?k=v").unwrap(), Some(("a".into(), "u".into(), None)));
        assert!(split(":u").unwrap_err().message.contains("invalid tenant name ''"));
    }

    #[test]
    fn native_password_round_trip() {
        let nonce = [7u8; 20];
        let pw = "s3cret";
        let h1 = Sha1::digest(pw.as_bytes());
        let h2 = Sha1::digest(h1);
        let mut hasher = Sha1::new();
        hasher.update(nonce);
        hasher.update(h2);
        let mask = hasher.finalize();
        let auth: Vec<u8> = h1.iter().zip(mask.iter()).map(|(a, m)| a ^ m).collect();
        let stored = crate::mo::account::password_hash(pw);
        assert!(password_matches(&stored, &nonce, &auth));
        assert!(!password_matches(&crate::mo::account::password_hash("other"), &nonce, &auth));
    }
}
