//! [`Decode`]: how one column value becomes a Rust value.
//!
//! A decoder chooses by the column's type as the server reported it, never by how the bytes
//! arrived: the same column gives the same value, or the same error, over the text protocol and
//! the binary (prepared) protocol. Lenient where MySQL-family servers differ in the types they
//! report: integers decode from any integer column (signed or not, range-checked), from BIT, from
//! DECIMAL or text without a fraction and from a whole FLOAT/DOUBLE; strings decode from
//! binary-collated text; dates decode from DATETIME columns or from text (MatrixOne's
//! `SHOW SNAPSHOTS` reports its TIMESTAMP as VARCHAR). Anything else is a
//! [`crate::ErrorKind::Decode`] error naming the column.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::mysql::MySqlValueRef;
use sqlx::{TypeInfo as _, ValueRef as _};

use crate::error::{Error, Result};

/// A raw column value of a [`crate::Row`], as handed to [`Decode::decode`].
pub struct RawValue<'r> {
    pub(crate) value: MySqlValueRef<'r>,
    pub(crate) column: &'r str,
}

impl std::fmt::Debug for RawValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawValue").field("column", &self.column).field("type", &self.type_name()).finish()
    }
}

impl<'r> RawValue<'r> {
    /// Whether the value is SQL `NULL`.
    pub fn is_null(&self) -> bool {
        self.value.is_null()
    }

    /// The column's type name as the server reported it, e.g. `BIGINT UNSIGNED` or `VARCHAR`.
    pub fn type_name(&self) -> String {
        self.value.type_info().name().to_owned()
    }

    /// The column's label.
    pub fn column(&self) -> &str {
        self.column
    }

    /// What kind of column this is, from the type the server reported. Decoders choose by family,
    /// never by the bytes' protocol: the same column must decode the same way over the text and
    /// the binary protocol.
    fn family(&self) -> Family {
        family_of(self.value.type_info().name())
    }

    /// The error for a column whose family does not decode into `target`.
    fn mismatch(&self, target: &str) -> Error {
        self.error(format_args!("a {} column does not decode into {target}", self.type_name()))
    }

    fn error(&self, what: impl std::fmt::Display) -> Error {
        Error::decode(format!("column {:?} ({}): {what}", self.column, self.type_name()))
    }

    /// Decodes with sqlx's own decoder, skipping its strict type check; the callers below check
    /// the column type first.
    fn sqlx<T: sqlx::Decode<'r, sqlx::MySql>>(&self) -> Result<T> {
        T::decode(self.value.clone()).map_err(|e| self.error(e))
    }

    fn text(&self) -> Result<&'r str> {
        let bytes: &'r [u8] = self.sqlx()?;
        std::str::from_utf8(bytes).map_err(|e| self.error(e))
    }

    fn parse<T: std::str::FromStr>(&self) -> Result<T>
    where
        T::Err: std::fmt::Display,
    {
        let text = self.text()?;
        text.trim().parse().map_err(|e| self.error(format_args!("{text:?}: {e}")))
    }

    /// The text of a vector column (MatrixOne sends vectors as VARCHAR `[1, 2, 3]`), for
    /// [`crate::Vecf32`] and [`crate::Vecf64`].
    pub(crate) fn vector_text(&self) -> Result<&'r str> {
        self.non_null()?;
        match self.family() {
            Family::Text | Family::Bytes | Family::Other => self.text(),
            _ => Err(self.mismatch("a vector")),
        }
    }

    /// A decode error naming this column, for decoders outside this module.
    pub(crate) fn decode_error(&self, what: impl std::fmt::Display) -> Error {
        self.error(what)
    }

    fn non_null(&self) -> Result<()> {
        if self.is_null() { Err(self.error("unexpected NULL; decode into Option<T>")) } else { Ok(()) }
    }
}

/// Column families, as far as decoding cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// TINYINT .. BIGINT, YEAR, BOOLEAN (TINYINT(1)).
    Int {
        unsigned: bool,
    },
    /// BIT(n): big-endian bytes in both protocols.
    Bit,
    /// FLOAT, DOUBLE.
    Float,
    /// DECIMAL: text in both protocols.
    Decimal,
    /// Character strings, ENUM, SET: text in both protocols.
    Text,
    /// Binary strings and BLOBs (servers also report binary-collated text this way).
    Bytes,
    /// JSON: text in both protocols.
    Json,
    Date,
    Time,
    DateTime,
    /// `SELECT NULL`.
    Null,
    /// Anything else (GEOMETRY, types only some servers send).
    Other,
}

fn family_of(name: &str) -> Family {
    match name {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" | "YEAR" => {
            Family::Int { unsigned: false }
        }
        "TINYINT UNSIGNED" | "SMALLINT UNSIGNED" | "MEDIUMINT UNSIGNED" | "INT UNSIGNED"
        | "BIGINT UNSIGNED" => Family::Int { unsigned: true },
        "BIT" => Family::Bit,
        "FLOAT" | "DOUBLE" => Family::Float,
        "DECIMAL" => Family::Decimal,
        "VARCHAR" | "CHAR" | "TEXT" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT" | "ENUM" | "SET" => Family::Text,
        "VARBINARY" | "BINARY" | "BLOB" | "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" => Family::Bytes,
        "JSON" => Family::Json,
        "DATE" => Family::Date,
        "TIME" => Family::Time,
        "DATETIME" | "TIMESTAMP" => Family::DateTime,
        "NULL" => Family::Null,
        _ => Family::Other,
    }
}

