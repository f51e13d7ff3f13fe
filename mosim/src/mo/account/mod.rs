//! MatrixOne's accounts (tenants), their users, roles and grants, kept in mosim's catalog
//! (`mo_catalog.mosim_*` tables in the backend), never as MariaDB users.
//!
//! One file per concept: [`parse`] (the statements, from `mysql_sql.y`), [`registry`]
//! (CREATE / ALTER / DROP / SHOW ACCOUNTS), [`login`] (`acc:user[:role]` and its password),
//! [`namespace`] (an account's databases are backend databases named `acc$db`, and the
//! statement text is mapped both ways), [`users`] (users, roles, GRANT / REVOKE, SHOW GRANTS)
//! and [`privilege`] (what a non-admin user may run).

pub(crate) mod login;
pub(crate) mod namespace;
pub(crate) mod parse;
pub(crate) mod privilege;
pub(crate) mod registry;
pub(crate) mod users;

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::pool::Pool;
use crate::sql::lexer::Token;
use crate::wire::backend::Backend;

pub(crate) use parse::AccountStmt;

/// Catalog tables for accounts, users, roles and privileges (created at start-up). Names
/// compare case-sensitively: MatrixOne lower-cases account, user and role names itself.
pub(crate) const SETUP: [&str; 5] = [
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_accounts (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
        admin_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        created_time DATETIME NOT NULL,
        status VARCHAR(16) NOT NULL,
        suspended_time DATETIME NULL,
        comments TEXT NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_users (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        user_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        auth CHAR(40) NOT NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'unlock',
        default_role VARCHAR(100) COLLATE utf8mb4_bin NOT NULL DEFAULT 'public',
        PRIMARY KEY (account_name, user_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_roles (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        role_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        PRIMARY KEY (account_name, role_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_user_roles (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        role_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        user_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        PRIMARY KEY (account_name, role_name, user_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_privileges (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        role_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        privilege VARCHAR(64) NOT NULL,
        obj_type VARCHAR(16) NOT NULL,
        db VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        tbl VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        PRIMARY KEY (account_name, role_name, privilege, obj_type, db, tbl)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
];

/// The role MatrixOne gives an account's admin user (pkg/frontend/authenticate.go,
/// `accountAdminRoleName`).
pub(crate) const ACCOUNT_ADMIN_ROLE: &str = "accountadmin";
/// The role every user has (`publicRoleName`).
pub(crate) const PUBLIC_ROLE: &str = "public";

/// Who a session is logged in as, for an account other than `sys`. Sessions of `sys` carry
/// none: they keep mosim's behaviour before accounts (root, any password, every privilege).
#[derive(Debug, Clone)]
pub(crate) struct Who {
    /// The account (lower case).
    pub(crate) account: String,
    /// The user.
    pub(crate) user: String,
    /// The role named at login, or the user's default role.
    pub(crate) role: String,
    /// Whether the user is the account's admin (role `accountadmin`).
    pub(crate) admin: bool,
}

/// What the session does with a statement before its usual handling.
#[derive(Debug)]
pub(crate) enum Hook {
    /// Handle the statement as written.
    Pass,
    /// Handle this text instead (an account's database names mapped to the backend's).
    Mapped(Vec<u8>),
    /// An account, user, role, grant or publication statement, carried out by [`execute`].
    Run(AccountStmt),
    /// Answered already (`DROP DATABASE` of a subscription).
    Done(Action),
    /// `SET ROLE r` / `USE ROLE r` in an account's session: the session's role becomes `r`.
    Role(String),
}

/// Decides what happens to one statement of a session logged in as `who` (`None`: `sys`).
pub(crate) async fn before_statement(
    catalog: &Pool,
    client: &mut Backend,
    who: Option<&Who>,
    sql: &[u8],
    toks: &[Token],
) -> Result<Hook, SqlError> {
    if let Some(stmt) = parse::parse(sql, toks)? {
        return Ok(Hook::Run(stmt));
    }
    let w = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if w(0, "drop") && (w(1, "database") || w(1, "schema")) {
        // build_ddl.go: a published database cannot be dropped.
        let j = if w(2, "if") { 4 } else { 2 };
        if let Some(db) = toks.get(j).and_then(Token::ident) {
            let account = who.map_or(crate::mo::SYS, |w| w.account.as_str());
            let mut cat = catalog.get().await?;
            let filter = format!(
                "account_name = {} AND database_name = {}",
                crate::sql::rewrite::sql_str(account),
                crate::sql::rewrite::sql_str(db)
            );
            let publishing =
                crate::mo::catalog::exists(&mut cat, "mo_catalog.mosim_publications", &filter).await;
            cat.release();
            if publishing? {
                return Err(SqlError::internal(format!("can not drop database '{db}' which is publishing")));
            }
        }
    }
    if (w(0, "set") && w(1, "password")) || (w(0, "rename") && w(1, "user")) {
        // MariaDB would change its own users (the backend's root among them). Refused after
        // the transaction rule, as a statement carried out here.
        return Ok(Hook::Run(AccountStmt::Unsupported(
            "SET PASSWORD and RENAME USER are not simulated by mosim (use ALTER USER)",
        )));
    }
    let Some(who) = who else {
        return Ok(namespace::sys_rewrite(sql, toks).map_or(Hook::Pass, Hook::Mapped));
    };
    if (w(0, "set") || w(0, "use")) && w(1, "role") {
        let role = toks.get(2).and_then(Token::ident).map(str::to_lowercase).unwrap_or_default();
        let mut cat = catalog.get().await?;
        let checked = login::check_role(&mut cat, &who.account, &who.user, &role).await;
        cat.release();
        checked?;
        return Ok(Hook::Role(role));
    }
    if sys_only(toks) {
        return Err(SqlError::not_supported(
            "snapshots, PITR, RESTORE and DATA BRANCH in an account other than sys are not simulated by mosim",
        ));
    }
    let mut cat = catalog.get().await?;
    let result = async {
        let mut names = namespace::Names::load(&mut cat, &who.account).await?;
        names.load_views(&mut cat, toks).await?;
        if let Some(done) =
            crate::mo::publication::guard(&mut cat, client, &who.account, &names, toks).await?
        {
            return Ok(Hook::Done(done));
        }
        if !who.admin {
            privilege::check(&mut cat, client, who, &names, toks).await?;
        }
        let show_tables =
            toks.first().is_some_and(|t| t.is_kw("show")) && toks.get(1).is_some_and(|t| t.is_kw("tables"));
        if show_tables {
            let current = crate::mo::catalog::current_database(client).await?;
            if let Some(text) = names.show_tables(toks, current.as_deref()) {
                return Ok(Hook::Mapped(text.into_bytes()));
            }
        }
        names.map(sql, toks, who).map(Hook::Mapped)
    }
    .await;
    cat.release();
    result
}

/// The text a session of `who` prepares (COM_STMT_PREPARE): mapped and checked as a query
/// is; account and publication statements cannot be prepared here. `None`: unchanged.
pub(crate) async fn prepared_text(
    catalog: &Pool,
    client: &mut Backend,
    who: Option<&Who>,
    sql: &[u8],
    toks: &[Token],
) -> Result<Option<Vec<u8>>, SqlError> {
    if who.is_none() {
        return Ok(None);
    }
    match before_statement(catalog, client, who, sql, toks).await? {
        Hook::Pass => Ok(None),
        Hook::Mapped(text) => Ok(Some(text)),
        Hook::Run(_) | Hook::Done(_) | Hook::Role(_) => Err(SqlError::not_supported(
            "account, user, role, grant, publication and subscription statements cannot be prepared in mosim",
        )),
    }
}

/// The backend name of database `db` for COM_INIT_DB from a session of `who`.
pub(crate) async fn init_db(catalog: &Pool, who: &Who, db: &str) -> Result<String, SqlError> {
    if db.contains('$') {
        return Err(no_privilege());
    }
    let mut cat = catalog.get().await?;
    let names = namespace::Names::load(&mut cat, &who.account).await;
    cat.release();
    let names = names?;
    if !names.has_database(db) {
        return Err(SqlError {
            code: 1049,
            state: "42000".into(),
            message: format!("Unknown database {db}"),
        });
    }
    Ok(names.backend(db))
}

/// Statements mosim carries out on sys's names only: snapshots, PITR, RESTORE, DATA BRANCH.
fn sys_only(toks: &[Token]) -> bool {
    let w = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    ((w(0, "create") || w(0, "drop") || w(0, "alter")) && (w(1, "snapshot") || w(1, "pitr")))
        || (w(0, "show") && (w(1, "snapshots") || w(1, "pitr")))
        || w(0, "restore")
        || (w(0, "data") && w(1, "branch"))
}

/// Carries out an account, user, role, grant or publication statement for `who`.
pub(crate) async fn execute(
    catalog: &Pool,
    who: Option<&Who>,
    stmt: AccountStmt,
) -> Result<Action, SqlError> {
    let mut cat = catalog.get().await?;
    let result = run(&mut cat, who, stmt).await;
    cat.release();
    result
}

async fn run(cat: &mut Backend, who: Option<&Who>, stmt: AccountStmt) -> Result<Action, SqlError> {
    use AccountStmt as S;
    let account = who.map_or(crate::mo::SYS, |w| w.account.as_str());
    let admin = who.is_none_or(|w| w.admin);
    match stmt {
        S::CreateAccount { .. } | S::AlterAccount { .. } | S::DropAccount { .. } | S::ShowAccounts { .. } => {
            if who.is_some() {
                return Err(no_privilege());
            }
            registry::execute(cat, stmt).await
        }
        S::Publication(p) => crate::mo::publication::execute(cat, account, admin, *p).await,
        S::Unsupported(what) => Err(SqlError::not_supported(what)),
        other => {
            if !admin && !matches!(other, S::ShowGrants { .. }) {
                return Err(no_privilege());
            }
            users::execute(cat, account, who.map(|w| w.user.as_str()), other).await
        }
    }
}

/// Whether backend database `db` belongs to account `account` (`sys`: every database
/// without `$`), for account-level snapshots and restores.
pub(crate) fn owns(account: &str, db: &str) -> bool {
    if account == crate::mo::SYS { !db.contains('$') } else { db.starts_with(&format!("{account}$")) }
}

/// The SQL condition that column `col` names a database of `account` (see [`owns`]).
pub(crate) fn owns_sql(account: &str, col: &str) -> String {
    if account == crate::mo::SYS {
        format!("{col} NOT LIKE '%$%'")
    } else {
        let p = format!("{account}$");
        format!("LEFT({col}, {}) = {}", p.chars().count(), crate::sql::rewrite::sql_str(&p))
    }
}

/// Whether account `account` exists (`sys` always does).
pub(crate) async fn account_exists(b: &mut Backend, account: &str) -> Result<bool, SqlError> {
    Ok(account == crate::mo::SYS || registry::find(b, account).await?.is_some())
}

/// MatrixOne's answer to a statement the user may not run (authenticate.go).
pub(crate) fn no_privilege() -> SqlError {
    SqlError::internal("do not have privilege to execute the statement")
}

/// `SHA1(SHA1(password))` in hex: what mosim keeps of a password (MySQL's native hash).
pub(crate) fn password_hash(password: &str) -> String {
    use sha1::{Digest, Sha1};
    let once = Sha1::digest(password.as_bytes());
    let twice = Sha1::digest(once);
    twice.iter().map(|b| format!("{b:02x}")).collect()
}

/// MatrixOne's name check for accounts, users and roles (`normalizeNameOfAccount` and
/// friends in authenticate.go): letters, digits, `_` and `-`, at most 300 bytes.
pub(crate) fn check_name(name: &str) -> Result<(), SqlError> {
    let ok = !name.is_empty()
        && name.len() <= 300
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok { Ok(()) } else { Err(SqlError::internal(format!("the name \"{name}\" is invalid"))) }
}
