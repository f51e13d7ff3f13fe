//! MatrixOne's text form of a vector, in and out.
//!
//! In: `StringToArray` in pkg/container/types/array.go: spaces are removed, the text must be
//! `[` ... `]` with at least one element, elements are split at `,` and parsed as the
//! column's float type; anything else is `internal error: malformed vector input: <text>`.
//! Out: `ArrayToString` in the same file: `[` elements joined by `, ` `]`, each the shortest
//! decimal that reads back as the same float (Go's `FormatFloat(v, 'f', -1, 32|64)`), never
//! with an exponent (array/array.result: `[0.34881967, 0.0028086076, 0.5752134]`). Rust's
//! `Display` for `f32` / `f64` prints exactly that.

use std::fmt::Write as _;

use crate::error::SqlError;

/// MatrixOne's largest vector dimension (`MaxArrayDimension`, array.go).
pub(crate) const MAX_DIMENSION: u32 = 65535;

/// A vector column's element type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Elem {
    /// `vecf32`: 32-bit floats.
    F32,
    /// `vecf64`: 64-bit floats.
    F64,
}

impl Elem {
    /// The type's name in MatrixOne's SQL.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Elem::F32 => "vecf32",
            Elem::F64 => "vecf64",
        }
    }

    /// The element type a type name denotes (`vecf32`, `VECF64`).
    pub(crate) fn from_name(name: &str) -> Option<Elem> {
        match name.to_ascii_lowercase().as_str() {
            "vecf32" => Some(Elem::F32),
            "vecf64" => Some(Elem::F64),
            _ => None,
        }
    }
}

/// MatrixOne's error for text that is not a vector.
pub(crate) fn malformed(text: &str) -> SqlError {
    SqlError::internal(format!("malformed vector input: {text}"))
}

/// MatrixOne's error for a vector of the wrong dimension (`NewArrayDefMismatch`,
/// pkg/common/moerr/error_no_ctx.go; array/array.result).
pub(crate) fn dimension_mismatch(expected: usize, actual: usize) -> SqlError {
    SqlError::invalid_input(format!("expected vector dimension {expected} != actual dimension {actual}."))
}

/// The elements of a vector's text form, as 64-bit floats (each rounded to `f32` first for
/// `vecf32`). NaN and infinities are refused: MatrixOne's vectors do not hold them.
pub(crate) fn parse(text: &str, elem: Elem) -> Result<Vec<f64>, SqlError> {
    let squeezed: String = text.chars().filter(|c| *c != ' ').collect();
    let inner = squeezed
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .filter(|s| !s.is_empty())
        .ok_or_else(|| malformed(text))?;
    let mut out = Vec::with_capacity(inner.len() / 4 + 1);
    for part in inner.split(',') {
        let ok = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
        if !ok {
            return Err(malformed(text));
        }
        let v = match elem {
            Elem::F32 => part.parse::<f32>().map(f64::from).map_err(|_| malformed(text))?,
            Elem::F64 => part.parse::<f64>().map_err(|_| malformed(text))?,
        };
        if !v.is_finite() {
            return Err(malformed(text));
        }
        out.push(v);
    }
    if out.len() > MAX_DIMENSION as usize {
        return Err(SqlError::internal(format!("typeLen is over the MaxVectorLen: {MAX_DIMENSION}")));
    }
    Ok(out)
}

/// MatrixOne's text form of a vector: `[1, 2.5, 0.33333334]`.
pub(crate) fn format(values: &[f64], elem: Elem) -> String {
    let mut out = String::with_capacity(values.len() * 12 + 2);
    out.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // Writing to a String cannot fail.
        let _ = match elem {
            Elem::F32 => write!(out, "{}", *v as f32),
            Elem::F64 => write!(out, "{v}"),
        };
    }
    out.push(']');
    out
}

/// The text as MatrixOne stores and prints it, with the dimension checked when one is given.
pub(crate) fn canonical(text: &str, elem: Elem, dim: Option<usize>) -> Result<String, SqlError> {
    let values = parse(text, elem)?;
    if let Some(d) = dim
        && d != values.len()
    {
        return Err(dimension_mismatch(d, values.len()));
    }
    Ok(format(&values, elem))
}

/// Whether a string literal looks like a vector (`[` first, spaces aside): a function's
/// literal argument is read as a vector only then, and a write statement's table is looked
/// up only when it has one.
pub(crate) fn looks_like_vector(text: &str) -> bool {
    text.trim_start_matches(' ').starts_with('[')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_matches_array_result() {
        // array/array.result: insert "[1,2,3]" -> [1, 2, 3]
        assert_eq!(canonical("[1,2,3]", Elem::F32, Some(3)).unwrap(), "[1, 2, 3]");
        // array/array.result (t7): vecf32 keeps float32's shortest digits
        assert_eq!(
            canonical("[0.8166459, 0.66616553, 0.4886152]", Elem::F32, None).unwrap(),
            "[0.8166459, 0.66616553, 0.4886152]"
        );
        assert_eq!(
            canonical("[0.1, 1e-7, 3.14159265358979]", Elem::F32, None).unwrap(),
            "[0.1, 0.0000001, 3.1415927]"
        );
        assert_eq!(canonical("[0.1, 3.14159265358979]", Elem::F64, None).unwrap(), "[0.1, 3.14159265358979]");
        assert_eq!(canonical("[ -0 , 2e3 ]", Elem::F64, None).unwrap(), "[-0, 2000]");
    }

    #[test]
    fn bad_text_is_refused_as_matrixone_does() {
        // array/array.result: internal error: malformed vector input: [1,2,3
        let e = canonical("[1,2,3", Elem::F32, None).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (20101, "internal error: malformed vector input: [1,2,3"));
        assert!(canonical("1,2,3", Elem::F32, None).is_err());
        assert!(canonical("[]", Elem::F32, None).is_err());
        assert!(canonical("[1,,2]", Elem::F32, None).is_err());
        assert!(canonical("[nan]", Elem::F32, None).is_err());
        assert!(canonical("[1e39]", Elem::F32, None).is_err());
        // array/array.result: invalid input: expected vector dimension 5 != actual dimension 2.
        let e = canonical("[1,2]", Elem::F32, Some(5)).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (20301, "invalid input: expected vector dimension 5 != actual dimension 2.")
        );
    }
}
