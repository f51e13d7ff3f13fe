//! MatrixOne functions that MariaDB lacks or names differently, written as MariaDB
//! expressions of the same meaning.
//!
//! The list was made by calling every name of MatrixOne's function registry
//! (pkg/sql/plan/function/function_id.go, `functionIdRegister`) on the backend and keeping
//! the ones MariaDB does not know; each mapping follows MatrixOne's expected results:
//!
//! | MatrixOne | MariaDB | expected results |
//! |---|---|---|
//! | `json_extract_string(j, p)` | the value at `p` if it is a JSON string, else NULL | function/func_json_extract.result |
//! | `json_extract_float64(j, p)` | the value at `p` as DOUBLE if it is a JSON number, else NULL | same |
//! | `startswith(a, b)`, `endswith(a, b)` | byte-wise prefix / suffix test | dtype/text_1.result |
//! | `findinset`, `iff`, `to_lower`, `to_upper`, `lengthutf8`, `to_date` | `FIND_IN_SET`, `IF`, `LOWER`, `UPPER`, `CHAR_LENGTH`, `STR_TO_DATE` | function/*.result |
//! | `regexp_like(a, p)` | `a REGEXP p`, case-sensitive | operator/regexp.result |
//! | `any_value(x)` | `MIN(x)`: some value of the group | function/func_anyvalue.result |
//! | `approx_count_distinct(x)` | `COUNT(DISTINCT x)` (exact) | function/func_aggr_approx_count.result |
//! | `uuid_to_bin(s)`, `bin_to_uuid(b)` | `UNHEX(REPLACE(...))`, `HEX(...)` with dashes | function/func_uuid.result |
//! | `nextval('s')`, `setval('s', n)`, `currval('s')` | `NEXTVAL(s)`, `SETVAL(s, n)`, `LASTVAL(s)` | sequence/sequence.result |
//! | `current_user_id()`, `current_role_id()` | `0` (root, moadmin) | function/account_info_func.result |
//! | `FROM generate_series(...)` | a derived table over MariaDB's `seq_0_to_N` sequence table | function/table_func_generate_series.result |
//!
//! A mapped call that is a whole item of a select list keeps its label: mosim adds
//! `AS <the client's text>`, so a client reads the column under the name it wrote.

use crate::error::SqlError;
use crate::sql::dialect::{Scan, alias};
use crate::sql::lexer::Kind;
use crate::sql::rewrite::{Edit, ident, is_alias};

/// Renamed functions: same arguments, same meaning.
const RENAMED: [(&str, &str); 7] = [
    ("findinset", "FIND_IN_SET"),
    ("iff", "IF"),
    ("to_lower", "LOWER"),
    ("to_upper", "UPPER"),
    ("lengthutf8", "CHAR_LENGTH"),
    ("to_date", "STR_TO_DATE"),
    ("any_value", "MIN"),
];

/// A call rewritten around its arguments: `name(` becomes `open`, each top-level comma the
/// matching entry of `commas`, and `)` becomes `close`.
struct Wrap {
    open: &'static str,
    commas: &'static [&'static str],
    close: &'static str,
}

/// Functions written around their own arguments; the number of arguments is `commas + 1`.
const WRAPPED: [(&str, Wrap); 8] = [
    (
        "json_extract_string",
        Wrap {
            open: "JSON_UNQUOTE(NULLIF(REGEXP_SUBSTR(JSON_EXTRACT(",
            commas: &[","],
            close: "), '^\".*\"$'), ''))",
        },
    ),
    (
        "json_extract_float64",
        Wrap {
            open: "CAST(NULLIF(REGEXP_SUBSTR(JSON_EXTRACT(",
            commas: &[","],
            close: "), '^-?[0-9][0-9.eE+-]*$'), '') AS DOUBLE)",
        },
    ),
    ("startswith", Wrap { open: "(INSTR(BINARY ", commas: &[","], close: ") = 1)" }),
    ("endswith", Wrap { open: "(INSTR(REVERSE(BINARY ", commas: &["), REVERSE(BINARY "], close: ")) = 1)" }),
    ("regexp_like", Wrap { open: "((", commas: &[") REGEXP ("], close: ") COLLATE utf8mb4_bin)" }),
    ("approx_count_distinct", Wrap { open: "COUNT(DISTINCT ", commas: &[], close: ")" }),
    ("uuid_to_bin", Wrap { open: "UNHEX(REPLACE(", commas: &[], close: ", '-', ''))" }),
    (
        "bin_to_uuid",
        Wrap {
            open: "LOWER(INSERT(INSERT(INSERT(INSERT(HEX(",
            commas: &[],
            close: "), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-'))",
        },
    ),
];

