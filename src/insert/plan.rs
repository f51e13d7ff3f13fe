//! How many rows go into each statement of a bulk insert.
//!
//! A statement must fit the server's `max_allowed_packet`, and a prepared one may have at most
//! 65535 placeholders (the protocol counts them in 16 bits). Row sizes are upper bounds that hold
//! for both protocols: a value as the longest literal the binder could write (every special
//! character escaped) or as its binary encoding with its length prefix, plus its share of the
//! `?, ` text, the parameter type and the NULL bitmap.

use crate::error::{Error, Result};
use crate::value::Value;

/// The most placeholders one prepared statement may have.
pub(crate) const MAX_PLACEHOLDERS: usize = 65_535;

/// The values one statement carries unless the caller caps its rows: past this, bigger statements
/// only cost more (the prepare answers one column definition per placeholder, both sides hold
/// the whole statement, locks are held longer), while the round trips saved no longer show.
/// Measured with `./scripts/bench.sh` (issue 11's closing note has the figures).
pub(crate) const DEFAULT_VALUES_PER_STATEMENT: usize = 10_000;

/// Bytes of every packet left for the protocol's own fields (command, statement id, flags,
/// parameter count and types' header) and rounding.
pub(crate) const PACKET_MARGIN: usize = 1024;

/// What bounds one statement.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The server's `max_allowed_packet`.
    pub(crate) packet: u64,
    /// A tighter cap on a statement's bytes asked for by the caller.
    pub(crate) max_bytes: Option<usize>,
    /// A cap on the rows of one statement asked for by the caller.
    pub(crate) max_rows: Option<usize>,
    /// Whether the values travel as prepared-statement parameters (then at most
    /// [`MAX_PLACEHOLDERS`] of them).
    pub(crate) prepared: bool,
}

impl Limits {
    /// The bytes one statement may take.
    fn statement_bytes(&self) -> usize {
        let packet = usize::try_from(self.packet).unwrap_or(usize::MAX).saturating_sub(PACKET_MARGIN);
        self.max_bytes.map_or(packet, |cap| cap.min(packet))
    }

    /// The rows one statement may take, by count alone.
    fn statement_rows(&self, columns: usize) -> usize {
        let columns = columns.max(1);
        let by_placeholders = if self.prepared { MAX_PLACEHOLDERS / columns } else { usize::MAX };
        let cap = self.max_rows.unwrap_or((DEFAULT_VALUES_PER_STATEMENT / columns).max(1));
        cap.min(by_placeholders)
    }
}

/// Cuts rows into statements one row at a time, for a caller that converts rows as it goes:
/// a statement closes when the next row would pass the row cap or the byte budget.
#[derive(Debug)]
pub(crate) struct Planner {
    budget: usize,
    max_rows: usize,
    packet: u64,
    prepared: bool,
    rows: usize,
    bytes: usize,
}

impl Planner {
    /// For rows of `columns` values in statements whose fixed text is `fixed_len` bytes.
    ///
    /// Fails with [`crate::ErrorKind::InvalidInput`] when no row can fit any statement.
    pub(crate) fn new(columns: usize, fixed_len: usize, limits: &Limits) -> Result<Planner> {
        let max_bytes = limits.statement_bytes();
        let max_rows = limits.statement_rows(columns);
        if columns == 0 || max_rows == 0 {
            return Err(Error::invalid_input(format!(
                "a row of {columns} columns cannot be written by one statement (at most \
                 {MAX_PLACEHOLDERS} placeholders, {max_rows} rows per statement); nothing was written"
            )));
        }
        let Some(budget) = max_bytes.checked_sub(fixed_len).filter(|b| *b > 0) else {
            return Err(Error::invalid_input(format!(
                "the INSERT's own text ({fixed_len} bytes) leaves no room for rows within {max_bytes} \
                 bytes (max_allowed_packet {}); nothing was written",
                limits.packet
            )));
        };
        Ok(Planner { budget, max_rows, packet: limits.packet, prepared: limits.prepared, rows: 0, bytes: 0 })
    }

