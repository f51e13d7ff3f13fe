//! MatrixOne's catalog databases are read-only to clients: `DROP DATABASE mo_catalog`, DDL
//! on its tables and DML into them fail with `internal error: do not have privilege to
//! execute the statement` even for the sys account's root. mosim keeps its own catalog in
//! `mo_catalog`, so it answers the same instead of letting MariaDB carry them out.
//!
//! Followed: `verifyLightPrivilege` and `bannedCatalogDatabases` in MatrixOne's
//! pkg/frontend/authenticate2.go and authenticate.go (which statements write "directly":
//! `determinePrivilegeSetOfStatement`), and the expected output in
//! test/distributed/cases/tenant/privilege/operate_catalog.result.

use crate::error::SqlError;
use crate::sql::lexer::Token;

/// MatrixOne's `bannedCatalogDatabases` (pkg/frontend/authenticate.go).
const PROTECTED_DATABASES: [&str; 7] =
    ["mo_catalog", "information_schema", "system", "system_metrics", "mysql", "mo_task", "mo_debug"];

/// Whether clients may not write to database `db` (MatrixOne lower-cases the name first).
pub(crate) fn is_protected(db: &str) -> bool {
    PROTECTED_DATABASES.iter().any(|p| p.eq_ignore_ascii_case(db))
}

/// The error MatrixOne answers a write to one of its catalog databases with.
pub(crate) fn no_privilege() -> SqlError {
    SqlError::internal("do not have privilege to execute the statement")
}

/// Something a statement writes: a database, or an object in one (`db` is `None` when the
/// name is unqualified, i.e. in the current database).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `DROP DATABASE d`, `ALTER DATABASE d`.
    Database(String),
    /// A table, view, sequence or stored program.
    Object { db: Option<String>, name: String },
}

/// What one statement writes directly, by MatrixOne's reckoning: DDL on a database or its
/// objects, and INSERT / REPLACE / UPDATE / DELETE / TRUNCATE / LOAD into a table. Tables a
/// statement only reads (`INSERT INTO t SELECT ... FROM mo_catalog.x`) are not targets.
pub(crate) fn write_targets(toks: &[Token]) -> Vec<Target> {
    let kw = |j: usize, k: &str| toks.get(j).is_some_and(|t| t.is_kw(k));
    let skip = |mut j: usize, words: &[&str]| {
        while words.iter().any(|w| kw(j, w)) {
            j += 1;
        }
        j
    };
    let Some(first) = toks.first() else { return Vec::new() };
    let mut out = Vec::new();
    if first.is_kw("insert") || first.is_kw("replace") {
        let j = skip(1, &["low_priority", "delayed", "high_priority", "ignore", "into"]);
        out.extend(object_at(toks, j).map(|(t, _)| t));
    } else if first.is_kw("update") {
        // Any table joined before SET may be the one updated.
        let start = skip(1, &["low_priority", "ignore"]);
        let mut j = start;
        while j < toks.len() && !kw(j, "set") {
            let table_position = j == start
                || toks[j - 1].is(',')
                || toks[j - 1].is_kw("join")
                || toks[j - 1].is_kw("straight_join");
            match object_at(toks, j) {
                Some((t, next)) if table_position => {
                    out.push(t);
                    j = next;
                }
                _ => j += 1,
            }
        }
    } else if first.is_kw("delete") {
        let j = skip(1, &["low_priority", "quick", "ignore"]);
        // `DELETE FROM t ...` / `DELETE FROM t1, t2 USING ...` / `DELETE t1, t2 FROM ...`.
        let j = if kw(j, "from") { j + 1 } else { j };
        out.extend(object_list(toks, j));
    } else if first.is_kw("truncate") {
        let j = skip(1, &["table"]);
        out.extend(object_at(toks, j).map(|(t, _)| t));
    } else if first.is_kw("load") {
        if let Some(j) = (1..toks.len()).find(|&j| kw(j, "into") && kw(j + 1, "table")) {
            out.extend(object_at(toks, j + 2).map(|(t, _)| t));
        }
    } else if first.is_kw("rename") && (kw(1, "table") || kw(1, "tables")) {
        // Both sides: renaming a table into a catalog database writes to it too.
        let mut j = 2;
        while let Some((t, next)) = object_at(toks, j) {
            out.push(t);
            j = if toks.get(next).is_some_and(|t| t.is(',') || t.is_kw("to")) { next + 1 } else { break };
        }
    } else if first.is_kw("alter") {
        let j = skip(1, &["online", "ignore"]);
        if kw(j, "database") || kw(j, "schema") {
            out.extend(toks.get(j + 1).and_then(Token::ident).map(|d| Target::Database(d.to_owned())));
        } else if kw(j, "table") || kw(j, "view") || kw(j, "sequence") {
            out.extend(object_at(toks, skip(j + 1, &["if", "exists"])).map(|(t, _)| t));
        }
    } else if first.is_kw("drop") {
        let j = skip(1, &["temporary"]);
        if kw(j, "database") || kw(j, "schema") {
            let j = skip(j + 1, &["if", "exists"]);
            out.extend(toks.get(j).and_then(Token::ident).map(|d| Target::Database(d.to_owned())));
        } else if ["table", "tables", "view", "sequence"].iter().any(|k| kw(j, k)) {
            out.extend(object_list(toks, skip(j + 1, &["if", "exists"])));
        } else if kw(j, "index") {
            if let Some(on) = (j + 1..toks.len()).find(|&i| kw(i, "on")) {
                out.extend(object_at(toks, on + 1).map(|(t, _)| t));
            }
        } else if ["trigger", "procedure", "function", "event"].iter().any(|k| kw(j, k)) {
            out.extend(object_at(toks, skip(j + 1, &["if", "exists"])).map(|(t, _)| t));
        }
    } else if first.is_kw("create") {
        out.extend(created_object(toks));
    }
    out
}

