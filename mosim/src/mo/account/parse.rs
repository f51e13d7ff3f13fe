//! The account, user, role and grant statements, with MatrixOne's grammar
//! (pkg/sql/parsers/dialect/mysql/mysql_sql.y: `create_account_stmt`, `alter_account_stmt`,
//! `drop_account_stmt`, `show_accounts_stmt`, `create_user_stmt`, `alter_user_stmt`,
//! `drop_user_stmt`, `create_role_stmt`, `drop_role_stmt`, `grant_stmt`, `revoke_stmt`,
//! `show_grants_stmt`), and the publication statements ([`crate::mo::publication::parse`]).

use std::fmt;

use crate::error::SqlError;
use crate::mo::publication::parse::PubStmt;
use crate::sql::cursor::Cursor;
use crate::sql::lexer::{Kind, Token};

/// A password from a statement: never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Password(pub(crate) String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What a privilege is granted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Object {
    /// `account`, `database` or `table`.
    pub(crate) kind: &'static str,
    /// The database, `*` for all, `""` for the current one.
    pub(crate) db: String,
    /// The table, `*` for all.
    pub(crate) table: String,
}

/// An account, user, role, grant or publication statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccountStmt {
    CreateAccount {
        if_not_exists: bool,
        name: String,
        admin: String,
        password: Password,
        status: Option<String>,
        comment: Option<String>,
    },
    AlterAccount {
        if_exists: bool,
        name: String,
        auth: Option<(String, Password)>,
        status: Option<String>,
        comment: Option<String>,
    },
    DropAccount {
        if_exists: bool,
        name: String,
    },
    ShowAccounts {
        like: Option<String>,
    },
    CreateUser {
        if_not_exists: bool,
        users: Vec<(String, Password)>,
        default_role: Option<String>,
        locked: bool,
    },
    AlterUser {
        if_exists: bool,
        name: String,
        password: Option<Password>,
        lock: Option<bool>,
    },
    DropUser {
        if_exists: bool,
        names: Vec<String>,
    },
    CreateRole {
        if_not_exists: bool,
        names: Vec<String>,
    },
    DropRole {
        if_exists: bool,
        names: Vec<String>,
    },
    GrantPrivileges {
        privileges: Vec<String>,
        on: Object,
        roles: Vec<String>,
    },
    RevokePrivileges {
        if_exists: bool,
        privileges: Vec<String>,
        on: Object,
        roles: Vec<String>,
    },
    GrantRoles {
        roles: Vec<String>,
        users: Vec<String>,
    },
    RevokeRoles {
        if_exists: bool,
        roles: Vec<String>,
        users: Vec<String>,
    },
    /// `SHOW GRANTS [FOR [ROLE] name]`: `role` tells which.
    ShowGrants {
        of: Option<(bool, String)>,
    },
    Publication(Box<PubStmt>),
    /// A user statement of MariaDB's that mosim refuses (20105 naming it).
    Unsupported(&'static str),
}

/// A user name with an optional `@host` (ignored, as MatrixOne ignores it).
fn user(c: &mut Cursor<'_>) -> Result<String, SqlError> {
    let name = c.lower_name()?;
    match c.t.get(c.i).map(|t| &t.kind) {
        Some(Kind::Var(_)) => c.i += 1,
        Some(Kind::Punct('@')) => c.i += 2,
        _ => {}
    }
    Ok(name)
}

fn user_list(c: &mut Cursor<'_>) -> Result<Vec<String>, SqlError> {
    let mut out = vec![user(c)?];
    while c.punct(',') {
        out.push(user(c)?);
    }
    Ok(out)
}

/// Parses `sql` if it is an account, user, role, grant or publication statement.
pub(crate) fn parse(sql: &[u8], toks: &[Token]) -> Result<Option<AccountStmt>, SqlError> {
    let w = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    let mut c = Cursor::new(sql, toks, 0);
    if let Some(p) = crate::mo::publication::parse::parse(&mut c)? {
        return Ok(Some(AccountStmt::Publication(Box::new(p))));
    }
    let stmt = if w(0, "create") && w(1, "account") {
        c.i = 2;
        create_account(&mut c)?
    } else if w(0, "alter") && w(1, "account") {
        c.i = 2;
        alter_account(&mut c)?
    } else if w(0, "drop") && w(1, "account") {
        c.i = 2;
        let if_exists = c.if_exists()?;
        let name = c.lower_name()?;
        c.end()?;
        AccountStmt::DropAccount { if_exists, name }
    } else if w(0, "show") && w(1, "accounts") {
        c.i = 2;
        AccountStmt::ShowAccounts { like: c.like_end()? }
    } else if w(0, "create") && w(1, "user") {
        c.i = 2;
        create_user(&mut c)?
    } else if w(0, "alter") && w(1, "user") {
        c.i = 2;
        alter_user(&mut c)?
    } else if w(0, "drop") && w(1, "user") {
        c.i = 2;
        let if_exists = c.if_exists()?;
        let names = user_list(&mut c)?;
        c.end()?;
        AccountStmt::DropUser { if_exists, names }
    } else if w(0, "create") && w(1, "role") {
        c.i = 2;
        let if_not_exists = c.if_not_exists()?;
        let names = c.name_list()?;
        c.end()?;
        AccountStmt::CreateRole { if_not_exists, names }
    } else if w(0, "drop") && w(1, "role") {
        c.i = 2;
        let if_exists = c.if_exists()?;
        let names = c.name_list()?;
        c.end()?;
        AccountStmt::DropRole { if_exists, names }
    } else if w(0, "grant") {
        c.i = 1;
        grant(&mut c)?
    } else if w(0, "revoke") {
        c.i = 1;
        revoke(&mut c)?
    } else if w(0, "show") && w(1, "grants") {
        c.i = 2;
        let of = if c.kw("for") {
            let role = c.kw("role");
            let name = user(&mut c)?;
            // `USING role, ...`: the roles are not looked at.
            if c.kw("using") {
                c.name_list()?;
            }
            Some((role, name))
        } else {
            None
        };
        c.end()?;
        AccountStmt::ShowGrants { of }
    } else {
        return Ok(None);
    };
    Ok(Some(stmt))
}

