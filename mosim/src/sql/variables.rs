//! MatrixOne's session variables that MariaDB 10.11 does not have, kept by mosim per session
//! (and per server for GLOBAL), and the statements that read or write them.
//!
//! MySQL 8 clients ask `SELECT @@transaction_isolation` on connect (SQLAlchemy, Connector/J,
//! Go's driver); MariaDB 10.11 only knows `tx_isolation` and answers 1193. MatrixOne has both
//! names, and many variables of its own (vector and fulltext indexes, query results). Names,
//! types, ranges and defaults follow `gSysVarsDefs` in MatrixOne's pkg/frontend/variables.go;
//! the SET TRANSACTION rules follow `handleSetTransaction` (pkg/frontend/mysql_cmd_executor.go)
//! and the isolation checks `txnIsolationFromSystemValue` (pkg/frontend/txn.go).
//!
//! What MatrixOne answers, and so mosim:
//! - `SELECT @@x` labels the column `@@x` as written, without a `session.` / `global.` scope,
//!   and types every system variable as text (`baseBindVar` in pkg/sql/plan/base_binder.go
//!   binds T_text, sent as a BLOB column in utf8mb4 by `colDef2MysqlColumn`, pkg/frontend/util.go);
//! - `SHOW VARIABLES` has two VARCHAR columns, `Variable_name` and `Value`, sorted by name,
//!   booleans as `on` / `off` (`doShowVariables`);
//! - a value that does not fit is `internal error: convert to the system variable <type> type
//!   failed` (20101).
//!
//! `transaction_isolation` (alias `tx_isolation`) is also handed on to MariaDB's `tx_isolation`
//! for the session, so transactions behave as the level says: MatrixOne runs REPEATABLE-READ as
//! snapshot isolation and READ-COMMITTED as read committed; it refuses the other two levels.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{ER_INVALID_INPUT, SqlError};
use crate::sql::lexer::{Kind, Token, lossy};
use crate::sql::rewrite::{Edit, ident, sql_str};
use crate::wire::backend::Backend;

/// The type of a MatrixOne system variable (`SystemVariable*Type` in variables.go).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    /// `InitSystemVariableBoolType`: 0 / 1, ON / OFF, TRUE / FALSE.
    Bool,
    /// `InitSystemVariableIntType(min, max)`.
    Int(i64, i64),
    /// `InitSystemVariableUintType(min, max)`.
    Uint(u64, u64),
    /// `InitSystemVariableDoubleType(min, max)`.
    Double(f64, f64),
    /// `InitSystemSystemEnumType(values...)`: a value by name (any case) or by index.
    Enum(&'static [&'static str]),
    /// `InitSystemVariableStringType`.
    Str,
}

/// One variable mosim keeps: its name, type and default as MatrixOne defines them.
#[derive(Debug)]
pub(crate) struct Def {
    name: &'static str,
    ty: Ty,
    default: &'static str,
}

const ISOLATION_LEVELS: &[&str] = &["READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ", "SERIALIZABLE"];

/// The variables mosim answers itself: MatrixOne's own (pkg/frontend/variables.go,
/// `gSysVarsDefs`) that MariaDB 10.11 does not have, all of scope "both" and dynamic.
const DEFS: &[Def] = &[
    Def { name: "transaction_isolation", ty: Ty::Enum(ISOLATION_LEVELS), default: "REPEATABLE-READ" },
    Def { name: "transaction_read_only", ty: Ty::Int(0, 1), default: "0" },
    Def { name: "tx_read_only", ty: Ty::Int(0, 1), default: "0" },
    Def { name: "save_query_result", ty: Ty::Bool, default: "0" },
    Def { name: "query_result_timeout", ty: Ty::Uint(0, u64::MAX), default: "24" },
    Def { name: "query_result_maxsize", ty: Ty::Uint(0, u64::MAX), default: "100" },
    Def { name: "enable_privilege_cache", ty: Ty::Bool, default: "1" },
    Def { name: "enable_remap_hint", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_ivf_index", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_hnsw_index", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_fulltext_index", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_fulltext2_index", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_ivfpq_index", ty: Ty::Bool, default: "0" },
    Def { name: "experimental_cagra_index", ty: Ty::Bool, default: "0" },
    Def { name: "ivf_threads_build", ty: Ty::Int(0, 1024), default: "0" },
    Def { name: "ivf_threads_search", ty: Ty::Int(0, 1024), default: "0" },
    Def { name: "ivf_preload_entries", ty: Ty::Bool, default: "0" },
    Def { name: "probe_limit", ty: Ty::Int(1, 80000), default: "5" },
    Def { name: "kmeans_train_percent", ty: Ty::Double(0.0, 100.0), default: "10" },
    Def { name: "kmeans_max_iteration", ty: Ty::Int(10, 500), default: "20" },
    Def { name: "hnsw_threads_build", ty: Ty::Int(0, 1024), default: "0" },
    Def { name: "hnsw_threads_search", ty: Ty::Int(0, 1024), default: "0" },
    Def { name: "hnsw_max_index_capacity", ty: Ty::Int(1, 5_000_000_000), default: "1000000" },
    Def { name: "ft_relevancy_algorithm", ty: Ty::Str, default: "TF-IDF" },
    Def { name: "ft2_relevancy_algorithm", ty: Ty::Str, default: "BM25" },
    Def { name: "agg_spill_mem", ty: Ty::Int(0, 1 << 40), default: "0" },
    Def { name: "join_spill_mem", ty: Ty::Int(0, 1 << 40), default: "0" },
    Def { name: "sort_spill_mem", ty: Ty::Int(0, 1 << 40), default: "0" },
    Def { name: "max_dop", ty: Ty::Int(0, i32::MAX as i64), default: "0" },
    // MariaDB has its own, for metadata locks only (default 86400); MatrixOne's bounds every
    // lock wait, row locks included (default `defines.DefaultLockWaitTimeoutSeconds`, 120, in
    // pkg/defines/const.go). Handed on to MariaDB's two timeouts (`lock_wait_setting`).
    Def { name: "lock_wait_timeout", ty: Ty::Int(1, 31_536_000), default: "120" },
];

/// The variable a name denotes (any case); `tx_isolation` is MatrixOne's alias of
/// `transaction_isolation` (`canonicalSystemVariableName`).
fn def(name: &str) -> Option<&'static Def> {
    let name = name.to_ascii_lowercase();
    let name = if name == "tx_isolation" { "transaction_isolation" } else { name.as_str() };
    DEFS.iter().find(|d| d.name == name)
}

