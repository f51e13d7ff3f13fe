//! MatrixOne's table, column and index options in CREATE / ALTER TABLE and CREATE INDEX.
//!
//! - Storage hints MariaDB refuses and that change nothing a client can observe are dropped:
//!   `CLUSTER BY (cols)`, `AUTOEXTEND_SIZE`, `ENGINE_ATTRIBUTE`, `SECONDARY_ENGINE_ATTRIBUTE`,
//!   `COMPRESSION`, `START TRANSACTION`, `PROPERTIES (...)`, and the column attributes
//!   `STORAGE DISK|MEMORY`, `LOW_CARDINALITY`, `VISIBLE` (`table_option`, `cluster_by_opt`,
//!   `column_attribute_elem` in pkg/sql/parsers/dialect/mysql/mysql_sql.y).
//! - An index's `VISIBLE` / `INVISIBLE` (`index_option` there) is MariaDB's `NOT IGNORED` /
//!   `IGNORED`: the index is kept up to date, the optimizer does not use it.
//! - MatrixOne compares strings byte for byte whatever collation a table declares: `'Apple'`
//!   and `'apple'` are different keys, and `'test '` is not `'test'` (expected results in
//!   test/distributed/cases/charset_collation/charset_collation_basic.result and
//!   charset_collation_advanced.result). MariaDB's utf8mb4 default is case-insensitive and
//!   pads spaces, so mosim gives every utf8 column `utf8mb4_nopad_bin`: a table without a
//!   character set or collation gets it as its default, and `COLLATE utf8mb4_*` /
//!   `CHARACTER SET utf8mb4` become it.

use std::ops::Range;

use crate::sql::dialect::{NONE, Scan, StmtKind};
use crate::sql::lexer::Kind;
use crate::sql::rewrite::Edit;

/// The one collation that compares like MatrixOne: binary, trailing spaces significant.
pub(crate) const BINARY_COLLATION: &str = "utf8mb4_nopad_bin";

/// Table options (at the table's level) MariaDB refuses and mosim drops: `word [=] value`.
const VALUE_OPTIONS: [&str; 4] =
    ["autoextend_size", "engine_attribute", "secondary_engine_attribute", "compression"];

/// The edits for a CREATE TABLE, ALTER TABLE or CREATE INDEX statement.
pub(crate) fn edits(scan: &Scan<'_>, kind: StmtKind) -> Vec<Edit> {
    let t = scan.t;
    let end = definition_end(scan, kind);
    let elements = if kind == StmtKind::CreateTable { element_list(scan) } else { None };
    // Where the table-level options are: after the element list (or the name) up to `end`.
    let options_from = match (kind, elements) {
        (StmtKind::CreateTable, Some((_, close))) => close + 1,
        (StmtKind::CreateTable, None) => table_name_end(scan).map_or(end, |n| n + 1),
        _ => 0,
    };
    let table_level = |i: usize| scan.open[i] == NONE && i >= options_from;
    let mut out = Vec::new();
    let mut replaced = Vec::new();
    let mut i = 0;
    while i < end {
        let depth0 = scan.open[i] == NONE;
        let w = scan.word(i);
        let w = w.as_deref().unwrap_or("");
        let mut drop = |from: usize, to: usize| {
            let edit = dropped(scan, from, to, table_level(from), out.last().map_or(0, |e: &Edit| e.1));
            out.push(edit);
            to
        };
        let next = match w {
            "cluster" if depth0 && scan.kw(i + 1, "by") && kind != StmtKind::CreateIndex => {
                let last = if scan.is(i + 2, '(') {
                    scan.closing(i + 2)
                } else {
                    // `CLUSTER BY col` or `CLUSTER BY t.col`.
                    Some(if scan.is(i + 3, '.') { i + 4 } else { i + 2 })
                };
                last.filter(|&l| l < t.len()).map(|l| drop(i, l))
            }
            _ if VALUE_OPTIONS.contains(&w)
                && (table_level(i) || kind == StmtKind::AlterTable || !depth0) =>
            {
                let v = if scan.is(i + 1, '=') { i + 2 } else { i + 1 };
                (v < t.len()).then(|| drop(i, v))
            }
            "start" if table_level(i) && scan.kw(i + 1, "transaction") => Some(drop(i, i + 1)),
            "properties" if table_level(i) && scan.is(i + 1, '(') => scan.closing(i + 1).map(|c| drop(i, c)),
            "storage"
                if (!depth0 || kind == StmtKind::AlterTable)
                    && ["disk", "memory", "default"].iter().any(|k| scan.kw(i + 1, k)) =>
            {
                Some(drop(i, i + 1))
            }
            "low_cardinality" => Some(drop(i, i)),
            "visible" | "invisible" => {
                if index_option(scan, i, kind) {
                    let text: &[u8] = if w == "visible" { b"NOT IGNORED" } else { b"IGNORED" };
                    replaced.push((t[i].start, t[i].end, text.to_vec()));
                } else if w == "visible" {
                    // Columns are visible unless INVISIBLE: MariaDB has no word for it.
                    replaced.push((t[i].start, t[i].end, Vec::new()));
                }
                Some(i)
            }
            "collate" => {
                let v = if scan.is(i + 1, '=') { i + 2 } else { i + 1 };
                if is_utf8(scan, v, true) && !in_cast(scan, i) {
                    replaced.push((t[v].start, t[v].end, BINARY_COLLATION.as_bytes().to_vec()));
                }
                Some(v)
            }
            "charset" | "character" | "char" => charset(scan, i, end, options_from, &mut replaced),
            _ => None,
        };
        i = next.unwrap_or(i) + 1;
    }
    out.extend(replaced);
    if kind == StmtKind::CreateTable {
        out.extend(default_collation(scan, elements, options_from, end));
    }
    out
}

