//! Timestamps as the database stores them: UTC, without offset, to the microsecond
//! (PostgreSQL's precision, so a value reads back exactly as written on both backends).

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Now, in the database's form.
pub(crate) fn now() -> PrimitiveDateTime {
    to_db(OffsetDateTime::now_utc())
}

/// Converts to UTC and drops sub-microsecond digits.
pub(crate) fn to_db(t: OffsetDateTime) -> PrimitiveDateTime {
    let utc = t.checked_to_offset(UtcOffset::UTC).unwrap_or(t);
    let time = utc
        .time()
        .replace_nanosecond(utc.microsecond() * 1_000)
        .unwrap_or(utc.time());
    PrimitiveDateTime::new(utc.date(), time)
}

/// Reads a stored timestamp back as UTC.
pub(crate) fn from_db(t: PrimitiveDateTime) -> OffsetDateTime {
    t.assume_utc()
}

/// The end of a permanent ban: the last second of year 9999.
pub(crate) fn forever() -> PrimitiveDateTime {
    let date = Date::from_calendar_date(9999, Month::December, 31).unwrap_or(Date::MAX);
    let time = Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT);
    PrimitiveDateTime::new(date, time)
}

/// `now + duration`, saturating at [`forever`] instead of overflowing.
pub(crate) fn after(now: PrimitiveDateTime, duration: std::time::Duration) -> PrimitiveDateTime {
    time::Duration::try_from(duration)
        .ok()
        .and_then(|d| now.checked_add(d))
        .map_or_else(forever, |t| t.min(forever()))
}
