//! [`Value`]: a value bound to a `?` placeholder.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::error::{Error, Result};

/// A value bound to a statement's `?` placeholder.
///
/// Built by [`crate::Statement::bind`] from Rust values through `From`; `None` of any supported
/// `Option<T>` becomes [`Value::Null`]. Sent as a prepared-statement argument, or rendered as an
/// escaped literal when prepared statements are off.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// A boolean (`TRUE`/`FALSE`).
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A 32-bit float (never NaN or infinite when sent).
    Float(f32),
    /// A 64-bit float (never NaN or infinite when sent).
    Double(f64),
    /// Text.
    String(String),
    /// Raw bytes, rendered as `X'..'`.
    Bytes(Vec<u8>),
    /// A calendar date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A date and time without a zone.
    DateTime(NaiveDateTime),
    /// A UTC instant; sent as a naive UTC date-time (the SDK's sessions use `time_zone='+00:00'`).
    DateTimeUtc(DateTime<Utc>),
    /// A JSON document, sent as its text.
    Json(serde_json::Value),
    /// An exact decimal number, sent as a DECIMAL (feature `rust_decimal`).
    #[cfg(feature = "rust_decimal")]
    Decimal(rust_decimal::Decimal),
    /// A UUID, sent as its hyphenated text: what a `CHAR(36)` column, MariaDB's `UUID` and
    /// MatrixOne's `UUID` type all read (feature `uuid`). Bind `uuid.as_bytes()` for `BINARY(16)`.
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    /// A MatrixOne `vecf32` vector, always inlined as the literal `'[1,2,3]'` (text protocol).
    Vecf32(crate::Vecf32),
    /// A MatrixOne `vecf64` vector, always inlined as the literal `'[1,2,3]'` (text protocol).
    Vecf64(crate::Vecf64),
}

impl Value {
    /// Whether the value is a vector, which forces the text protocol for its statement.
    pub(crate) fn is_vector(&self) -> bool {
        matches!(self, Value::Vecf32(_) | Value::Vecf64(_))
    }
}

macro_rules! value_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from($v: $t) -> Value { $e }
        }
    )*};
}

value_from! {
    bool => |v| Value::Bool(v),
    i8 => |v| Value::Int(v.into()),
    i16 => |v| Value::Int(v.into()),
    i32 => |v| Value::Int(v.into()),
    i64 => |v| Value::Int(v),
    u8 => |v| Value::UInt(v.into()),
    u16 => |v| Value::UInt(v.into()),
    u32 => |v| Value::UInt(v.into()),
    u64 => |v| Value::UInt(v),
    f32 => |v| Value::Float(v),
    f64 => |v| Value::Double(v),
    String => |v| Value::String(v),
    &str => |v| Value::String(v.to_owned()),
    &String => |v| Value::String(v.clone()),
    char => |v| Value::String(v.to_string()),
    Vec<u8> => |v| Value::Bytes(v),
    &[u8] => |v| Value::Bytes(v.to_vec()),
    NaiveDate => |v| Value::Date(v),
    NaiveTime => |v| Value::Time(v),
    NaiveDateTime => |v| Value::DateTime(v),
    DateTime<Utc> => |v| Value::DateTimeUtc(v),
    DateTime<FixedOffset> => |v| Value::DateTimeUtc(v.with_timezone(&Utc)),
    DateTime<Local> => |v| Value::DateTimeUtc(v.with_timezone(&Utc)),
    serde_json::Value => |v| Value::Json(v),
}

impl<const N: usize> From<&[u8; N]> for Value {
    fn from(v: &[u8; N]) -> Value {
        Value::Bytes(v.to_vec())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(feature = "rust_decimal")]
value_from! { rust_decimal::Decimal => |v| Value::Decimal(v) }

#[cfg(feature = "uuid")]
value_from! { uuid::Uuid => |v| Value::Uuid(v) }

// `time`'s types travel as their chrono twins: same literals, same wire encoding.
#[cfg(feature = "time")]
value_from! {
    time::Date => |v| Value::Date(crate::time_compat::date_to_chrono(v)),
    time::Time => |v| Value::Time(crate::time_compat::time_to_chrono(v)),
    time::PrimitiveDateTime => |v| Value::DateTime(crate::time_compat::datetime_to_chrono(v)),
    time::OffsetDateTime => |v| Value::DateTimeUtc(crate::time_compat::offset_to_chrono(v)),
}

/// A sea-query value the SDK can send, or an [`crate::ErrorKind::InvalidInput`] error naming its
/// type. Never NULL for a value it does not know: Cargo unifies features, so another crate can
/// switch on sea-query value types (`with-bigdecimal`, `with-jiff`, ...) that this crate does not
/// support, and storing those as NULL would lose data silently.
impl TryFrom<sea_query::Value> for Value {
    type Error = Error;

    fn try_from(v: sea_query::Value) -> Result<Value> {
        use sea_query::Value as S;
        Ok(match v {
            S::Bool(v) => v.into(),
            S::TinyInt(v) => v.into(),
            S::SmallInt(v) => v.into(),
            S::Int(v) => v.into(),
            S::BigInt(v) => v.into(),
            S::TinyUnsigned(v) => v.into(),
            S::SmallUnsigned(v) => v.into(),
            S::Unsigned(v) => v.into(),
            S::BigUnsigned(v) => v.into(),
            S::Float(v) => v.into(),
            S::Double(v) => v.into(),
            S::String(v) => v.into(),
            S::Char(v) => v.into(),
            S::Bytes(v) => v.into(),
            S::Json(v) => v.map(|j| *j).into(),
            S::ChronoDate(v) => v.into(),
            S::ChronoTime(v) => v.into(),
            S::ChronoDateTime(v) => v.into(),
            S::ChronoDateTimeUtc(v) => v.into(),
            S::ChronoDateTimeLocal(v) => v.into(),
            S::ChronoDateTimeWithTimeZone(v) => v.into(),
            S::Enum(sea_query::OptionEnum::Some(e)) => Value::String(e.value.into_owned()),
            S::Enum(sea_query::OptionEnum::None(_)) => Value::Null,
            #[cfg(feature = "rust_decimal")]
            S::Decimal(v) => v.into(),
            #[cfg(feature = "uuid")]
            S::Uuid(v) => v.into(),
            #[cfg(feature = "time")]
            S::TimeDate(v) => v.into(),
            #[cfg(feature = "time")]
            S::TimeTime(v) => v.into(),
            #[cfg(feature = "time")]
            S::TimeDateTime(v) => v.into(),
            #[cfg(feature = "time")]
            S::TimeDateTimeWithTimeZone(v) => v.into(),
            #[allow(unreachable_patterns)]
            other => return Err(unsupported(&other)),
        })
    }
}

/// Names the sea-query variant (never the value, which may be a secret) and how to get support.
fn unsupported(value: &sea_query::Value) -> Error {
    let debug = format!("{value:?}");
    let variant = debug.split('(').next().unwrap_or("unknown");
    Error::invalid_input(format!(
        "sea-query value type {variant} is not supported by matrixone (supported: integers, floats, \
         text, bytes, JSON, chrono, and with the crate features `uuid`, `rust_decimal`, `time` \
         those types); nothing was sent"
    ))
}
