//! French public holidays (jours fériés, Code du travail L3133-1) for any year: eight fixed dates
//! and three that follow Easter (Monday after Easter, Ascension, Whit Monday). Computed rather
//! than taken from a crate: no well-kept crate covers the French calendar without pulling a
//! date library of its own, and the rule is a dozen lines checked against published dates. The
//! Alsace-Moselle extras (Good Friday, 26 December) are regional and not flagged.

use chrono::{Datelike, Duration, NaiveDate};

/// The holiday's French name when `date` is a national public holiday in France.
pub fn french_public_holiday(date: NaiveDate) -> Option<&'static str> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some("Jour de l'an"),
        (5, 1) => Some("Fête du Travail"),
        (5, 8) => Some("Victoire 1945"),
        (7, 14) => Some("Fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("Armistice 1918"),
        (12, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter_sunday(date.year())?;
    match (date - easter).num_days() {
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        _ => None,
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Every French public holiday of `year`, in date order.
pub fn french_public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    (0..366)
        .map(|n| first + Duration::days(n))
        .filter(|d| d.year() == year)
        .filter_map(|d| french_public_holiday(d).map(|name| (d, name)))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        for (year, month, date) in [
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(year), Some(day(year, month, date)), "{year}");
        }
    }

    #[test]
    fn a_year_has_eleven_holidays_with_the_movable_ones_after_easter() {
        let holidays = french_public_holidays(2027);
        assert_eq!(holidays.len(), 11);
        assert!(holidays.contains(&(day(2027, 3, 29), "Lundi de Pâques")));
        assert!(holidays.contains(&(day(2027, 5, 6), "Ascension")));
        assert!(holidays.contains(&(day(2027, 5, 17), "Lundi de Pentecôte")));
        assert_eq!(
            french_public_holiday(day(2027, 7, 14)),
            Some("Fête nationale")
        );
        assert_eq!(french_public_holiday(day(2027, 7, 15)), None);
    }
}