/// The server-wide values of the variables mosim keeps (`SET GLOBAL`); new sessions start
/// from them, as MatrixOne sessions start from the account's global values.
#[derive(Debug, Default)]
pub(crate) struct Globals {
    values: Mutex<HashMap<&'static str, String>>,
}

impl Globals {
    fn get(&self, d: &Def) -> String {
        let values = match self.values.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        };
        values.get(d.name).cloned().unwrap_or_else(|| d.default.to_owned())
    }

    fn set(&self, d: &'static Def, value: String) {
        let mut values = match self.values.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        };
        values.insert(d.name, value);
    }
}

/// One session's values of the variables mosim keeps.
#[derive(Debug, Default)]
pub(crate) struct SessionVars {
    values: HashMap<&'static str, String>,
}

impl SessionVars {
    /// The values a new session starts with: the server's global ones.
    pub(crate) fn new(globals: &Globals) -> Self {
        Self { values: DEFS.iter().map(|d| (d.name, globals.get(d))).collect() }
    }

    fn get(&self, d: &Def) -> String {
        self.values.get(d.name).cloned().unwrap_or_else(|| d.default.to_owned())
    }

    /// The session's value of one of the variables mosim keeps (booleans are `0` / `1`).
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// What a new session runs on MariaDB so its transactions follow a server-wide
/// `SET GLOBAL transaction_isolation` (MariaDB's own sessions start at REPEATABLE-READ) and
/// its lock waits MatrixOne's `lock_wait_timeout`.
pub(crate) fn session_init(vars: &SessionVars) -> Option<String> {
    let mut parts = Vec::new();
    let d = def("transaction_isolation")?;
    let level = vars.get(d);
    if level != d.default {
        parts.push(format!("SESSION tx_isolation = {}", sql_str(&level)));
    }
    // MariaDB's sessions start at 50 s for row locks: MatrixOne's start at the kept value.
    parts.push(lock_wait_setting(&vars.get(def("lock_wait_timeout")?)));
    Some(format!("SET {}", parts.join(", ")))
}

/// The backend's SET parts for MatrixOne's `lock_wait_timeout` of `seconds` (a value
/// [`convert`] checked: digits only): InnoDB's row-lock wait and MariaDB's metadata-lock wait.
fn lock_wait_setting(seconds: &str) -> String {
    format!("SESSION innodb_lock_wait_timeout = {seconds}, SESSION lock_wait_timeout = {seconds}")
}

/// Which value an `@@x` or an assignment names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Session,
    Global,
}

/// A statement about variables that mosim answers, planned from its tokens.
#[derive(Debug)]
pub(crate) enum VarStmt {
    /// `SET` with at least one assignment to a variable mosim keeps.
    Set(Vec<Assignment>),
    /// `SET [GLOBAL | SESSION] TRANSACTION ...`.
    SetTransaction { scope: Option<Scope>, span: (usize, usize) },
    /// `SELECT @@a [AS x], @@b ...` naming at least one variable mosim keeps.
    Select(Vec<SelectItem>),
    /// `SHOW [GLOBAL | SESSION] VARIABLES [LIKE 'p' | WHERE expr]`.
    Show { global: bool, like: Option<String>, filter: Option<(usize, usize)> },
}

/// One assignment of a SET: a variable mosim keeps (with the byte span of its value), or an
/// assignment MariaDB carries out (its byte span, scope keyword included).
#[derive(Debug)]
pub(crate) enum Assignment {
    Kept {
        def: &'static Def,
        scope: Scope,
        value: (usize, usize),
    },
    /// `implied_global`: a GLOBAL keyword of an earlier assignment applies to this one.
    Backend {
        span: (usize, usize),
        implied_global: bool,
    },
}

/// One item of a variables-only SELECT.
#[derive(Debug)]
pub(crate) struct SelectItem {
    /// `@@x` as written, for asking MariaDB.
    written: String,
    /// The variable's name as written, without `@@` and scope.
    name: String,
    scope: Scope,
    /// The column label: the alias, or `@@name`.
    label: String,
}

/// Splits `@@[session. | global. | local.]name` into scope and name; `None` for `@user`.
fn system_var(v: &str) -> Option<(Scope, &str)> {
    let rest = v.strip_prefix("@@")?;
    let lower = rest.to_ascii_lowercase();
    for (prefix, scope) in
        [("session.", Scope::Session), ("local.", Scope::Session), ("global.", Scope::Global)]
    {
        if lower.starts_with(prefix) {
            return Some((scope, &rest[prefix.len()..]));
        }
    }
    Some((Scope::Session, rest))
}

