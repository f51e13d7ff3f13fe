//! MatrixOne's vector functions (pkg/sql/plan/function/function_id.go; results in
//! test/distributed/cases/array/array.result), computed exactly: a simulator needs correct
//! answers, not an index.
//!
//! | call | what MariaDB runs |
//! |---|---|
//! | every argument a vector literal (`l2_norm('[1,2,3]')`) | the answer, computed by mosim (a DOUBLE, BIGINT or vector literal) |
//! | a distance between an expression `x` and a vector literal `q` | `(SELECT CASE ... END FROM JSON_TABLE(x, '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) ...)`: one pass over `x`'s elements with `q`'s element `i` as `ELT(i, q1, q2, ...)`, `q`'s norm computed by mosim |
//! | a distance between an expression and a parameter `?` (or `@var`) | the same pass, the parameter's elements laid out at fixed width once by `mo_catalog.mo_vector_fixed` in a derived table and read by position |
//! | a distance between two expressions | `mo_catalog.mo_vector_distance('l2_distance', a, b)`, a stored function mosim installs (`mo::vector::SETUP`); slower (a stored function call and two passes per row) |
//! | `vector_dims(x)`, `l1_norm(x)`, `l2_norm(x)`, `summation(x)` | `JSON_LENGTH(x)` and one pass over `x` |
//! | `normalize_l2(x)` | `mo_catalog.mo_vector_normalize_l2(x)` |
//! | `CAST(x AS vecf32(n))` | the literal in MatrixOne's form (checked), else `CAST(x AS CHAR)` |
//!
//! Results follow `pkg/vectorize/moarray/external.go`: `inner_product` is the *negated* dot
//! product (`metric.InnerProduct`), `cosine_similarity` is 1 (or -1) whenever it rounds to
//! 1 (-1) as a float32, `cosine_distance` is 1 minus it; all are DOUBLE, `vector_dims` is
//! BIGINT. A vector of another dimension than the column's fails with `invalid input:
//! expected vector dimension 3 != actual dimension 2.` (array/array.result), two vector
//! expressions of different dimensions with `vector ops between different dimensions (3,
//! 2) is not permitted.` (moerr.NewArrayInvalidOp).
//!
//! What differs: MatrixOne computes `vecf32` distances in float32 and mosim in float64 from
//! the stored text, so results agree to about 7 significant digits, not to the last bit
//! (`l2_norm` of `[1, 2, 3]` is 3.741657257080078 on MatrixOne, array/array.result, and
//! 3.7416573867739413 on mosim); integer-valued results are exact. A vector a function returns
//! from a column (`normalize_l2(b)`) prints MariaDB's float64 digits, not float32's.

use crate::error::SqlError;
use crate::mo::vector::text::{self, Elem};
use crate::sql::dialect::{Scan, alias};
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::{Edit, sql_str};

/// Distances between two vectors.
const BINARY: [&str; 6] =
    ["l2_distance", "l2_distance_sq", "cosine_distance", "cosine_similarity", "inner_product", "l1_distance"];

/// Functions of one vector.
const UNARY: [&str; 5] = ["vector_dims", "l1_norm", "l2_norm", "summation", "normalize_l2"];

/// The MatrixOne vector function names mosim computes.
pub(crate) fn is_vector_function(name: &str) -> bool {
    BINARY.contains(&name) || UNARY.contains(&name)
}

/// The vector literal at argument `arg`, if it is one string literal that looks like a vector.
fn literal(scan: &Scan<'_>, arg: &std::ops::Range<usize>) -> Option<(usize, String)> {
    if arg.len() != 1 {
        return None;
    }
    match &scan.t[arg.start].kind {
        Kind::Str(s) if text::looks_like_vector(s) => Some((arg.start, s.clone())),
        _ => None,
    }
}

/// A DOUBLE literal MariaDB reads back to the same value.
fn double(v: f64) -> String {
    if v.is_finite() { format!("{v:e}") } else { "NULL".to_owned() }
}

