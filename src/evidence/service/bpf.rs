//! The bilan pédagogique et financier (BPF, cerfa 10443*17) of a calendar year, from the
//! half-days attended in it (`sources::attended`): trainees and hours by trainee type (F-1),
//! general objective (F-3) and NSF speciality (F-4), income by funding source (C), internal and
//! external trainers' hours (E). What the records do not say is listed as missing, each linked
//! to the record to complete; nothing is guessed.

mod lines;

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::sources::attended::{self, HeldSession};
use super::{EvidenceError, Result};
use crate::catalogue::model::{TrainerKind, Training};
use crate::catalogue::service as catalogue;
use crate::enrolment::model::FundingSource;
use crate::principal::Principal;
use crate::tables::french_decimal;

pub use lines::{C as C_LINES, F1 as F1_LINES, F3 as F3_LINES, LineDef, nsf_label};

/// The years a BPF can be asked for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Trainees and their hours on one line of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: &'static str,
    pub label: &'static str,
    /// Distinct trainees with attended time on the line.
    pub trainees: u64,
    /// Minutes attended (hours-trainee × 60).
    pub minutes: i64,
}

/// F-4: one NSF speciality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speciality {
    pub nsf_code: String,
    pub label: Option<&'static str>,
    pub trainees: u64,
    pub minutes: i64,
}

/// C: income from one kind of funder, in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Income {
    pub source: FundingSource,
    pub line: &'static str,
    pub label: &'static str,
    pub amount_cents: i64,
}

/// E: trainers of one kind and the hours of the half-days they taught.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainerHours {
    pub trainers: u64,
    pub minutes: i64,
}

/// A figure the records do not allow, with the record to complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `F-3`, `F-4`, `C` or `E`.
    pub figure: &'static str,
    /// `training`, `enrolment`, `trainer` or `session`.
    pub record: &'static str,
    pub id: Uuid,
    pub href: String,
    /// What is missing and what it leaves out, in French.
    pub reason: String,
}

/// The BPF of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bpf {
    pub year: i32,
    pub trainees: u64,
    pub minutes: i64,
    pub f1: Vec<Line>,
    pub f3: Vec<Line>,
    pub f4: Vec<Speciality>,
    pub c: Vec<Income>,
    pub internal: TrainerHours,
    pub external: TrainerHours,
    pub missing: Vec<Missing>,
}

impl Bpf {
    /// Every figure could be computed.
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Hours with two decimals at most (what the form takes).
pub fn hours(minutes: i64) -> f64 {
    (minutes as f64 * 100.0 / 60.0).round() / 100.0
}

/// The BPF of `year`, for administrators; everyone else is told it does not exist.
pub async fn bpf(db: &impl ConnectionTrait, principal: &Principal, year: i32) -> Result<Bpf> {
    if !principal.is_admin() {
        return Err(EvidenceError::NotFound);
    }
    if !YEARS.contains(&year) {
        return Err(EvidenceError::invalid(
            "year",
            "a calendar year between 2000 and 2100",
        ));
    }
    let held = attended::held_in(db, year).await?;
    let mut missing = Vec::new();
    let mut bpf = Bpf {
        year,
        trainees: 0,
        minutes: 0,
        f1: Vec::new(),
        f3: Vec::new(),
        f4: Vec::new(),
        c: income(&held, year, &mut missing),
        internal: TrainerHours::default(),
        external: TrainerHours::default(),
        missing: Vec::new(),
    };
    trainees(&held, &mut bpf, &mut missing);
    (bpf.internal, bpf.external) = trainers(db, &held, &mut missing).await?;
    missing.sort_by(|a, b| (a.figure, &a.href).cmp(&(b.figure, &b.href)));
    missing.dedup_by(|a, b| a.figure == b.figure && a.href == b.href);
    bpf.missing = missing;
    Ok(bpf)
}

/// Trainees and minutes summed over a group of attendances.
#[derive(Default)]
struct Tally {
    people: BTreeSet<Uuid>,
    minutes: i64,
}

impl Tally {
    fn add(&mut self, person: Uuid, minutes: i64) {
        self.people.insert(person);
        self.minutes += minutes;
    }

