//! `MATCH (cols) AGAINST ('...' [IN NATURAL LANGUAGE MODE | IN BOOLEAN MODE])`, answered
//! like MatrixOne (test/distributed/cases/fulltext/fulltext.result).
//!
//! MariaDB's InnoDB fulltext has a minimum word length, stopwords (`is`), no CJK
//! tokenisation and other ranking, so mosim computes the matches itself: each call becomes
//! SQL over the lower-cased text of the columns (joined by newlines as MatrixOne joins them,
//! the values of a JSON document for the `json` parsers), one PCRE
//! expression per search leaf (see `pattern`), combined the way MatrixOne combines them
//! (`Pattern.Eval` in pkg/fulltext/fulltext.go), with MatrixOne's default TF-IDF score
//! (`EvalLeaf`): `weight * tf * log10(N / n)^2`, N the rows with any of the columns set, n
//! the rows a leaf matches, tf the leaf's occurrences (1 in boolean mode), as FLOAT.
//!
//! As in MatrixOne:
//! - the columns must be those of a fulltext index of the table, else 20105 `MATCH()
//!   AGAINST() function cannot be replaced by FULLTEXT INDEX ...`;
//! - a MATCH in the select list (or ORDER BY) also keeps only the rows that match (the
//!   index scan is joined to the table), and rows come best first when the query has no
//!   ORDER BY of its own (the plan's `Sort Key: score DESC`).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::error::SqlError;
use crate::mo::fulltext::pattern::{self, Leaf, Node};
use crate::mo::pool::Pool;
use crate::sql::dialect::Scan;
use crate::sql::lexer::{Kind, Token, lossy};
use crate::sql::rewrite::{Edit, ident_bytes, sql_str};
use crate::wire::backend::cell;

/// MatrixOne's answer when no fulltext index has the MATCH's columns.
pub(crate) fn no_index() -> SqlError {
    SqlError::not_supported(
        "MATCH() AGAINST() function cannot be replaced by FULLTEXT INDEX and full table scan with fulltext search is not supported yet.",
    )
}

/// One `MATCH ... AGAINST (...)` of a statement.
#[derive(Debug, Clone)]
struct Call {
    /// Token index of MATCH and of AGAINST's `)`.
    start: usize,
    end: usize,
    /// The columns: (qualifier, name) as written.
    cols: Vec<(Option<Vec<u8>>, Vec<u8>)>,
    pattern: String,
    boolean: bool,
    /// In WHERE / HAVING / ON: a condition, not a score.
    condition: bool,
}

/// A table the query reads: its name tokens and the name columns qualify it by.
#[derive(Debug, Clone)]
struct TableRef {
    range: Range<usize>,
    db: Option<String>,
    table: String,
    alias: Option<String>,
}

/// Whether the statement has a MATCH call at all (the cheap test before any lookup).
pub(crate) fn has_match(toks: &[Token]) -> bool {
    toks.windows(2).any(|w| w[0].is_kw("match") && w[1].is('('))
}

fn calls(sql: &[u8], scan: &Scan<'_>) -> Result<Vec<Call>, SqlError> {
    let t = scan.t;
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !(scan.kw(i, "match") && scan.is(i + 1, '(')) {
            i += 1;
            continue;
        }
        let Some(close) = scan.closing(i + 1) else { break };
        if !(scan.kw(close + 1, "against") && scan.is(close + 2, '(')) {
            i += 1;
            continue;
        }
        let Some(end) = scan.closing(close + 2) else { break };
        let mut cols = Vec::new();
        for arg in scan.args(i + 1) {
            let name = |k: usize| t.get(k).and_then(|x| x.ident_bytes(sql)).map(|b| b.into_owned());
            match arg.len() {
                1 => cols.push((None, name(arg.start).ok_or_else(|| bad(sql))?)),
                3 if scan.is(arg.start + 1, '.') => {
                    cols.push((name(arg.start), name(arg.start + 2).ok_or_else(|| bad(sql))?))
                }
                _ => return Err(bad(sql)),
            }
        }
        let Some(Kind::Str(pattern)) = t.get(close + 3).map(|x| x.kind.clone()) else {
            return Err(SqlError::not_supported(
                "MATCH ... AGAINST with a search string that is not a literal (mosim compiles it before the query runs)",
            ));
        };
        let mode: Vec<String> = (close + 4..end).filter_map(|k| scan.word(k)).collect();
        let boolean = mode.first().is_some_and(|m| m == "in") && mode.get(1).is_some_and(|m| m == "boolean");
        if mode.iter().any(|m| m == "expansion") {
            return Err(SqlError::internal("Query Expansion mode not supported"));
        }
        out.push(Call { start: i, end, cols, pattern, boolean, condition: in_condition(scan, i) });
        i = end + 1;
    }
    Ok(out)
}