/// Sums over the element pairs of two vectors.
struct Sums {
    dot: f64,
    xx: f64,
    yy: f64,
    sq: f64,
    l1: f64,
}

fn sums(a: &[f64], b: &[f64]) -> Sums {
    let mut s = Sums { dot: 0.0, xx: 0.0, yy: 0.0, sq: 0.0, l1: 0.0 };
    for (x, y) in a.iter().zip(b) {
        s.dot += x * y;
        s.xx += x * x;
        s.yy += y * y;
        s.sq += (x - y) * (x - y);
        s.l1 += (x - y).abs();
    }
    s
}

/// MatrixOne's rounding of a cosine similarity to exactly 1 or -1 (external.go).
fn clamp(c: f64) -> f64 {
    match c as f32 {
        1.0 => 1.0,
        -1.0 => -1.0,
        _ => c,
    }
}

/// The distance `name` of two literal vectors (elements read as float32, as MatrixOne casts
/// them to vecf32), computed in float64 like mosim computes it over columns.
fn fold_binary(name: &str, a: &[f64], b: &[f64]) -> Result<f64, SqlError> {
    if a.len() != b.len() {
        return Err(ops_mismatch(a.len(), b.len()));
    }
    let s = sums(a, b);
    let cos = || clamp(s.dot / (s.xx.sqrt() * s.yy.sqrt()));
    let v = match name {
        "l2_distance" => s.sq.sqrt(),
        "l2_distance_sq" => s.sq,
        "inner_product" => -s.dot,
        "l1_distance" => s.l1,
        "cosine_similarity" => return Ok(cos()),
        _ => return Ok(1.0 - cos()),
    };
    Ok(v)
}

/// `vector ops between different dimensions (a, b) is not permitted.`
pub(crate) fn ops_mismatch(a: usize, b: usize) -> SqlError {
    SqlError::invalid_input(format!("vector ops between different dimensions ({a}, {b}) is not permitted."))
}

/// The SQL for one pass over the elements of the vector expression spliced between
/// `prefix` and `suffix`, computing `value` from `__mo_v.x` (and `__mo_v.i`).
fn one_pass(value: &str, dim_check: Option<usize>) -> (String, String) {
    let check = match dim_check {
        Some(n) => format!("WHEN COUNT(*) <> {n} THEN mo_catalog.mo_vector_dim_error(COUNT(*), {n}) "),
        None => String::new(),
    };
    (
        format!("(SELECT CASE WHEN COUNT(*) = 0 THEN NULL {check}ELSE {value} END FROM JSON_TABLE("),
        ", '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) AS __mo_v)".to_owned(),
    )
}

/// The per-row expression of distance `name` between a column's elements `__mo_v.x` and
/// the other vector's element `q` (an SQL expression of `__mo_v.i`) whose norm is `qnorm`.
fn distance_expr(name: &str, q: &str, qnorm: &str) -> String {
    let cos = format!(
        "mo_catalog.mo_vector_clamp(SUM(__mo_v.x * {q}) / NULLIF(SQRT(SUM(__mo_v.x * __mo_v.x)) * {qnorm}, 0))"
    );
    match name {
        "l2_distance" => format!("SQRT(SUM(POW(__mo_v.x - {q}, 2)))"),
        "l2_distance_sq" => format!("SUM(POW(__mo_v.x - {q}, 2))"),
        "inner_product" => format!("-SUM(__mo_v.x * {q})"),
        "l1_distance" => format!("SUM(ABS(__mo_v.x - {q}))"),
        "cosine_similarity" => cos,
        _ => format!("1 - {cos}"),
    }
}

/// Distance `name` against a literal `q`: its elements inlined as `ELT(i, q1, q2, ...)`,
/// its norm computed by mosim.
fn against_literal(name: &str, q: &[f64]) -> String {
    let mut elt = String::from("ELT(__mo_v.i");
    for v in q {
        elt.push_str(", ");
        elt.push_str(&double(*v));
    }
    elt.push(')');
    let qnorm = double(q.iter().map(|v| v * v).sum::<f64>().sqrt());
    distance_expr(name, &elt, &qnorm)
}

