//! Plain SQL that MariaDB reads differently from MatrixOne.
//!
//! mosim forwards plain SQL to MariaDB, so wherever the two parse, type or reject a statement
//! differently an application written for MatrixOne would fail on mosim (or pass on mosim and
//! fail in production). Each file here handles one kind of difference:
//!
//! - [`reserved`]: words MariaDB reserves and MatrixOne does not (`signal`, `range`, `long`,
//!   ...) are backquoted where they name something;
//! - [`table_options`]: MatrixOne's table and column options (`CLUSTER BY`, `PROPERTIES`,
//!   `VISIBLE` indexes, ...) and its binary string comparisons;
//! - [`subqueries`]: `LIMIT` inside an `IN` / `ANY` / `ALL` subquery;
//! - [`operators`]: `MINUS`, `ILIKE`, `->`, `->>`;
//! - [`functions`]: MatrixOne's functions under MariaDB's names, `generate_series`;
//! - [`result_types`]: SUM / AVG return MatrixOne's types;
//! - [`load_inline`]: `LOAD DATA INLINE`;
//! - [`vector_types`], [`vector_functions`], [`vector_index`]: MatrixOne's vector columns,
//!   functions and indexes;
//! - [`fulltext_ddl`]: MatrixOne's fulltext indexes and their parsers;
//! - [`show_index`]: SHOW INDEX with MatrixOne's columns (vector and fulltext algorithms);
//! - [`unsupported`]: MatrixOne-only forms mosim does not carry out answer 20105.
//!
//! Every rewrite splices the client's own bytes around what it changes (see
//! `sql::rewrite::splice`); new text is mosim's own or goes through its quoting functions.

pub(crate) mod fulltext_ddl;
pub(crate) mod functions;
pub(crate) mod load_inline;
pub(crate) mod operators;
pub(crate) mod reserved;
pub(crate) mod result_types;
pub(crate) mod show_index;
pub(crate) mod subqueries;
pub(crate) mod table_options;
pub(crate) mod unsupported;
pub(crate) mod vector_functions;
pub(crate) mod vector_index;
pub(crate) mod vector_types;

use crate::error::SqlError;
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::Edit;

/// What a plain statement needs before MariaDB can run it.
#[derive(Debug, Default)]
pub(crate) struct Rewrite {
    /// Edits of the statement's text.
    pub(crate) edits: Vec<Edit>,
    /// SUM / AVG calls whose MatrixOne type depends on their column's type.
    pub(crate) aggregates: Vec<result_types::Aggregate>,
    /// The tables the statement reads, to look those columns up in.
    pub(crate) tables: Vec<result_types::TableRef>,
}

/// Checks one plain statement against MatrixOne's dialect and rewrites it for MariaDB.
/// A MatrixOne-only form mosim does not carry out fails with 20105 `not supported`.
pub(crate) fn rewrite(sql: &[u8], toks: &[Token]) -> Result<Rewrite, SqlError> {
    let scan = Scan::new(toks);
    if let Some(e) = unsupported::check(&scan) {
        return Err(e);
    }
    let kind = StmtKind::of(toks);
    let mut edits = Vec::new();
    if let Some(e) = load_inline::rewrite(sql, &scan)? {
        return Ok(Rewrite { edits: vec![e], ..Rewrite::default() });
    }
    let show = show_index::edits(sql, &scan);
    if !show.is_empty() {
        return Ok(Rewrite { edits: show, ..Rewrite::default() });
    }
    if kind != StmtKind::Other {
        edits.extend(reserved::edits(sql, &scan, kind));
    }
    if matches!(kind, StmtKind::CreateTable | StmtKind::AlterTable | StmtKind::CreateIndex) {
        edits.extend(table_options::edits(&scan, kind));
        edits.extend(vector_types::edits(sql, &scan, kind)?);
        edits.extend(fulltext_ddl::edits(&scan, kind)?);
    }
    edits.extend(subqueries::edits(&scan));
    edits.extend(operators::edits(&scan));
    edits.extend(functions::edits(sql, &scan)?);
    edits.extend(vector_functions::edits(sql, &scan)?);
    edits.extend(vector_index::edits(&scan, kind));
    let (aggregates, tables) =
        if kind == StmtKind::Other { (Vec::new(), Vec::new()) } else { result_types::find(sql, &scan) };
    Ok(Rewrite { edits, aggregates, tables })
}

/// What a statement is, as far as the rewrites care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StmtKind {
    /// SELECT, WITH, INSERT, REPLACE, UPDATE, DELETE, a parenthesised query.
    Query,
    /// `CREATE [OR REPLACE] [TEMPORARY] TABLE`.
    CreateTable,
    /// `ALTER [ONLINE] [IGNORE] TABLE`.
    AlterTable,
    /// `CREATE [UNIQUE | FULLTEXT | SPATIAL] INDEX`.
    CreateIndex,
    /// `CREATE [OR REPLACE] [ALGORITHM = ...] [DEFINER = ...] [SQL SECURITY ...] VIEW`.
    CreateView,
    /// Anything else (SET, SHOW, stored programs, ...): names are not quoted and no table
    /// options or aggregate types are touched; functions and operators are still mapped.
    Other,
}

