//! Conversions between the `time` crate and chrono (feature `time`): the SDK binds and decodes
//! `time` values through their chrono twins, so both share one literal format and one decoder.

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, Timelike as _, Utc};

use crate::error::{Error, Result};

/// `time::Date` and `NaiveDate` cover the same proleptic Gregorian calendar; the years `time`
/// allows (±9999) all fit chrono's, so the conversion cannot fail.
pub(crate) fn date_to_chrono(d: time::Date) -> NaiveDate {
    NaiveDate::from_yo_opt(d.year(), u32::from(d.ordinal())).unwrap_or(NaiveDate::MIN)
}

pub(crate) fn time_to_chrono(t: time::Time) -> NaiveTime {
    NaiveTime::from_hms_nano_opt(
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
        t.nanosecond(),
    )
    .unwrap_or(NaiveTime::MIN)
}

pub(crate) fn datetime_to_chrono(dt: time::PrimitiveDateTime) -> NaiveDateTime {
    date_to_chrono(dt.date()).and_time(time_to_chrono(dt.time()))
}

pub(crate) fn offset_to_chrono(dt: time::OffsetDateTime) -> DateTime<Utc> {
    let utc = dt.to_offset(time::UtcOffset::UTC);
    datetime_to_chrono(time::PrimitiveDateTime::new(utc.date(), utc.time())).and_utc()
}

fn out_of_range(what: impl std::fmt::Display) -> Error {
    Error::decode(format!("{what} is outside the range of the `time` crate"))
}

pub(crate) fn date_from_chrono(d: NaiveDate) -> Result<time::Date> {
    let ordinal = u16::try_from(d.ordinal()).map_err(|_| out_of_range(d))?;
    time::Date::from_ordinal_date(d.year(), ordinal).map_err(|_| out_of_range(d))
}

pub(crate) fn time_from_chrono(t: NaiveTime) -> Result<time::Time> {
    // chrono keeps a leap second as nanoseconds >= 1e9; `time` has none.
    let nanos = t.nanosecond().min(999_999_999);
    let part = |v: u32| u8::try_from(v).map_err(|_| out_of_range(t));
    time::Time::from_hms_nano(part(t.hour())?, part(t.minute())?, part(t.second())?, nanos)
        .map_err(|_| out_of_range(t))
}

pub(crate) fn datetime_from_chrono(dt: NaiveDateTime) -> Result<time::PrimitiveDateTime> {
    Ok(time::PrimitiveDateTime::new(date_from_chrono(dt.date())?, time_from_chrono(dt.time())?))
}