fn bad(sql: &[u8]) -> SqlError {
    SqlError::syntax(&lossy(sql), 0)
}

/// Whether token `i` sits in a WHERE, HAVING or ON condition.
fn in_condition(scan: &Scan<'_>, i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        if scan.is(j, ')') {
            if let Some(o) = scan.opening(j) {
                j = o;
            }
            continue;
        }
        for k in ["where", "having", "on"] {
            if scan.kw(j, k) {
                return true;
            }
        }
        for k in ["select", "by", "from", "limit", "set", "values"] {
            if scan.kw(j, k) {
                return false;
            }
        }
    }
    false
}

/// Top-level clause keywords after FROM, in order of appearance.
fn top_level(scan: &Scan<'_>, from: usize, k: &str) -> Option<usize> {
    (from..scan.t.len()).find(|&j| scan.open[j] == crate::sql::dialect::NONE && scan.kw(j, k))
}

/// The tables of the outermost FROM: `t [AS] a`, `, t2 b`, `JOIN t3 ON ...`.
fn tables(scan: &Scan<'_>, from: usize) -> Vec<TableRef> {
    let t = scan.t;
    let mut out = Vec::new();
    let mut j = from + 1;
    let stop = ["where", "group", "having", "order", "limit", "window", "union", "for", "lock"];
    while j < t.len() {
        if scan.open[j] != crate::sql::dialect::NONE || t[j].is('(') {
            j = scan.closing(j).map_or(j + 1, |c| c + 1);
            continue;
        }
        if stop.iter().any(|k| scan.kw(j, k)) || t[j].is(';') {
            break;
        }
        let starts = j == from + 1 || t[j - 1].is(',') || scan.kw(j - 1, "join");
        if starts && let Some(first) = t[j].ident() {
            let (db, table, mut k) = if scan.is(j + 1, '.') {
                (Some(first.to_owned()), t.get(j + 2).and_then(|x| x.ident()).unwrap_or("").to_owned(), j + 3)
            } else {
                (None, first.to_owned(), j + 1)
            };
            let range = j..k;
            if scan.kw(k, "as") {
                k += 1;
            }
            let keywords =
                ["on", "using", "join", "inner", "left", "right", "cross", "natural", "straight_join"];
            let alias = t
                .get(k)
                .filter(|x| {
                    x.ident().is_some()
                        && !keywords.iter().any(|w| x.is_kw(w))
                        && !stop.iter().any(|w| x.is_kw(w))
                })
                .and_then(|x| x.ident())
                .map(str::to_owned);
            out.push(TableRef { range, db, table, alias });
            j = k;
            continue;
        }
        j += 1;
    }
    out
}

/// A fulltext index: its columns (lower-cased) and parser (`ngram`, `json`, ...; empty for
/// the default).
#[derive(Debug, Clone)]
pub(crate) struct FtIndex {
    pub(crate) columns: Vec<String>,
    pub(crate) parser: String,
}