impl StmtKind {
    fn of(toks: &[Token]) -> StmtKind {
        let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
        let Some(first) = toks.first() else { return StmtKind::Other };
        if ["select", "with", "insert", "replace", "update", "delete", "values"]
            .iter()
            .any(|k| first.is_kw(k))
            || first.is('(')
        {
            return StmtKind::Query;
        }
        if first.is_kw("alter") {
            let mut i = 1;
            while kw(i, "online") || kw(i, "ignore") {
                i += 1;
            }
            return if kw(i, "table") { StmtKind::AlterTable } else { StmtKind::Other };
        }
        if !first.is_kw("create") {
            return StmtKind::Other;
        }
        // The object kind comes within a few words (OR REPLACE, TEMPORARY, DEFINER = u@h,
        // ALGORITHM = x, SQL SECURITY y); stored programs and the rest are left alone.
        for (i, t) in toks.iter().enumerate().skip(1).take(12) {
            if t.is_kw("table") {
                return StmtKind::CreateTable;
            }
            if t.is_kw("index") && !kw(i - 1, "fulltext2") {
                return StmtKind::CreateIndex;
            }
            if t.is_kw("view") {
                return StmtKind::CreateView;
            }
            let program = ["procedure", "function", "trigger", "event", "package", "database", "schema"];
            if program.iter().any(|k| t.is_kw(k)) || t.is('(') {
                return StmtKind::Other;
            }
        }
        StmtKind::Other
    }
}

/// Sentinel for "no enclosing parenthesis".
pub(crate) const NONE: usize = usize::MAX;