/// Distance `name` against a parameter (`?`) or user variable given once per statement:
/// `mo_catalog.mo_vector_fixed` lays its elements out at fixed width once, in a derived
/// table, and each row reads element `i` by position.
fn against_parameter(name: &str, param: &str) -> (String, String) {
    const Q: &str = "CAST(SUBSTRING(__mo_q.f, 9 + (__mo_v.i - 1) * 32, 32) AS DOUBLE)";
    let value = distance_expr(name, Q, &format!("SQRT(SUM({Q} * {Q}))"));
    let dim = "MAX(CAST(LEFT(__mo_q.f, 8) AS INT))";
    (
        format!(
            "(SELECT CASE WHEN COUNT(*) = 0 OR {dim} IS NULL THEN NULL \
             WHEN COUNT(*) <> {dim} THEN mo_catalog.mo_vector_dim_error(COUNT(*), {dim}) ELSE {value} END \
             FROM (SELECT mo_catalog.mo_vector_fixed({param}) AS f LIMIT 1) AS __mo_q, JSON_TABLE("
        ),
        ", '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) AS __mo_v)".to_owned(),
    )
}

/// The text of argument `arg` if it is one `?` or user variable.
fn parameter(sql: &[u8], scan: &Scan<'_>, arg: &std::ops::Range<usize>) -> Option<String> {
    if arg.len() != 1 {
        return None;
    }
    let t = &scan.t[arg.start];
    (t.is('?') || matches!(t.kind, Kind::Var(_))).then(|| crate::sql::lexer::lossy(&sql[t.start..t.end]))
}

/// Edits computing every MatrixOne vector function call in `scan`.
pub(crate) fn edits(sql: &[u8], scan: &Scan<'_>) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 0..t.len() {
        if scan.kw(i, "as")
            && let Some(e) = cast_type(scan, i)?
        {
            out.extend(e);
            continue;
        }
        if !scan.is_call(i) {
            continue;
        }
        let Some(name) = scan.word(i) else { continue };
        if !is_vector_function(&name) {
            continue;
        }
        let Some(close) = scan.closing(i + 1) else { continue };
        let args = scan.args(i + 1);
        let want = if BINARY.contains(&name.as_str()) { 2 } else { 1 };
        if args.len() != want {
            return Err(SqlError::new(
                crate::error::ER_INVALID_ARG,
                format!("invalid argument function {name}, bad value {} arguments", args.len()),
            ));
        }
        let before = out.len();
        if want == 2 {
            out.extend(binary(sql, scan, i, close, &name, &args)?);
        } else {
            out.extend(unary(scan, i, close, &name, &args[0])?);
        }
        if out.len() > before
            && let Some(label) = scan.select_item_label(sql, i, close)
        {
            out.push((t[close].end, t[close].end, alias(&label)));
        }
    }
    Ok(out)
}

fn binary(
    sql: &[u8],
    scan: &Scan<'_>,
    i: usize,
    close: usize,
    name: &str,
    args: &[std::ops::Range<usize>],
) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let (a, b) = (literal(scan, &args[0]), literal(scan, &args[1]));
    let comma = args[1].start - 1;
    match (a, b) {
        (Some((_, a)), Some((_, b))) => {
            let (a, b) = (text::parse(&a, Elem::F32)?, text::parse(&b, Elem::F32)?);
            let v = fold_binary(name, &a, &b)?;
            Ok(vec![(t[i].start, t[close].end, double(v).into_bytes())])
        }
        (None, Some((_, q))) | (Some((_, q)), None) => {
            let literal_first = literal(scan, &args[0]).is_some();
            let q = text::parse(&q, Elem::F64)?;
            let (prefix, suffix) = one_pass(&against_literal(name, &q), Some(q.len()));
            Ok(around_column(t, i, comma, close, literal_first, prefix, suffix))
        }
        (None, None)
            if parameter(sql, scan, &args[1]).is_some() || parameter(sql, scan, &args[0]).is_some() =>
        {
            let param_first = parameter(sql, scan, &args[1]).is_none();
            let param =
                parameter(sql, scan, if param_first { &args[0] } else { &args[1] }).unwrap_or_default();
            let (prefix, suffix) = against_parameter(name, &param);
            Ok(around_column(t, i, comma, close, param_first, prefix, suffix))
        }
        (None, None) => Ok(vec![(
            t[i].start,
            t[i + 1].end,
            format!("mo_catalog.mo_vector_distance({}, ", sql_str(name)).into_bytes(),
        )]),
    }
}