/// The fulltext indexes of a table: MariaDB FULLTEXT ones and the ones mosim stores as a
/// commented index (`fulltext_ddl`).
pub(crate) async fn indexes(pool: &Pool, db: &str, table: &str) -> Result<Vec<FtIndex>, SqlError> {
    let sql = format!(
        "SELECT INDEX_NAME, COLUMN_NAME, INDEX_COMMENT FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} \
         AND (INDEX_TYPE = 'FULLTEXT' OR INDEX_COMMENT LIKE 'fulltext {{%') ORDER BY INDEX_NAME, SEQ_IN_INDEX",
        sql_str(db),
        sql_str(table)
    );
    let mut cat = pool.get().await?;
    let rows = cat.query(&sql).await;
    cat.release();
    let mut by_name: BTreeMap<String, FtIndex> = BTreeMap::new();
    for row in rows?.rows {
        let text = |i: usize| cell(&row, i);
        let comment = text(2);
        let parser = comment
            .split_once("\"parser\":\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or(String::new(), |(p, _)| p.to_owned());
        let entry = by_name.entry(text(0)).or_insert_with(|| FtIndex { columns: Vec::new(), parser });
        entry.columns.push(text(1).to_lowercase());
    }
    Ok(by_name.into_values().collect())
}

/// SQL computing one search: whether a row matches, and its score.
struct Res {
    p: String,
    s: String,
}

const EMPTY: (&str, &str) = ("FALSE", "0");

struct Ctx<'a> {
    doc: &'a str,
    from: &'a str,
    n: String,
    natural: bool,
}

impl Ctx<'_> {
    fn count(&self, cond: &str) -> String {
        format!("(SELECT COUNT(*) FROM {} WHERE {cond})", self.from)
    }

    fn idf_sq(&self, cond: &str) -> String {
        format!("POW(LOG10({} / NULLIF({}, 0)), 2)", self.n, self.count(cond))
    }

    fn leaf(&self, l: &Leaf, weight: f32) -> Res {
        let re = sql_str(&l.regex());
        let cond = format!("{} REGEXP {re}", self.doc);
        let tf = if self.natural {
            format!(
                "((CHAR_LENGTH({d}) - CHAR_LENGTH(REGEXP_REPLACE({d}, {re}, ''))) / {w})",
                d = self.doc,
                w = l.width().max(1)
            )
        } else {
            "1".to_owned()
        };
        Res { s: format!("({weight} * {tf} * {})", self.idf_sq(&cond)), p: format!("({cond})") }
    }

    fn join(&self, leaves: &[Leaf], weight: f32) -> Res {
        let conds: Vec<String> =
            leaves.iter().map(|l| format!("{} REGEXP {}", self.doc, sql_str(&l.regex()))).collect();
        let cond = conds.join(" AND ");
        Res { s: format!("({weight} * {})", self.idf_sq(&cond)), p: format!("({cond})") }
    }
}

fn or(r: Res, c: Res) -> Res {
    Res {
        s: format!("(IF({}, {}, 0) + IF({}, {}, 0))", r.p, r.s, c.p, c.s),
        p: format!("({} OR {})", r.p, c.p),
    }
}

fn plus_or(r: Res, c: Res) -> Res {
    Res { s: format!("({} + IF({}, {}, 0))", r.s, c.p, c.s), p: r.p }
}

fn plus_plus(r: Res, c: Res) -> Res {
    Res { s: format!("({} + {})", r.s, c.s), p: format!("({} AND {})", r.p, c.p) }
}

fn minus(r: Res, c: Res) -> Res {
    Res { s: r.s, p: format!("({} AND NOT {})", r.p, c.p) }
}

