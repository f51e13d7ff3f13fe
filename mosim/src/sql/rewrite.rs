//! Turning plain SQL into what MariaDB needs to behave like MatrixOne: `{...}` table hints
//! become `FOR SYSTEM_TIME AS OF`, user tables are created `WITH SYSTEM VERSIONING`,
//! `TRUNCATE` keeps history, and `VERSION()` reports the MatrixOne version.

use crate::error::SqlError;
use crate::sql::lexer::{Kind, Token, lossy};
use crate::sql::parse::parse_hint_at;
use crate::sql::statement::TimeSpec;

/// Databases whose tables are never versioned: the backend's own and mosim's catalog.
pub(crate) const SYSTEM_DATABASES: [&str; 5] =
    ["mysql", "information_schema", "performance_schema", "sys", "mo_catalog"];

/// Whether `db` is a system database (case-insensitively).
pub(crate) fn is_system_db(db: &str) -> bool {
    SYSTEM_DATABASES.iter().any(|s| s.eq_ignore_ascii_case(db))
}

/// A replacement of the bytes `start..end` of a statement by new bytes.
pub(crate) type Edit = (usize, usize, Vec<u8>);

/// A `{...}` read hint found in a statement, to be resolved to a timestamp.
#[derive(Debug)]
pub(crate) struct Hint {
    /// Byte span of `{ ... }`.
    pub(crate) start: usize,
    /// End of the span (exclusive).
    pub(crate) end: usize,
    /// The point in time it names.
    pub(crate) spec: TimeSpec,
    /// Start of the table reference the hint follows (`db.t` or `t`).
    pub(crate) table_start: usize,
    /// The table's database, if qualified.
    pub(crate) db: Option<String>,
    /// The table's name.
    pub(crate) table: String,
    /// The table's name as the client wrote it (its own character set), for an alias.
    pub(crate) table_bytes: Vec<u8>,
    /// The whole reference (`db.t` or `t`) as the client wrote it, to read the live table by.
    pub(crate) written: Vec<u8>,
    /// Whether an alias follows the hint.
    pub(crate) aliased: bool,
}

/// Words that may follow a table reference and are not an alias.
pub(crate) const NOT_ALIAS: [&str; 29] = [
    "where",
    "join",
    "left",
    "right",
    "inner",
    "cross",
    "natural",
    "straight_join",
    "on",
    "using",
    "order",
    "group",
    "limit",
    "having",
    "union",
    "except",
    "intersect",
    "for",
    "lock",
    "window",
    "into",
    "set",
    "partition",
    "full",
    "outer",
    "returning",
    "offset",
    "procedure",
    "minus",
];

/// Whether `t`, right after a table reference, names the reference (`AS` counts: it
/// introduces one).
pub(crate) fn is_alias(t: Option<&Token>) -> bool {
    match t.map(|t| &t.kind) {
        Some(Kind::Quoted(_)) => true,
        Some(Kind::Word(w)) => !NOT_ALIAS.iter().any(|k| w.eq_ignore_ascii_case(k)),
        _ => false,
    }
}

/// Finds every `{SNAPSHOT|TIMESTAMP|MO_TS|AS OF ...}` hint that follows a table name.
pub(crate) fn find_hints(sql: &[u8], toks: &[Token]) -> Result<Vec<Hint>, SqlError> {
    let mut out = Vec::new();
    for i in 1..toks.len() {
        let after_name = toks[i - 1].ident().is_some();
        let next_is_hint = toks
            .get(i + 1)
            .is_some_and(|t| ["snapshot", "timestamp", "mo_ts", "as"].iter().any(|k| t.is_kw(k)));
        if toks[i].is('{') && after_name && next_is_hint {
            let (spec, close) = parse_hint_at(sql, toks, i)?;
            let table = toks[i - 1].ident().unwrap_or_default().to_owned();
            let table_bytes = toks[i - 1].ident_bytes(sql).unwrap_or_default().into_owned();
            let qualified = i >= 3 && toks[i - 2].is('.') && toks[i - 3].ident().is_some();
            let (table_start, db) = if qualified {
                (toks[i - 3].start, toks[i - 3].ident().map(str::to_owned))
            } else {
                (toks[i - 1].start, None)
            };
            let written = sql.get(table_start..toks[i - 1].end).unwrap_or_default().to_vec();
            let aliased = is_alias(toks.get(close + 1));
            out.push(Hint {
                start: toks[i].start,
                end: toks[close].end,
                spec,
                table_start,
                db,
                table,
                table_bytes,
                written,
                aliased,
            });
        }
    }
    Ok(out)
}

