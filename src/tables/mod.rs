//! Tables administrators download (BPF, registers, lists): one shape, written as CSV or XLSX.
//!
//! The CSV is what French spreadsheet software opens without an import dialog: UTF-8 with a byte
//! order mark, `;` between fields, a decimal comma. The XLSX (rust_xlsxwriter, its constant-memory
//! mode: rows go to a temporary file as they are written) has real numbers, dates and a bold
//! header row. Column headers are French; times are local: Europe/Paris by default, or the zone
//! the caller names ([`Cell::at`]: a session's own zone).

mod csv_file;
mod xlsx_file;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Europe::Paris;
use chrono_tz::Tz;
use uuid::Uuid;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A decimal figure (hours, percentages), written with two decimals at most.
    Decimal(f64),
    /// An amount in cents, written in euros.
    Money(i64),
    Day(NaiveDate),
    /// A local date and time.
    Time(NaiveDateTime),
    /// A local time of day (`09:00`).
    Hour(NaiveTime),
}

impl Cell {
    /// An instant, as its local date and time in `zone`.
    pub fn at(instant: DateTime<Utc>, zone: Tz) -> Self {
        Self::Time(instant.with_timezone(&zone).naive_local())
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<NaiveDate> for Cell {
    fn from(value: NaiveDate) -> Self {
        Self::Day(value)
    }
}

impl From<NaiveDateTime> for Cell {
    fn from(value: NaiveDateTime) -> Self {
        Self::Time(value)
    }
}

/// An instant, as its local (Europe/Paris) date and time.
impl From<DateTime<Utc>> for Cell {
    fn from(value: DateTime<Utc>) -> Self {
        Self::at(value, Paris)
    }
}

impl From<NaiveTime> for Cell {
    fn from(value: NaiveTime) -> Self {
        Self::Hour(value)
    }
}

impl From<Uuid> for Cell {
    fn from(value: Uuid) -> Self {
        Self::Text(value.to_string())
    }
}

impl From<bool> for Cell {
    /// `oui` or `non`.
    fn from(value: bool) -> Self {
        Self::Text(if value { "oui" } else { "non" }.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Empty, Into::into)
    }
}

/// A sheet: a name, French headers, rows of the same width.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name in the workbook (at most 31 characters) and the file's stem.
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: &str, headers: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; a short one is padded with empty cells.
    pub fn push(&mut self, mut row: Vec<Cell>) {
        row.resize(self.headers.len(), Cell::Empty);
        self.rows.push(row);
    }

    /// The table as CSV bytes.
    pub fn to_csv(&self) -> Vec<u8> {
        csv_file::write(self)
    }

    /// The table as an XLSX workbook.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, TableError> {
        xlsx_file::write(self)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the workbook could not be written: {0}")]
pub struct TableError(String);

/// A decimal as the French write it: `3,5`, `12`, `0,25`.
pub(crate) fn french_decimal(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_decimals_keep_only_the_digits_that_matter() {
        assert_eq!(french_decimal(3.5), "3,5");
        assert_eq!(french_decimal(12.0), "12");
        assert_eq!(french_decimal(0.25), "0,25");
        assert_eq!(french_decimal(-1.005), "-1");
    }

    #[test]
    fn an_instant_is_shown_in_the_zone_asked_for() {
        let instant = DateTime::parse_from_rfc3339("2027-03-08T09:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let day = NaiveDate::from_ymd_opt(2027, 3, 8).unwrap_or_default();
        let paris = day.and_hms_opt(10, 0, 0).unwrap_or_default();
        let lome = day.and_hms_opt(9, 0, 0).unwrap_or_default();
        assert_eq!(Cell::from(instant), Cell::Time(paris));
        assert_eq!(Cell::at(instant, chrono_tz::Africa::Lome), Cell::Time(lome));
    }
}