/// MariaDB's sequence table (the SEQUENCE engine, built in): every integer `seq` from 0 up,
/// read by a range scan when the query bounds `seq`.
const SEQ_TABLE: &str = "seq_0_to_18446744073709551614";

/// Edits mapping every MatrixOne function call in `scan` to MariaDB.
pub(crate) fn edits(sql: &[u8], scan: &Scan<'_>) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let mut out = Vec::new();
    for i in 0..t.len() {
        if !scan.is_call(i) {
            continue;
        }
        let Some(name) = scan.word(i) else { continue };
        let Some(close) = scan.closing(i + 1) else { continue };
        let args = scan.args(i + 1);
        let before = out.len();
        if name == "generate_series" {
            out.extend(generate_series(scan, i, close, &args)?);
            continue;
        }
        if let Some((_, new)) = RENAMED.iter().find(|(n, _)| *n == name) {
            out.push((t[i].start, t[i].end, new.as_bytes().to_vec()));
        } else if let Some((_, w)) = WRAPPED.iter().find(|(n, _)| *n == name) {
            if args.len() != w.commas.len() + 1 {
                return Err(SqlError::not_supported(format!(
                    "{name} with {} arguments (mosim maps the {}-argument form)",
                    args.len(),
                    w.commas.len() + 1
                )));
            }
            if name.starts_with("json_extract_") && wildcard_path(scan, &args) {
                return Err(SqlError::invalid_input(format!(
                    "{name} should use a path that retrives a single value"
                )));
            }
            out.push((t[i].start, t[i + 1].end, w.open.as_bytes().to_vec()));
            for (arg, text) in args.iter().skip(1).zip(w.commas) {
                let comma = arg.start - 1;
                out.push((t[comma].start, t[comma].end, text.as_bytes().to_vec()));
            }
            out.push((t[close].start, t[close].end, w.close.as_bytes().to_vec()));
        } else if let Some(new) = sequence_function(&name) {
            out.extend(sequence_call(scan, i, &name, new, &args)?);
        } else if (name == "current_user_id" || name == "current_role_id") && args.is_empty() {
            out.push((t[i].start, t[close].end, b"0".to_vec()));
        } else {
            continue;
        }
        if out.len() > before
            && let Some(label) = scan.select_item_label(sql, i, close)
        {
            out.push((t[close].end, t[close].end, alias(&label)));
        }
    }
    Ok(out)
}

/// Whether a json path argument is a literal with a wildcard (`$[*]`, `$.*`, `$**.a`).
fn wildcard_path(scan: &Scan<'_>, args: &[std::ops::Range<usize>]) -> bool {
    args.get(1)
        .is_some_and(|a| a.len() == 1 && matches!(&scan.t[a.start].kind, Kind::Str(p) if p.contains('*')))
}

fn sequence_function(name: &str) -> Option<&'static str> {
    match name {
        "nextval" => Some("NEXTVAL"),
        "setval" => Some("SETVAL"),
        "currval" => Some("LASTVAL"),
        _ => None,
    }
}