/// The invisible columns and period that version a table by transaction: `row_start` and
/// `row_end` hold transaction ids, which `mysql.transaction_registry` maps to commits, so a
/// read at a snapshot sees exactly the transactions committed before it. InnoDB only.
pub(crate) const TRX_VERSIONING: &str = "row_start BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, \
     row_end BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, \
     PERIOD FOR SYSTEM_TIME(row_start, row_end)";

/// How a `CREATE TABLE` becomes system-versioned, and which database it names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CreateTable {
    /// The qualifying database, if the statement names one.
    pub(crate) db: Option<String>,
    /// Edits of the statement's text.
    pub(crate) edits: Vec<Edit>,
}

/// Whether the table options in `toks` name an engine other than InnoDB. The scan stops at a
/// query or partitioning clause, whose words are not options.
fn other_engine(toks: &[Token]) -> bool {
    for (i, t) in toks.iter().enumerate() {
        if t.is_kw("select") || t.is_kw("as") || t.is_kw("partition") || t.is('(') {
            return false;
        }
        if t.is_kw("engine") {
            let value = match toks.get(i + 1) {
                Some(eq) if eq.is('=') => toks.get(i + 2),
                other => other,
            };
            let name = match value.map(|v| &v.kind) {
                Some(Kind::Word(w) | Kind::Quoted(w) | Kind::Str(w)) => w.as_str(),
                _ => return false,
            };
            return !name.eq_ignore_ascii_case("innodb");
        }
    }
    false
}

/// Recognises a `CREATE TABLE` that should become system-versioned: by transaction
/// ([`TRX_VERSIONING`] plus `WITH SYSTEM VERSIONING`), or by timestamp when its options name
/// an engine other than InnoDB.
///
/// Temporary tables cannot be versioned, `LIKE` copies the source's versioning, and a
/// statement that already says `SYSTEM VERSIONING` is left alone.
pub(crate) fn create_table(toks: &[Token]) -> Option<CreateTable> {
    let mut i = 0;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if !kw(i, "create") {
        return None;
    }
    i += 1;
    if kw(i, "or") && kw(i + 1, "replace") {
        i += 2;
    }
    if !kw(i, "table") {
        return None;
    }
    i += 1;
    if kw(i, "if") && kw(i + 1, "not") && kw(i + 2, "exists") {
        i += 3;
    }
    toks.get(i)?.ident()?;
    let mut db = None;
    let mut name_end = i;
    if toks.get(i + 1).is_some_and(|t| t.is('.')) {
        db = toks.get(i).and_then(Token::ident).map(str::to_owned);
        name_end = i + 2;
        toks.get(name_end)?.ident()?;
    }
    let versioned_already = toks.windows(2).any(|w| w[0].is_kw("system") && w[1].is_kw("versioning"));
    if versioned_already {
        return None;
    }
    let next = name_end + 1;
    // No column list (`CREATE TABLE t AS SELECT ...`, `CREATE TABLE t (SELECT ...)`): the
    // versioning columns become the list.
    let after_name = |rest: &[Token]| {
        let at = toks[name_end].end;
        let text = if other_engine(rest) {
            " WITH SYSTEM VERSIONING".to_owned()
        } else {
            format!(" ({TRX_VERSIONING}) WITH SYSTEM VERSIONING")
        };
        Some(CreateTable { db: db.clone(), edits: vec![(at, at, text.into_bytes())] })
    };
    match toks.get(next) {
        Some(t) if t.is('(') => {
            if kw(next + 1, "like") {
                return None;
            }
            if kw(next + 1, "select") || toks.get(next + 1).is_some_and(|t| t.is('(')) {
                return after_name(&[]);
            }
            let mut depth = 0usize;
            for (j, t) in toks.iter().enumerate().skip(next) {
                if t.is('(') {
                    depth += 1;
                } else if t.is(')') {
                    depth -= 1;
                    if depth == 0 {
                        let close = &toks[j];
                        let versioning = b" WITH SYSTEM VERSIONING".to_vec();
                        if other_engine(&toks[j + 1..]) {
                            return Some(CreateTable { db, edits: vec![(close.end, close.end, versioning)] });
                        }
                        let columns = format!(", {TRX_VERSIONING}").into_bytes();
                        let edits =
                            vec![(close.start, close.start, columns), (close.end, close.end, versioning)];
                        return Some(CreateTable { db, edits });
                    }
                }
            }
            None
        }
        Some(t) if t.is_kw("like") || t.is_kw("clone") => None,
        _ => after_name(toks.get(next..).unwrap_or(&[])),
    }
}