/// A Rust type that one column value decodes into.
///
/// Implemented for integers, floats, `bool`, `String`, `Vec<u8>`, chrono dates and times,
/// `serde_json::Value`, [`Json<T>`], with the crate features `rust_decimal`, `uuid` and `time`
/// for those crates' types, and `Option<T>` of each (which is how NULL is read).
pub trait Decode: Sized {
    /// Decodes `value`, failing with [`crate::ErrorKind::Decode`] when it does not fit.
    fn decode(value: RawValue<'_>) -> Result<Self>;
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        if value.is_null() { Ok(None) } else { T::decode(value).map(Some) }
    }
}

/// An integer column (or BIT) as the widest integer of its signedness.
enum Whole {
    Signed(i64),
    Unsigned(u64),
}

impl RawValue<'_> {
    /// Any column that holds a whole number: integer types, BIT, DECIMAL or text without a
    /// fraction, and FLOAT/DOUBLE holding a whole value (the same in both protocols).
    fn whole(&self, target: &str) -> Result<Whole> {
        match self.family() {
            Family::Int { unsigned: false } => self.sqlx::<i64>().map(Whole::Signed),
            // sqlx's u64 decoder reads BIT's big-endian bytes in both protocols.
            Family::Int { unsigned: true } | Family::Bit => self.sqlx::<u64>().map(Whole::Unsigned),
            Family::Decimal | Family::Text | Family::Bytes => decimal_to_int::<i128>(self).and_then(|v| {
                if let Ok(v) = i64::try_from(v) {
                    Ok(Whole::Signed(v))
                } else {
                    u64::try_from(v)
                        .map(Whole::Unsigned)
                        .map_err(|_| self.error(format_args!("{v} does not fit {target}")))
                }
            }),
            Family::Float => {
                let v: f64 = self.sqlx()?;
                // 2^63 and 2^64 are exact in f64; a whole value below them converts exactly.
                const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
                if v.fract() != 0.0 || !v.is_finite() {
                    Err(self.error(format_args!("{v} is not a whole number")))
                } else if (-TWO_POW_63..TWO_POW_63).contains(&v) {
                    Ok(Whole::Signed(v as i64))
                } else if (0.0..2.0 * TWO_POW_63).contains(&v) {
                    Ok(Whole::Unsigned(v as u64))
                } else {
                    Err(self.error(format_args!("{v} does not fit {target}")))
                }
            }
            _ => Err(self.mismatch(target)),
        }
    }
}

macro_rules! decode_int {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(value: RawValue<'_>) -> Result<Self> {
                value.non_null()?;
                let target = stringify!($t);
                match value.whole(target)? {
                    Whole::Signed(v) => v.try_into().map_err(|_| value.error(format_args!("{v} does not fit {target}"))),
                    Whole::Unsigned(v) => v.try_into().map_err(|_| value.error(format_args!("{v} does not fit {target}"))),
                }
            }
        }
    )*};
}
decode_int!(i8, i16, i32, i64, u8, u16, u32, u64);

/// An integer from a DECIMAL or text column: accepted when it has no fractional part.
fn decimal_to_int<T: std::str::FromStr>(value: &RawValue<'_>) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    let text = value.text()?.trim();
    let whole = match text.split_once('.') {
        Some((whole, frac)) if frac.bytes().all(|b| b == b'0') => whole,
        Some(_) => return Err(value.error(format_args!("{text:?} is not a whole number"))),
        None => text,
    };
    whole.parse().map_err(|e| value.error(format_args!("{text:?}: {e}")))
}

impl Decode for f64 {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        match value.family() {
            Family::Float => value.sqlx(),
            Family::Int { .. } | Family::Bit => match value.whole("f64")? {
                Whole::Signed(v) => Ok(v as f64),
                Whole::Unsigned(v) => Ok(v as f64),
            },
            Family::Decimal | Family::Text | Family::Bytes => value.parse(),
            _ => Err(value.mismatch("f64")),
        }
    }
}

impl Decode for f32 {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        f64::decode(value).map(|v| v as f32)
    }
}

impl Decode for bool {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        match value.family() {
            Family::Int { .. } | Family::Bit => Ok(match value.whole("bool")? {
                Whole::Signed(v) => v != 0,
                Whole::Unsigned(v) => v != 0,
            }),
            Family::Float | Family::Decimal => f64::decode(value).map(|v| v != 0.0),
            Family::Text | Family::Bytes => match value.text()?.trim() {
                "1" | "true" | "TRUE" | "True" => Ok(true),
                "0" | "false" | "FALSE" | "False" => Ok(false),
                other => Err(value.error(format_args!("{other:?} is not a boolean"))),
            },
            _ => Err(value.mismatch("bool")),
        }
    }
}