/// Recognises the statements about variables mosim answers; everything else is `None`.
pub(crate) fn parse(toks: &[Token]) -> Option<VarStmt> {
    let first = toks.first()?;
    if first.is_kw("set") {
        return parse_set(toks);
    }
    if first.is_kw("select") {
        return parse_select(toks);
    }
    if first.is_kw("show") {
        return parse_show(toks);
    }
    None
}

fn parse_set(toks: &[Token]) -> Option<VarStmt> {
    let end = toks.iter().rposition(|t| !t.is(';')).map_or(0, |i| i + 1);
    let toks = &toks[..end];
    // SET [GLOBAL | SESSION | LOCAL] TRANSACTION ...
    let (scope, at) = match toks.get(1) {
        Some(t) if t.is_kw("global") => (Some(Scope::Global), 2),
        Some(t) if t.is_kw("session") || t.is_kw("local") => (Some(Scope::Session), 2),
        _ => (None, 1),
    };
    if toks.get(at).is_some_and(|t| t.is_kw("transaction")) {
        let start = toks.get(at + 1).map_or(toks[at].end, |t| t.start);
        let end = toks.last().map_or(start, |t| t.end);
        return Some(VarStmt::SetTransaction { scope, span: (start, end.max(start)) });
    }
    let words = ["names", "character", "charset", "password", "role", "default", "statement"];
    if toks.get(1).is_some_and(|t| words.iter().any(|w| t.is_kw(w))) {
        return None;
    }
    let mut assignments = Vec::new();
    let mut scope = Scope::Session;
    for range in split_top_level(toks, 1) {
        let part = &toks[range.clone()];
        let mut i = 0;
        let explicit = match part.first() {
            Some(t) if t.is_kw("global") => Some(Scope::Global),
            Some(t) if t.is_kw("session") || t.is_kw("local") => Some(Scope::Session),
            _ => None,
        };
        if let Some(s) = explicit {
            // The most recent scope keyword applies to the assignments after it (MySQL).
            scope = s;
            i = 1;
        }
        let target = part.get(i)?;
        // (scope, name, whether an earlier GLOBAL keyword is what makes it global)
        let (this_scope, name, implied) = match &target.kind {
            Kind::Var(v) => match system_var(v) {
                Some((s, n)) if v.contains('.') => (s, n.to_owned(), false),
                Some((_, n)) => (scope, n.to_owned(), false),
                None => (scope, String::new(), false),
            },
            Kind::Word(w) | Kind::Quoted(w) => {
                (scope, w.clone(), explicit.is_none() && scope == Scope::Global)
            }
            _ => return None,
        };
        let mut v = i + 1;
        if part.get(v).is_some_and(|t| t.is(':')) {
            v += 1;
        }
        if !part.get(v).is_some_and(|t| t.is('=')) {
            return None;
        }
        let value = part.get(v + 1..).filter(|r| !r.is_empty())?;
        let span_start = part[0].start;
        let span_end = part.last().map_or(span_start, |t| t.end);
        match def(&name) {
            Some(d) if !name.is_empty() => assignments.push(Assignment::Kept {
                def: d,
                scope: this_scope,
                value: (value[0].start, value[value.len() - 1].end),
            }),
            _ => assignments
                .push(Assignment::Backend { span: (span_start, span_end), implied_global: implied }),
        }
    }
    assignments.iter().any(|a| matches!(a, Assignment::Kept { .. })).then_some(VarStmt::Set(assignments))
}

/// Token ranges between top-level commas, from `from` on.
fn split_top_level(toks: &[Token], from: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    for (i, t) in toks.iter().enumerate().skip(from) {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth = depth.saturating_sub(1);
        } else if t.is(',') && depth == 0 {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..toks.len());
    out
}

fn parse_select(toks: &[Token]) -> Option<VarStmt> {
    let end = toks.iter().rposition(|t| !t.is(';')).map_or(0, |i| i + 1);
    let toks = &toks[..end];
    let mut items = Vec::new();
    for range in split_top_level(toks, 1) {
        let part = &toks[range];
        let Some(Kind::Var(v)) = part.first().map(|t| &t.kind) else { return None };
        let (scope, name) = system_var(v)?;
        let label = match &part[1..] {
            [] => format!("@@{name}"),
            [alias] | [_, alias] if part.len() == 2 || part[1].is_kw("as") => match &alias.kind {
                Kind::Word(w) | Kind::Quoted(w) | Kind::Str(w) => w.clone(),
                _ => return None,
            },
            _ => return None,
        };
        items.push(SelectItem { written: v.clone(), name: name.to_owned(), scope, label });
    }
    items.iter().any(|i| def(&i.name).is_some()).then_some(VarStmt::Select(items))
}

fn parse_show(toks: &[Token]) -> Option<VarStmt> {
    let mut i = 1;
    let global = match toks.get(i) {
        Some(t) if t.is_kw("global") => {
            i += 1;
            true
        }
        Some(t) if t.is_kw("session") || t.is_kw("local") => {
            i += 1;
            false
        }
        _ => false,
    };
    if !toks.get(i).is_some_and(|t| t.is_kw("variables")) {
        return None;
    }
    i += 1;
    let end = toks.iter().rposition(|t| !t.is(';')).map_or(0, |i| i + 1);
    match toks.get(i) {
        None => Some(VarStmt::Show { global, like: None, filter: None }),
        Some(t) if t.is(';') => Some(VarStmt::Show { global, like: None, filter: None }),
        Some(t) if t.is_kw("like") => match toks.get(i + 1).map(|t| &t.kind) {
            Some(Kind::Str(p)) if i + 2 >= end => {
                Some(VarStmt::Show { global, like: Some(p.clone()), filter: None })
            }
            _ => None,
        },
        Some(t) if t.is_kw("where") && i + 1 < end => {
            Some(VarStmt::Show { global, like: None, filter: Some((toks[i + 1].start, toks[end - 1].end)) })
        }
        _ => None,
    }
}

