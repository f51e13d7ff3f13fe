//! Publications and subscriptions between mosim's accounts (pkg/frontend/
//! publication_subscription.go; texts from test/distributed/cases/publication_subscription/
//! *.result). A subscription is a name in the subscriber's account for the publisher's
//! backend database ([`crate::mo::account::namespace`]), so the subscriber reads the
//! publisher's current data; writes to it are refused as MatrixOne refuses them.
//!
//! SHOW PUBLICATIONS and SHOW SUBSCRIPTIONS carry MatrixOne's non-MySQL column type 0xF1
//! where it sends it (reference §7c, §10.4).

pub(crate) mod parse;

use crate::error::SqlError;
use crate::mo::Action;
use crate::mo::account::namespace::{Names, backend_name};
use crate::mo::account::no_privilege;
use crate::mo::account::registry::{find, like_match};
use crate::mo::catalog::{current_database, database_exists, exists};
use crate::sql::guard::{Target, write_targets};
use crate::sql::lexer::Token;
use crate::sql::rewrite::{ident, is_system_db, sql_str};
use crate::wire::backend::{Backend, cell};
use crate::wire::response::{TYPE_DATETIME, TYPE_MO_TEXT, TYPE_VAR_STRING};
use parse::{Accounts, PubStmt};

/// Catalog tables for publications and subscriptions (created at start-up).
pub(crate) const SETUP: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_publications (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        pub_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        database_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        table_list TEXT NOT NULL,
        account_list TEXT NOT NULL,
        created_time DATETIME NOT NULL,
        update_time DATETIME NULL,
        comments TEXT NOT NULL,
        PRIMARY KEY (account_name, pub_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE IF NOT EXISTS mo_catalog.mosim_subscriptions (
        account_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        sub_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        pub_account VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        pub_name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
        sub_time DATETIME NOT NULL,
        PRIMARY KEY (account_name, sub_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
];

const TIME: &str = "'%Y-%m-%d %H:%i:%s'";

/// One publication.
struct Publication {
    db: String,
    tables: String,
    accounts: String,
    comment: String,
}

async fn find_pub(b: &mut Backend, account: &str, name: &str) -> Result<Option<Publication>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT database_name, table_list, account_list, DATE_FORMAT(created_time, {TIME}), \
             DATE_FORMAT(update_time, {TIME}), comments FROM mo_catalog.mosim_publications \
             WHERE account_name = {} AND pub_name = {}",
            sql_str(account),
            sql_str(name)
        ))
        .await?;
    Ok(rows.rows.into_iter().next().map(|r| {
        let col = |i: usize| r.get(i).cloned().flatten();
        Publication {
            db: col(0).unwrap_or_default(),
            tables: col(1).unwrap_or_default(),
            accounts: col(2).unwrap_or_default(),
            comment: col(5).unwrap_or_default(),
        }
    }))
}

fn allows(accounts: &str, account: &str) -> bool {
    accounts == "*" || accounts.split(',').any(|a| a == account)
}

async fn account_exists(b: &mut Backend, account: &str) -> Result<bool, SqlError> {
    Ok(account == crate::mo::SYS || find(b, account).await?.is_some())
}

/// SHOW PUBLICATIONS' columns and wire types, 0xF1 included (reference §7c, §10.4).
const SHOW_COLUMNS: [(&str, u8); 8] = [
    ("publication", TYPE_VAR_STRING),
    ("database", TYPE_VAR_STRING),
    ("tables", TYPE_MO_TEXT),
    ("sub_account", TYPE_MO_TEXT),
    ("subscribed_accounts", TYPE_MO_TEXT),
    ("create_time", TYPE_DATETIME),
    ("update_time", TYPE_DATETIME),
    ("comments", TYPE_MO_TEXT),
];

/// SHOW PUBLICATIONS when prepared (COM_STMT_PREPARE), where mosim runs no account
/// statement: an empty result with MatrixOne's columns.
pub(crate) fn show_empty() -> Action {
    Action::Rows(SHOW_COLUMNS.to_vec(), Vec::new())
}

