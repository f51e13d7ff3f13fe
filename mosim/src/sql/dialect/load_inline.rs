//! `LOAD DATA INLINE FORMAT='csv', DATA='...' INTO TABLE t [FIELDS ...] [LINES ...]
//! [IGNORE n LINES] [(cols)]`: MatrixOne loads CSV given in the statement itself
//! (`load_param_opt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y; expected results in
//! test/distributed/cases/load_data/load_data.result and ddl/generated_column.result).
//! MariaDB has no such form; mosim parses the CSV and sends the same rows as one
//! `INSERT INTO t (cols) VALUES ...`, every field a string literal (`\N` is NULL) that MariaDB
//! converts to the column's type. A `@var` in the column list skips that field, as in
//! MatrixOne. Other formats answer `not supported`.

use crate::error::SqlError;
use crate::sql::dialect::Scan;
use crate::sql::dialect::unsupported::not_simulated;
use crate::sql::lexer::Kind;
use crate::sql::rewrite::{Edit, sql_str};

/// How the CSV text is cut.
struct Csv {
    field: String,
    enclosed: Option<char>,
    line: String,
    ignore: usize,
}

/// The INSERT that replaces a `LOAD DATA INLINE` statement, as one edit of the whole text.
pub(crate) fn rewrite(sql: &[u8], scan: &Scan<'_>) -> Result<Option<Edit>, SqlError> {
    let t = scan.t;
    if !(scan.kw(0, "load") && scan.kw(1, "data") && scan.kw(2, "inline")) {
        return Ok(None);
    }
    let bad = || SqlError::invalid_input("LOAD DATA INLINE needs FORMAT='csv', DATA='...' INTO TABLE t");
    let string = |i: usize| match t.get(i).map(|t| &t.kind) {
        Some(Kind::Str(s)) => Some(s.clone()),
        _ => None,
    };
    // FORMAT = 'csv' , DATA = '...'
    if !(scan.kw(3, "format") && scan.is(4, '=')) {
        return Err(bad());
    }
    let format = string(5).ok_or_else(bad)?;
    if !format.eq_ignore_ascii_case("csv") {
        return Err(not_simulated(&format!("LOAD DATA INLINE FORMAT='{format}'")));
    }
    if !(scan.is(6, ',') && scan.kw(7, "data") && scan.is(8, '=')) {
        return Err(bad());
    }
    let (data, mut i) = match string(9) {
        Some(d) => (d, 10),
        None => dollar_quoted(sql, scan, 9).ok_or_else(bad)?,
    };
    if !(scan.kw(i, "into") && scan.kw(i + 1, "table")) {
        return Err(bad());
    }
    let table_start = t.get(i + 2).ok_or_else(bad)?.start;
    i += 3;
    if scan.is(i, '.') {
        i += 2;
    }
    let table_end = t.get(i - 1).ok_or_else(bad)?.end;
    let mut csv = Csv { field: ",".into(), enclosed: Some('"'), line: "\n".into(), ignore: 0 };
    while i < t.len() && !scan.is(i, '(') && !scan.is(i, ';') {
        let w = scan.word(i).unwrap_or_default();
        match w.as_str() {
            "fields" | "columns" | "lines" | "optionally" => i += 1,
            "terminated" if scan.kw(i + 1, "by") => {
                let v = string(i + 2).ok_or_else(bad)?;
                if scan.kw(i.wrapping_sub(1), "lines") || scan.kw(i.wrapping_sub(2), "lines") {
                    csv.line = v;
                } else {
                    csv.field = v;
                }
                i += 3;
            }
            "enclosed" if scan.kw(i + 1, "by") => {
                csv.enclosed = string(i + 2).ok_or_else(bad)?.chars().next();
                i += 3;
            }
            "ignore" => {
                csv.ignore = scan.word(i + 1).and_then(|n| n.parse().ok()).ok_or_else(bad)?;
                i += 3;
            }
            _ => return Err(not_simulated(&format!("LOAD DATA INLINE with {}", w.to_uppercase()))),
        }
    }
    // The column list: names, or `@var` to skip a field.
    let mut columns: Vec<Option<Vec<u8>>> = Vec::new();
    if scan.is(i, '(') {
        let close = scan.closing(i).ok_or_else(bad)?;
        for a in scan.args(i) {
            let tok = t.get(a.start).filter(|_| a.len() == 1).ok_or_else(bad)?;
            columns.push(match tok.kind {
                Kind::Var(_) => None,
                _ => Some(sql.get(tok.start..tok.end).ok_or_else(bad)?.to_vec()),
            });
        }
        i = close + 1;
    }
    while scan.is(i, ';') {
        i += 1;
    }
    if i < t.len() {
        return Err(not_simulated("LOAD DATA INLINE with SET or other clauses"));
    }
    let rows = parse(&data, &csv);
    if rows.is_empty() {
        return Err(SqlError::invalid_input("LOAD DATA INLINE has no rows"));
    }
    let mut text = b"INSERT INTO ".to_vec();
    text.extend_from_slice(sql.get(table_start..table_end).ok_or_else(bad)?);
    if !columns.is_empty() {
        let names: Vec<&[u8]> = columns.iter().flatten().map(Vec::as_slice).collect();
        text.extend_from_slice(b" (");
        text.extend(names.join(&b", "[..]));
        text.push(b')');
    }
    text.extend_from_slice(b" VALUES ");
    for (n, row) in rows.iter().enumerate() {
        if !columns.is_empty() && row.len() != columns.len() {
            return Err(SqlError::invalid_input(format!(
                "the data of row {} contained is not equal to input columns",
                n + 1
            )));
        }
        let values: Vec<String> = row
            .iter()
            .enumerate()
            .filter(|(k, _)| columns.get(*k).is_none_or(Option::is_some))
            .map(|(_, v)| v.as_deref().map_or_else(|| "NULL".to_owned(), sql_str))
            .collect();
        if n > 0 {
            text.extend_from_slice(b", ");
        }
        text.push(b'(');
        text.extend(values.join(", ").into_bytes());
        text.push(b')');
    }
    Ok(Some((0, sql.len(), text)))
}

