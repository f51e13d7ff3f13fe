//! What a user other than the account's admin may run: the privilege each common statement
//! needs, after MatrixOne's `determinePrivilegeSetOfStatement` (pkg/frontend/authenticate.go):
//! SELECT / INSERT / UPDATE / DELETE / TRUNCATE on a table, CREATE / DROP / ALTER TABLE and
//! CREATE / DROP VIEW on a database, CREATE / DROP DATABASE on the account. A privilege counts
//! if any role granted to the user (or `public`) holds it, or `all` / `ownership`, on the
//! object, its database, `*`, or the account. A refusal is MatrixOne's
//! `internal error: do not have privilege to execute the statement` (20101).

use crate::error::SqlError;
use crate::mo::account::namespace::Names;
use crate::mo::account::{ACCOUNT_ADMIN_ROLE, PUBLIC_ROLE, Who, no_privilege};
use crate::mo::catalog::{current_database, exists};
use crate::sql::guard::{Target, write_targets};
use crate::sql::lexer::Token;
use crate::sql::rewrite::{is_system_db, sql_str};
use crate::wire::backend::Backend;

/// A privilege a statement needs, on `db.table` (`table` empty: on the database; `db`
/// empty too: on the account).
#[derive(Debug, PartialEq, Eq)]
struct Need {
    privilege: &'static str,
    db: Option<String>,
    table: Option<String>,
}

/// Refuses the statement if `who` lacks a privilege it needs. `client` is the session's
/// backend connection (for its current database when a name is unqualified).
pub(crate) async fn check(
    cat: &mut Backend,
    client: &mut Backend,
    who: &Who,
    names: &Names,
    toks: &[Token],
) -> Result<(), SqlError> {
    let needs = needs(toks);
    if needs.is_empty() {
        return Ok(());
    }
    let a = sql_str(&who.account);
    let roles = format!(
        "SELECT role_name FROM mo_catalog.mosim_user_roles WHERE account_name = {a} AND user_name = {} \
         UNION SELECT {}",
        sql_str(&who.user),
        sql_str(PUBLIC_ROLE)
    );
    let admin = exists(
        cat,
        "mo_catalog.mosim_user_roles",
        &format!(
            "account_name = {a} AND user_name = {} AND role_name = {}",
            sql_str(&who.user),
            sql_str(ACCOUNT_ADMIN_ROLE)
        ),
    )
    .await?;
    if admin {
        return Ok(());
    }
    let mut current: Option<Option<String>> = None;
    for need in needs {
        let db = match (&need.db, &need.table) {
            (Some(db), _) => Some(db.clone()),
            (None, Some(_)) => {
                if current.is_none() {
                    current = Some(current_database(client).await?.map(|d| names.logical(&d)));
                }
                current.clone().flatten()
            }
            (None, None) => None,
        };
        if db.as_deref().is_some_and(|d| is_system_db(d) || names.is_subscription(d)) {
            continue;
        }
        let object = match (&db, &need.table) {
            (None, _) => "p.obj_type = 'account'".to_owned(),
            (Some(d), None) => format!("(p.obj_type = 'account' OR p.db IN ('*', '', {}))", sql_str(d)),
            (Some(d), Some(t)) => format!(
                "(p.obj_type = 'account' OR (p.db IN ('*', '', {}) AND (p.obj_type = 'database' OR p.tbl IN ('*', {}))))",
                sql_str(d),
                sql_str(t)
            ),
        };
        let filter = format!(
            "p.account_name = {a} AND p.role_name IN ({roles}) AND p.privilege IN ({}, 'all', 'ownership') AND {object}",
            sql_str(need.privilege)
        );
        if !exists(cat, "mo_catalog.mosim_privileges p", &filter).await? {
            return Err(no_privilege());
        }
    }
    Ok(())
}