/// The subscriptions of `account`: each name, the publisher's backend database, and the
/// published tables when the publication names some.
pub(crate) async fn subscribed(b: &mut Backend, account: &str) -> Result<Vec<Subscribed>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT s.sub_name, p.account_name, p.database_name, p.table_list FROM mo_catalog.mosim_subscriptions s \
             LEFT JOIN mo_catalog.mosim_publications p ON p.account_name = s.pub_account AND p.pub_name = s.pub_name \
             WHERE s.account_name = {}",
            sql_str(account)
        ))
        .await?;
    Ok(rows
        .rows
        .into_iter()
        .map(|r| {
            let col = |i: usize| cell(&r, i);
            let (name, tables) = (col(0), col(3));
            let dropped = r.get(1).is_none_or(Option::is_none);
            Subscribed {
                // A publication dropped since: a name that exists nowhere (subscription
                // names are never the account's own databases).
                target: if dropped { backend_name(account, &name) } else { backend_name(&col(1), &col(2)) },
                name,
                tables: (!dropped && tables != "*").then(|| tables.split(',').map(str::to_owned).collect()),
            }
        })
        .collect())
}

/// One subscription of an account.
#[derive(Debug, Clone)]
pub(crate) struct Subscribed {
    /// Its database name in the subscriber's account.
    pub(crate) name: String,
    /// The publisher's backend database.
    pub(crate) target: String,
    /// The published tables, when the publication lists them.
    pub(crate) tables: Option<Vec<String>>,
}

/// MatrixOne's answer for a table a subscription does not publish
/// (publication_subscription/pub_sub2.result: `table "secret_table" does not exist`).
fn unpublished(table: &str) -> SqlError {
    SqlError::new(1064, format!("SQL parser error: table \"{table}\" does not exist"))
}