/// The edit that drops tokens `from..=to`, with a comma that separated them from a
/// neighbouring option or attribute.
/// `taken` is where the previous dropped span ended: a comma it took is not taken twice.
fn dropped(scan: &Scan<'_>, from: usize, to: usize, table_level: bool, taken: usize) -> Edit {
    let t = scan.t;
    let (from, to) = if from > 0 && scan.is(from - 1, ',') && t[from - 1].start >= taken {
        (from - 1, to)
    } else if scan.is(to + 1, ',') && table_level {
        (from, to + 1)
    } else {
        (from, to)
    };
    (t[from].start, t[to].end, Vec::new())
}

/// `CHARSET x` / `CHARACTER SET x` / `CHAR SET x` at `i`: utf8 becomes utf8mb4, compared
/// binary unless the same definition names a collation (which [`edits`] rewrites).
fn charset(scan: &Scan<'_>, i: usize, end: usize, options_from: usize, out: &mut Vec<Edit>) -> Option<usize> {
    let t = scan.t;
    let mut v = i + 1;
    if !scan.kw(i, "charset") {
        if !scan.kw(v, "set") {
            return None;
        }
        v += 1;
    }
    if scan.is(v, '=') {
        v += 1;
    }
    if !is_utf8(scan, v, false) || in_cast(scan, i) {
        return Some(v.min(t.len().saturating_sub(1)));
    }
    if !scan.kw(v, "utf8mb4") {
        out.push((t[v].start, t[v].end, b"utf8mb4".to_vec()));
    }
    let seg = if scan.open[i] == NONE && i >= options_from && options_from > 0 {
        options_from..end
    } else {
        segment(scan, i, end)
    };
    let has_collate = seg.clone().any(|j| scan.kw(j, "collate") && scan.open[j] == scan.open[i]);
    if !has_collate {
        let text = format!(" COLLATE {BINARY_COLLATION}");
        out.push((t[v].end, t[v].end, text.into_bytes()));
    }
    Some(v)
}

/// The table-level ` COLLATE=utf8mb4_nopad_bin` for a CREATE TABLE that names no character
/// set or collation of its own (`CREATE TABLE t LIKE s` copies its source's).
fn default_collation(
    scan: &Scan<'_>,
    elements: Option<(usize, usize)>,
    from: usize,
    end: usize,
) -> Option<Edit> {
    let t = scan.t;
    if (from..end).any(|j| scan.open[j] == NONE && (scan.kw(j, "like") || scan.kw(j, "clone"))) {
        return None;
    }
    let named = (from..end).any(|j| {
        scan.open[j] == NONE
            && (scan.kw(j, "collate")
                || scan.kw(j, "charset")
                || (scan.kw(j, "set") && j > 0 && (scan.kw(j - 1, "character") || scan.kw(j - 1, "char"))))
    });
    if named {
        return None;
    }
    let at = match elements {
        Some((_, close)) => t[close].end,
        None => t[table_name_end(scan)?].end,
    };
    Some((at, at, format!(" COLLATE={BINARY_COLLATION}").into_bytes()))
}

/// Whether token `i` is a utf8 character set (or, with `collation`, a utf8 collation) name.
fn is_utf8(scan: &Scan<'_>, i: usize, collation: bool) -> bool {
    let name = match scan.t.get(i).map(|t| &t.kind) {
        Some(Kind::Word(w) | Kind::Quoted(w) | Kind::Str(w)) => w.to_ascii_lowercase(),
        _ => return false,
    };
    if collation {
        name.starts_with("utf8mb4_") || name.starts_with("utf8_") || name.starts_with("utf8mb3_")
    } else {
        matches!(name.as_str(), "utf8" | "utf8mb3" | "utf8mb4")
    }
}

fn in_cast(scan: &Scan<'_>, i: usize) -> bool {
    matches!(scan.enclosing_word(i).as_deref(), Some("cast" | "convert"))
}

/// Tokens of the definition at `i`'s level between the separators around it (`,` or the
/// enclosing parentheses), up to `end`.
fn segment(scan: &Scan<'_>, i: usize, end: usize) -> Range<usize> {
    let level = scan.open[i];
    let mut lo = i;
    while lo > 0 && scan.open[lo - 1] == level && !scan.is(lo - 1, ',') {
        lo -= 1;
        if scan.is(lo, ')')
            && let Some(o) = scan.opening(lo)
        {
            lo = o;
        }
    }
    let mut hi = i;
    while hi + 1 < end && scan.open[hi + 1] == level && !scan.is(hi + 1, ',') && !scan.is(hi + 1, ')') {
        hi += 1;
        if scan.is(hi, '(') {
            hi = scan.closing(hi).unwrap_or(hi);
        }
    }
    lo..hi + 1
}