fn unary(
    scan: &Scan<'_>,
    i: usize,
    close: usize,
    name: &str,
    arg: &std::ops::Range<usize>,
) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    if let Some((_, lit)) = literal(scan, arg) {
        let v = text::parse(&lit, Elem::F32)?;
        let folded = match name {
            "vector_dims" => v.len().to_string(),
            "l1_norm" => double(v.iter().map(|x| x.abs()).sum::<f64>()),
            "l2_norm" => double(v.iter().map(|x| x * x).sum::<f64>().sqrt()),
            "summation" => double(v.iter().sum::<f64>()),
            _ => {
                let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
                let normal: Vec<f64> = if n == 0.0 { v } else { v.iter().map(|x| x / n).collect() };
                sql_str(&text::format(&normal, Elem::F32))
            }
        };
        return Ok(vec![(t[i].start, t[close].end, folded.into_bytes())]);
    }
    let value = match name {
        "vector_dims" => return Ok(vec![(t[i].start, t[i].end, b"JSON_LENGTH".to_vec())]),
        "normalize_l2" => {
            return Ok(vec![(t[i].start, t[i].end, b"mo_catalog.mo_vector_normalize_l2".to_vec())]);
        }
        "l1_norm" => "SUM(ABS(__mo_v.x))",
        "l2_norm" => "SQRT(SUM(__mo_v.x * __mo_v.x))",
        _ => "SUM(__mo_v.x)",
    };
    let (prefix, suffix) = one_pass(value, None);
    Ok(vec![
        (t[i].start, t[i + 1].end, prefix.into_bytes()),
        (t[close].start, t[close].end, suffix.into_bytes()),
    ])
}

/// `CAST(x AS vecf32(n))` at the `AS` at `i`: a literal `x` becomes MatrixOne's text of it
/// (array/array.result: `cast("[1,2,3]" as vecf32(3))` is `[1, 2, 3]`), anything else is
/// cast to text (it already is MatrixOne's text when it comes from a vector column).
fn cast_type(scan: &Scan<'_>, i: usize) -> Result<Option<Vec<Edit>>, SqlError> {
    let t = scan.t;
    let Some(elem) = scan.word(i + 1).as_deref().and_then(Elem::from_name) else { return Ok(None) };
    let o = scan.open.get(i).copied().unwrap_or(super::NONE);
    if o == super::NONE || o == 0 || !scan.kw(o - 1, "cast") {
        return Ok(None);
    }
    let Some(close) = scan.closing(o) else { return Ok(None) };
    let dim = if scan.is(i + 2, '(') && scan.is(i + 4, ')') {
        match &t[i + 3].kind {
            Kind::Word(n) => n.parse::<usize>().ok(),
            _ => None,
        }
    } else {
        None
    };
    if o + 2 == i
        && let Kind::Str(s) = &t[o + 1].kind
    {
        let canon = text::canonical(s, elem, dim)?;
        return Ok(Some(vec![(t[o - 1].start, t[close].end, sql_str(&canon).into_bytes())]));
    }
    let type_end = if dim.is_some() { i + 4 } else { i + 1 };
    Ok(Some(vec![(t[i + 1].start, t[type_end].end, b"CHAR".to_vec())]))
}