/// What the session does for a [`VarStmt`].
#[derive(Debug)]
pub(crate) enum Answer {
    /// OK.
    Ok,
    /// A result set: columns and text rows.
    Rows(Vec<Column>, Vec<Vec<Option<String>>>),
}

/// A result column mosim writes for a variables answer.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    /// MySQL type code.
    pub(crate) ty: u8,
    pub(crate) flags: u16,
}

/// MYSQL_TYPE_BLOB with BLOB_FLAG: what MatrixOne sends for `SELECT @@x` (T_text turned into
/// a BLOB column by `convertMysqlTextTypeToBlobType`, pkg/frontend/mysql_cmd_executor.go).
const TEXT_COLUMN: (u8, u16) = (0xFC, 0x10);
/// MYSQL_TYPE_VARCHAR: SHOW VARIABLES' columns (`doShowVariables`).
const VARCHAR: u8 = 15;

/// `internal error: convert to the system variable <type> type failed` (variables.go,
/// `errorConvertTo*Failed`).
fn convert_failed(ty: &str) -> SqlError {
    SqlError::internal(format!("convert to the system variable {ty} type failed"))
}

/// A value as the client wrote it: a literal, or text MariaDB computed for an expression.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// A number literal (or a computed value that reads as one).
    Number(String),
    /// A string literal.
    Text(String),
    /// `ON`, `OFF`, `TRUE`, `FALSE`, `DEFAULT` or another bare word.
    Word(String),
}

/// MatrixOne's `Convert` for each type: the canonical text of an accepted value.
fn convert(d: &Def, v: &Value) -> Result<String, SqlError> {
    let as_int = |s: &str| -> Option<i128> {
        if let Ok(n) = s.parse::<i128>() {
            return Some(n);
        }
        // An integral float converts; a fraction does not.
        let f = s.parse::<f64>().ok()?;
        (f.fract() == 0.0 && f.is_finite()).then_some(f as i128)
    };
    match d.ty {
        Ty::Bool => {
            let s = match v {
                Value::Number(n) => match as_int(n) {
                    Some(0) => "0",
                    Some(1) => "1",
                    _ => return Err(convert_failed("bool")),
                },
                Value::Text(s) | Value::Word(s) => match s.to_ascii_lowercase().as_str() {
                    "on" | "true" | "1" => "1",
                    "off" | "false" | "0" => "0",
                    _ => return Err(convert_failed("bool")),
                },
            };
            Ok(s.to_owned())
        }
        Ty::Int(min, max) => {
            let n = match v {
                Value::Number(n) => as_int(n),
                Value::Text(s) => s.parse::<i64>().ok().map(i128::from),
                Value::Word(_) => None,
            };
            match n {
                Some(n) if n >= i128::from(min) && n <= i128::from(max) => Ok(n.to_string()),
                _ => Err(convert_failed("int")),
            }
        }
        Ty::Uint(min, max) => {
            let n = match v {
                Value::Number(n) => as_int(n),
                _ => None,
            };
            match n {
                Some(n) if n >= i128::from(min) && n <= i128::from(max) => Ok(n.to_string()),
                _ => Err(convert_failed("uint")),
            }
        }
        Ty::Double(min, max) => {
            let f = match v {
                Value::Number(n) | Value::Text(n) => n.parse::<f64>().ok(),
                Value::Word(_) => None,
            };
            match f {
                Some(f) if f >= min && f <= max => Ok(format_double(f)),
                // variables.go answers an out-of-range double with the uint message.
                Some(_) => Err(convert_failed("uint")),
                None => Err(convert_failed("double")),
            }
        }
        Ty::Enum(values) => {
            let found = match v {
                Value::Number(n) => {
                    as_int(n).and_then(|i| usize::try_from(i).ok()).and_then(|i| values.get(i))
                }
                Value::Text(s) | Value::Word(s) => values.iter().find(|x| x.eq_ignore_ascii_case(s)),
            };
            found.map(|s| (*s).to_owned()).ok_or_else(|| convert_failed("enum"))
        }
        Ty::Str => match v {
            Value::Text(s) | Value::Word(s) => Ok(s.clone()),
            Value::Number(_) => Err(convert_failed("string")),
        },
    }
}

