//! [`Vecf32`] and [`Vecf64`]: MatrixOne's `vecf32(n)` and `vecf64(n)` values.
//!
//! On the wire MatrixOne sends a vector column as VARCHAR text `[1, 2, 3]`
//! (pkg/frontend/mysql_cmd_executor.go sends vector types as `MYSQL_TYPE_VARCHAR`; the text form
//! is in test/distributed/cases/array/array.result). A bound vector goes as the string literal
//! `'[1,2,3]'` inlined in the text protocol, whatever the binding mode: MatrixOne's prepared path
//! has lost vector parameters. NaN and infinities have no text form MatrixOne accepts and are
//! refused before anything is sent.
//!
//! Encoding writes each element with a shortest round-trip float formatter into one buffer;
//! decoding parses the text in place, one allocation per vector and none per element.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::{Decode, RawValue};
use crate::error::{Error, Result};
use crate::sql::{EscapeMode, push_string_literal};

macro_rules! vector_type {
    ($name:ident, $elem:ty, $sql:literal, $variant:ident) => {
        #[doc = concat!("A MatrixOne `", $sql, "(n)` vector: `n` `", stringify!($elem), "` elements.")]
        ///
        /// Bind it with [`crate::Statement::bind`], read it in a `#[derive(FromRow)]` field or
        /// with [`crate::Row::get`], serialize it with serde (as a sequence of numbers).
        ///
        /// ```
        #[doc = concat!("use matrixone::", stringify!($name), ";")]
        #[doc = concat!("let v = ", stringify!($name), "::from(vec![1.0, 2.5, -3.0]);")]
        /// assert_eq!(v.dims(), 3);
        /// assert_eq!(v.as_slice(), &[1.0, 2.5, -3.0]);
        /// assert_eq!(v.to_text().unwrap(), "[1,2.5,-3]");
        #[doc = concat!("assert_eq!(\"[1, 2.5, -3]\".parse::<", stringify!($name), ">().unwrap(), v);")]
        /// ```
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name(Vec<$elem>);

        impl $name {
            /// A vector of these elements.
            pub fn new(elements: Vec<$elem>) -> Self {
                $name(elements)
            }

            /// The elements.
            pub fn as_slice(&self) -> &[$elem] {
                &self.0
            }

            /// The number of elements (the `n` of the column type).
            pub fn dims(&self) -> usize {
                self.0.len()
            }

            /// The elements, by value.
            pub fn into_vec(self) -> Vec<$elem> {
                self.0
            }

            /// Fails with [`crate::ErrorKind::InvalidInput`] when an element is NaN or infinite:
            /// SQL has no literal for them and MatrixOne refuses them.
            ///
            /// ```
            #[doc = concat!("use matrixone::", stringify!($name), ";")]
            #[doc = concat!("assert!(", stringify!($name), "::from(vec![1.0, 2.0]).check_finite().is_ok());")]
            #[doc = concat!("assert!(", stringify!($name), "::from(vec![1.0, ", stringify!($elem), "::NAN]).check_finite().is_err());")]
            /// ```
            pub fn check_finite(&self) -> Result<()> {
                match self.0.iter().position(|v| !v.is_finite()) {
                    None => Ok(()),
                    Some(at) => Err(Error::invalid_input(format!(
                        "{} element {at} is {}; vectors take finite numbers only, nothing was sent",
                        $sql, self.0[at]
                    ))),
                }
            }

            /// Appends MatrixOne's text form `[1,2.5,-3]` to `out` (a buffer the caller may
            /// reuse); refuses NaN and infinities, leaving `out` as it was.
            ///
            /// ```
            #[doc = concat!("use matrixone::", stringify!($name), ";")]
            /// let mut buf = String::new();
            #[doc = concat!(stringify!($name), "::from(vec![0.5, 1e-7]).encode_into(&mut buf).unwrap();")]
            /// assert_eq!(buf, "[0.5,1e-7]");
            /// ```
            pub fn encode_into(&self, out: &mut String) -> Result<()> {
                self.check_finite()?;
                out.reserve(self.0.len() * 12 + 2);
                out.push('[');
                let mut buffer = zmij::Buffer::new();
                for (i, v) in self.0.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let text = buffer.format_finite(*v);
                    // `1.0` is sent as `1`: shorter, and read back the same.
                    out.push_str(text.strip_suffix(".0").unwrap_or(text));
                }
                out.push(']');
                Ok(())
            }

            /// MatrixOne's text form, `[1,2.5,-3]`; see [`Self::encode_into`].
            pub fn to_text(&self) -> Result<String> {
                let mut out = String::new();
                self.encode_into(&mut out)?;
                Ok(out)
            }

            /// The string literal `'[1,2.5,-3]'`, the same in both backslash modes (the text has
            /// no quote or backslash), through the audited escaping of [`crate::sql`].
            ///
            /// ```
            #[doc = concat!("use matrixone::", stringify!($name), ";")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from(vec![1.0, 2.0]).to_literal().unwrap(), \"'[1,2]'\");")]
            /// ```
            pub fn to_literal(&self) -> Result<String> {
                let text = self.to_text()?;
                let mut out = String::with_capacity(text.len() + 2);
                push_string_literal(&mut out, &text, EscapeMode::NoBackslash);
                Ok(out)
            }

            /// The vector as a sea-query expression (its literal inlined in the SQL text), to use
            /// with the functions of [`crate::mo::vector`] or anywhere sea-query takes an
            /// expression.
            ///
            /// ```
            /// use sea_query::{MysqlQueryBuilder, Query};
            #[doc = concat!("use matrixone::", stringify!($name), ";")]
            #[doc = concat!("let q = Query::select().expr(", stringify!($name), "::from(vec![1.0, 2.0]).expr().unwrap()).to_string(MysqlQueryBuilder);")]
            /// assert_eq!(q, "SELECT '[1,2]'");
            /// ```
            pub fn expr(&self) -> Result<sea_query::Expr> {
                Ok(sea_query::Expr::cust(self.to_literal()?))
            }

            /// Parses MatrixOne's text form `[1, 2, 3]` (spaces optional; `[]` is empty).
            pub fn parse_text(text: &str) -> Result<Self> {
                let inner = text
                    .trim()
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .ok_or_else(|| bad_text($sql, text))?;
                if inner.trim().is_empty() {
                    return Ok($name(Vec::new()));
                }
                let mut out = Vec::with_capacity(inner.bytes().filter(|&b| b == b',').count() + 1);
                for part in inner.split(',') {
                    out.push(part.trim_ascii().parse::<$elem>().map_err(|_| bad_text($sql, text))?);
                }
                Ok($name(out))
            }
        }

        impl From<Vec<$elem>> for $name {
            fn from(v: Vec<$elem>) -> Self {
                $name(v)
            }
        }

        impl From<&[$elem]> for $name {
            fn from(v: &[$elem]) -> Self {
                $name(v.to_vec())
            }
        }

        impl<const N: usize> From<[$elem; N]> for $name {
            fn from(v: [$elem; N]) -> Self {
                $name(v.to_vec())
            }
        }

        impl From<$name> for Vec<$elem> {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = [$elem];
            fn deref(&self) -> &[$elem] {
                &self.0
            }
        }

        impl AsRef<[$elem]> for $name {
            fn as_ref(&self) -> &[$elem] {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse_text(s)
            }
        }

        impl fmt::Display for $name {
            /// The text form; non-finite elements are shown as Rust prints them.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.to_text() {
                    Ok(text) => f.write_str(&text),
                    Err(_) => write!(f, "{:?}", self.0),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                Vec::<$elem>::deserialize(d).map($name)
            }
        }

        impl From<$name> for crate::Value {
            fn from(v: $name) -> crate::Value {
                crate::Value::$variant(v)
            }
        }

        impl From<&$name> for crate::Value {
            fn from(v: &$name) -> crate::Value {
                crate::Value::$variant(v.clone())
            }
        }

        impl Decode for $name {
            fn decode(value: RawValue<'_>) -> Result<Self> {
                let text = value.vector_text()?;
                Self::parse_text(text).map_err(|e| value.decode_error(e.message()))
            }
        }
    };
}