impl Decode for String {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        match value.family() {
            Family::Text | Family::Bytes | Family::Json | Family::Decimal => value.text().map(str::to_owned),
            _ => Err(value.mismatch("String")),
        }
    }
}

impl Decode for Vec<u8> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        match value.family() {
            // Sent as the same bytes in both protocols.
            Family::Text | Family::Bytes | Family::Json | Family::Decimal | Family::Bit | Family::Other => {
                value.sqlx::<&[u8]>().map(<[u8]>::to_vec)
            }
            _ => Err(value.mismatch("Vec<u8>")),
        }
    }
}

impl Decode for serde_json::Value {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        Json::<serde_json::Value>::decode(value).map(|j| j.0)
    }
}

/// Decodes a JSON column (or text holding JSON) into any `serde` type.
///
/// `#[mo(json)]` on a [`crate::FromRow`] field uses this.
#[derive(Debug, Clone, PartialEq)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> Decode for Json<T> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        if !matches!(value.family(), Family::Json | Family::Text | Family::Bytes) {
            return Err(value.mismatch("JSON"));
        }
        let bytes: &[u8] = value.sqlx()?;
        serde_json::from_slice(bytes).map(Json).map_err(|e| value.error(e))
    }
}

/// Dates, times and date-times: from their own column types, or parsed from text.
macro_rules! decode_chrono {
    ($($t:ty => $family:expr, $parse:expr);* $(;)?) => {$(
        impl Decode for $t {
            fn decode(value: RawValue<'_>) -> Result<Self> {
                value.non_null()?;
                let family = value.family();
                if family == $family {
                    return value.sqlx();
                }
                if !matches!(family, Family::Text | Family::Bytes) {
                    return Err(value.mismatch(stringify!($t)));
                }
                let text = value.text()?.trim();
                let parse: fn(&str) -> Option<$t> = $parse;
                parse(text).ok_or_else(|| value.error(format_args!("{text:?} is not a {}", stringify!($t))))
            }
        }
    )*};
}

decode_chrono! {
    NaiveDate => Family::Date, |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    NaiveTime => Family::Time, |s| NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok();
    NaiveDateTime => Family::DateTime, parse_datetime;
}

impl Decode for DateTime<Utc> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        NaiveDateTime::decode(value).map(|dt| dt.and_utc())
    }
}

/// `YYYY-MM-DD HH:MM:SS` with 0 to 9 fractional digits, or the ISO `T` form.
fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// Read as UTC: the SDK's sessions run with `time_zone = '+00:00'`.
impl Decode for DateTime<chrono::FixedOffset> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        DateTime::<Utc>::decode(value).map(|dt| dt.fixed_offset())
    }
}

#[cfg(feature = "rust_decimal")]
impl Decode for rust_decimal::Decimal {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        match value.family() {
            Family::Decimal | Family::Text | Family::Bytes => value.parse(),
            Family::Int { .. } | Family::Bit => Ok(match value.whole("Decimal")? {
                Whole::Signed(v) => v.into(),
                Whole::Unsigned(v) => v.into(),
            }),
            // A binary float has no exact decimal value to give.
            Family::Float => Err(value.error("a FLOAT/DOUBLE is inexact: CAST it AS DECIMAL in the query")),
            _ => Err(value.mismatch("Decimal")),
        }
    }
}

/// From text (hyphenated or simple) or from 16 bytes (`BINARY(16)`).
#[cfg(feature = "uuid")]
impl Decode for uuid::Uuid {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        if !matches!(value.family(), Family::Text | Family::Bytes | Family::Other) {
            return Err(value.mismatch("Uuid"));
        }
        let bytes: &[u8] = value.sqlx()?;
        if bytes.len() == 16 {
            return uuid::Uuid::from_slice(bytes).map_err(|e| value.error(e));
        }
        let text = value.text()?;
        uuid::Uuid::parse_str(text.trim()).map_err(|e| value.error(format_args!("{text:?}: {e}")))
    }
}

#[cfg(feature = "time")]
mod time_types {
    use super::*;
    use crate::time_compat::{date_from_chrono, datetime_from_chrono, time_from_chrono};

    impl Decode for time::Date {
        fn decode(value: RawValue<'_>) -> Result<Self> {
            date_from_chrono(NaiveDate::decode(value)?)
        }
    }

    impl Decode for time::Time {
        fn decode(value: RawValue<'_>) -> Result<Self> {
            time_from_chrono(NaiveTime::decode(value)?)
        }
    }

    impl Decode for time::PrimitiveDateTime {
        fn decode(value: RawValue<'_>) -> Result<Self> {
            datetime_from_chrono(NaiveDateTime::decode(value)?)
        }
    }

    /// Read as UTC: the SDK's sessions run with `time_zone = '+00:00'`.
    impl Decode for time::OffsetDateTime {
        fn decode(value: RawValue<'_>) -> Result<Self> {
            Ok(datetime_from_chrono(NaiveDateTime::decode(value)?)?.assume_utc())
        }
    }
}