/// The privileges one statement needs.
fn needs(toks: &[Token]) -> Vec<Need> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    let Some(first) = toks.first() else { return Vec::new() };
    let on_targets = |privilege: &'static str| -> Vec<Need> {
        write_targets(toks)
            .into_iter()
            .filter_map(|t| match t {
                Target::Object { db, name } => Some(Need { privilege, db, table: Some(name) }),
                Target::Database(_) => None,
            })
            .collect()
    };
    let mut out = Vec::new();
    if first.is_kw("insert") || first.is_kw("replace") {
        out.extend(on_targets("insert"));
    } else if first.is_kw("update") {
        out.extend(on_targets("update"));
    } else if first.is_kw("delete") {
        out.extend(on_targets("delete"));
    } else if first.is_kw("truncate") {
        out.extend(on_targets("truncate"));
    } else if kw(0, "create") || kw(0, "drop") || kw(0, "alter") {
        let verb = if kw(0, "create") {
            "create"
        } else if kw(0, "drop") {
            "drop"
        } else {
            "alter"
        };
        let mut j = 1;
        while ["temporary", "or", "replace", "online", "ignore"].iter().any(|k| kw(j, k)) {
            j += 1;
        }
        if kw(j, "database") || kw(j, "schema") {
            let privilege = match verb {
                "create" => "create database",
                "drop" => "drop database",
                _ => "alter database",
            };
            return vec![Need { privilege, db: None, table: None }];
        }
        let privilege =
            match (verb, toks.get(j).and_then(Token::ident).map(str::to_ascii_lowercase).as_deref()) {
                ("create", Some("table")) => "create table",
                ("drop", Some("table")) => "drop table",
                ("alter", Some("table")) => "alter table",
                ("create", Some("view")) => "create view",
                ("drop", Some("view")) => "drop view",
                _ => return Vec::new(),
            };
        for t in write_targets(toks) {
            if let Target::Object { db, name: _ } = t {
                out.push(Need { privilege, db: db.clone(), table: None });
                if db.is_none() {
                    // Unqualified: the current database, looked up by `check` through a
                    // table-shaped need, then checked at database level.
                    out.pop();
                    out.push(Need { privilege, db: None, table: Some(String::new()) });
                }
            }
        }
    }
    if first.is_kw("select") || first.is_kw("with") || first.is_kw("insert") || first.is_kw("replace") {
        out.extend(read_tables(toks).into_iter().map(|(db, table)| Need {
            privilege: "select",
            db,
            table: Some(table),
        }));
    }
    out
}

/// The tables named after FROM and JOIN (comma lists included), leaving out the FROM of
/// `EXTRACT(x FROM d)`, `TRIM(... FROM s)`, `SUBSTRING(s FROM n)` and the like.
pub(crate) fn read_tables(toks: &[Token]) -> Vec<(Option<String>, String)> {
    const FROM_FUNCTIONS: [&str; 6] = ["extract", "trim", "substring", "substr", "position", "overlay"];
    let mut out = Vec::new();
    // For each open parenthesis: whether it is the argument list of such a function.
    let mut parens: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if t.is('(') {
            let function = i > 0 && FROM_FUNCTIONS.iter().any(|f| toks[i - 1].is_kw(f));
            parens.push(function);
            i += 1;
            continue;
        }
        if t.is(')') {
            parens.pop();
            i += 1;
            continue;
        }
        let from = t.is_kw("from") && parens.last() != Some(&true);
        if !(from || t.is_kw("join")) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while let Some(first) = toks.get(j).filter(|t| !t.is('(')).and_then(Token::ident) {
            if first.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            let qualified = toks.get(j + 1).is_some_and(|t| t.is('.'));
            let (db, table, next) = match (qualified, toks.get(j + 2).and_then(Token::ident)) {
                (true, Some(t)) => (Some(first.to_owned()), t.to_owned(), j + 3),
                _ => (None, first.to_owned(), j + 1),
            };
            out.push((db, table));
            j = next;
            if toks.get(j).is_some_and(|t| t.is_kw("as")) {
                j += 1;
            }
            if toks
                .get(j)
                .is_some_and(|t| matches!(t.kind, crate::sql::lexer::Kind::Quoted(_)) || is_alias_word(t))
            {
                j += 1;
            }
            if !(from && toks.get(j).is_some_and(|t| t.is(','))) {
                break;
            }
            j += 1;
        }
        i = j.max(i + 1);
    }
    out
}

/// A bare word that can be a table alias (not a keyword that follows a table reference).
fn is_alias_word(t: &Token) -> bool {
    const AFTER_TABLE: [&str; 22] = [
        "where",
        "group",
        "order",
        "limit",
        "having",
        "join",
        "inner",
        "left",
        "right",
        "cross",
        "natural",
        "on",
        "using",
        "union",
        "except",
        "intersect",
        "for",
        "lock",
        "window",
        "straight_join",
        "full",
        "outer",
    ];
    matches!(&t.kind, crate::sql::lexer::Kind::Word(w) if !AFTER_TABLE.iter().any(|k| w.eq_ignore_ascii_case(k)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn n(sql: &str) -> Vec<(&'static str, Option<String>, Option<String>)> {
        needs(&tokenize(sql.as_bytes())).into_iter().map(|n| (n.privilege, n.db, n.table)).collect()
    }

    #[test]
    fn statements_need_their_privileges() {
        assert_eq!(
            n("select * from d.t1 a, t2 join d.t3 on 1"),
            vec![
                ("select", Some("d".into()), Some("t1".into())),
                ("select", None, Some("t2".into())),
                ("select", Some("d".into()), Some("t3".into()))
            ]
        );
        assert_eq!(n("insert into t values (1)"), vec![("insert", None, Some("t".into()))]);
        assert_eq!(n("create database x"), vec![("create database", None, None)]);
        assert_eq!(n("create table d.t (a int)"), vec![("create table", Some("d".into()), None)]);
        assert!(n("select 1").is_empty());
        assert_eq!(
            n("select extract(year from d), trim(leading 'x' from s) from t"),
            vec![("select", None, Some("t".into()))]
        );
        assert!(n("show tables").is_empty());
    }
}