/// The edits that wrap the column operand of `name(a, b)` (tokens `i` = name, `comma`, `close`)
/// in `prefix` .. `suffix` and drop the other operand, which the prefix or suffix now holds.
fn around_column(
    t: &[Token],
    i: usize,
    comma: usize,
    close: usize,
    other_first: bool,
    prefix: String,
    suffix: String,
) -> Vec<Edit> {
    if other_first {
        vec![
            (t[i].start, t[comma].end, prefix.into_bytes()),
            (t[close].start, t[close].end, suffix.into_bytes()),
        ]
    } else {
        vec![
            (t[i].start, t[i + 1].end, prefix.into_bytes()),
            (t[comma].start, t[close].end, suffix.into_bytes()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn literal_calls_are_folded() {
        // array/array.result: l2_norm(b) over [1,2,3] is 3.741657257080078, vector_dims 3,
        // inner_product(b, "[1,2,3]") -14, cosine_similarity 1, normalize_l2 [0.26726124, ...]
        assert_eq!(
            rewritten("select l2_norm('[1,2,3]')").unwrap(),
            "select 3.7416573867739413e0 AS `l2_norm('[1,2,3]')`"
        );
        assert_eq!(rewritten("select vector_dims('[1,2,3]') d").unwrap(), "select 3 d");
        assert_eq!(rewritten("select inner_product('[1,2,3]', '[1,2,3]') d").unwrap(), "select -1.4e1 d");
        assert_eq!(rewritten("select cosine_similarity('[1,2,3]', '[1,2,3]') d").unwrap(), "select 1e0 d");
        assert_eq!(
            rewritten("select normalize_l2('[1,2,3]') d").unwrap(),
            "select '[0.26726124, 0.5345225, 0.80178374]' d"
        );
        let (code, msg) = rewritten("select l2_distance('[1,2,3]', '[1,2]')").unwrap_err();
        assert_eq!(code, 20301);
        assert_eq!(msg, "invalid input: vector ops between different dimensions (3, 2) is not permitted.");
    }

    #[test]
    fn column_against_literal_is_one_pass() {
        let sql = rewritten("select id from t order by l2_distance(v, '[1,2]') limit 3").unwrap();
        assert!(sql.starts_with("select id from t order by (SELECT CASE WHEN COUNT(*) = 0 THEN NULL WHEN COUNT(*) <> 2 THEN mo_catalog.mo_vector_dim_error(COUNT(*), 2) ELSE SQRT(SUM(POW(__mo_v.x - ELT(__mo_v.i, 1e0, 2e0), 2))) END FROM JSON_TABLE(v, '$[*]'"), "{sql}");
        assert!(sql.ends_with("AS __mo_v) limit 3"), "{sql}");
        let sql = rewritten("select cosine_distance('[1,2]', t.v) from t").unwrap();
        assert!(sql.contains("FROM JSON_TABLE( t.v, '$[*]'"), "{sql}");
        let sql = rewritten("select id from t order by l2_distance(v, ?) limit 3").unwrap();
        assert!(
            sql.contains(
                "FROM (SELECT mo_catalog.mo_vector_fixed(?) AS f LIMIT 1) AS __mo_q, JSON_TABLE(v, '$[*]'"
            ),
            "{sql}"
        );
        assert_eq!(sql.matches('?').count(), 1, "{sql}");
        let sql = rewritten("select l2_distance(a, b) from t").unwrap();
        assert!(sql.starts_with("select mo_catalog.mo_vector_distance('l2_distance', a, b)"), "{sql}");
    }

    #[test]
    fn casts_to_vectors() {
        assert_eq!(rewritten("select cast('[1,2,3]' as vecf32(3)) c").unwrap(), "select '[1, 2, 3]' c");
        assert_eq!(
            rewritten("select cast(b as vecf64(3)) c from t").unwrap(),
            "select cast(b as CHAR) c from t"
        );
        let (code, _) = rewritten("select cast('[1,2]' as vecf32(3))").unwrap_err();
        assert_eq!(code, 20301);
    }
}