/// The table a `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] [db.]t ...` creates (any form but
/// TEMPORARY), and whether it said IF NOT EXISTS.
pub(crate) fn created_table(toks: &[Token]) -> Option<(Option<String>, String, bool)> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    let mut i = 1;
    if !kw(0, "create") {
        return None;
    }
    if kw(i, "or") && kw(i + 1, "replace") {
        i += 2;
    }
    if !kw(i, "table") {
        return None;
    }
    i += 1;
    let if_not_exists = kw(i, "if") && kw(i + 1, "not") && kw(i + 2, "exists");
    if if_not_exists {
        i += 3;
    }
    let first = toks.get(i)?.ident()?.to_owned();
    if toks.get(i + 1).is_some_and(|t| t.is('.')) {
        let table = toks.get(i + 2)?.ident()?.to_owned();
        return Some((Some(first), table, if_not_exists));
    }
    Some((None, first, if_not_exists))
}

/// Plain-SQL edits that need no catalog lookup: TRUNCATE, VERSION(), @@version, and
/// MatrixOne's `current_account_name()` family.
pub(crate) fn static_edits(toks: &[Token], version: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    if toks.first().is_some_and(|t| t.is_kw("truncate")) {
        // System-versioned tables refuse TRUNCATE; MatrixOne keeps the old data readable at
        // earlier snapshots, which DELETE also does.
        let end = if toks.get(1).is_some_and(|t| t.is_kw("table")) { toks[1].end } else { toks[0].end };
        edits.push((toks[0].start, end, b"DELETE FROM".to_vec()));
    }
    for (i, t) in toks.iter().enumerate() {
        let select_item = i > 0 && (toks[i - 1].is_kw("select") || toks[i - 1].is(','));
        let replacement = match &t.kind {
            Kind::Word(w)
                if toks.get(i + 1).is_some_and(|t| t.is('('))
                    && toks.get(i + 2).is_some_and(|t| t.is(')')) =>
            {
                let value = match w.to_ascii_lowercase().as_str() {
                    "version" => Some(sql_str(version)),
                    // MatrixOne's session functions (reference §8d): one account, `sys`.
                    "current_account_name" => Some(sql_str("sys")),
                    "current_account_id" => Some("0".to_owned()),
                    "current_user_name" => Some(sql_str("root")),
                    "current_role_name" => Some(sql_str("moadmin")),
                    _ => None,
                };
                value.map(|v| (t.start, toks[i + 2].end, v, i + 3))
            }
            Kind::Var(v) => {
                let name = v.to_ascii_lowercase();
                let name = name
                    .trim_start_matches("@@")
                    .trim_start_matches("session.")
                    .trim_start_matches("global.");
                match name {
                    "version" => Some((t.start, t.end, sql_str(version), i + 1)),
                    "version_comment" => Some((t.start, t.end, sql_str("MatrixOne"), i + 1)),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((start, end, mut text, next)) = replacement {
            let aliased =
                toks.get(next).is_some_and(|t| t.is_kw("as") || t.ident().is_some() && !t.is_kw("from"));
            if select_item && !aliased {
                // Keep the label a client would see from a real server, e.g. `VERSION()`.
                let label: String = toks[i..next].iter().map(token_text).collect();
                text = format!("{text} AS {}", ident(&label));
            }
            edits.push((start, end, text.into_bytes()));
        }
    }
    edits
}

fn token_text(t: &Token) -> String {
    match &t.kind {
        Kind::Word(w) | Kind::Var(w) => w.clone(),
        Kind::Punct(c) => c.to_string(),
        Kind::Quoted(q) | Kind::Str(q) => q.clone(),
    }
}

/// Applies non-overlapping `(start, end, replacement)` edits to `sql`, byte for byte.
pub(crate) fn splice(sql: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(sql.len() + 64);
    let mut pos = 0;
    for (start, end, bytes) in edits {
        if start < pos || end > sql.len() {
            continue;
        }
        out.extend_from_slice(&sql[pos..start]);
        out.extend_from_slice(&bytes);
        pos = end;
    }
    out.extend_from_slice(&sql[pos..]);
    out
}

/// A single-quoted SQL string literal with `\` and `'` escaped.
pub(crate) fn sql_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("''"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A backtick-quoted identifier.
pub(crate) fn ident(s: &str) -> String {
    lossy(&ident_bytes(s.as_bytes()))
}

/// A backtick-quoted identifier from a name's bytes in the client's character set.
pub(crate) fn ident_bytes(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + 2);
    out.push(b'`');
    for &b in name {
        if b == b'`' {
            out.push(b'`');
        }
        out.push(b);
    }
    out.push(b'`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn versioned(sql: &str) -> String {
        let toks = tokenize(sql.as_bytes());
        match create_table(&toks) {
            Some(c) => lossy(&splice(sql.as_bytes(), c.edits)),
            None => sql.to_owned(),
        }
    }

    #[test]
    fn create_table_gets_versioning() {
        assert_eq!(
            versioned("create table t (a int, b int(3)) engine=InnoDB"),
            format!(
                "create table t (a int, b int(3), {TRX_VERSIONING}) WITH SYSTEM VERSIONING engine=InnoDB"
            )
        );
        assert_eq!(
            versioned("CREATE TABLE d.t AS SELECT 1"),
            format!("CREATE TABLE d.t ({TRX_VERSIONING}) WITH SYSTEM VERSIONING AS SELECT 1")
        );
        assert_eq!(
            versioned("CREATE TABLE t (SELECT 1 AS engine)"),
            format!("CREATE TABLE t ({TRX_VERSIONING}) WITH SYSTEM VERSIONING (SELECT 1 AS engine)")
        );
        // Only InnoDB versions by transaction; other engines keep timestamps.
        assert_eq!(
            versioned("create table t (a int) ENGINE = 'MyISAM'"),
            "create table t (a int) WITH SYSTEM VERSIONING ENGINE = 'MyISAM'"
        );
        assert_eq!(
            versioned("create table t engine=Aria select 1 as a"),
            "create table t WITH SYSTEM VERSIONING engine=Aria select 1 as a"
        );
        assert_eq!(versioned("create table t like s"), "create table t like s");
        assert_eq!(versioned("create temporary table t (a int)"), "create temporary table t (a int)");
    }

    #[test]
    fn version_keeps_its_label() {
        let sql = "SELECT VERSION(), @@version_comment AS c";
        let out = splice(sql.as_bytes(), static_edits(&tokenize(sql.as_bytes()), "8.0.30-MatrixOne-v4.2.0"));
        assert_eq!(lossy(&out), "SELECT '8.0.30-MatrixOne-v4.2.0' AS `VERSION()`, 'MatrixOne' AS c");
    }

    #[test]
    fn splicing_keeps_foreign_bytes() {
        let sql = b"select 'caf\xe9', version() from `t\xe9` {snapshot = 's'} where 1";
        let mut edits = static_edits(&tokenize(sql), "v");
        let hints = find_hints(sql, &tokenize(sql)).unwrap();
        assert_eq!(hints[0].table_bytes, b"t\xe9");
        assert_eq!(hints[0].written, b"`t\xe9`");
        edits.push((hints[0].start, hints[0].end, b"FOR SYSTEM_TIME AS OF x".to_vec()));
        assert_eq!(
            splice(sql, edits),
            b"select 'caf\xe9', 'v' AS `version()` from `t\xe9` FOR SYSTEM_TIME AS OF x where 1"
        );
    }
}