    fn line(&self, def: &LineDef) -> Line {
        Line {
            line: def.line,
            label: def.label,
            trainees: self.people.len() as u64,
            minutes: self.minutes,
        }
    }
}

fn training_href(training: &Training) -> String {
    format!("/api/v1/trainings/{}", training.id)
}

/// Totals, F-1, F-3 and F-4; a training without its objective or speciality is missing.
fn trainees(held: &[HeldSession], bpf: &mut Bpf, missing: &mut Vec<Missing>) {
    let mut total = Tally::default();
    let mut f1: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut f3: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut f4: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unclassified: BTreeMap<(Uuid, &str), (&Training, Tally)> = BTreeMap::new();
    for session in held {
        let training = session.session.training.as_ref();
        let programme = &training.programme;
        for a in session.attendees.iter().filter(|a| a.minutes > 0) {
            let person = a.enrolment.person_id;
            total.add(person, a.minutes);
            let kind = lines::f1_line(a.enrolment.trainee_type);
            f1.entry(kind).or_default().add(person, a.minutes);
            match programme.general_objective {
                Some(o) => f3.entry(lines::f3_line(o)).or_default(),
                None => {
                    &mut unclassified
                        .entry((training.id, "F-3"))
                        .or_insert((training, Tally::default()))
                        .1
                }
            }
            .add(person, a.minutes);
            match &programme.nsf_code {
                Some(code) => f4.entry(code.clone()).or_default(),
                None => {
                    &mut unclassified
                        .entry((training.id, "F-4"))
                        .or_insert((training, Tally::default()))
                        .1
                }
            }
            .add(person, a.minutes);
        }
    }
    bpf.trainees = total.people.len() as u64;
    bpf.minutes = total.minutes;
    let line = |tallies: &BTreeMap<&str, Tally>, def: &LineDef| {
        tallies
            .get(def.line)
            .map_or_else(|| Tally::default().line(def), |t| t.line(def))
    };
    bpf.f1 = lines::F1.iter().map(|d| line(&f1, d)).collect();
    bpf.f3 = lines::F3.iter().map(|d| line(&f3, d)).collect();
    bpf.f4 = f4
        .into_iter()
        .map(|(code, t)| Speciality {
            label: nsf_label(&code),
            nsf_code: code,
            trainees: t.people.len() as u64,
            minutes: t.minutes,
        })
        .collect();
    for ((_, figure), (training, tally)) in unclassified {
        let what = if figure == "F-3" {
            "objectif général de formation (F-3) non renseigné"
        } else {
            "code NSF de la spécialité (F-4) non renseigné"
        };
        missing.push(Missing {
            figure,
            record: "training",
            id: training.id,
            href: training_href(training),
            reason: format!(
                "« {} » : {what} ; {} heures-stagiaires de {} stagiaire(s) ne sont pas classées.",
                training.programme.title,
                french_decimal(hours(tally.minutes)),
                tally.people.len()
            ),
        });
    }
}

/// The part of `amount` that falls in `year` when it is spread over the years like `by_year`
/// (accrual: income follows the half-days held). The parts of all years add up to `amount`.
fn share(amount: i64, by_year: &BTreeMap<i32, i64>, year: i32) -> i64 {
    let total: i64 = by_year.values().sum();
    if total <= 0 {
        return 0;
    }
    let through = |y: i32| -> i64 {
        let minutes: i64 = by_year.range(..=y).map(|(_, m)| m).sum();
        let (n, d) = (i128::from(amount) * i128::from(minutes), i128::from(total));
        ((2 * n + d).div_euclid(2 * d)) as i64
    };
    through(year) - through(year - 1)
}

/// C: the funding of the seat holders of the year's sessions, each amount spread over the
/// years like its session's attended half-days; an enrolment without an amount is missing.
fn income(held: &[HeldSession], year: i32, missing: &mut Vec<Missing>) -> Vec<Income> {
    let mut amounts: BTreeMap<&str, i64> = BTreeMap::new();
    for session in held {
        for a in &session.attendees {
            let e = &a.enrolment;
            let line = lines::C
                .iter()
                .find(|(s, _)| *s == e.funding_source)
                .map_or("11", |(_, d)| d.line);
            match e.funding_amount_cents {
                Some(amount) => {
                    *amounts.entry(line).or_default() +=
                        share(amount, &session.held_minutes_by_year, year);
                }
                None => missing.push(Missing {
                    figure: "C",
                    record: "enrolment",
                    id: e.id,
                    href: format!("/api/v1/enrolments/{}", e.id),
                    reason: format!(
                        "Inscription à « {} » (session du {}) : montant du financement non renseigné.",
                        session.session.training.programme.title,
                        session
                            .session
                            .slots
                            .first()
                            .map(|s| s.date.format("%d/%m/%Y").to_string())
                            .unwrap_or_default()
                    ),
                }),
            }
        }
    }
    lines::C
        .iter()
        .map(|(source, d)| Income {
            source: *source,
            line: d.line,
            label: d.label,
            amount_cents: amounts.get(d.line).copied().unwrap_or(0),
        })
        .collect()
}

/// E: per kind, the distinct trainers of the year's attended half-days and those half-days'
/// minutes (a half-day several trainers of a kind taught counts once for that kind); a trainer
/// without a profile, or a half-day without a trainer, is missing.
async fn trainers(
    db: &impl ConnectionTrait,
    held: &[HeldSession],
    missing: &mut Vec<Missing>,
) -> Result<(TrainerHours, TrainerHours)> {
    let ids: Vec<Uuid> = held
        .iter()
        .flat_map(|h| h.session.trainers.iter().map(|t| t.id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let kinds = catalogue::trainer_kinds(db, &ids).await?;
    let (mut internal, mut external) = (BTreeSet::new(), BTreeSet::new());
    let (mut internal_minutes, mut external_minutes) = (0, 0);
    for h in held {
        let session = &h.session;
        if session.trainers.is_empty() {
            missing.push(Missing {
                figure: "E",
                record: "session",
                id: session.id,
                href: format!("/api/v1/sessions/{}", session.id),
                reason: format!(
                    "Session de « {} » sans formateur : ses heures ne sont pas classées.",
                    session.training.programme.title
                ),
            });
        }
        let (mut taught_internally, mut taught_externally) = (false, false);
        for trainer in &session.trainers {
            match kinds.get(&trainer.id) {
                Some(TrainerKind::Internal) => {
                    internal.insert(trainer.id);
                    taught_internally = true;
                }
                Some(TrainerKind::External) => {
                    external.insert(trainer.id);
                    taught_externally = true;
                }
                None => missing.push(Missing {
                    figure: "E",
                    record: "trainer",
                    id: trainer.id,
                    href: format!("/api/v1/trainers/{}", trainer.id),
                    reason: format!(
                        "{} {} : formateur sans profil (interne ou sous-traitant) ; ses heures ne sont pas classées.",
                        trainer.first_name, trainer.last_name
                    ),
                }),
            }
        }
        let minutes: i64 = h.held.iter().map(|s| s.minutes).sum();
        if taught_internally {
            internal_minutes += minutes;
        }
        if taught_externally {
            external_minutes += minutes;
        }
    }
    Ok((
        TrainerHours {
            trainers: internal.len() as u64,
            minutes: internal_minutes,
        },
        TrainerHours {
            trainers: external.len() as u64,
            minutes: external_minutes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_spread_over_two_years_adds_up_exactly() {
        let by_year = BTreeMap::from([(2026, 630), (2027, 420)]);
        let (a, b) = (share(10_001, &by_year, 2026), share(10_001, &by_year, 2027));
        assert_eq!((a, b), (6_001, 4_000));
        assert_eq!(a + b, 10_001);
        assert_eq!(share(10_001, &by_year, 2025), 0);
        assert_eq!(share(10_001, &BTreeMap::from([(2026, 60)]), 2026), 10_001);
    }

    #[test]
    fn hours_keep_two_decimals() {
        assert_eq!(hours(630), 10.5);
        assert_eq!(hours(200), 3.33);
        assert_eq!(hours(0), 0.0);
    }
}
