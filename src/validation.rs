//! Field-level validation errors, shared by every context's service.

use std::collections::BTreeMap;

use crate::values::Parse;

/// Problems found in a request, by field name. Empty means valid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Records `message` for `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, else the errors.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    pub fn into_map(self) -> BTreeMap<String, Vec<String>> {
        self.0
    }
}

/// Records what is wrong with the period of days `from..=to` (both included) against `to`: an
/// end before the start, or more than `max_days` from one to the other (`longest` says the
/// limit in words, e.g. "a period of at most a year"). Shared by the reports and exports that
/// take a period.
pub fn check_period(
    errors: &mut FieldErrors,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    max_days: i64,
    longest: &str,
) {
    if to < from {
        errors.add("to", "on or after `from`");
    } else if (to - from).num_days() > max_days {
        errors.add("to", longest);
    }
}

/// Trims a name-like field and checks it is between 1 and `max` characters.
pub fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.add(field, "must not be empty");
    } else if trimmed.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
    trimmed.to_owned()
}

impl FieldErrors {
    /// Parses `raw` as a [`Parse`] value, recording what is wrong against `field`.
    pub fn parse<V: Parse>(&mut self, field: &str, raw: &str) -> Option<V> {
        match V::parse(raw) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_on_or_after_its_start_and_within_its_limit() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2027, 3, d).unwrap_or_default();
        let mut errors = FieldErrors::new();
        check_period(&mut errors, day(1), day(1), 3, "short");
        check_period(&mut errors, day(1), day(4), 3, "short");
        assert!(errors.is_empty());
        check_period(&mut errors, day(2), day(1), 3, "short");
        check_period(&mut errors, day(1), day(5), 3, "short");
        let fields = errors.into_map();
        assert_eq!(fields["to"], vec!["on or after `from`", "short"]);
    }
}