/// Carries out a publication statement in `account`; `admin` tells whether the user is the
/// account's admin (only admins publish).
pub(crate) async fn execute(
    b: &mut Backend,
    account: &str,
    admin: bool,
    stmt: PubStmt,
) -> Result<Action, SqlError> {
    let a = sql_str(account);
    match stmt {
        PubStmt::Create { if_not_exists, name, db, tables, accounts, comment } => {
            if !admin {
                return Err(SqlError::internal("only admin can create publication"));
            }
            if find_pub(b, account, &name).await?.is_some() {
                if if_not_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("publication '{name}' already exists")));
            }
            if db == "*" {
                return Err(SqlError::not_supported("account level publication (DATABASE *) in mosim"));
            }
            check_db(b, account, &db).await?;
            let list = check_accounts(b, account, &accounts).await?;
            let table_list = if tables.is_empty() { "*".to_owned() } else { tables.join(",") };
            b.exec(&format!(
                "INSERT INTO mo_catalog.mosim_publications VALUES ({a}, {}, {}, {}, {}, UTC_TIMESTAMP(), NULL, {})",
                sql_str(&name),
                sql_str(&db),
                sql_str(&table_list),
                sql_str(&list),
                sql_str(comment.as_deref().unwrap_or(""))
            ))
            .await?;
            Ok(Action::Ok(0))
        }
        PubStmt::Alter { if_exists, name, accounts, db, tables, comment } => {
            if !admin {
                return Err(SqlError::internal("only admin can alter publication"));
            }
            let Some(p) = find_pub(b, account, &name).await? else {
                if if_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("publication '{name}' does not exist")));
            };
            let mut list = p.accounts.clone();
            if let Some((mode, accs)) = accounts {
                let given = check_accounts(b, account, &accs).await?;
                list = match (mode, p.accounts.as_str()) {
                    (None, _) => given,
                    (Some(false), "*") => {
                        return Err(SqlError::internal("cannot drop accounts from all account option"));
                    }
                    (Some(true), "*") => {
                        return Err(SqlError::internal("cannot add account from all account option"));
                    }
                    (Some(add), old) => {
                        let mut v: Vec<String> =
                            old.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
                        for g in given.split(',') {
                            if add && !v.iter().any(|x| x == g) {
                                v.push(g.to_owned());
                            } else if !add {
                                v.retain(|x| x != g);
                            }
                        }
                        v.join(",")
                    }
                };
            }
            let db = match db {
                Some(d) => {
                    check_db(b, account, &d).await?;
                    d
                }
                None => p.db,
            };
            let tables = tables.map_or(p.tables, |t| t.join(","));
            b.exec(&format!(
                "UPDATE mo_catalog.mosim_publications SET database_name = {}, table_list = {}, account_list = {}, \
                 comments = {}, update_time = UTC_TIMESTAMP() WHERE account_name = {a} AND pub_name = {}",
                sql_str(&db),
                sql_str(&tables),
                sql_str(&list),
                sql_str(&comment.unwrap_or(p.comment)),
                sql_str(&name)
            ))
            .await?;
            Ok(Action::Ok(0))
        }
        PubStmt::Drop { if_exists, name } => {
            if !admin {
                return Err(SqlError::internal("only admin can drop publication"));
            }
            if find_pub(b, account, &name).await?.is_none() {
                if if_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::internal(format!("publication '{name}' does not exist")));
            }
            b.exec(&format!(
                "DELETE FROM mo_catalog.mosim_publications WHERE account_name = {a} AND pub_name = {}",
                sql_str(&name)
            ))
            .await?;
            Ok(Action::Ok(0))
        }
        PubStmt::Show { like } => show(b, account, like.as_deref()).await,
        PubStmt::ShowCreate { name } => {
            let Some(p) = find_pub(b, account, &name).await? else {
                return Err(SqlError::internal(format!("publication '{name}' does not exist")));
            };
            let mut text = format!("CREATE PUBLICATION {} DATABASE {}", ident(&name), ident(&p.db));
            if p.tables != "*" {
                let t: Vec<String> = p.tables.split(',').map(ident).collect();
                text.push_str(&format!(" TABLE {}", t.join(", ")));
            }
            if p.accounts == "*" {
                text.push_str(" ACCOUNT ALL");
            } else {
                let v: Vec<String> = p.accounts.split(',').map(ident).collect();
                text.push_str(&format!(" ACCOUNT {}", v.join(", ")));
            }
            if !p.comment.is_empty() {
                text.push_str(&format!(" COMMENT {}", sql_str(&p.comment)));
            }
            Ok(Action::Rows(
                vec![("Publication", TYPE_VAR_STRING), ("Create Publication", TYPE_VAR_STRING)],
                vec![vec![Some(name), Some(text)]],
            ))
        }
        PubStmt::Subscribe { if_not_exists, db, account: publisher, publication } => {
            if publisher == account {
                return Err(SqlError::internal("can not subscribe to self"));
            }
            let taken = database_exists(b, &backend_name(account, &db)).await?
                || exists(
                    b,
                    "mo_catalog.mosim_subscriptions",
                    &format!("account_name = {a} AND sub_name = {}", sql_str(&db)),
                )
                .await?;
            if taken {
                if if_not_exists {
                    return Ok(Action::Ok(0));
                }
                return Err(SqlError::new(1007, format!("database {db} already exists")));
            }
            if !account_exists(b, &publisher).await? {
                return Err(SqlError::internal(format!("there is no publication account {publisher}")));
            }
            if find(b, &publisher).await?.is_some_and(|acc| acc.status == "suspend") {
                return Err(SqlError::internal(format!("the account {publisher} is suspended")));
            }
            let Some(p) = find_pub(b, &publisher, &publication).await? else {
                return Err(SqlError::internal(format!("there is no publication {publication}")));
            };
            if !allows(&p.accounts, account) {
                return Err(SqlError::internal(format!(
                    "the account {account} is not allowed to subscribe the publication {publication}"
                )));
            }
            b.exec(&format!(
                "INSERT INTO mo_catalog.mosim_subscriptions VALUES ({a}, {}, {}, {}, UTC_TIMESTAMP())",
                sql_str(&db),
                sql_str(&publisher),
                sql_str(&publication)
            ))
            .await?;
            Ok(Action::Ok(0))
        }
        PubStmt::ShowSubscriptions { all, like } => {
            show_subscriptions(b, account, all, like.as_deref()).await
        }
    }
}