/// `nextval('s')`: MatrixOne names the sequence by a string, MariaDB by an identifier.
fn sequence_call(
    scan: &Scan<'_>,
    i: usize,
    name: &str,
    new: &str,
    args: &[std::ops::Range<usize>],
) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let seq = args.first().filter(|a| a.len() == 1).and_then(|a| match &t[a.start].kind {
        Kind::Str(s) => Some((a.start, s.clone())),
        _ => None,
    });
    let Some((at, seq)) = seq else {
        return Err(SqlError::not_supported(format!(
            "{name} with a sequence name that is not a string literal"
        )));
    };
    let quoted = match seq.split_once('.') {
        Some((db, s)) => format!("{}.{}", ident(db), ident(s)),
        None => ident(&seq),
    };
    Ok(vec![(t[i].start, t[i].end, new.as_bytes().to_vec()), (t[at].start, t[at].end, quoted.into_bytes())])
}

/// A `generate_series` interval step (`'1 day'`): its count and MariaDB's unit keyword.
fn interval(text: &str) -> Option<(u64, &'static str)> {
    let mut parts = text.split_whitespace();
    let n: u64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.to_ascii_lowercase();
    if parts.next().is_some() || n == 0 {
        return None;
    }
    let unit = unit.strip_suffix('s').unwrap_or(&unit);
    let unit = ["microsecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"]
        .into_iter()
        .find(|u| *u == unit)?;
    Some((n, unit))
}

/// Digits after the decimal point of a datetime literal, for the series' precision.
fn fraction_digits(scan: &Scan<'_>, arg: &std::ops::Range<usize>) -> usize {
    match &scan.t[arg.start].kind {
        Kind::Str(s) if arg.len() == 1 => s.split_once('.').map_or(0, |(_, f)| f.trim().len().min(6)),
        _ => 6,
    }
}

