//! MatrixOne conformance: short SQL scripts with the results MatrixOne gives, run against
//! mosim (on the real MariaDB) through a plain MySQL client.
//!
//! Every `tests/conformance/<area>.txt` holds cases like this one:
//!
//! ```text
//! === signal is a column name
//! source: test/distributed/cases/keyword/keyword.result; mysql_sql.y non_reserved_keyword (UNUSED)
//! sql:
//! create table kw1 (id int, signal varchar(32));
//! insert into kw1 values (1, 'on');
//! select id, signal from kw1;
//! expect:
//! 1 | on
//! ```
//!
//! The statements run in order on one connection (each area has a fresh database of its own,
//! and later cases may use what earlier ones made); every statement but the last must
//! succeed, and the last one is compared with what follows:
//!
//! - `expect:` and its rows, one per line, values separated by `|`, NULL as `null`: the rows
//!   must match exactly, in order, after collapsing whitespace (DOUBLE values compare as
//!   numbers, since MatrixOne's test tool prints `1.0` for 1);
//! - `types: BIGINT | DECIMAL`: the columns' types as the client decodes them;
//! - `error: 20105 [text]`: the statement fails with that code (and message text);
//! - `ok`: the statement succeeds, whatever it returns;
//! - `known: <reason>`: mosim still differs from MatrixOne here, for that reason. The case
//!   must keep differing; when it starts to match, the runner says so (drop the line).
//!
//! `source:` cites the MatrixOne file the expected result was read from. The runner prints
//! per area how many cases pass and how many are known differences, and fails on anything
//! else.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;
use sqlx::mysql::{MySqlConnection, MySqlRow};
use sqlx::{AssertSqlSafe, Column, Executor, Row, TypeInfo};

/// What the last statement of a case must do.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Rows(Vec<Vec<String>>),
    Error(u16, String),
    Ok,
}

#[derive(Debug, Clone)]
struct Case {
    name: String,
    line: usize,
    source: String,
    statements: Vec<String>,
    expect: Expect,
    types: Option<Vec<String>>,
    known: Option<String>,
}

/// Parses one area file.
fn parse(text: &str, file: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    // Which part of the current case the next lines belong to.
    #[derive(PartialEq)]
    enum Part {
        None,
        Sql,
        Rows,
    }
    let mut part = Part::None;
    let mut sql = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if let Some(name) = line.strip_prefix("=== ") {
            finish_sql(&mut cases, &mut sql);
            cases.push(Case {
                name: name.trim().to_owned(),
                line: n + 1,
                source: String::new(),
                statements: Vec::new(),
                expect: Expect::Ok,
                types: None,
                known: None,
            });
            part = Part::None;
            continue;
        }
        if line.starts_with('#') && part != Part::Sql {
            continue;
        }
        if cases.is_empty() {
            assert!(line.trim().is_empty(), "{file}:{}: text before the first case", n + 1);
            continue;
        }
        if let Some(src) = line.strip_prefix("source:") {
            cases.last_mut().unwrap().source = src.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("sql:") {
            part = Part::Sql;
            sql = rest.trim().to_owned();
            sql.push('\n');
        } else if line == "expect:" {
            finish_sql(&mut cases, &mut sql);
            cases.last_mut().unwrap().expect = Expect::Rows(Vec::new());
            part = Part::Rows;
        } else if let Some(rest) = line.strip_prefix("error:") {
            finish_sql(&mut cases, &mut sql);
            let rest = rest.trim();
            let (code, text) = rest.split_once(' ').unwrap_or((rest, ""));
            let code = code.parse().unwrap_or_else(|_| panic!("{file}:{}: bad error code", n + 1));
            cases.last_mut().unwrap().expect = Expect::Error(code, text.trim().to_owned());
            part = Part::None;
        } else if line == "ok" {
            finish_sql(&mut cases, &mut sql);
            cases.last_mut().unwrap().expect = Expect::Ok;
            part = Part::None;
        } else if let Some(rest) = line.strip_prefix("types:") {
            finish_sql(&mut cases, &mut sql);
            cases.last_mut().unwrap().types = Some(cells(rest));
            if part == Part::Sql {
                part = Part::None;
            }
        } else if let Some(rest) = line.strip_prefix("known:") {
            finish_sql(&mut cases, &mut sql);
            cases.last_mut().unwrap().known = Some(rest.trim().to_owned());
            part = Part::None;
        } else {
            match part {
                Part::Sql => {
                    sql.push_str(raw);
                    sql.push('\n');
                }
                Part::Rows if !line.trim().is_empty() => {
                    if let Expect::Rows(rows) = &mut cases.last_mut().unwrap().expect {
                        rows.push(cells(line));
                    }
                }
                _ => assert!(line.trim().is_empty(), "{file}:{}: unexpected line {line:?}", n + 1),
            }
        }
    }
    finish_sql(&mut cases, &mut sql);
    for c in &cases {
        assert!(!c.statements.is_empty(), "{file}:{}: case {:?} has no SQL", c.line, c.name);
        assert!(!c.source.is_empty(), "{file}:{}: case {:?} cites no source", c.line, c.name);
    }
    cases
}

