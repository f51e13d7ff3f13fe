//! Client-side binding: renders [`Value`]s as SQL literals and puts them where the `?`
//! placeholders stand, for servers or statements that must not be prepared.

use std::fmt::Write as _;

use super::escape::{EscapeMode, push_string_literal};
use crate::error::{Error, Result};
use crate::value::Value;

/// Appends `value` to `out` as a SQL literal the server reads back as exactly that value.
///
/// Refuses NaN and infinite floats: SQL has no literal for them.
///
/// ```
/// use matrixone::{Value, sql::{push_literal, EscapeMode}};
/// let mut sql = String::new();
/// push_literal(&mut sql, &Value::Bytes(vec![0xde, 0xad]), EscapeMode::Backslash).unwrap();
/// assert_eq!(sql, "X'DEAD'");
/// assert!(push_literal(&mut sql, &Value::Double(f64::NAN), EscapeMode::Backslash).is_err());
/// ```
pub fn push_literal(out: &mut String, value: &Value, mode: EscapeMode) -> Result<()> {
    // `write!` into a String cannot fail; the results are ignored on purpose.
    match value {
        Value::Null => out.push_str("NULL"),
        Value::Bool(true) => out.push_str("TRUE"),
        Value::Bool(false) => out.push_str("FALSE"),
        Value::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Value::UInt(v) => {
            let _ = write!(out, "{v}");
        }
        // Exponent form makes the server read a DOUBLE (not a DECIMAL) and round-trips exactly.
        Value::Float(v) => {
            finite(f64::from(*v))?;
            let _ = write!(out, "{v:e}");
        }
        Value::Double(v) => {
            finite(*v)?;
            let _ = write!(out, "{v:e}");
        }
        Value::String(s) => push_string_literal(out, s, mode),
        Value::Bytes(b) => {
            out.reserve(b.len() * 2 + 3);
            out.push_str("X'");
            for byte in b {
                let _ = write!(out, "{byte:02X}");
            }
            out.push('\'');
        }
        Value::Date(d) => {
            let _ = write!(out, "'{}'", d.format("%Y-%m-%d"));
        }
        Value::Time(t) => {
            let _ = write!(out, "'{}'", t.format("%H:%M:%S%.f"));
        }
        Value::DateTime(dt) => {
            let _ = write!(out, "'{}'", dt.format("%Y-%m-%d %H:%M:%S%.f"));
        }
        Value::DateTimeUtc(dt) => {
            let _ = write!(out, "'{}'", dt.naive_utc().format("%Y-%m-%d %H:%M:%S%.f"));
        }
        Value::Json(j) => push_string_literal(out, &j.to_string(), mode),
        // Digits, a sign and a point: read back as an exact DECIMAL.
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(d) => {
            let _ = write!(out, "{d}");
        }
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => {
            let _ = write!(out, "'{}'", u.hyphenated());
        }
        // MatrixOne's text form `'[1,2,3]'`; NaN and infinities are refused.
        Value::Vecf32(v) => push_string_literal(out, &v.to_text()?, mode),
        Value::Vecf64(v) => push_string_literal(out, &v.to_text()?, mode),
    }
    Ok(())
}

fn finite(v: f64) -> Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("{v} has no SQL literal; bind a finite number or NULL")))
    }
}

/// Counts the `?` placeholders in `sql`, skipping those inside string literals, backticked names
/// and comments.
///
/// ```
/// use matrixone::sql::{count_placeholders, EscapeMode};
/// let sql = "SELECT '?', `a?`, ? -- ?\n FROM t WHERE b = ? /* ? */";
/// assert_eq!(count_placeholders(sql, EscapeMode::Backslash), 2);
/// ```
pub fn count_placeholders(sql: &str, mode: EscapeMode) -> usize {
    let mut n = 0;
    scan(sql, mode, |_, b| n += usize::from(b == b'?'));
    n
}

/// Replaces each `?` placeholder of `sql` with the next value rendered as a literal.
///
/// Fails with [`crate::ErrorKind::InvalidInput`] when the number of placeholders and values
/// differ, or a value has no literal.
///
/// ```
/// use matrixone::{Value, sql::{inline_values, EscapeMode}};
/// let sql = inline_values(
///     "INSERT INTO t (a, b) VALUES (?, ?) -- why?",
///     &[Value::from("it's"), Value::from(None::<i32>)],
///     EscapeMode::Backslash,
/// ).unwrap();
/// assert_eq!(sql, r"INSERT INTO t (a, b) VALUES ('it\'s', NULL) -- why?");
/// ```
pub fn inline_values(sql: &str, values: &[Value], mode: EscapeMode) -> Result<String> {
    let mut positions = Vec::with_capacity(values.len());
    scan(sql, mode, |at, b| {
        if b == b'?' {
            positions.push(at)
        }
    });
    if positions.len() != values.len() {
        return Err(Error::invalid_input(format!(
            "the statement has {} placeholder(s) but {} value(s) were bound",
            positions.len(),
            values.len()
        )));
    }
    let mut out = String::with_capacity(sql.len() + values.len() * 8);
    let mut copied = 0;
    for (at, value) in positions.into_iter().zip(values) {
        out.push_str(&sql[copied..at]);
        push_literal(&mut out, value, mode)?;
        copied = at + 1;
    }
    out.push_str(&sql[copied..]);
    Ok(out)
}

/// Walks `sql` and calls `found` with the offset and byte of every placeholder `?` and every
/// statement separator `;` that stands in code (not in a literal, quoted name or comment).
pub(crate) fn scan(sql: &str, mode: EscapeMode, mut found: impl FnMut(usize, u8)) {
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b @ (b'?' | b';') => {
                found(i, b);
                i += 1;
            }
            quote @ (b'\'' | b'"') => i = skip_quoted(bytes, i, quote, mode == EscapeMode::Backslash),
            b'`' => i = skip_quoted(bytes, i, b'`', false),
            b'#' => i = skip_line(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-')
                && bytes.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
            {
                i = skip_line(bytes, i)
            }
            // `/*! ... */` and `/*+ ... */` are read by the server as code, so they are scanned.
            b'/' if bytes.get(i + 1) == Some(&b'*') && !matches!(bytes.get(i + 2), Some(b'!' | b'+')) => {
                i = match sql[i + 2..].find("*/") {
                    Some(end) => i + 2 + end + 2,
                    None => bytes.len(),
                }
            }
            _ => i += 1,
        }
    }
}

/// Returns the offset just past the quoted run that starts at `start`. A doubled delimiter
/// stands for itself; with `backslash`, `\` escapes the next byte.
fn skip_quoted(bytes: &[u8], start: usize, quote: u8, backslash: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if backslash && b == b'\\' {
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| start + p + 1)
}
