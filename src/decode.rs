//! [`Decode`]: how one column value becomes a Rust value.
//!
//! Lenient where MySQL-family servers differ in the types they report: integers decode from any
//! integer column (signed or not, range-checked), from DECIMAL and from text; strings decode from
//! binary-collated text; dates decode from DATETIME columns or from text (MatrixOne's
//! `SHOW SNAPSHOTS` reports its TIMESTAMP as VARCHAR).

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

    fn is_unsigned(&self) -> bool {
        self.value.type_info().name().ends_with("UNSIGNED")
    }

    fn type_is(&self, names: &[&str]) -> bool {
        let info = self.value.type_info();
        names.contains(&info.name())
    }

    /// Whether the server sends this column as text in both protocols.
    fn is_textual(&self) -> bool {
        self.type_is(&[
            "VARCHAR",
            "CHAR",
            "TEXT",
            "TINYTEXT",
            "MEDIUMTEXT",
            "LONGTEXT",
            "VARBINARY",
            "BINARY",
            "BLOB",
            "TINYBLOB",
            "MEDIUMBLOB",
            "LONGBLOB",
            "ENUM",
            "SET",
            "JSON",
            "DECIMAL",
        ])
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

    fn non_null(&self) -> Result<()> {
        if self.is_null() { Err(self.error("unexpected NULL; decode into Option<T>")) } else { Ok(()) }
    }
}

/// A Rust type that one column value decodes into.
///
/// Implemented for integers, floats, `bool`, `String`, `Vec<u8>`, chrono dates and times,
/// `serde_json::Value`, [`Json<T>`], and `Option<T>` of each (which is how NULL is read).
pub trait Decode: Sized {
    /// Decodes `value`, failing with [`crate::ErrorKind::Decode`] when it does not fit.
    fn decode(value: RawValue<'_>) -> Result<Self>;
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        if value.is_null() { Ok(None) } else { T::decode(value).map(Some) }
    }
}

macro_rules! decode_int {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(value: RawValue<'_>) -> Result<Self> {
                value.non_null()?;
                if value.is_textual() {
                    return decimal_to_int(&value);
                }
                if value.is_unsigned() {
                    let v: u64 = value.sqlx()?;
                    v.try_into().map_err(|_| value.error(format_args!("{v} does not fit {}", stringify!($t))))
                } else {
                    let v: i64 = value.sqlx()?;
                    v.try_into().map_err(|_| value.error(format_args!("{v} does not fit {}", stringify!($t))))
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
        if value.is_textual() {
            value.parse()
        } else if value.type_is(&["FLOAT", "DOUBLE"]) {
            value.sqlx()
        } else {
            i64::decode(value).map(|v| v as f64)
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
        if value.type_is(&["DECIMAL"]) || !value.is_textual() {
            return i64::decode(value).map(|v| v != 0);
        }
        match value.text()?.trim() {
            "1" | "true" | "TRUE" | "True" => Ok(true),
            "0" | "false" | "FALSE" | "False" => Ok(false),
            other => Err(value.error(format_args!("{other:?} is not a boolean"))),
        }
    }
}

impl Decode for String {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        if !value.is_textual() && !value.type_is(&["NULL"]) {
            return Err(value.error("a non-text column does not decode into String"));
        }
        value.text().map(str::to_owned)
    }
}

impl Decode for Vec<u8> {
    fn decode(value: RawValue<'_>) -> Result<Self> {
        value.non_null()?;
        value.sqlx::<&[u8]>().map(<[u8]>::to_vec)
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
        let bytes: &[u8] = value.sqlx()?;
        serde_json::from_slice(bytes).map(Json).map_err(|e| value.error(e))
    }
}

/// Dates, times and date-times: from their own column types, or parsed from text.
macro_rules! decode_chrono {
    ($($t:ty => $types:expr, $parse:expr);* $(;)?) => {$(
        impl Decode for $t {
            fn decode(value: RawValue<'_>) -> Result<Self> {
                value.non_null()?;
                if value.type_is($types) {
                    return value.sqlx();
                }
                let text = value.text()?.trim();
                let parse: fn(&str) -> Option<$t> = $parse;
                parse(text).ok_or_else(|| value.error(format_args!("{text:?} is not a {}", stringify!($t))))
            }
        }
    )*};
}

decode_chrono! {
    NaiveDate => &["DATE"], |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    NaiveTime => &["TIME"], |s| NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok();
    NaiveDateTime => &["DATETIME", "TIMESTAMP"], parse_datetime;
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