/// The object a CREATE statement writes (its table for an index or trigger).
fn created_object(toks: &[Token]) -> Option<Target> {
    let kw = |j: usize, k: &str| toks.get(j).is_some_and(|t| t.is_kw(k));
    // Options such as OR REPLACE, TEMPORARY, ALGORITHM = x or DEFINER = u come first.
    let kind = (1..toks.len().min(16)).find(|&j| {
        ["table", "view", "sequence", "index", "trigger", "procedure", "function", "event"]
            .iter()
            .any(|k| kw(j, k))
    })?;
    if kw(kind, "index") || kw(kind, "trigger") {
        let on = (kind + 1..toks.len()).find(|&j| kw(j, "on"))?;
        return object_at(toks, on + 1).map(|(t, _)| t);
    }
    let mut j = kind + 1;
    if kw(j, "if") && kw(j + 1, "not") && kw(j + 2, "exists") {
        j += 3;
    }
    object_at(toks, j).map(|(t, _)| t)
}

/// A comma-separated list of object names starting at `toks[j]`.
fn object_list(toks: &[Token], mut j: usize) -> Vec<Target> {
    let mut out = Vec::new();
    while let Some((t, next)) = object_at(toks, j) {
        out.push(t);
        if !toks.get(next).is_some_and(|t| t.is(',')) {
            break;
        }
        j = next + 1;
    }
    out
}

/// `name` or `db.name` at `toks[j]`, and the index after it.
fn object_at(toks: &[Token], j: usize) -> Option<(Target, usize)> {
    let first = toks.get(j)?.ident()?.to_owned();
    if toks.get(j + 1).is_some_and(|t| t.is('.'))
        && let Some(name) = toks.get(j + 2).and_then(Token::ident)
    {
        return Some((Target::Object { db: Some(first), name: name.to_owned() }, j + 3));
    }
    Some((Target::Object { db: None, name: first }, j + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn targets(sql: &str) -> Vec<Target> {
        write_targets(&tokenize(sql.as_bytes()))
    }

    fn obj(db: Option<&str>, name: &str) -> Target {
        Target::Object { db: db.map(str::to_owned), name: name.to_owned() }
    }

    #[test]
    fn finds_what_a_statement_writes() {
        let m = Some("mo_catalog");
        assert_eq!(targets("DROP DATABASE IF EXISTS MO_CATALOG"), [Target::Database("MO_CATALOG".into())]);
        assert_eq!(
            targets("drop table if exists t, mo_catalog.mo_pitr"),
            [obj(None, "t"), obj(m, "mo_pitr")]
        );
        assert_eq!(targets("truncate mo_catalog.mo_created"), [obj(m, "mo_created")]);
        assert_eq!(targets("insert ignore into `mo_catalog`.x select * from y"), [obj(m, "x")]);
        assert_eq!(targets("insert into t select * from mo_catalog.mo_snapshots"), [obj(None, "t")]);
        assert_eq!(targets("delete from mo_pitr where 1"), [obj(None, "mo_pitr")]);
        assert_eq!(targets("delete a from t a join mo_catalog.x b"), [obj(None, "a")]);
        assert_eq!(targets("update t join mo_catalog.x on 1 set t.a = 1"), [obj(None, "t"), obj(m, "x")]);
        assert_eq!(targets("rename table t to mo_catalog.t"), [obj(None, "t"), obj(m, "t")]);
        assert_eq!(targets("alter table mo_catalog.mo_dropped add c int"), [obj(m, "mo_dropped")]);
        assert_eq!(targets("create or replace table mo_catalog.a (a int)"), [obj(m, "a")]);
        assert_eq!(targets("create unique index i on mo_catalog.a (a)"), [obj(m, "a")]);
        assert_eq!(targets("load data infile 'f' into table mo_catalog.a"), [obj(m, "a")]);
        assert!(targets("select * from mo_catalog.mo_snapshots").is_empty());
        assert!(targets("create snapshot s for database mo_catalog").is_empty());
        assert!(is_protected("MySQL") && !is_protected("test"));
    }
}
