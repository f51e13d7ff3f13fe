//! Timestamps: nanoseconds since the epoch (MatrixOne's `ts`), their UTC text, and the
//! MariaDB expression that names the same instant in `FOR SYSTEM_TIME AS OF`.

use crate::error::SqlError;
use crate::wire::backend::{Backend, cell};

const NANOS: i128 = 1_000_000_000;

/// The backend's current time, in nanoseconds since the epoch (microsecond resolution).
pub(crate) async fn now_ns(b: &mut Backend) -> Result<i128, SqlError> {
    let rows = b.query("SELECT UNIX_TIMESTAMP(NOW(6))").await?;
    let text = rows.rows.first().map(|r| cell(r, 0)).unwrap_or_default();
    parse_decimal_seconds(&text)
        .ok_or_else(|| SqlError::internal(format!("unexpected backend clock value {text}")))
}

/// Parses `1764000000.123456` into nanoseconds.
fn parse_decimal_seconds(s: &str) -> Option<i128> {
    let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i128 = secs.parse().ok()?;
    let mut digits = frac.to_owned();
    digits.truncate(9);
    while digits.len() < 9 {
        digits.push('0');
    }
    Some(secs * NANOS + digits.parse::<i128>().ok()?)
}

/// A MariaDB expression for the instant `ns`, valid in `FOR SYSTEM_TIME AS OF TIMESTAMP`.
///
/// `FROM_UNIXTIME` yields the instant in the session time zone, and `AS OF` reads its
/// argument in that same zone, so the pair names the right instant whatever the client set.
/// `None` means "now": the instant is past what MariaDB 10.11 can express (2038), and every
/// row version visible then is the current one anyway.
pub(crate) fn as_of_expr(ns: i128) -> Option<String> {
    let secs = ns.div_euclid(NANOS);
    if secs > i128::from(i32::MAX) {
        return None;
    }
    let micros = ns.rem_euclid(NANOS) / 1000;
    Some(format!("FROM_UNIXTIME({secs}.{micros:06})"))
}

/// ` FOR SYSTEM_TIME AS OF TIMESTAMP ...` for `ns`, or nothing when that is "now".
pub(crate) fn as_of_clause(ns: i128) -> String {
    as_of_expr(ns).map(|e| format!(" FOR SYSTEM_TIME AS OF TIMESTAMP {e}")).unwrap_or_default()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm);
/// `None` when the count does not fit an i64.
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

/// The date of a day count since 1970-01-01; `None` past the i64 range.
fn civil_from_days(z: i64) -> Option<(i64, i64, i64)> {
    let z = z.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = era.checked_mul(400)?.checked_add(yoe)?;
    Some((if m <= 2 { y.checked_add(1)? } else { y }, m, d))
}

/// `2006-01-02 15:04:05.999999999` in UTC with trailing zeros trimmed, as MatrixOne's
/// `CAST_NANO_TO_TIMESTAMP` prints it (reference §1c).
pub(crate) fn format_utc(ns: i128) -> String {
    let secs = ns.div_euclid(NANOS);
    let frac = ns.rem_euclid(NANOS);
    let sod = secs.rem_euclid(86_400);
    let date = i64::try_from(secs.div_euclid(86_400)).ok().and_then(civil_from_days);
    // Only instants mosim read from its own clock get here; keep a far-off one printable.
    let Some((y, m, d)) = date else { return ns.to_string() };
    let mut out = format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", sod / 3600, sod / 60 % 60, sod % 60);
    if frac != 0 {
        let f = format!("{frac:09}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fffffffff]` as UTC; `exact` forbids the fraction
/// (the PITR restore format, reference §5a). `None` for anything MatrixOne refuses.
///
/// MatrixOne reads both with Go's `time.Parse` and the layouts `2006-01-02 15:04:05[.999999999]`
/// (`ResolveTsHint` in pkg/sql/plan/query_builder.go, `doRestorePitr` in pkg/frontend/pitr.go),
/// whose year is exactly four digits: a longer year is an invalid timestamp there, and the
/// callers answer with MatrixOne's `invalid timestamp value` / parse error texts.
pub(crate) fn parse_utc(s: &str, exact: bool) -> Option<i128> {
    let s = s.trim();
    let (date, time) = s.split_once(' ')?;
    if date.split('-').next().is_none_or(|y| y.len() != 4) {
        return None;
    }
    let mut dp = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, mo, d) = (dp.next()??, dp.next()??, dp.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    if exact && !frac.is_empty() {
        return None;
    }
    let mut tp = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, se) = (tp.next()??, tp.next()??, tp.next()??);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_ns: i128 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    // Checked: a huge year would overflow the day and second counts.
    let secs = days_from_civil(y, mo, d)?.checked_mul(86_400)?.checked_add(h * 3600 + mi * 60 + se)?;
    Some(i128::from(secs) * NANOS + frac_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_utc_text() {
        let ns = parse_utc("2026-07-27 03:59:42.93179401", false).unwrap();
        assert_eq!(format_utc(ns), "2026-07-27 03:59:42.93179401");
        assert_eq!(format_utc(parse_utc("1970-01-01 00:00:00", true).unwrap()), "1970-01-01 00:00:00");
        assert_eq!(parse_utc("2024-02-29 00:00:01", true), Some(1_709_164_801 * NANOS));
        assert!(parse_utc("2024-02-29 00:00:01.5", true).is_none());
        assert_eq!(parse_decimal_seconds("12.5"), Some(12 * NANOS + 500_000_000));
        assert_eq!(as_of_expr(12 * NANOS + 500_000_000).unwrap(), "FROM_UNIXTIME(12.500000)");
    }

    #[test]
    fn out_of_range_times_are_refused_not_overflowed() {
        assert_eq!(parse_utc("999999999999-01-01 00:00:00", false), None);
        assert_eq!(parse_utc("9223372036854775807-12-31 23:59:59", true), None);
        assert_eq!(days_from_civil(i64::MAX, 12, 31), None);
        assert_eq!(days_from_civil(i64::MIN, 1, 1), None);
        assert_eq!(civil_from_days(i64::MAX), None);
        assert!(parse_utc("9999-12-31 23:59:59.999999999", false).is_some());
        assert_eq!(
            format_utc(i128::from(i64::MAX) * NANOS * 86_400),
            (i128::from(i64::MAX) * NANOS * 86_400).to_string()
        );
    }
}
