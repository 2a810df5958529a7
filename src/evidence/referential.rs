//! The referential national qualité as data: `referential.json` (embedded) holds each version
//! with the dates it applies, its criteria and its indicators — number, criterion, wording
//! summary, applicability to the federation's actions de formation and the evidence sources
//! Passerelle has for it. Changing the referential is editing that file, not code.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Deserialize;

/// When an indicator applies to the federation's actions de formation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Always.
    Applies,
    /// Only for trainings longer than two days (V9 ind. 12).
    LongerThanTwoDays,
    /// Only when an external (subcontracted) trainer taught in the period (ind. 27).
    WithSubcontractedTrainer,
    /// Never, for this reason (certification, apprenticeship, work-based periods…).
    NotApplicable(String),
}

/// One criterion.
#[derive(Debug, Clone, Deserialize)]
pub struct Criterion {
    pub number: u8,
    pub title: String,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize)]
pub struct Indicator {
    pub number: u8,
    pub criterion: u8,
    pub summary: String,
    pub applicability: Applicability,
    /// The evidence sources Passerelle computes for it (see `service::sources`).
    pub sources: Vec<String>,
}

/// One version of the referential and the days it applies to (both bounds included).
#[derive(Debug, Clone, Deserialize)]
pub struct Version {
    pub version: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The text it comes from.
    pub source: String,
    pub criteria: Vec<Criterion>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Deserialize)]
struct Referential {
    versions: Vec<Version>,
}

static REFERENTIAL: LazyLock<Vec<Version>> = LazyLock::new(|| {
    match serde_json::from_str::<Referential>(include_str!("referential.json")) {
        Ok(referential) => referential.versions,
        // The file is embedded and parsed by a unit test: this cannot happen in a build that
        // passed its tests.
        Err(error) => panic!("the embedded referential does not parse: {error}"),
    }
});

/// Every version, oldest first.
pub fn versions() -> &'static [Version] {
    &REFERENTIAL
}

/// The versions in force over `from..=to`, each with the part of the period it covers.
pub fn versions_over(
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(&'static Version, NaiveDate, NaiveDate)> {
    versions()
        .iter()
        .filter_map(|v| {
            let start = v.from.map_or(from, |f| f.max(from));
            let end = v.to.map_or(to, |t| t.min(to));
            (start <= end).then_some((v, start, end))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_referential_holds_v9_with_32_indicators_and_v10_with_33_each_in_its_own_criterion() {
        let all = versions();
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].version.as_str(), all[0].indicators.len()),
            ("V9", 32)
        );
        assert_eq!(
            (all[1].version.as_str(), all[1].indicators.len()),
            ("V10", 33)
        );
        for v in all {
            assert_eq!(v.criteria.len(), 7);
            for (i, indicator) in v.indicators.iter().enumerate() {
                assert_eq!(
                    usize::from(indicator.number),
                    i + 1,
                    "{} numbered in order",
                    v.version
                );
                assert!(v.criteria.iter().any(|c| c.number == indicator.criterion));
                let applies = !matches!(indicator.applicability, Applicability::NotApplicable(_));
                assert_eq!(
                    applies,
                    !indicator.sources.is_empty(),
                    "{} ind. {}: an applicable indicator names its sources",
                    v.version,
                    indicator.number
                );
            }
        }
    }

    #[test]
    fn a_period_straddling_the_first_of_november_2026_is_split_between_v9_and_v10() {
        let parts = versions_over(day("2026-10-01"), day("2026-11-30"));
        let named: Vec<(&str, NaiveDate, NaiveDate)> = parts
            .iter()
            .map(|(v, from, to)| (v.version.as_str(), *from, *to))
            .collect();
        assert_eq!(
            named,
            vec![
                ("V9", day("2026-10-01"), day("2026-10-31")),
                ("V10", day("2026-11-01"), day("2026-11-30")),
            ]
        );
        assert_eq!(versions_over(day("2027-01-01"), day("2027-12-31")).len(), 1);
    }

    #[test]
    fn the_applicable_set_for_an_action_de_formation_is_the_guides() {
        let v9 = &versions()[0];
        let applicable: Vec<u8> = v9
            .indicators
            .iter()
            .filter(|i| !matches!(i.applicability, Applicability::NotApplicable(_)))
            .map(|i| i.number)
            .collect();
        assert_eq!(
            applicable,
            vec![
                1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32
            ]
        );
        assert_eq!(
            v9.indicators[11].applicability,
            Applicability::LongerThanTwoDays
        );
        assert_eq!(
            versions()[1].indicators[11].applicability,
            Applicability::Applies
        );
    }
}
