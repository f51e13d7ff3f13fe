//! Words MariaDB reserves that MatrixOne lets applications use as names.
//!
//! MatrixOne's parser accepts as an identifier every keyword listed in `non_reserved_keyword`
//! or `not_keyword` (pkg/sql/parsers/dialect/mysql/mysql_sql.y, rule `ident`; the keyword
//! list is pkg/sql/parsers/dialect/mysql/keywords.go, and MySQL's unused reserved words map
//! to the non-reserved token `UNUSED` there). MariaDB 10.11 refuses [`WORDS`] as bare names:
//! found by creating a column of each name in `information_schema.KEYWORDS` on the backend
//! and keeping the ones MariaDB rejects and MatrixOne accepts. So
//! `CREATE TABLE t (signal VARCHAR(32))` works on MatrixOne and is a 1064 on MariaDB; mosim
//! backquotes such a word wherever it stands for a name, and leaves it alone where it is
//! MariaDB's keyword (`LIMIT 5 OFFSET 2`, `CAST(x AS DECIMAL)`, `PARTITION BY RANGE (a)`).
//!
//! Left out on purpose: words that only name MariaDB's own table options or replication
//! settings (`stats_persistent`, `master_*`, ...), and `dual`, `distinctrow`, `sql_cache`,
//! which MatrixOne reads as the same keywords.

use crate::sql::dialect::{Scan, StmtKind};
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::{Edit, NOT_ALIAS, ident_bytes};

/// Reserved in MariaDB 10.11, an identifier in MatrixOne.
const WORDS: [&str; 73] = [
    "accessible",
    "asensitive",
    "before",
    "bigint",
    "blob",
    "cascade",
    "condition",
    "continue",
    "cursor",
    "dec",
    "decimal",
    "deterministic",
    "double",
    "each",
    "exit",
    "fetch",
    "float",
    "float4",
    "float8",
    "grant",
    "insensitive",
    "int",
    "integer",
    "keys",
    "linear",
    "long",
    "longblob",
    "longtext",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "middleint",
    "modifies",
    "no_write_to_binlog",
    "numeric",
    "offset",
    "optimize",
    "portion",
    "procedure",
    "purge",
    "range",
    "read",
    "read_write",
    "reads",
    "real",
    "release",
    "resignal",
    "restrict",
    "return",
    "returning",
    "revoke",
    "sensitive",
    "signal",
    "smallint",
    "spatial",
    "specific",
    "sql",
    "sqlexception",
    "sqlstate",
    "sqlwarning",
    "tinyblob",
    "tinyint",
    "tinytext",
    "trigger",
    "undo",
    "unlock",
    "unsigned",
    "varbinary",
    "varchar",
    "varcharacter",
    "varying",
    "write",
    "zerofill",
];

/// Words among [`WORDS`] that name a type, a keyword right after `AS` in CAST or after the
/// comma in CONVERT.
const TYPE_WORDS: [&str; 28] = [
    "bigint",
    "blob",
    "dec",
    "decimal",
    "double",
    "float",
    "float4",
    "float8",
    "int",
    "integer",
    "long",
    "longblob",
    "longtext",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "middleint",
    "numeric",
    "real",
    "smallint",
    "tinyblob",
    "tinyint",
    "tinytext",
    "varbinary",
    "varchar",
    "varcharacter",
    "unsigned",
    "zerofill",
];

/// Words after which a name or an expression operand comes.
const INTRO: [&str; 35] = [
    "select",
    "where",
    "and",
    "or",
    "not",
    "xor",
    "on",
    "by",
    "having",
    "when",
    "then",
    "else",
    "set",
    "distinct",
    "all",
    "as",
    "from",
    "join",
    "into",
    "update",
    "table",
    "column",
    "add",
    "modify",
    "change",
    "drop",
    "after",
    "to",
    "case",
    "with",
    "recursive",
    "straight_join",
    "references",
    "key",
    "index",
];

/// Words after which a table or index name comes, even when `(` follows it.
const NAME_BEFORE_PAREN: [&str; 10] =
    ["into", "from", "join", "update", "table", "references", "key", "index", "on", "straight_join"];

fn is_number(t: &Token) -> bool {
    matches!(&t.kind, Kind::Word(w) if w.starts_with(|c: char| c.is_ascii_digit()))
}

/// Backquotes every word of [`WORDS`] that names something in `scan`.
pub(crate) fn edits(sql: &[u8], scan: &Scan<'_>, kind: StmtKind) -> Vec<Edit> {
    let mut out = Vec::new();
    for i in 0..scan.t.len() {
        let Some(w) = scan.word(i) else { continue };
        if !WORDS.contains(&w.as_str()) || !is_name(scan, i, &w, kind) {
            continue;
        }
        let t = &scan.t[i];
        if let Some(bytes) = sql.get(t.start..t.end) {
            out.push((t.start, t.end, ident_bytes(bytes)));
        }
    }
    out
}