/// Whether VISIBLE / INVISIBLE at `i` is an index's option rather than a column's.
fn index_option(scan: &Scan<'_>, i: usize, kind: StmtKind) -> bool {
    if kind == StmtKind::CreateIndex {
        return true;
    }
    let seg = segment(scan, i, scan.t.len());
    let words = ["key", "index", "unique", "primary", "constraint", "fulltext", "spatial", "foreign"];
    match kind {
        StmtKind::CreateTable => words.iter().any(|k| scan.kw(seg.start, k)),
        _ => seg.clone().any(|j| ["key", "index"].iter().any(|k| scan.kw(j, k))),
    }
}

/// The index of the last token of `CREATE ... TABLE [IF NOT EXISTS] [db.]name`.
fn table_name_end(scan: &Scan<'_>) -> Option<usize> {
    let mut i = (0..scan.t.len().min(8)).find(|&i| scan.kw(i, "table"))? + 1;
    if scan.kw(i, "if") && scan.kw(i + 1, "not") && scan.kw(i + 2, "exists") {
        i += 3;
    }
    scan.t.get(i)?.ident()?;
    if scan.is(i + 1, '.') && scan.t.get(i + 2).and_then(|t| t.ident()).is_some() {
        i += 2;
    }
    Some(i)
}

/// The `(` and `)` of a CREATE TABLE's element list, if it has one.
fn element_list(scan: &Scan<'_>) -> Option<(usize, usize)> {
    let open = table_name_end(scan)? + 1;
    if !scan.is(open, '(')
        || scan.kw(open + 1, "select")
        || scan.kw(open + 1, "with")
        || scan.is(open + 1, '(')
        || scan.kw(open + 1, "like")
    {
        return None;
    }
    Some((open, scan.closing(open)?))
}

/// Where the definition ends: before a CREATE TABLE's `[AS] SELECT ...` (whose text is a
/// query, not options), else at the end.
fn definition_end(scan: &Scan<'_>, kind: StmtKind) -> usize {
    let n = scan.t.len();
    if kind != StmtKind::CreateTable {
        return n;
    }
    (0..n)
        .find(|&i| {
            scan.open[i] == NONE
                && (scan.kw(i, "select")
                    || scan.kw(i, "with")
                    || scan.kw(i, "as")
                    || scan.kw(i, "values")
                    || (scan.is(i, '(') && (scan.kw(i + 1, "select") || scan.kw(i + 1, "with"))))
        })
        .unwrap_or(n)
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    fn ok(sql: &str) -> String {
        rewritten(sql).unwrap()
    }

    #[test]
    fn matrixone_options_are_dropped() {
        assert_eq!(
            ok("create table t (a int, b int) cluster by (a, b)"),
            "create table t (a int, b int) COLLATE=utf8mb4_nopad_bin "
        );
        assert_eq!(
            ok(
                "create table t (a int) engine=InnoDB, autoextend_size=4M, properties('k'='v') start transaction"
            ),
            "create table t (a int) COLLATE=utf8mb4_nopad_bin engine=InnoDB "
        );
        assert_eq!(
            ok("create table t (a int storage disk low_cardinality, key k (a) invisible, b int visible)"),
            "create table t (a int  , key k (a) IGNORED, b int ) COLLATE=utf8mb4_nopad_bin"
        );
        assert_eq!(ok("create index i on t (a) visible"), "create index i on t (a) NOT IGNORED");
    }

    #[test]
    fn strings_compare_binary() {
        assert_eq!(
            ok(
                "create table t (a varchar(5) character set utf8mb4, b text collate utf8mb4_general_ci) charset=utf8"
            ),
            "create table t (a varchar(5) character set utf8mb4 COLLATE utf8mb4_nopad_bin, b text collate utf8mb4_nopad_bin) charset=utf8mb4 COLLATE utf8mb4_nopad_bin"
        );
        assert_eq!(
            ok("create table t (a int) default charset=utf8mb4 collate=utf8mb4_bin"),
            "create table t (a int) default charset=utf8mb4 collate=utf8mb4_nopad_bin"
        );
        assert_eq!(
            ok("create table t (a char(2)) charset latin1"),
            "create table t (a char(2)) charset latin1"
        );
        assert_eq!(ok("create table t like s"), "create table t like s");
        assert_eq!(
            ok("alter table t convert to character set utf8mb4"),
            "alter table t convert to character set utf8mb4 COLLATE utf8mb4_nopad_bin"
        );
        assert_eq!(
            ok("create table t as select a collate utf8mb4_general_ci from s"),
            "create table t COLLATE=utf8mb4_nopad_bin as select a collate utf8mb4_general_ci from s"
        );
    }
}