/// Moves collected SQL text into the current case's statements: one per `;` at a line end.
fn finish_sql(cases: &mut [Case], sql: &mut String) {
    let Some(case) = cases.last_mut() else { return };
    let mut current = String::new();
    for line in sql.lines() {
        if line.trim().is_empty() && current.is_empty() {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            let stmt = current.trim().trim_end_matches(';').trim().to_owned();
            if !stmt.is_empty() {
                case.statements.push(stmt);
            }
            current.clear();
        }
    }
    let rest = current.trim();
    if !rest.is_empty() {
        case.statements.push(rest.to_owned());
    }
    sql.clear();
}

fn cells(line: &str) -> Vec<String> {
    line.split('|').map(normalise).collect()
}

/// Whitespace runs collapse to one space; the ends are trimmed.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the last statement of a case did.
#[derive(Debug)]
enum Outcome {
    Rows { types: Vec<String>, rows: Vec<Vec<String>> },
    Error(u16, String),
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Outcome::Rows { types, rows } => {
                let mut s = format!("rows ({})", types.join(" | "));
                for r in rows.iter().take(8) {
                    let _ = write!(s, "\n      {}", r.join(" | "));
                }
                if rows.len() > 8 {
                    let _ = write!(s, "\n      ... {} rows", rows.len());
                }
                s
            }
            Outcome::Error(code, msg) => format!("error {code}: {msg}"),
        }
    }
}

fn text_of(row: &MySqlRow, i: usize) -> String {
    match row.try_get_unchecked::<Option<Vec<u8>>, _>(i) {
        Ok(Some(b)) => normalise(&String::from_utf8_lossy(&b)),
        Ok(None) => "null".to_owned(),
        Err(e) => format!("<undecodable: {e}>"),
    }
}

async fn run_last(c: &mut MySqlConnection, sql: &str) -> Outcome {
    match c.fetch_all(AssertSqlSafe(sql.to_owned())).await {
        Ok(rows) => {
            let Some(first) = rows.first() else {
                return Outcome::Rows { types: Vec::new(), rows: Vec::new() };
            };
            let types = first.columns().iter().map(|col| col.type_info().name().to_owned()).collect();
            let rows = rows.iter().map(|r| (0..r.len()).map(|i| text_of(r, i)).collect()).collect();
            Outcome::Rows { types, rows }
        }
        Err(sqlx::Error::Database(d)) => {
            let my = d.downcast_ref::<sqlx::mysql::MySqlDatabaseError>();
            Outcome::Error(my.number(), my.message().to_owned())
        }
        Err(e) => Outcome::Error(0, e.to_string()),
    }
}

fn same_value(expected: &str, actual: &str, ty: Option<&String>) -> bool {
    if expected.eq_ignore_ascii_case(actual) && (expected.eq_ignore_ascii_case("null") || expected == actual)
    {
        return true;
    }
    let float = ty.is_some_and(|t| t.contains("DOUBLE") || t.contains("FLOAT"));
    if float && let (Ok(e), Ok(a)) = (expected.parse::<f64>(), actual.parse::<f64>()) {
        return e == a || ((e - a).abs() <= 1e-9 * e.abs().max(a.abs()));
    }
    expected == actual
}

/// Whether the outcome is what the case expects; the reason if not.
fn check(case: &Case, outcome: &Outcome) -> Result<(), String> {
    match (&case.expect, outcome) {
        (Expect::Ok, Outcome::Rows { .. }) => {}
        (Expect::Rows(want), Outcome::Rows { types, rows }) => {
            let same = want.len() == rows.len()
                && want.iter().zip(rows).all(|(w, r)| {
                    w.len() == r.len()
                        && w.iter().zip(r).enumerate().all(|(i, (e, a))| same_value(e, a, types.get(i)))
                });
            if !same {
                return Err(format!("expected rows {want:?}"));
            }
        }
        (Expect::Error(code, text), Outcome::Error(got, msg)) => {
            if code != got || !msg.contains(text.as_str()) {
                return Err(format!("expected error {code} {text:?}"));
            }
        }
        (want, _) => return Err(format!("expected {want:?}")),
    }
    if let (Some(want), Outcome::Rows { types, rows }) = (&case.types, outcome)
        && !rows.is_empty()
    {
        let same =
            want.len() == types.len() && want.iter().zip(types).all(|(w, t)| w.eq_ignore_ascii_case(t));
        if !same {
            return Err(format!("expected types {want:?}"));
        }
    }
    Ok(())
}