    /// Takes row `at`, whose values are `row`: `Some(n)` when the statement of the `n` rows
    /// before it closes and this row starts the next one.
    ///
    /// Fails with [`crate::ErrorKind::InvalidInput`] when the row alone cannot fit a statement.
    pub(crate) fn add(&mut self, at: usize, row: &[Value]) -> Result<Option<usize>> {
        let size = row_bound(row, self.prepared);
        if size > self.budget {
            return Err(Error::invalid_input(format!(
                "row {at} needs up to {size} bytes, more than one statement may carry ({} \
                 bytes within max_allowed_packet {} and the statement cap); nothing was written",
                self.budget, self.packet
            )));
        }
        let closed = (self.rows > 0 && (self.rows == self.max_rows || self.bytes + size > self.budget))
            .then(|| std::mem::take(&mut self.rows));
        if closed.is_some() {
            self.bytes = 0;
        }
        self.rows += 1;
        self.bytes += size;
        Ok(closed)
    }

    /// The rows of the last statement, once; `None` when there are none.
    pub(crate) fn finish(&mut self) -> Option<usize> {
        self.bytes = 0;
        Some(std::mem::take(&mut self.rows)).filter(|&n| n > 0)
    }
}

/// Splits the rows whose values are `values` (`columns` per row) into statements whose fixed
/// text is `fixed_len` bytes; returns the number of rows of each statement, in order.
///
/// Fails with [`crate::ErrorKind::InvalidInput`] when one row alone cannot fit a statement.
#[cfg(test)]
fn plan(values: &[Value], columns: usize, fixed_len: usize, limits: &Limits) -> Result<Vec<usize>> {
    let mut planner = Planner::new(columns, fixed_len, limits)?;
    let mut statements = Vec::new();
    for (at, row) in values.chunks(columns).enumerate() {
        statements.extend(planner.add(at, row)?);
    }
    statements.extend(planner.finish());
    Ok(statements)
}

/// The most bytes one row can add to a statement: its values and `(`, `)`, `, `.
fn row_bound(row: &[Value], prepared: bool) -> usize {
    row.iter().map(|value| value_bound(value, prepared)).sum::<usize>() + 4
}

/// Text: the `mysql_real_escape_string` set, escaped with one more byte each in the default mode;
/// the other mode only doubles `'`, a subset. Counting all of them bounds both.
fn escaped_len(text: &str) -> usize {
    text.len()
        + text.bytes().filter(|b| matches!(b, b'\\' | b'\'' | b'"' | 0 | b'\n' | b'\r' | 0x1a)).count()
        + 2
}

