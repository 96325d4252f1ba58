//! How a due date is stored. Outside the store "no due date" is [`NaiveDate::MAX`]
//! ([`crate::due_key`]); in the database it is 9999-12-31, which both backends can store and
//! sort: SQLite compares dates as text, where `+262142-12-31` (MAX) would sort before every
//! real date. Later dates are clamped to it, so an asset without a deadline still sorts after
//! every asset with one.

use chrono::NaiveDate;

pub(crate) const NONE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("9999-12-31 is a date"),
};

pub(crate) fn to_stored(due: NaiveDate) -> NaiveDate {
    due.min(NONE)
}

pub(crate) fn from_stored(due: NaiveDate) -> Option<NaiveDate> {
    (due < NONE).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_due_date_is_stored_as_the_last_day_of_9999_and_read_back() {
        assert_eq!(to_stored(NaiveDate::MAX), NONE);
        assert_eq!(from_stored(to_stored(NaiveDate::MAX)), None);
        assert_eq!(crate::due_key(from_stored(NONE)), NaiveDate::MAX);
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a valid date");
        assert_eq!(to_stored(day), day);
        assert_eq!(from_stored(day), Some(day));
    }
}