/// One area's tally.
#[derive(Default)]
struct Tally {
    pass: usize,
    known: usize,
    failures: Vec<String>,
}

async fn run_area(server: &mosim::Server, area: String, cases: Vec<Case>) -> (String, Tally) {
    let (mut c, db) = fresh_db(server, &format!("conf_{area}")).await;
    let mut tally = Tally::default();
    for case in &cases {
        let (last, setup) = case.statements.split_last().expect("a case has SQL");
        let mut setup_error = None;
        for stmt in setup {
            if let Err(e) = c.execute(AssertSqlSafe(stmt.clone())).await {
                setup_error = Some(format!("setup statement {stmt:?} failed: {e}"));
                break;
            }
        }
        let result = match setup_error {
            Some(e) => Err((e, String::new())),
            None => {
                let got = run_last(&mut c, last).await;
                check(case, &got).map_err(|why| (why, got.describe()))
            }
        };
        let at = format!("{area}.txt:{} {:?} ({})", case.line, case.name, case.source);
        match (&case.known, result) {
            (None, Ok(())) => tally.pass += 1,
            (Some(_), Err(_)) => tally.known += 1,
            (None, Err((why, got))) => tally.failures.push(format!("{at}\n    {why}\n    got {got}")),
            (Some(reason), Ok(())) => tally.failures.push(format!(
                "{at}\n    marked as a known difference ({reason}) but now matches MatrixOne: drop the `known:` line"
            )),
        }
    }
    exec(&mut c, &format!("DROP DATABASE IF EXISTS {db}")).await;
    (area, tally)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mosim_answers_like_matrixone() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut areas: Vec<(String, Vec<Case>)> = std::fs::read_dir(&dir)
        .expect("tests/conformance")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let cases = parse(&text, &name);
            (name, cases)
        })
        .collect();
    areas.sort_by(|a, b| a.0.cmp(&b.0));
    let area_count = areas.len();
    let server = std::sync::Arc::new(server().await);
    let mut tasks = tokio::task::JoinSet::new();
    for (area, cases) in areas {
        let s = std::sync::Arc::clone(&server);
        tasks.spawn(async move { run_area(&s, area, cases).await });
    }
    let mut results = Vec::new();
    while let Some(r) = tasks.join_next().await {
        results.push(r.expect("an area task"));
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let (mut total, mut pass, mut known) = (0, 0, 0);
    let mut failures = Vec::new();
    println!("MatrixOne conformance of mosim:");
    for (area, t) in &results {
        let n = t.pass + t.known + t.failures.len();
        println!(
            "  {area:<16} {n:>4} cases  {:>4} pass  {:>3} known differences  {:>3} failures",
            t.pass,
            t.known,
            t.failures.len()
        );
        total += n;
        pass += t.pass;
        known += t.known;
        failures.extend(t.failures.iter().cloned());
    }
    println!("  {:<16} {total:>4} cases  {pass:>4} pass  {known:>3} known differences", "total");
    assert!(failures.is_empty(), "{} unexpected results:\n{}", failures.len(), failures.join("\n"));
    assert!(area_count >= 10 && total >= 250, "only {total} conformance cases in {area_count} areas");
}

#[test]
fn the_case_format_parses() {
    let cases = parse(
        "# c\n=== a\nsource: x\nsql:\ncreate table t (a int);\nselect a,\n  1 from t;\nexpect:\n1 | 2\n\n=== b\nsource: y\nsql: select 1;\nerror: 20105 not supported\nknown: why\n",
        "t",
    );
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].statements, ["create table t (a int)", "select a,\n  1 from t"]);
    assert_eq!(cases[0].expect, Expect::Rows(vec![vec!["1".into(), "2".into()]]));
    assert_eq!(cases[1].expect, Expect::Error(20105, "not supported".into()));
    assert_eq!(cases[1].known.as_deref(), Some("why"));
}