/// Whether the reserved word `w` at `i` stands for a name.
fn is_name(scan: &Scan<'_>, i: usize, w: &str, kind: StmtKind) -> bool {
    let prev = i.checked_sub(1).and_then(|p| scan.t.get(p));
    let next = scan.t.get(i + 1);
    let prev_kw = |k: &str| prev.is_some_and(|p| p.is_kw(k));
    let next_kw = |k: &str| next.is_some_and(|n| n.is_kw(k));
    // Qualified: `t.signal`, `signal.col`.
    if prev.is_some_and(|p| p.is('.')) || next.is_some_and(|n| n.is('.')) {
        return true;
    }
    // MariaDB's keyword uses that MatrixOne shares.
    let keyword = match w {
        "offset" => next.is_some_and(|n| is_number(n) || n.is('?') || matches!(n.kind, Kind::Var(_))),
        "range" => {
            // PARTITION BY RANGE COLUMNS, or a window frame inside OVER (...) / WINDOW w AS (...).
            let frame = matches!(scan.enclosing_word(i).as_deref(), Some("over" | "as"))
                && (["between", "unbounded", "current", "interval"].iter().any(|k| next_kw(k))
                    || (next.is_some_and(is_number)
                        && scan.t.get(i + 2).is_some_and(|n| n.is_kw("preceding") || n.is_kw("following"))));
            frame || next_kw("columns")
        }
        "linear" => next_kw("hash") || next_kw("key"),
        "spatial" => next_kw("index") || next_kw("key"),
        "sql" => next_kw("security"),
        "cascade" | "restrict" => prev_kw("delete") || prev_kw("update"),
        "fetch" => next_kw("first") || next_kw("next"),
        "each" => next_kw("row"),
        "portion" => prev_kw("for"),
        "read" | "write" => prev_kw("lock") || next_kw("only"),
        _ => false,
    };
    if keyword {
        return false;
    }
    let cast_type = TYPE_WORDS.contains(&w)
        && matches!(scan.enclosing_word(i).as_deref(), Some("cast" | "convert"))
        && prev.is_some_and(|p| p.is_kw("as") || p.is(','));
    if cast_type {
        return false;
    }
    let Some(prev) = prev else { return false };
    if next.is_some_and(|n| n.is('(')) {
        // A function call or a type with a length, unless a table or index name comes here.
        return NAME_BEFORE_PAREN.iter().any(|k| prev.is_kw(k));
    }
    let operand = match &prev.kind {
        Kind::Punct(c) => "(,=<>!+-*/%|&^~".contains(*c),
        Kind::Word(_) => INTRO.iter().any(|k| prev.is_kw(k)),
        _ => false,
    };
    if operand {
        return true;
    }
    // `expr alias` without AS, in a query: after a value, before a clause or the end.
    let after_value = match &prev.kind {
        Kind::Quoted(_) | Kind::Str(_) => true,
        Kind::Punct(c) => *c == ')',
        Kind::Word(p) => {
            !INTRO.iter().any(|k| p.eq_ignore_ascii_case(k)) && !p.eq_ignore_ascii_case("select")
        }
        Kind::Var(_) => false,
    };
    let before_clause = next.is_none_or(|n| {
        n.is(',') || n.is(';') || n.is(')') || n.is_kw("from") || NOT_ALIAS.iter().any(|k| n.is_kw(k))
    });
    kind == StmtKind::Query && after_value && before_clause
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    fn ok(sql: &str) -> String {
        rewritten(sql).unwrap()
    }

    #[test]
    fn names_are_quoted() {
        assert_eq!(
            ok("CREATE TABLE m (id INT, signal VARCHAR(32), long DOUBLE, range INT, KEY read (range))"),
            "CREATE TABLE m (id INT, `signal` VARCHAR(32), `long` DOUBLE, `range` INT, KEY `read` (`range`)) COLLATE=utf8mb4_nopad_bin"
        );
        assert_eq!(
            ok("select signal, t.range, count(*) int from t where signal = 'x' order by long desc"),
            "select `signal`, t.`range`, count(*) `int` from t where `signal` = 'x' order by `long` desc"
        );
        assert_eq!(
            ok("insert into t (signal, read) values (1, 2)"),
            "insert into t (`signal`, `read`) values (1, 2)"
        );
        assert_eq!(ok("update t set signal = 1"), "update t set `signal` = 1");
        assert_eq!(
            ok("alter table t add column signal int after long"),
            "alter table t add column `signal` int after `long`"
        );
    }

    #[test]
    fn keywords_stay() {
        for sql in [
            "select cast(a as decimal(10,2)), cast(b as unsigned), convert(c, double) from t",
            "select a from t limit 10 offset 5",
            "select a from t limit ? offset ?",
            "select sum(a) over (order by a range between 1 preceding and current row) from t",
            "select a from t order by a offset 2 rows fetch first 3 rows only",
            "delete from t where a = 1 returning a",
            "insert into t values (1) returning *",
        ] {
            assert_eq!(ok(sql), sql);
        }
        assert_eq!(
            ok(
                "create table c (a int unsigned zerofill, b decimal(5,2) unsigned, p int, foreign key (p) references q (id) on delete cascade on update restrict)"
            ),
            "create table c (a int unsigned zerofill, b decimal(5,2) unsigned, p int, foreign key (p) references q (id) on delete cascade on update restrict) COLLATE=utf8mb4_nopad_bin"
        );
        assert_eq!(
            ok("create table p (a int) partition by range (a) (partition p0 values less than (10))"),
            "create table p (a int) COLLATE=utf8mb4_nopad_bin partition by range (a) (partition p0 values less than (10))"
        );
    }
}