/// `$TAG$ ... $TAG$` (MatrixOne's dollar-quoted string) starting at token `i`: its content
/// and the index of the token after the closing tag.
fn dollar_quoted(sql: &[u8], scan: &Scan<'_>, i: usize) -> Option<(String, usize)> {
    let t = scan.t;
    let open = t.get(i)?;
    let tag = sql.get(open.start..open.end)?;
    if tag.len() < 2 || !tag.starts_with(b"$") || !tag.ends_with(b"$") {
        return None;
    }
    let rest = sql.get(open.end..)?;
    let at = rest.windows(tag.len()).position(|w| w == tag)? + open.end;
    let content = String::from_utf8_lossy(sql.get(open.end..at)?).into_owned();
    let after = (i + 1..t.len()).find(|&k| t[k].start >= at + tag.len())?;
    Some((content, after))
}

/// Cuts CSV text into rows of fields; `None` is NULL (`\N`).
fn parse(data: &str, csv: &Csv) -> Vec<Vec<Option<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut rest = data;
    let push_field = |row: &mut Vec<Option<String>>, field: &mut String, was_quoted: bool| {
        let value = std::mem::take(field);
        row.push(if !was_quoted && value == "\\N" { None } else { Some(value) });
    };
    while let Some(c) = rest.chars().next() {
        if quoted {
            if Some(c) == csv.enclosed {
                if rest[c.len_utf8()..].starts_with(c) {
                    field.push(c);
                    rest = &rest[2 * c.len_utf8()..];
                    continue;
                }
                quoted = false;
            } else {
                field.push(c);
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if Some(c) == csv.enclosed && field.is_empty() {
            quoted = true;
            was_quoted = true;
            rest = &rest[c.len_utf8()..];
        } else if !csv.field.is_empty() && rest.starts_with(csv.field.as_str()) {
            push_field(&mut row, &mut field, was_quoted);
            was_quoted = false;
            rest = &rest[csv.field.len()..];
        } else if !csv.line.is_empty() && rest.starts_with(csv.line.as_str()) {
            push_field(&mut row, &mut field, was_quoted);
            was_quoted = false;
            rows.push(std::mem::take(&mut row));
            rest = &rest[csv.line.len()..];
        } else {
            field.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !field.is_empty() || !row.is_empty() || was_quoted {
        push_field(&mut row, &mut field, was_quoted);
        rows.push(row);
    }
    rows.into_iter().skip(csv.ignore).collect()
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn inline_csv_becomes_an_insert() {
        assert_eq!(
            rewritten("load data inline format='csv', data='1,10\\n2,3,4' into table t fields terminated by ',' (id, @skip)")
                .unwrap_err()
                .0,
            20301
        );
        assert_eq!(
            rewritten(
                "load data inline format='csv', data='1,10\\n2,\"x,y\"\\n3,\\\\N\\n' into table d.t (id, b)"
            )
            .unwrap(),
            "INSERT INTO d.t (id, b) VALUES ('1', '10'), ('2', 'x,y'), ('3', NULL)"
        );
        assert_eq!(
            rewritten("load data inline format='csv', data=$XXX$ a,26,X $XXX$ into table t fields terminated by ',' lines terminated by '\\r\\n' (@n, city, age)")
                .unwrap(),
            "INSERT INTO t (city, age) VALUES ('26', 'X ')"
        );
        assert_eq!(
            rewritten("load data inline format='jsonline', data='{}' into table t").unwrap_err().0,
            20105
        );
    }
}
