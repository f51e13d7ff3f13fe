//! [`PitrUnit`]: the unit of a PITR's range.

use crate::error::{Error, Result};

/// The unit of a PITR range: MatrixOne accepts exactly `'h'`, `'d'`, `'mo'` and `'y'`.
///
/// ```
/// use matrixone::mo::PitrUnit;
/// assert_eq!(PitrUnit::Month.as_str(), "mo");
/// assert_eq!("MO".parse::<PitrUnit>().unwrap(), PitrUnit::Month);
/// assert!("day".parse::<PitrUnit>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PitrUnit {
    /// Hours: `'h'`.
    #[serde(rename = "h")]
    Hour,
    /// Days: `'d'`.
    #[serde(rename = "d")]
    Day,
    /// Months: `'mo'`.
    #[serde(rename = "mo")]
    Month,
    /// Years: `'y'`.
    #[serde(rename = "y")]
    Year,
}

impl PitrUnit {
    /// The server's spelling: `h`, `d`, `mo` or `y`.
    pub fn as_str(self) -> &'static str {
        match self {
            PitrUnit::Hour => "h",
            PitrUnit::Day => "d",
            PitrUnit::Month => "mo",
            PitrUnit::Year => "y",
        }
    }
}

impl std::fmt::Display for PitrUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PitrUnit {
    type Err = Error;

    /// Parses the server's spelling, case-insensitively; anything else (`day`, `hour`, `yy`,
    /// which the server also rejects) is a [`crate::ErrorKind::Decode`] error.
    fn from_str(text: &str) -> Result<PitrUnit> {
        let text = text.trim();
        [PitrUnit::Hour, PitrUnit::Day, PitrUnit::Month, PitrUnit::Year]
            .into_iter()
            .find(|unit| unit.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| Error::decode(format!("unknown PITR unit {text:?}; expected h, d, mo or y")))
    }
}