/// The published database must be a user database of the account.
async fn check_db(b: &mut Backend, account: &str, db: &str) -> Result<(), SqlError> {
    if is_system_db(db) || crate::sql::guard::is_protected(db) {
        return Err(SqlError::internal(format!(
            "Unknown database name '{db}', not support publishing system database"
        )));
    }
    if !database_exists(b, &backend_name(account, db)).await? {
        return Err(SqlError::internal(format!("database '{db}' does not exist")));
    }
    Ok(())
}

/// The account list as stored (`*` for ALL), each account checked.
async fn check_accounts(b: &mut Backend, account: &str, accounts: &Accounts) -> Result<String, SqlError> {
    match accounts {
        Accounts::All => {
            if account != crate::mo::SYS {
                return Err(SqlError::internal(
                    "only sys account and authorized normal accounts can publish to all accounts",
                ));
            }
            Ok("*".to_owned())
        }
        Accounts::List(list) => {
            for acc in list {
                if acc == account {
                    return Err(SqlError::internal("can't publish to self"));
                }
                if !account_exists(b, acc).await? {
                    return Err(SqlError::internal(format!("not existed account name '{acc}'")));
                }
            }
            Ok(list.join(","))
        }
    }
}

async fn show(b: &mut Backend, account: &str, like: Option<&str>) -> Result<Action, SqlError> {
    let a = sql_str(account);
    let filter = like.map_or(String::new(), |p| format!(" AND p.pub_name LIKE {}", sql_str(p)));
    let rows = b
        .query(&format!(
            "SELECT p.pub_name, p.database_name, p.table_list, p.account_list, \
             (SELECT GROUP_CONCAT(s.account_name ORDER BY s.account_name SEPARATOR ',') \
              FROM mo_catalog.mosim_subscriptions s WHERE s.pub_account = p.account_name AND s.pub_name = p.pub_name), \
             DATE_FORMAT(p.created_time, {TIME}), DATE_FORMAT(p.update_time, {TIME}), p.comments \
             FROM mo_catalog.mosim_publications p WHERE p.account_name = {a}{filter} ORDER BY p.created_time DESC, p.pub_name"
        ))
        .await?;
    Ok(Action::Rows(
        SHOW_COLUMNS.to_vec(),
        rows.rows
            .into_iter()
            .map(|mut r| {
                if r.get(3).cloned().flatten().as_deref() == Some("*") {
                    r[3] = Some("*".to_owned());
                }
                if r.get(4).is_some_and(Option::is_none) {
                    r[4] = Some(String::new());
                }
                r
            })
            .collect(),
    ))
}

async fn show_subscriptions(
    b: &mut Backend,
    account: &str,
    all: bool,
    like: Option<&str>,
) -> Result<Action, SqlError> {
    let a = sql_str(account);
    let join = if all { "LEFT JOIN" } else { "JOIN" };
    let rows = b
        .query(&format!(
            "SELECT p.pub_name, p.account_name, p.database_name, p.table_list, p.comments, \
             DATE_FORMAT(p.created_time, {TIME}), s.sub_name, DATE_FORMAT(s.sub_time, {TIME}), p.account_list \
             FROM mo_catalog.mosim_publications p {join} mo_catalog.mosim_subscriptions s \
             ON s.pub_account = p.account_name AND s.pub_name = p.pub_name AND s.account_name = {a} \
             WHERE p.account_name <> {a} ORDER BY s.sub_time DESC, p.created_time DESC, p.pub_name"
        ))
        .await?;
    // Subscriptions whose publication was dropped since: status 2 (pkg/common/pubsub/types.go
    // `SubStatusDeleted`).
    let dangling = b
        .query(&format!(
            "SELECT s.pub_name, s.pub_account, NULL, NULL, NULL, NULL, s.sub_name, DATE_FORMAT(s.sub_time, {TIME}) \
             FROM mo_catalog.mosim_subscriptions s LEFT JOIN mo_catalog.mosim_publications p \
             ON p.account_name = s.pub_account AND p.pub_name = s.pub_name \
             WHERE s.account_name = {a} AND p.pub_name IS NULL ORDER BY s.sub_time DESC, s.sub_name"
        ))
        .await?;
    let mut dangling: Vec<Vec<Option<String>>> = dangling
        .rows
        .into_iter()
        .filter(|r| like.is_none_or(|p| like_match(p, r.first().cloned().flatten().as_deref().unwrap_or(""))))
        .map(|mut r| {
            r.push(Some("2".to_owned()));
            r
        })
        .collect();
    let mut out: Vec<Vec<Option<String>>> = rows
        .rows
        .into_iter()
        .filter(|r| {
            let col = |i: usize| cell(r, i);
            let visible = allows(&col(8), account) || !col(6).is_empty();
            visible && like.is_none_or(|p| like_match(p, &col(0)))
        })
        .map(|mut r| {
            r.truncate(8);
            r.push(Some("0".to_owned()));
            r
        })
        .collect();
    out.append(&mut dangling);
    Ok(Action::Rows(
        vec![
            ("pub_name", TYPE_VAR_STRING),
            ("pub_account", TYPE_VAR_STRING),
            ("pub_database", TYPE_VAR_STRING),
            ("pub_tables", TYPE_MO_TEXT),
            ("pub_comment", TYPE_MO_TEXT),
            ("pub_time", TYPE_DATETIME),
            ("sub_name", TYPE_VAR_STRING),
            ("sub_time", TYPE_DATETIME),
            ("status", 1),
        ],
        out,
    ))
}