/// `generate_series(...)` as a table in FROM (MatrixOne's table function, see
/// pkg/sql/colexec/table_function/generate_series.go): integers from `start` to `end` by
/// `step` (default 1, or -1 when `start > end`; `generate_series(n)` counts from 1), or
/// datetimes by an interval string. Written as a derived table that reads MariaDB's sequence
/// table, with every argument's text kept in place (evaluated once, placeholders intact).
fn generate_series(
    scan: &Scan<'_>,
    i: usize,
    close: usize,
    args: &[std::ops::Range<usize>],
) -> Result<Vec<Edit>, SqlError> {
    let t = scan.t;
    let in_from = i > 0 && (scan.kw(i - 1, "from") || scan.kw(i - 1, "join") || scan.is(i - 1, ','));
    if !in_from {
        return Err(SqlError::not_supported("generate_series outside FROM (it is a table function)"));
    }
    if args.is_empty() || args.len() > 3 {
        return Err(SqlError::invalid_input("generate_series takes 1 to 3 arguments"));
    }
    let comma = |k: usize| args[k].start - 1;
    let datetime = matches!(t[args[0].start].kind, Kind::Str(_));
    let mut out = Vec::new();
    if datetime {
        let step = args.get(2).filter(|a| a.len() == 1).and_then(|a| match &t[a.start].kind {
            Kind::Str(s) => interval(s),
            _ => None,
        });
        let Some((n, unit)) = step else {
            return Err(SqlError::not_supported(
                "generate_series over datetimes without a positive literal interval such as '1 day'",
            ));
        };
        let f = fraction_digits(scan, &args[0]).max(fraction_digits(scan, &args[1]));
        let next = format!("p.a + INTERVAL (CAST(seq AS SIGNED) * {n}) {unit}");
        out.push((
            t[i].start,
            t[i + 1].end,
            format!("(SELECT {next} AS result FROM (SELECT CAST(").into_bytes(),
        ));
        out.push((
            t[comma(1)].start,
            t[comma(1)].end,
            format!(" AS DATETIME({f})) AS a, CAST(").into_bytes(),
        ));
        out.push((
            t[comma(2)].start,
            t[close].end,
            format!(
                " AS DATETIME({f})) AS b) p JOIN {SEQ_TABLE} ON seq <= TIMESTAMPDIFF({unit}, p.a, p.b) DIV {n} + 1 \
                 WHERE {next} <= p.b)"
            )
            .into_bytes(),
        ));
    } else {
        if let Some(a) = args.get(2) {
            match &t[a.start].kind {
                Kind::Word(w) if a.len() == 1 && w.trim_start_matches('0').is_empty() => {
                    return Err(SqlError::invalid_input("generate_series step cannot be zero"));
                }
                Kind::Str(_) => {
                    return Err(SqlError::invalid_input("generate_series step must be int32 or int64"));
                }
                _ => {}
            }
        }
        let step = if args.len() == 3 { "s" } else { "IF(a <= b, 1, -1)" };
        let first = if args.len() == 1 { "1 AS a, " } else { "" };
        out.push((
            t[i].start,
            t[i + 1].end,
            format!(
                "(SELECT CAST(p.a + CAST(seq AS SIGNED) * p.s AS SIGNED) AS result \
                 FROM (SELECT a, b, {step} AS s FROM (SELECT {first}"
            )
            .into_bytes(),
        ));
        if args.len() > 1 {
            out.push((t[comma(1)].start, t[comma(1)].end, b" AS a,".to_vec()));
        }
        if args.len() > 2 {
            out.push((t[comma(2)].start, t[comma(2)].end, b" AS b,".to_vec()));
        }
        let last = if args.len() == 3 { " AS s" } else { " AS b" };
        out.push((
            t[close].start,
            t[close].end,
            format!("{last}) p0) p JOIN {SEQ_TABLE} ON seq <= (p.b - p.a) DIV p.s)").into_bytes(),
        ));
    }
    // A derived table needs a name; MatrixOne names the unaliased one after the function.
    let aliased = is_alias(t.get(close + 1));
    if !aliased {
        out.push((t[close].end, t[close].end, b" AS generate_series".to_vec()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn functions_are_mapped() {
        assert_eq!(
            rewritten("select json_extract_string(j, '$.a') from t").unwrap(),
            "select JSON_UNQUOTE(NULLIF(REGEXP_SUBSTR(JSON_EXTRACT(j, '$.a'), '^\".*\"$'), '')) AS `json_extract_string(j, '$.a')` from t"
        );
        assert_eq!(
            rewritten("select id from t where json_extract_float64(j, ?) > 1.5").unwrap(),
            "select id from t where CAST(NULLIF(REGEXP_SUBSTR(JSON_EXTRACT(j, ?), '^-?[0-9][0-9.eE+-]*$'), '') AS DOUBLE) > 1.5"
        );
        assert_eq!(rewritten("select iff(a, 1, 2) x from t").unwrap(), "select IF(a, 1, 2) x from t");
        assert_eq!(rewritten("select nextval('s')").unwrap(), "select NEXTVAL(`s`) AS `nextval('s')`");
        assert_eq!(rewritten("select json_extract_string('[1]', '$[*]')").unwrap_err().0, 20301);
        assert_eq!(rewritten("select * from generate_series(1, 5, 0) g").unwrap_err().0, 20301);
    }

    #[test]
    fn generate_series_is_a_derived_table() {
        assert_eq!(
            rewritten("select * from generate_series(1, 3) g").unwrap(),
            "select * from (SELECT CAST(p.a + CAST(seq AS SIGNED) * p.s AS SIGNED) AS result FROM (SELECT a, b, \
             IF(a <= b, 1, -1) AS s FROM (SELECT 1 AS a, 3 AS b) p0) p JOIN seq_0_to_18446744073709551614 \
             ON seq <= (p.b - p.a) DIV p.s) g"
        );
        assert!(
            rewritten("select result from generate_series('2020-01-01', '2020-01-03', '1 day')")
                .unwrap()
                .ends_with("WHERE p.a + INTERVAL (CAST(seq AS SIGNED) * 1) day <= p.b) AS generate_series")
        );
    }
}