vector_type!(Vecf32, f32, "vecf32", Vecf32);
vector_type!(Vecf64, f64, "vecf64", Vecf64);

fn bad_text(sql: &str, text: &str) -> Error {
    let shown: String = text.chars().take(64).collect();
    Error::decode(format!("{shown:?} is not a {sql} in MatrixOne's text form [a, b, ...]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_exactly() {
        let v = Vecf32::from(vec![0.1, -2.5e-8, 3.4028235e38, 1.0, 0.0, -0.0, 123456.79]);
        let text = v.to_text().unwrap();
        assert_eq!(Vecf32::parse_text(&text).unwrap(), v);
        let w = Vecf64::from(vec![0.1, 1e-300, -7.0, std::f64::consts::PI]);
        assert_eq!(Vecf64::parse_text(&w.to_text().unwrap()).unwrap(), w);
    }

    #[test]
    fn server_text_forms_parse() {
        assert_eq!(Vecf32::parse_text("[1, 2, 3]").unwrap().as_slice(), &[1.0, 2.0, 3.0]);
        assert_eq!(Vecf32::parse_text(" [ 1 ,2] ").unwrap().as_slice(), &[1.0, 2.0]);
        assert_eq!(Vecf32::parse_text("[]").unwrap().dims(), 0);
        for bad in ["1, 2", "[1, x]", "[1,,2]", "", "[1, 2"] {
            assert!(Vecf32::parse_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn non_finite_is_refused() {
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let v = Vecf32::from(vec![1.0, bad]);
            let mut buf = String::from("keep");
            let err = v.encode_into(&mut buf).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
            assert_eq!(buf, "keep");
            assert!(v.expr().is_err());
        }
    }

    #[test]
    fn serde_is_a_sequence() {
        let v = Vecf32::from(vec![1.0, 2.5]);
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1.0,2.5]");
        let back: Vecf32 = serde_json::from_str("[1.0,2.5]").unwrap();
        assert_eq!(back, v);
    }
}