/// `Pattern.Eval`, as SQL.
fn eval(ctx: &Ctx<'_>, n: &Node, weight: f32, result: Option<Res>, any_plus: bool) -> Res {
    match n {
        Node::Leaf(l) => {
            let leaf = ctx.leaf(l, weight);
            match result {
                None => leaf,
                Some(r) if any_plus => plus_or(r, leaf),
                Some(r) => or(r, leaf),
            }
        }
        Node::Join(leaves) => {
            let j = ctx.join(leaves, weight);
            match result {
                None => j,
                Some(r) => plus_plus(r, j),
            }
        }
        Node::Plus(c) => {
            let child = eval(ctx, c, weight, None, any_plus);
            match result {
                None => child,
                Some(r) => plus_plus(r, child),
            }
        }
        Node::Minus(c) => match result {
            None => Res { p: EMPTY.0.into(), s: EMPTY.1.into() },
            Some(r) => minus(r, eval(ctx, c, weight, None, any_plus)),
        },
        Node::Weight(f, c) => {
            let child = eval(ctx, c, weight * f, None, any_plus);
            match result {
                None => child,
                Some(r) => or(r, child),
            }
        }
        Node::Rankless(c) => {
            let child = eval(ctx, c, -weight, None, any_plus);
            match result {
                None => child,
                Some(r) if any_plus => plus_or(r, child),
                Some(r) => or(r, child),
            }
        }
        Node::Group(children) => {
            let parts: Vec<Res> = children.iter().map(|c| eval(ctx, c, weight, None, any_plus)).collect();
            if parts.is_empty() {
                return Res { p: EMPTY.0.into(), s: EMPTY.1.into() };
            }
            let p = parts.iter().map(|r| r.p.clone()).collect::<Vec<_>>().join(" OR ");
            let s =
                parts.iter().map(|r| format!("IF({}, {}, -1e308)", r.p, r.s)).collect::<Vec<_>>().join(", ");
            let s = if parts.len() == 1 { parts[0].s.clone() } else { format!("GREATEST({s})") };
            Res { p: format!("({p})"), s }
        }
    }
}

/// The SQL of one call: (condition, score).
fn compile(call: &Call, doc: &str, from: &str, n: String) -> Result<Res, SqlError> {
    let ctx = Ctx { doc, from, n, natural: !call.boolean };
    if call.boolean {
        let nodes = pattern::boolean(&call.pattern)?;
        if nodes.is_empty() {
            return Err(pattern::empty_pattern());
        }
        let any_plus = nodes.iter().any(|n| matches!(n, Node::Plus(_) | Node::Join(_)));
        let mut result = None;
        for node in &nodes {
            result = Some(eval(&ctx, node, 1.0, result, any_plus));
        }
        result.ok_or_else(pattern::empty_pattern)
    } else {
        Ok(ctx.leaf(&pattern::natural(&call.pattern)?, 1.0))
    }
}