/// A subscribed database is read-only to the subscriber; `DROP DATABASE` of it ends the
/// subscription (the publisher's data stays). Returns the answer when the statement is
/// handled here.
pub(crate) async fn guard(
    cat: &mut Backend,
    client: &mut Backend,
    account: &str,
    names: &Names,
    toks: &[Token],
) -> Result<Option<Action>, SqlError> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if kw(0, "drop") && (kw(1, "database") || kw(1, "schema")) {
        let j = if kw(2, "if") { 4 } else { 2 };
        if let Some(db) = toks.get(j).and_then(Token::ident)
            && names.is_subscription(db)
        {
            cat.exec(&format!(
                "DELETE FROM mo_catalog.mosim_subscriptions WHERE account_name = {} AND sub_name = {}",
                sql_str(account),
                sql_str(db)
            ))
            .await?;
            return Ok(Some(Action::Ok(0)));
        }
        return Ok(None);
    }
    // Tables a publication does not list are not there for the subscriber.
    if names.has_table_lists() {
        for (i, t) in toks.iter().enumerate() {
            let qualifier = toks.get(i + 1).is_some_and(|n| n.is('.')) && !(i > 0 && toks[i - 1].is('.'));
            if let (true, Some(db), Some(table)) =
                (qualifier, t.ident(), toks.get(i + 2).and_then(Token::ident))
                && !names.publishes(db, table)
            {
                return Err(unpublished(table));
            }
        }
        let unqualified: Vec<String> = crate::mo::account::privilege::read_tables(toks)
            .into_iter()
            .filter(|(db, _)| db.is_none())
            .map(|(_, t)| t)
            .collect();
        if !unqualified.is_empty()
            && let Some(db) = current_database(client).await?.map(|d| names.logical(&d))
            && let Some(t) = unqualified.iter().find(|t| !names.publishes(&db, t))
        {
            return Err(unpublished(t));
        }
    }
    let writes = ["insert", "replace", "update", "delete", "truncate", "create", "drop", "alter", "load"]
        .iter()
        .any(|k| kw(0, k));
    if !writes || names.subs_empty() {
        return Ok(None);
    }
    let creates = kw(0, "create");
    let mut current = None;
    for t in write_targets(toks) {
        let db = match t {
            Target::Database(d) | Target::Object { db: Some(d), .. } => Some(d),
            Target::Object { db: None, .. } => {
                if current.is_none() {
                    current = Some(current_database(client).await?.map(|d| names.logical(&d)));
                }
                current.clone().flatten()
            }
        };
        if db.is_some_and(|d| names.is_subscription(&d)) {
            return Err(if creates {
                SqlError::internal("cannot create table in subscription database")
            } else if kw(0, "drop") || kw(0, "alter") {
                no_privilege()
            } else {
                SqlError::internal("cannot insert/update/delete from public table")
            });
        }
    }
    Ok(None)
}