/// Go's `%v` of a float64 for the values a variable can hold (10 -> "10", 0.5 -> "0.5").
fn format_double(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

/// MatrixOne runs only RC and SI transactions (`txnIsolationFromSystemValue`, txn.go).
fn check_isolation(level: &str) -> Result<(), SqlError> {
    match level {
        "READ-COMMITTED" | "REPEATABLE-READ" => Ok(()),
        other => {
            Err(SqlError::not_supported(format!("transaction isolation level {other} is not supported")))
        }
    }
}

/// Reads the tokens of a value span as a literal, if they are one.
fn literal(toks: &[Token], span: (usize, usize)) -> Option<Value> {
    let inside: Vec<&Token> = toks.iter().filter(|t| t.start >= span.0 && t.end <= span.1).collect();
    match inside.as_slice() {
        [t] => match &t.kind {
            Kind::Str(s) => Some(Value::Text(s.clone())),
            Kind::Word(w) if w.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.') => {
                Some(Value::Number(w.clone()))
            }
            Kind::Word(w) => Some(Value::Word(w.clone())),
            _ => None,
        },
        [sign, t] if sign.is('-') => match &t.kind {
            Kind::Word(w) if w.bytes().next().is_some_and(|b| b.is_ascii_digit()) => {
                Some(Value::Number(format!("-{w}")))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A value MariaDB computed for an expression (`SELECT expr`), typed by how it reads.
fn computed(text: Option<String>) -> Value {
    match text {
        Some(s) if s.parse::<f64>().is_ok() => Value::Number(s),
        Some(s) => Value::Text(s),
        None => Value::Word(String::new()),
    }
}

/// The kept assignments of a SET, checked and converted: nothing is stored yet, so a SET
/// with one bad value changes nothing (and sends nothing to MariaDB).
fn plan_set(
    globals: &Globals,
    assignments: &[Assignment],
    values: &[Option<Value>],
) -> Result<Vec<(&'static Def, Scope, String)>, SqlError> {
    let mut pending = Vec::new();
    for (a, v) in assignments.iter().zip(values) {
        let (Assignment::Kept { def: d, scope, .. }, Some(v)) = (a, v) else { continue };
        let text = match v {
            Value::Word(w) if w.eq_ignore_ascii_case("default") => match scope {
                Scope::Session => globals.get(d),
                Scope::Global => d.default.to_owned(),
            },
            v => convert(d, v)?,
        };
        if d.name == "transaction_isolation" {
            check_isolation(&text)?;
        }
        pending.push((*d, *scope, text));
    }
    Ok(pending)
}

fn store(vars: &mut SessionVars, globals: &Globals, pending: Vec<(&'static Def, Scope, String)>) {
    for (d, scope, text) in pending {
        match scope {
            Scope::Session => {
                vars.values.insert(d.name, text);
            }
            Scope::Global => globals.set(d, text),
        }
    }
}

/// The SET MariaDB runs for a statement with kept assignments: its own assignments, plus the
/// session isolation level it must follow. `None` when nothing is left for MariaDB.
pub(crate) fn backend_set(
    sql: &[u8],
    assignments: &[Assignment],
    values: &[Option<Value>],
    globals: &Globals,
) -> Result<Option<Vec<u8>>, SqlError> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for (a, v) in assignments.iter().zip(values) {
        match a {
            Assignment::Backend { span, implied_global } => {
                // The scope keyword of a previous assignment carries over in MySQL; spell
                // it out, since the assignments are taken apart.
                let mut p = if *implied_global { b"GLOBAL ".to_vec() } else { Vec::new() };
                p.extend_from_slice(&sql[span.0..span.1]);
                parts.push(p);
            }
            Assignment::Kept { def: d, scope: Scope::Session, .. } if d.name == "transaction_isolation" => {
                let level = match v {
                    Some(Value::Word(w)) if w.eq_ignore_ascii_case("default") => globals.get(d),
                    Some(v) => convert(d, v)?,
                    None => continue,
                };
                check_isolation(&level)?;
                parts.push(format!("SESSION tx_isolation = {}", sql_str(&level)).into_bytes());
            }
            Assignment::Kept { def: d, scope: Scope::Session, .. } if d.name == "lock_wait_timeout" => {
                let seconds = match v {
                    Some(Value::Word(w)) if w.eq_ignore_ascii_case("default") => globals.get(d),
                    Some(v) => convert(d, v)?,
                    None => continue,
                };
                parts.push(lock_wait_setting(&seconds).into_bytes());
            }
            Assignment::Kept { .. } => {}
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let mut out = b"SET ".to_vec();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(p);
    }
    Ok(Some(out))
}

/// `SET [GLOBAL | SESSION] TRANSACTION ...` as MatrixOne's `handleSetTransaction` does it:
/// checks the characteristics, then returns what MariaDB runs (so the next or the session's
/// transactions get that level) and the level to record once it succeeded.
#[allow(clippy::type_complexity)]
fn set_transaction(
    sql: &[u8],
    toks: &[Token],
    scope: Option<Scope>,
    span: (usize, usize),
) -> Result<(Option<String>, Vec<(&'static Def, Scope, String)>), SqlError> {
    let inside: Vec<&Token> = toks.iter().filter(|t| t.start >= span.0 && t.end <= span.1).collect();
    let mut isolation: Option<&'static str> = None;
    let mut access: Option<&'static str> = None;
    let mut i = 0;
    let kw = |i: usize, k: &str| inside.get(i).is_some_and(|t| t.is_kw(k));
    let syntax = || crate::sql::parse::syntax_error(sql, span.0);
    while i < inside.len() {
        if kw(i, "isolation") && kw(i + 1, "level") {
            let (level, n) = if kw(i + 2, "read") && kw(i + 3, "uncommitted") {
                ("READ-UNCOMMITTED", 4)
            } else if kw(i + 2, "read") && kw(i + 3, "committed") {
                ("READ-COMMITTED", 4)
            } else if kw(i + 2, "repeatable") && kw(i + 3, "read") {
                ("REPEATABLE-READ", 4)
            } else if kw(i + 2, "serializable") {
                ("SERIALIZABLE", 3)
            } else {
                return Err(syntax());
            };
            if isolation.is_some() {
                return Err(SqlError::new(
                    ER_INVALID_INPUT,
                    "invalid input: transaction isolation level specified more than once",
                ));
            }
            isolation = Some(level);
            i += n;
        } else if kw(i, "read") && (kw(i + 1, "only") || kw(i + 1, "write")) {
            if access.is_some() {
                return Err(SqlError::new(
                    ER_INVALID_INPUT,
                    "invalid input: transaction access mode specified more than once",
                ));
            }
            access = Some(if kw(i + 1, "only") { "READ ONLY" } else { "READ WRITE" });
            i += 2;
        } else {
            return Err(syntax());
        }
        if i < inside.len() {
            if !inside[i].is(',') {
                return Err(syntax());
            }
            i += 1;
        }
    }
    if let Some(mode) = access {
        return Err(SqlError::not_supported(format!("transaction access mode {mode} is not supported")));
    }
    let Some(level) = isolation else {
        return Err(SqlError::new(
            ER_INVALID_INPUT,
            "invalid input: transaction characteristic list must not be empty",
        ));
    };
    check_isolation(level)?;
    let Some(d) = def("transaction_isolation") else { return Ok((None, Vec::new())) };
    let sql_level = level.replace('-', " ");
    Ok(match scope {
        // The next transaction only: MariaDB does exactly that (and refuses it inside one).
        None => (Some(format!("SET TRANSACTION ISOLATION LEVEL {sql_level}")), Vec::new()),
        Some(Scope::Session) => (
            Some(format!("SET SESSION TRANSACTION ISOLATION LEVEL {sql_level}")),
            vec![(d, Scope::Session, level.to_owned())],
        ),
        // MatrixOne keeps the global value in its catalog; mosim in memory, for this server's
        // new sessions, leaving MariaDB's own global alone.
        Some(Scope::Global) => (None, vec![(d, Scope::Global, level.to_owned())]),
    })
}

/// The values of a variables-only SELECT's items, in order: kept ones from mosim, others from
/// `backend` (MariaDB's answer to `SELECT @@a, @@b` for those items, in order).
pub(crate) fn select_rows(
    items: &[SelectItem],
    vars: &SessionVars,
    globals: &Globals,
    version: &str,
    backend: &[Option<String>],
) -> Answer {
    let mut backend = backend.iter();
    let mut row = Vec::with_capacity(items.len());
    for item in items {
        let value = match def(&item.name) {
            Some(d) => Some(match item.scope {
                Scope::Session => vars.get(d),
                Scope::Global => globals.get(d),
            }),
            None => match item.name.to_ascii_lowercase().as_str() {
                "version" => Some(version.to_owned()),
                "version_comment" => Some("MatrixOne".to_owned()),
                _ => backend.next().cloned().flatten(),
            },
        };
        row.push(value);
    }
    let cols = items
        .iter()
        .map(|i| Column { name: i.label.clone(), ty: TEXT_COLUMN.0, flags: TEXT_COLUMN.1 })
        .collect();
    Answer::Rows(cols, vec![row])
}

/// The `SELECT @@a, @@b` MariaDB answers for the items mosim does not keep, if any.
pub(crate) fn backend_select(items: &[SelectItem]) -> Option<String> {
    let asked: Vec<&str> = items
        .iter()
        .filter(|i| def(&i.name).is_none())
        .filter(|i| !matches!(i.name.to_ascii_lowercase().as_str(), "version" | "version_comment"))
        .map(|i| i.written.as_str())
        .collect();
    (!asked.is_empty()).then(|| format!("SELECT {}", asked.join(", ")))
}

/// SQL's LIKE, case-insensitively as MatrixOne matches variable names (`WildcardMatch`).
fn like(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('%', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('_', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some(('\\', rest)) if !rest.is_empty() => s.first() == rest.first() && go(&rest[1..], &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let s: Vec<char> = name.to_lowercase().chars().collect();
    go(&p, &s)
}

/// The rows mosim adds to `SHOW VARIABLES` (matching `like` when given), with MatrixOne's
/// `on` / `off` for booleans; `tx_isolation` shows the same level as `transaction_isolation`.
pub(crate) fn show_rows(
    vars: &SessionVars,
    globals: &Globals,
    global: bool,
    like_pattern: Option<&str>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let names =
        DEFS.iter().map(|d| (d.name, d)).chain(def("transaction_isolation").map(|d| ("tx_isolation", d)));
    for (name, d) in names {
        if like_pattern.is_some_and(|p| !like(p, name)) {
            continue;
        }
        let v = if global { globals.get(d) } else { vars.get(d) };
        let v = match d.ty {
            Ty::Bool if v == "1" => "on".to_owned(),
            Ty::Bool => "off".to_owned(),
            _ => v,
        };
        out.push((name.to_owned(), v));
    }
    out
}

/// Merges MariaDB's SHOW VARIABLES rows with mosim's (mosim's win on a shared name), sorted
/// by name as MatrixOne sorts them.
pub(crate) fn merge_show(backend: Vec<Vec<Option<String>>>, ours: Vec<(String, String)>) -> Answer {
    let mut rows: Vec<(String, Option<String>)> = backend
        .into_iter()
        .filter_map(|r| {
            let mut it = r.into_iter();
            let name = it.next().flatten()?;
            Some((name, it.next().flatten()))
        })
        .filter(|(n, _)| !ours.iter().any(|(o, _)| o.eq_ignore_ascii_case(n)))
        .collect();
    rows.extend(ours.into_iter().map(|(n, v)| (n, Some(v))));
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let cols = vec![
        Column { name: "Variable_name".into(), ty: VARCHAR, flags: 0 },
        Column { name: "Value".into(), ty: VARCHAR, flags: 0 },
    ];
    Answer::Rows(cols, rows.into_iter().map(|(n, v)| vec![Some(n), v]).collect())
}

/// The SELECT that filters mosim's rows with a SHOW VARIABLES ... WHERE condition, so MariaDB
/// evaluates the client's expression over them.
pub(crate) fn filter_sql(ours: &[(String, String)], condition: &[u8]) -> Vec<u8> {
    let mut out = b"SELECT Variable_name, Value FROM (".to_vec();
    if ours.is_empty() {
        out.extend_from_slice(b"SELECT '' AS Variable_name, '' AS Value FROM DUAL WHERE FALSE");
    }
    for (i, (n, v)) in ours.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b" UNION ALL ");
        }
        out.extend_from_slice(
            format!("SELECT {} AS Variable_name, {} AS Value", sql_str(n), sql_str(v)).as_bytes(),
        );
    }
    out.extend_from_slice(b") AS mosim_variables WHERE ");
    out.extend_from_slice(condition);
    out
}

/// A prepared statement's read of a variable mosim keeps. The backend's prepared text cannot
/// change, so it reads a user variable that mosim sets to the current value before every
/// execution ([`prepared_reads_set`]), not the value at PREPARE time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PreparedRead {
    scope: Scope,
    def: &'static Def,
}

impl PartialEq for PreparedRead {
    fn eq(&self, other: &Self) -> bool {
        self.scope == other.scope && self.def.name == other.def.name
    }
}

impl PreparedRead {
    /// The user variable that stands for the read: `@mosim_session_<name>` or
    /// `@mosim_global_<name>` (names from [`DEFS`] only, so nothing of the client's is spliced).
    fn user_var(&self) -> String {
        let scope = match self.scope {
            Scope::Session => "session",
            Scope::Global => "global",
        };
        format!("@mosim_{scope}_{}", self.def.name)
    }
}

/// `SET @mosim_..._x = 'value', ...`: the current values of a prepared statement's reads, run
/// before it is prepared and before each execution. `None` when it reads none.
pub(crate) fn prepared_reads_set(
    reads: &[PreparedRead],
    vars: &SessionVars,
    globals: &Globals,
) -> Option<String> {
    let parts: Vec<String> = reads
        .iter()
        .map(|r| {
            let value = match r.scope {
                Scope::Session => vars.get(r.def),
                Scope::Global => globals.get(r.def),
            };
            format!("{} = {}", r.user_var(), sql_str(&value))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("SET {}", parts.join(", ")))
}

/// Edits that read the variables mosim keeps wherever else a statement names them
/// (`SET @saved = @@transaction_isolation`, `SELECT IF(@@probe_limit > 1, ...)`): each
/// `@@x` becomes its value as a string literal, labelled `@@x` when it is a whole select item.
/// For a statement being prepared (`prepared` given), each becomes a [`PreparedRead`]'s user
/// variable instead, and the reads are collected there.
pub(crate) fn read_edits(
    toks: &[Token],
    vars: &SessionVars,
    globals: &Globals,
    mut prepared: Option<&mut Vec<PreparedRead>>,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let set = toks.first().is_some_and(|t| t.is_kw("set"));
    for (i, t) in toks.iter().enumerate() {
        let Kind::Var(v) = &t.kind else { continue };
        // The target of an assignment stays a name (a SET that reaches here is MariaDB's).
        let assigned = toks.get(i + 1).is_some_and(|n| n.is('=') || n.is(':'));
        if set && assigned {
            continue;
        }
        let Some((scope, name)) = system_var(v) else { continue };
        let Some(d) = def(name) else { continue };
        let mut text = match prepared.as_deref_mut() {
            Some(reads) => {
                let read = PreparedRead { scope, def: d };
                if !reads.contains(&read) {
                    reads.push(read);
                }
                read.user_var()
            }
            None => sql_str(&match scope {
                Scope::Session => vars.get(d),
                Scope::Global => globals.get(d),
            }),
        };
        let select_item = i > 0 && (toks[i - 1].is_kw("select") || toks[i - 1].is(','));
        let next = toks.get(i + 1);
        let item_ends = next.is_none_or(|n| n.is(',') || n.is(';') || n.is_kw("from"));
        if select_item && item_ends {
            text = format!("{text} AS {}", ident(&format!("@@{name}")));
        }
        edits.push((t.start, t.end, text.into_bytes()));
    }
    edits
}

/// The text of a value span, for asking MariaDB to compute it.
fn span_text(sql: &[u8], span: (usize, usize)) -> String {
    lossy(&sql[span.0..span.1])
}

/// Answers a statement about variables. `b` is the client's own MariaDB session: the part of
/// a SET that is MariaDB's runs there, and MariaDB's variables are read there.
pub(crate) async fn answer(
    b: &mut Backend,
    vars: &mut SessionVars,
    globals: &Globals,
    version: &str,
    sql: &[u8],
    toks: &[Token],
    stmt: VarStmt,
) -> Result<Answer, SqlError> {
    match stmt {
        VarStmt::Set(assignments) => {
            let mut values = Vec::with_capacity(assignments.len());
            for a in &assignments {
                let Assignment::Kept { value, .. } = a else {
                    values.push(None);
                    continue;
                };
                let v = match literal(toks, *value) {
                    Some(v) => v,
                    // An expression (`@saved`, `1 + 1`): MariaDB computes it.
                    None => {
                        let rows = b.query(&format!("SELECT {}", span_text(sql, *value))).await?;
                        computed(rows.rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
                    }
                };
                values.push(Some(v));
            }
            let pending = plan_set(globals, &assignments, &values)?;
            if let Some(set) = backend_set(sql, &assignments, &values, globals)? {
                b.exec(&lossy(&set)).await?;
            }
            store(vars, globals, pending);
            Ok(Answer::Ok)
        }
        VarStmt::SetTransaction { scope, span } => {
            let (backend, pending) = set_transaction(sql, toks, scope, span)?;
            if let Some(set) = backend {
                b.exec(&set).await?;
            }
            store(vars, globals, pending);
            Ok(Answer::Ok)
        }
        VarStmt::Select(items) => {
            let backend = match backend_select(&items) {
                Some(q) => b.query(&q).await?.rows.into_iter().next().unwrap_or_default(),
                None => Vec::new(),
            };
            Ok(select_rows(&items, vars, globals, version, &backend))
        }
        VarStmt::Show { global, like: pattern, filter } => {
            let theirs = b.query(&lossy(sql)).await?.rows;
            let mut ours = show_rows(vars, globals, global, pattern.as_deref());
            if let Some(span) = filter {
                let kept = b.query(&lossy(&filter_sql(&ours, &sql[span.0..span.1]))).await?.rows;
                ours = kept
                    .into_iter()
                    .filter_map(|r| {
                        let mut it = r.into_iter();
                        Some((it.next().flatten()?, it.next().flatten().unwrap_or_default()))
                    })
                    .collect();
            }
            Ok(merge_show(theirs, ours))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn set_splits_kept_and_backend_assignments() {
        let sql = b"SET probe_limit = 10, @a = 1, GLOBAL experimental_ivf_index = ON, sql_mode = ''";
        let toks = tokenize(sql);
        let Some(VarStmt::Set(a)) = parse(&toks) else { panic!("not a kept SET") };
        assert_eq!(a.len(), 4);
        assert!(matches!(a[0], Assignment::Kept { scope: Scope::Session, .. }));
        assert!(matches!(a[1], Assignment::Backend { .. }));
        assert!(matches!(a[2], Assignment::Kept { scope: Scope::Global, .. }));
        // The GLOBAL keyword carries over to the assignment after it.
        let Assignment::Backend { span, implied_global } = a[3] else { panic!() };
        assert_eq!(&sql[span.0..span.1], b"sql_mode = ''");
        assert!(implied_global);
        assert!(parse(&tokenize(b"SET sql_mode = ''")).is_none());
        assert!(parse(&tokenize(b"SET NAMES utf8mb4")).is_none());
    }

    #[test]
    fn values_convert_as_matrixone_converts_them() {
        let d = def("probe_limit").unwrap();
        assert_eq!(convert(d, &Value::Number("10".into())).unwrap(), "10");
        assert_eq!(
            convert(d, &Value::Number("0".into())).unwrap_err().message,
            "internal error: convert to the system variable int type failed"
        );
        let b = def("experimental_ivf_index").unwrap();
        assert_eq!(convert(b, &Value::Word("ON".into())).unwrap(), "1");
        assert_eq!(convert(b, &Value::Number("2".into())).unwrap_err().code, 20101);
        let e = def("TX_ISOLATION").unwrap();
        assert_eq!(convert(e, &Value::Number("1".into())).unwrap(), "READ-COMMITTED");
        assert_eq!(convert(e, &Value::Text("repeatable-read".into())).unwrap(), "REPEATABLE-READ");
    }

    #[test]
    fn select_labels_drop_the_scope() {
        let Some(VarStmt::Select(items)) =
            parse(&tokenize(b"SELECT @@SESSION.transaction_read_only, @@autocommit AS ac"))
        else {
            panic!("not a variables SELECT")
        };
        assert_eq!(items[0].label, "@@transaction_read_only");
        assert_eq!(items[1].label, "ac");
        assert!(parse(&tokenize(b"SELECT @@autocommit")).is_none());
        assert!(parse(&tokenize(b"SELECT @@transaction_isolation FROM dual")).is_none());
    }

    #[test]
    fn reads_become_literals_but_targets_stay() {
        let globals = Globals::default();
        let vars = SessionVars::new(&globals);
        let sql = b"SET @@transaction_isolation = ?, @s = @@probe_limit";
        let edits = read_edits(&tokenize(sql), &vars, &globals, None);
        assert_eq!(
            lossy(&crate::sql::rewrite::splice(sql, edits)),
            "SET @@transaction_isolation = ?, @s = '5'"
        );
        let sql = b"SELECT @@probe_limit FROM dual WHERE @@tx_isolation = 'REPEATABLE-READ'";
        let edits = read_edits(&tokenize(sql), &vars, &globals, None);
        assert_eq!(
            lossy(&crate::sql::rewrite::splice(sql, edits)),
            "SELECT '5' AS `@@probe_limit` FROM dual WHERE 'REPEATABLE-READ' = 'REPEATABLE-READ'"
        );
    }

    #[test]
    fn a_prepared_read_is_a_user_variable_set_before_each_execution() {
        let globals = Globals::default();
        let mut vars = SessionVars::new(&globals);
        let sql = b"SELECT @@probe_limit, @@global.probe_limit + @@probe_limit";
        let mut reads = Vec::new();
        let edits = read_edits(&tokenize(sql), &vars, &globals, Some(&mut reads));
        assert_eq!(
            lossy(&crate::sql::rewrite::splice(sql, edits)),
            "SELECT @mosim_session_probe_limit AS `@@probe_limit`, @mosim_global_probe_limit + \
             @mosim_session_probe_limit"
        );
        vars.values.insert("probe_limit", "7".to_owned());
        assert_eq!(
            prepared_reads_set(&reads, &vars, &globals).as_deref(),
            Some("SET @mosim_session_probe_limit = '7', @mosim_global_probe_limit = '5'")
        );
        assert_eq!(prepared_reads_set(&[], &vars, &globals), None);
    }

    #[test]
    fn like_is_sql_like() {
        assert!(like("experimental%", "experimental_ivf_index"));
        assert!(like("PROBE_LIMIT", "probe_limit"));
        assert!(!like("probe", "probe_limit"));
    }
}