/// The edits answering every MATCH of a SELECT as MatrixOne does; `current` is the
/// client's current database.
pub(crate) async fn edits(
    pool: &Pool,
    sql: &[u8],
    toks: &[Token],
    current: Option<&str>,
) -> Result<Vec<Edit>, SqlError> {
    let scan = Scan::new(toks);
    let calls = calls(sql, &scan)?;
    if calls.is_empty() {
        return Ok(Vec::new());
    }
    let from = (0..toks.len()).find(|&j| scan.open[j] == crate::sql::dialect::NONE && scan.kw(j, "from"));
    let Some(from) = from else { return Err(no_index()) };
    let refs = tables(&scan, from);
    let mut out = Vec::new();
    let mut first_score: Option<String> = None;
    let mut filter: Option<String> = None;
    let mut any_condition = false;
    for call in &calls {
        let qualifier = call.cols.first().and_then(|c| c.0.as_ref()).map(|q| lossy(q).to_lowercase());
        let r = match &qualifier {
            Some(q) => refs.iter().find(|r| r.alias.as_deref().unwrap_or(&r.table).eq_ignore_ascii_case(q)),
            None => refs.first(),
        };
        let Some(r) = r else { return Err(no_index()) };
        let db = r.db.as_deref().or(current).ok_or_else(no_index)?;
        let wanted: Vec<String> = call.cols.iter().map(|c| lossy(&c.1).to_lowercase()).collect();
        let idx = indexes(pool, db, &r.table).await?;
        let covering = idx.iter().find(|i| {
            let mut a = i.columns.clone();
            let mut b = wanted.clone();
            a.sort();
            b.sort();
            a == b
        });
        let Some(covering) = covering else { return Err(no_index()) };
        // The json parsers index a JSON document's values, not its keys (fulltext_tokenize.go).
        let json = covering.parser.starts_with("json");
        let col = |c: &(Option<Vec<u8>>, Vec<u8>)| -> String {
            let mut s = Vec::new();
            if let Some(q) = &c.0 {
                s.extend(ident_bytes(q));
                s.push(b'.');
            }
            s.extend(ident_bytes(&c.1));
            lossy(&s)
        };
        let cols: Vec<String> = call.cols.iter().map(col).collect();
        let parts: Vec<String> = if json {
            cols.iter()
                .map(|c| format!("CONCAT_WS('\\n', JSON_EXTRACT({c}, '$**.*'), JSON_EXTRACT({c}, '$**[*]'))"))
                .collect()
        } else {
            cols.clone()
        };
        // MatrixOne joins the columns with a newline before tokenizing (fulltext_tokenize.go).
        let doc = format!("LOWER(CONCAT_WS('\\n', {}))", parts.join(", "));
        let table_text = lossy(&sql[toks[r.range.start].start..toks[r.range.end - 1].end]);
        let alias = r.alias.clone().unwrap_or_else(|| r.table.clone());
        let from_sql = format!("{table_text} AS {}", crate::sql::rewrite::ident(&alias));
        let n = format!("(SELECT COUNT(*) FROM {from_sql} WHERE COALESCE({}) IS NOT NULL)", cols.join(", "));
        let res = compile(call, &doc, &from_sql, n)?;
        let score = format!("CAST(IF({}, {}, NULL) AS FLOAT)", res.p, res.s);
        let text = if call.condition {
            any_condition = true;
            res.p.clone()
        } else {
            filter.get_or_insert_with(|| res.p.clone());
            score.clone()
        };
        first_score.get_or_insert(score);
        out.push((toks[call.start].start, toks[call.end].end, text.into_bytes()));
    }
    // Clause positions of the outermost query.
    let top = |k: &str| top_level(&scan, from, k);
    let end_of = |after: usize| -> usize {
        ["group", "having", "order", "limit", "window", "union", "for", "lock"]
            .iter()
            .filter_map(|k| top(k))
            .filter(|&j| j > after)
            .min()
            .map_or(sql.len(), |j| toks[j].start)
    };
    if !any_condition && let Some(p) = filter {
        match top("where") {
            Some(w) => {
                let end = end_of(w);
                let end = sql[..end].trim_ascii_end().len();
                let end = if sql[..end].ends_with(b";") { end - 1 } else { end };
                out.push((toks[w].end, toks[w].end, b" (".to_vec()));
                out.push((end, end, format!(") AND {p}").into_bytes()));
            }
            None => {
                let at = end_of(from);
                let at = sql[..at].trim_ascii_end().len();
                out.push((at, at, format!(" WHERE {p} ").into_bytes()));
            }
        }
    }
    let aggregate = toks.iter().enumerate().any(|(j, x)| {
        scan.is_call(j) && ["count", "sum", "avg", "min", "max", "group_concat"].iter().any(|k| x.is_kw(k))
    });
    if top("order").is_none()
        && top("group").is_none()
        && !aggregate
        && let Some(s) = first_score
    {
        let at = match top("limit") {
            Some(l) => toks[l].start,
            None => {
                let end = sql.trim_ascii_end().len();
                if sql[..end].ends_with(b";") { end - 1 } else { end }
            }
        };
        out.push((at, at, format!(" ORDER BY {s} DESC ").into_bytes()));
    }
    Ok(out)
}