/// `IDENTIFIED BY 'p'` (`IDENTIFIED WITH 'p'` is the same to mosim).
fn identified(c: &mut Cursor<'_>) -> Result<Password, SqlError> {
    c.expect_kw("identified")?;
    if !c.kw("by") {
        c.expect_kw("with")?;
    }
    c.string().map(Password)
}

fn status(c: &mut Cursor<'_>) -> Option<String> {
    ["open", "suspend", "restricted"].into_iter().find(|s| c.kw(s)).map(str::to_owned)
}

fn comment(c: &mut Cursor<'_>) -> Result<Option<String>, SqlError> {
    if c.kw("comment") { c.string().map(Some) } else { Ok(None) }
}

fn create_account(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let if_not_exists = c.if_not_exists()?;
    let name = c.lower_name()?;
    c.expect_kw("admin_name")?;
    c.punct('=');
    let admin = c.lower_name()?;
    let password = identified(c)?;
    let status = status(c);
    let comment = comment(c)?;
    c.end()?;
    Ok(AccountStmt::CreateAccount { if_not_exists, name, admin, password, status, comment })
}

fn alter_account(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let if_exists = c.if_exists()?;
    let name = c.lower_name()?;
    let auth = if c.kw("admin_name") {
        c.punct('=');
        let admin = c.lower_name()?;
        Some((admin, identified(c)?))
    } else {
        None
    };
    let status = status(c);
    let comment = comment(c)?;
    c.end()?;
    if auth.is_none() && status.is_none() && comment.is_none() {
        return Err(c.err());
    }
    Ok(AccountStmt::AlterAccount { if_exists, name, auth, status, comment })
}

fn create_user(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let if_not_exists = c.if_not_exists()?;
    let mut users = Vec::new();
    loop {
        let name = user(c)?;
        users.push((name, identified(c)?));
        if !c.punct(',') {
            break;
        }
    }
    let mut default_role = None;
    let mut locked = false;
    loop {
        if c.kw("default") {
            c.expect_kw("role")?;
            default_role = Some(c.lower_name()?);
        } else if c.kw("lock") || (c.kw("account") && c.kw("lock")) {
            locked = true;
        } else if c.kw("unlock") {
            locked = false;
        } else if c.kw("comment") || c.kw("attribute") {
            c.string()?;
        } else {
            break;
        }
    }
    c.end()?;
    Ok(AccountStmt::CreateUser { if_not_exists, users, default_role, locked })
}

fn alter_user(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let if_exists = c.if_exists()?;
    let name = user(c)?;
    let password = if c.peek_kw("identified") { Some(identified(c)?) } else { None };
    let _ = c.kw("account");
    let lock = if c.kw("lock") {
        Some(true)
    } else if c.kw("unlock") {
        Some(false)
    } else {
        None
    };
    c.end()?;
    if password.is_none() && lock.is_none() {
        return Err(c.err());
    }
    Ok(AccountStmt::AlterUser { if_exists, name, password, lock })
}

/// The privileges before `ON`: words, comma-separated, lower case (`all privileges` is `all`).
fn privileges(c: &mut Cursor<'_>) -> Result<Vec<String>, SqlError> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    loop {
        match c.t.get(c.i) {
            Some(t) if t.is_kw("on") => break,
            Some(t) if t.is(',') => {
                out.push(std::mem::take(&mut words).join(" "));
            }
            Some(Token { kind: Kind::Word(w), .. }) => words.push(w.to_lowercase()),
            _ => return Err(c.err()),
        }
        c.i += 1;
    }
    out.push(words.join(" "));
    if out.iter().any(String::is_empty) {
        return Err(c.err());
    }
    Ok(out.into_iter().map(|p| if p == "all privileges" { "all".to_owned() } else { p }).collect())
}