/// Tokens with their parenthesis structure worked out once.
pub(crate) struct Scan<'a> {
    pub(crate) t: &'a [Token],
    /// For a `(`, the index of its `)` (or [`NONE`] if unbalanced).
    pub(crate) close: Vec<usize>,
    /// For every token, the index of the innermost `(` around it (or [`NONE`]).
    pub(crate) open: Vec<usize>,
    /// For a `)`, the index of its `(` (or [`NONE`] if unbalanced).
    pub(crate) opener: Vec<usize>,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(t: &'a [Token]) -> Self {
        let mut close = vec![NONE; t.len()];
        let mut open = vec![NONE; t.len()];
        let mut opener = vec![NONE; t.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (i, tok) in t.iter().enumerate() {
            if tok.is(')') {
                if let Some(o) = stack.pop() {
                    close[o] = i;
                    opener[i] = o;
                }
                open[i] = stack.last().copied().unwrap_or(NONE);
                continue;
            }
            open[i] = stack.last().copied().unwrap_or(NONE);
            if tok.is('(') {
                stack.push(i);
            }
        }
        Scan { t, close, open, opener }
    }

    /// Whether token `i` is the bare word `k`.
    pub(crate) fn kw(&self, i: usize, k: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.is_kw(k))
    }

    /// Whether token `i` is the punctuation `c`.
    pub(crate) fn is(&self, i: usize, c: char) -> bool {
        self.t.get(i).is_some_and(|t| t.is(c))
    }

    /// The lower-cased bare word at `i`.
    pub(crate) fn word(&self, i: usize) -> Option<String> {
        match &self.t.get(i)?.kind {
            Kind::Word(w) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    /// The index of the `)` matching the `(` at `i`.
    pub(crate) fn closing(&self, i: usize) -> Option<usize> {
        self.close.get(i).copied().filter(|&c| c != NONE)
    }

    /// The index of the `(` matching the `)` at `i`.
    pub(crate) fn opening(&self, i: usize) -> Option<usize> {
        self.opener.get(i).copied().filter(|&o| o != NONE)
    }

    /// The word before the `(` that encloses token `i` (the function or clause it belongs to).
    pub(crate) fn enclosing_word(&self, i: usize) -> Option<String> {
        let o = *self.open.get(i)?;
        if o == NONE || o == 0 {
            return None;
        }
        self.word(o - 1)
    }

    /// Whether token `i` is a function call's name: a bare word right before `(` that is not a
    /// table, index or column name there (`INSERT INTO f (a)`, `KEY f (a)`, `db.f(...)`).
    pub(crate) fn is_call(&self, i: usize) -> bool {
        if !self.is(i + 1, '(') || !matches!(self.t.get(i).map(|t| &t.kind), Some(Kind::Word(_))) {
            return false;
        }
        let Some(prev) = i.checked_sub(1) else { return true };
        let names = [
            "into",
            "table",
            "update",
            "references",
            "key",
            "index",
            "exists",
            "view",
            "procedure",
            "function",
            "trigger",
            "constraint",
            "unique",
            "primary",
            "foreign",
            "as",
        ];
        // `CREATE INDEX i ON t (...)` names a table after ON; a join's ON takes expressions.
        let table_after_on = self.kw(prev, "on") && self.kw(0, "create");
        !(self.is(prev, '.') || table_after_on || names.iter().any(|k| self.kw(prev, k)))
    }

    /// The arguments of the call whose `(` is at `open`: token index ranges between commas.
    pub(crate) fn args(&self, open: usize) -> Vec<std::ops::Range<usize>> {
        let Some(close) = self.closing(open) else { return Vec::new() };
        let mut out = Vec::new();
        let mut start = open + 1;
        let mut i = open + 1;
        while i < close {
            if self.is(i, '(') {
                i = self.closing(i).unwrap_or(close);
            } else if self.is(i, ',') {
                out.push(start..i);
                start = i + 1;
            }
            i += 1;
        }
        if start < close || !out.is_empty() {
            out.push(start..close);
        }
        out
    }

    /// If tokens `first..=last` are a whole item of a select list with no alias after them,
    /// the label MariaDB gives such an item: the client's text of it. A rewrite that changes
    /// the item's text adds `AS <label>` so clients see the column under the same name.
    pub(crate) fn select_item_label(&self, sql: &[u8], first: usize, last: usize) -> Option<Vec<u8>> {
        let level = *self.open.get(first)?;
        let prev = first.checked_sub(1)?;
        let in_list = if self.is(prev, ',') {
            // Walk back over earlier items of the same list to the clause that holds them.
            let mut j = prev;
            loop {
                let p = j.checked_sub(1)?;
                j = p;
                if self.open[j] != level && !self.is(j, ')') {
                    return None;
                }
                let t = &self.t[j];
                if t.is(')') {
                    // Skip the parenthesised group back to its `(`.
                    let o = self.opening(j)?;
                    j = o;
                    continue;
                }
                if t.is_kw("select") {
                    break true;
                }
                let clause =
                    ["from", "where", "by", "having", "set", "values", "on", "limit", "using", "into"];
                if clause.iter().any(|k| t.is_kw(k)) {
                    break false;
                }
            }
        } else {
            ["select", "distinct", "all", "distinctrow"].iter().any(|k| self.kw(prev, k))
                && (self.kw(prev, "select") || self.kw(prev.wrapping_sub(1), "select"))
        };
        if !in_list {
            return None;
        }
        let ends = match self.t.get(last + 1) {
            None => true,
            Some(n) => {
                n.is(',')
                    || n.is(';')
                    || (n.is(')') && self.open.get(last + 1).is_some_and(|&o| o == level || level == NONE))
                    || [
                        "from",
                        "into",
                        "where",
                        "group",
                        "order",
                        "limit",
                        "having",
                        "window",
                        "union",
                        "except",
                        "intersect",
                        "minus",
                        "for",
                        "lock",
                    ]
                    .iter()
                    .any(|k| n.is_kw(k))
            }
        };
        if !ends {
            return None;
        }
        let text = sql.get(self.t[first].start..self.t[last].end)?;
        // MariaDB refuses aliases over 256 characters; a longer item keeps the new text.
        (text.len() <= 250).then(|| text.to_vec())
    }
}

/// ` AS <label>` for [`Scan::select_item_label`].
pub(crate) fn alias(label: &[u8]) -> Vec<u8> {
    let mut out = b" AS ".to_vec();
    out.extend(crate::sql::rewrite::ident_bytes(label));
    out
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::sql::lexer::{lossy, tokenize};
    use crate::sql::rewrite::splice;

    /// The statement as mosim would send it to MariaDB, or the error it answers.
    pub(crate) fn rewritten(sql: &str) -> Result<String, (u16, String)> {
        let toks = tokenize(sql.as_bytes());
        match super::rewrite(sql.as_bytes(), &toks) {
            Ok(r) => Ok(lossy(&splice(sql.as_bytes(), r.edits))),
            Err(e) => Err((e.code, e.message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn select_items_are_recognised() {
        let sql = "select a, sum(b), c x from t where f(d) > 1";
        let toks = tokenize(sql.as_bytes());
        let s = Scan::new(&toks);
        // sum(b): tokens 3..=6
        assert_eq!(s.select_item_label(sql.as_bytes(), 3, 6).as_deref(), Some(&b"sum(b)"[..]));
        // c (aliased x): not a bare item
        assert_eq!(s.select_item_label(sql.as_bytes(), 8, 8), None);
        // f(d) in WHERE
        let f = toks.iter().position(|t| t.is_kw("f")).unwrap();
        assert_eq!(s.select_item_label(sql.as_bytes(), f, f + 3), None);
    }

    #[test]
    fn statement_kinds() {
        let k = |s: &str| StmtKind::of(&tokenize(s.as_bytes()));
        assert_eq!(k("create or replace temporary table t (a int)"), StmtKind::CreateTable);
        assert_eq!(k("create unique index i on t (a)"), StmtKind::CreateIndex);
        assert_eq!(
            k("create definer = `root`@`%` sql security invoker view v as select 1"),
            StmtKind::CreateView
        );
        assert_eq!(k("create procedure p() begin select 1; end"), StmtKind::Other);
        assert_eq!(k("alter online table t add c int"), StmtKind::AlterTable);
        assert_eq!(k("(select 1) union (select 2)"), StmtKind::Query);
    }
}