/// The most bytes one value can add: the longer of its literal and its binary encoding (a length
/// prefix of up to 9 bytes), plus `?, ` and its parameter type and NULL-bitmap share. A prepared
/// statement's text is never escaped, so a string is not scanned for bytes to escape.
fn value_bound(value: &Value, prepared: bool) -> usize {
    const PER_VALUE: usize = 3 + 2 + 1;
    const LENGTH_PREFIX: usize = 9;
    let literal = match value {
        Value::String(s) if prepared => s.len() + LENGTH_PREFIX,
        Value::Null => 4,
        Value::Bool(_) => 5,
        Value::Int(_) | Value::UInt(_) => 20,
        Value::Float(_) => 16,
        Value::Double(_) => 24,
        Value::String(s) => escaped_len(s) + LENGTH_PREFIX,
        Value::Bytes(b) => 2 * b.len() + 3 + LENGTH_PREFIX,
        Value::Date(_) => 12,
        Value::Time(_) => 18,
        Value::DateTime(_) | Value::DateTimeUtc(_) => 28,
        Value::Json(j) => escaped_len(&j.to_string()) + LENGTH_PREFIX,
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(_) => 40,
        #[cfg(feature = "uuid")]
        Value::Uuid(_) => 38 + LENGTH_PREFIX,
        // Sent as text: at most 16 characters and a comma per element (f64), brackets, quotes.
        Value::Vecf32(v) => v.dims() * 17 + 4 + LENGTH_PREFIX,
        Value::Vecf64(v) => v.dims() * 25 + 4 + LENGTH_PREFIX,
    };
    literal + PER_VALUE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(packet: u64) -> Limits {
        Limits { packet, max_bytes: None, max_rows: None, prepared: true }
    }

    fn ints(n: i64) -> Vec<Value> {
        (0..n).map(Value::Int).collect()
    }

    #[test]
    fn one_statement_when_everything_fits() {
        assert_eq!(plan(&ints(10), 2, 50, &limits(16 << 20)).unwrap(), [5]);
    }

    #[test]
    fn prepared_statements_stop_at_65535_placeholders() {
        let uncapped = Limits { max_rows: Some(usize::MAX), ..limits(1 << 30) };
        let rows = plan(&ints(70_000), 1, 50, &uncapped).unwrap();
        assert_eq!(rows, [65_535, 4_465]);
        // Three columns: whole rows only, 21845 of them.
        let rows = plan(&ints(3 * 30_000), 3, 50, &uncapped).unwrap();
        assert_eq!(rows, [21_845, 8_155]);
        // Inlined values have no placeholders to count.
        let text = Limits { prepared: false, ..uncapped };
        assert_eq!(plan(&ints(70_000), 1, 50, &text).unwrap(), [70_000]);
    }

    #[test]
    fn by_default_a_statement_carries_at_most_10000_values() {
        assert_eq!(plan(&ints(25_000), 1, 50, &limits(1 << 30)).unwrap(), [10_000, 10_000, 5_000]);
        // Whole rows: 3333 rows of three columns.
        assert_eq!(plan(&ints(3 * 4_000), 3, 50, &limits(1 << 30)).unwrap(), [3_333, 667]);
        // A row wider than the default still goes, alone.
        assert_eq!(plan(&ints(2 * 20_000), 20_000, 50, &limits(1 << 30)).unwrap(), [1, 1]);
    }

    #[test]
    fn statements_stay_within_the_packet() {
        let values: Vec<Value> = (0..100).map(|_| Value::String("x".repeat(1000))).collect();
        let packet = 10_000 + PACKET_MARGIN as u64;
        let rows = plan(&values, 1, 100, &limits(packet)).unwrap();
        assert_eq!(rows.iter().sum::<usize>(), 100);
        let per_row = row_bound(&values[..1], true);
        assert!(rows.iter().all(|&n| 100 + n * per_row <= 10_000), "{rows:?}");
        assert!(rows.len() >= 10, "{rows:?}");
    }

    #[test]
    fn the_callers_caps_apply() {
        let capped = Limits { max_rows: Some(10), ..limits(16 << 20) };
        assert_eq!(plan(&ints(25), 1, 50, &capped).unwrap(), [10, 10, 5]);
        let small =
            Limits { max_bytes: Some(50 + 3 * row_bound(&[Value::Int(0)], true)), ..limits(16 << 20) };
        assert_eq!(plan(&ints(7), 1, 50, &small).unwrap(), [3, 3, 1]);
    }

    #[test]
    fn a_row_too_big_for_any_statement_is_refused() {
        let values = [Value::Bytes(vec![0; 5000])];
        let err = plan(&values, 1, 50, &limits(4096)).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        assert!(err.message().contains("row 0"), "{err}");
        assert!(err.message().contains("max_allowed_packet 4096"), "{err}");
    }

    #[test]
    fn escaping_is_counted() {
        assert_eq!(escaped_len("ab"), 4);
        assert_eq!(escaped_len("a'\\\n"), 4 + 3 + 2);
    }
}