/// `ON [ACCOUNT | DATABASE | TABLE] level` (`priv_level` in mysql_sql.y).
fn object(c: &mut Cursor<'_>) -> Result<Object, SqlError> {
    c.expect_kw("on")?;
    let kind = if c.kw("account") {
        "account"
    } else if c.kw("database") {
        "database"
    } else {
        let _ = c.kw("table");
        "table"
    };
    let first = if c.punct('*') { "*".to_owned() } else { c.name()? };
    let (db, table) = if c.punct('.') {
        let second = if c.punct('*') { "*".to_owned() } else { c.name()? };
        (first, second)
    } else if kind == "table" {
        (String::new(), first)
    } else {
        (first, "*".to_owned())
    };
    Ok(Object { kind, db, table })
}

fn grant(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let has_on = c.t.iter().any(|t| t.is_kw("on"));
    if has_on {
        let privileges = privileges(c)?;
        let on = object(c)?;
        c.expect_kw("to")?;
        let roles = c.name_list()?;
        with_grant_option(c)?;
        c.end()?;
        return Ok(AccountStmt::GrantPrivileges { privileges, on, roles });
    }
    let roles = c.name_list()?;
    c.expect_kw("to")?;
    let users = user_list(c)?;
    with_grant_option(c)?;
    c.end()?;
    Ok(AccountStmt::GrantRoles { roles, users })
}

fn with_grant_option(c: &mut Cursor<'_>) -> Result<(), SqlError> {
    if c.kw("with") {
        c.expect_kw("grant")?;
        c.expect_kw("option")?;
    }
    Ok(())
}

fn revoke(c: &mut Cursor<'_>) -> Result<AccountStmt, SqlError> {
    let if_exists = c.if_exists()?;
    if c.t.iter().any(|t| t.is_kw("on")) {
        let privileges = privileges(c)?;
        let on = object(c)?;
        c.expect_kw("from")?;
        let roles = c.name_list()?;
        c.end()?;
        return Ok(AccountStmt::RevokePrivileges { if_exists, privileges, on, roles });
    }
    let roles = c.name_list()?;
    c.expect_kw("from")?;
    let users = user_list(c)?;
    c.end()?;
    Ok(AccountStmt::RevokeRoles { if_exists, roles, users })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn p(sql: &str) -> Option<AccountStmt> {
        parse(sql.as_bytes(), &tokenize(sql.as_bytes())).unwrap()
    }

    #[test]
    fn forms_the_sdk_renders_parse() {
        for sql in [
            "CREATE ACCOUNT `acc1` ADMIN_NAME 'admin' IDENTIFIED BY 'x' OPEN COMMENT 'c'",
            "create account tenant_test admin_name = 'root' identified by '111' open comment 'tenant_test'",
            "ALTER ACCOUNT `acc1` ADMIN_NAME 'admin' IDENTIFIED BY 'y'",
            "ALTER ACCOUNT IF EXISTS a SUSPEND",
            "DROP ACCOUNT IF EXISTS a",
            "SHOW ACCOUNTS LIKE 'a%'",
            "CREATE USER `alice` IDENTIFIED BY 'p' DEFAULT ROLE `reader`",
            "CREATE USER IF NOT EXISTS `alice` IDENTIFIED BY 'p' LOCK",
            "ALTER USER IF EXISTS `alice` UNLOCK",
            "ALTER USER `alice` IDENTIFIED BY 'n'",
            "DROP USER IF EXISTS `alice`",
            "CREATE ROLE `reader`, `writer`",
            "DROP ROLE IF EXISTS `reader`",
            "GRANT SELECT, INSERT ON TABLE `db1`.`t1` TO `reader`",
            "GRANT CREATE USER ON ACCOUNT * TO `admin2` WITH GRANT OPTION",
            "GRANT ALL ON TABLE `db1`.* TO `r`",
            "GRANT SHOW TABLES ON DATABASE `db1` TO `r1`, `r2`",
            "GRANT `r1`, `r2` TO `alice`",
            "REVOKE IF EXISTS SELECT ON ACCOUNT * FROM `r`",
            "REVOKE `r1` FROM `a`, `b`",
            "SHOW GRANTS FOR `alice` USING `reader`",
            "SHOW GRANTS FOR ROLE `reader`",
            "SHOW GRANTS",
        ] {
            assert!(p(sql).is_some(), "{sql}");
        }
        assert!(p("select 1").is_none());
        assert!(p("create database publication").is_none());
        assert!(p("CREATE DATABASE IF NOT EXISTS `sub01` FROM `sys` PUBLICATION `add`").is_some());
        let e = parse(b"create account a admin_name 'u'", &tokenize(b"create account a admin_name 'u'"));
        assert_eq!(e.unwrap_err().code, 1064);
    }

    #[test]
    fn passwords_stay_out_of_debug() {
        let s = p("CREATE ACCOUNT a ADMIN_NAME 'u' IDENTIFIED BY 'secret-42'").unwrap();
        assert!(!format!("{s:?}").contains("secret-42"));
    }
}
