//! [`PitrTimestamp`]: the point in time a PITR restore goes back to.

use chrono::{Datelike, NaiveDateTime, Timelike};

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;

/// The point in time of `RESTORE ... FROM PITR p 'YYYY-MM-DD HH:MM:SS'`.
///
/// MatrixOne parses it with exactly that layout (no fractional seconds) in the **server
/// process's local time zone**, not the session's. Built from a [`NaiveDateTime`] (fractional
/// seconds are truncated: the server's precision is one second) or from a string, which must
/// have exactly that layout and be a real date and time; anything else is an
/// [`crate::ErrorKind::InvalidInput`] error when the statement renders.
///
/// ```
/// use matrixone::mo::PitrTimestamp;
/// assert_eq!(PitrTimestamp::from("2026-01-02 03:04:05").to_sql().unwrap(), "'2026-01-02 03:04:05'");
/// assert!(PitrTimestamp::from("2026-01-02").to_sql().is_err());
/// assert!(PitrTimestamp::from("2026-01-02 03:04:05.123").to_sql().is_err());
/// assert!(PitrTimestamp::from("2026-13-02 03:04:05").to_sql().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PitrTimestamp(Form);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Form {
    Text(String),
    DateTime(NaiveDateTime),
}

const LAYOUT: &str = "%Y-%m-%d %H:%M:%S";

impl PitrTimestamp {
    /// The validated `YYYY-MM-DD HH:MM:SS` text.
    pub fn as_text(&self) -> Result<String> {
        match &self.0 {
            Form::Text(text) => {
                let shape_ok = text.len() == 19
                    && text.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        10 => b == b' ',
                        13 | 16 => b == b':',
                        _ => b.is_ascii_digit(),
                    });
                if !shape_ok || NaiveDateTime::parse_from_str(text, LAYOUT).is_err() {
                    return Err(Error::invalid_input(format!(
                        "PITR timestamp {text:?} is not a valid 'YYYY-MM-DD HH:MM:SS'"
                    )));
                }
                Ok(text.clone())
            }
            Form::DateTime(dt) => {
                if !(0..=9999).contains(&dt.year()) {
                    return Err(Error::invalid_input(format!(
                        "PITR timestamp {dt} is outside the years 0000 to 9999"
                    )));
                }
                let dt = dt.with_nanosecond(0).unwrap_or(*dt);
                Ok(dt.format(LAYOUT).to_string())
            }
        }
    }

    /// The quoted SQL literal, `'YYYY-MM-DD HH:MM:SS'`.
    pub fn to_sql(&self) -> Result<String> {
        mode_independent_literal(&self.as_text()?)
    }
}

impl From<&str> for PitrTimestamp {
    fn from(text: &str) -> PitrTimestamp {
        PitrTimestamp(Form::Text(text.to_owned()))
    }
}

impl From<String> for PitrTimestamp {
    fn from(text: String) -> PitrTimestamp {
        PitrTimestamp(Form::Text(text))
    }
}

impl From<&String> for PitrTimestamp {
    fn from(text: &String) -> PitrTimestamp {
        PitrTimestamp(Form::Text(text.clone()))
    }
}

impl From<NaiveDateTime> for PitrTimestamp {
    fn from(dt: NaiveDateTime) -> PitrTimestamp {
        PitrTimestamp(Form::DateTime(dt))
    }
}
