//! The BPF as the API shows it: JSON, or a flat French table (CSV, XLSX).

use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, ResponseContent};
use uuid::Uuid;

use crate::enrolment::api::FundingSourceView;
use crate::evidence::service::bpf::{Bpf, Income, Line, Missing, Speciality, TrainerHours, hours};
use crate::http::nullable::Nullable;
use crate::tables::{Cell, Table};

/// Trainees and their hours on one line of a frame of the cerfa.
#[derive(Debug, Object)]
#[oai(rename = "BpfLine")]
pub struct BpfLineView {
    /// The line on the form (`a`, `b`…; F-3: `a1`–`a6` for the RNCP levels, then `b`–`f`).
    pub line: String,
    /// The form's label, in French.
    pub label: String,
    /// Distinct trainees with attended time on the line.
    pub trainees: u64,
    /// Hours attended (hours-trainee), two decimals at most: `minutes` / 60.
    pub hours: f64,
    /// The same, exactly, in minutes.
    pub minutes: i64,
}

impl From<Line> for BpfLineView {
    fn from(l: Line) -> Self {
        Self {
            line: l.line.to_owned(),
            label: l.label.to_owned(),
            trainees: l.trainees,
            hours: hours(l.minutes),
            minutes: l.minutes,
        }
    }
}

/// F-4: one training speciality.
#[derive(Debug, Object)]
#[oai(rename = "BpfSpeciality")]
pub struct BpfSpecialityView {
    /// The NSF code of the speciality, as the trainings state it.
    pub nsf_code: String,
    /// The NSF group's label in French, when Passerelle knows it.
    pub label: Nullable<String>,
    /// Distinct trainees with attended time in trainings of the speciality.
    pub trainees: u64,
    /// Hours attended, two decimals at most.
    pub hours: f64,
    /// The same, exactly, in minutes.
    pub minutes: i64,
}

impl From<Speciality> for BpfSpecialityView {
    fn from(s: Speciality) -> Self {
        Self {
            nsf_code: s.nsf_code,
            label: s.label.map(str::to_owned).into(),
            trainees: s.trainees,
            hours: hours(s.minutes),
            minutes: s.minutes,
        }
    }
}

/// C: income (excluding tax) from one kind of funder.
///
/// - `source`: The enrolments' funding source this line adds up.
#[derive(Debug, Object)]
#[oai(rename = "BpfIncome")]
pub struct BpfIncomeView {
    pub source: FundingSourceView,
    /// The line on the form (`1`; `2` for lines 2 a–h together; `3-8` for the public bodies
    /// together; `9`; `11`).
    pub line: String,
    /// The form's label, in French.
    pub label: String,
    /// The amounts the enrolments record, in cents; an amount of a session run over two years
    /// is split between them like the session's attended half-days.
    pub amount_cents: i64,
}

impl From<Income> for BpfIncomeView {
    fn from(i: Income) -> Self {
        Self {
            source: i.source.into(),
            line: i.line.to_owned(),
            label: i.label.to_owned(),
            amount_cents: i.amount_cents,
        }
    }
}

/// E: trainers of one kind and the hours they taught.
#[derive(Debug, Object)]
#[oai(rename = "BpfTrainerHours")]
pub struct BpfTrainerHoursView {
    /// Distinct trainers of this kind who taught an attended half-day of the year.
    pub trainers: u64,
    /// Hours of those half-days (a half-day several trainers of the kind taught counts once),
    /// two decimals at most.
    pub hours: f64,
    /// The same, exactly, in minutes.
    pub minutes: i64,
}

impl From<TrainerHours> for BpfTrainerHoursView {
    fn from(t: TrainerHours) -> Self {
        Self {
            trainers: t.trainers,
            hours: hours(t.minutes),
            minutes: t.minutes,
        }
    }
}

/// E: the people who delivered the training hours.
///
/// - `internal`: The federation's own trainers.
/// - `external`: Subcontracted trainers.
#[derive(Debug, Object)]
#[oai(rename = "BpfTrainers")]
pub struct BpfTrainersView {
    pub internal: BpfTrainerHoursView,
    pub external: BpfTrainerHoursView,
}

/// A figure the records do not allow: what is missing, and the record to complete.
#[derive(Debug, Object)]
#[oai(rename = "BpfMissing")]
pub struct BpfMissingView {
    /// The frame left incomplete: `F-3`, `F-4`, `C` or `E`.
    pub figure: String,
    /// What is missing and what it leaves out, in French.
    pub reason: String,
    /// The kind of record to complete: `training`, `enrolment`, `trainer` or `session`.
    pub record: String,
    /// Its id.
    pub id: Uuid,
    /// The API path that reads it.
    pub link: String,
}

impl From<Missing> for BpfMissingView {
    fn from(m: Missing) -> Self {
        Self {
            figure: m.figure.to_owned(),
            reason: m.reason,
            record: m.record.to_owned(),
            id: m.id,
            link: m.href,
        }
    }
}

/// The bilan pédagogique et financier (cerfa 10443*17) of a calendar year, computed from the
/// half-days attended in it.
///
/// - `e`: Frame E, internal and external trainers.
#[derive(Debug, Object)]
#[oai(rename = "Bpf")]
pub struct BpfView {
    /// The fiscal (calendar) year.
    pub year: i32,
    /// Distinct trainees with at least one attended half-day dated in the year.
    pub trainees: u64,
    /// Their hours attended in the year (hours-trainee), two decimals at most.
    pub hours: f64,
    /// The same, exactly, in minutes.
    pub minutes: i64,
    /// Frame F-1: trainees by type, every line of the form.
    pub f1: Vec<BpfLineView>,
    /// Frame F-3: trainees by the general objective of their training, every line of the form
    /// (hours of trainings without one are in `missing`).
    pub f3: Vec<BpfLineView>,
    /// Frame F-4: trainees by NSF speciality, by code (hours of trainings without one are in
    /// `missing`).
    pub f4: Vec<BpfSpecialityView>,
    /// Frame C: income by funding source (enrolments without an amount are in `missing`).
    pub c: Vec<BpfIncomeView>,
    pub e: BpfTrainersView,
    /// What the records do not say, each linked to the record to complete.
    pub missing: Vec<BpfMissingView>,
    /// Every figure could be computed (`missing` is empty).
    pub complete: bool,
}

impl From<Bpf> for BpfView {
    fn from(b: Bpf) -> Self {
        let complete = b.complete();
        Self {
            year: b.year,
            trainees: b.trainees,
            hours: hours(b.minutes),
            minutes: b.minutes,
            f1: b.f1.into_iter().map(Into::into).collect(),
            f3: b.f3.into_iter().map(Into::into).collect(),
            f4: b.f4.into_iter().map(Into::into).collect(),
            c: b.c.into_iter().map(Into::into).collect(),
            e: BpfTrainersView {
                internal: b.internal.into(),
                external: b.external.into(),
            },
            missing: b.missing.into_iter().map(Into::into).collect(),
            complete,
        }
    }
}

/// The table's columns.
const HEADERS: [&str; 7] = [
    "Section",
    "Ligne",
    "Libellé",
    "Stagiaires",
    "Formateurs",
    "Heures",
    "Montant (€)",
];

/// The BPF as one flat table: a row per line of each frame, the totals, then what is missing.
pub fn table(b: &Bpf) -> Table {
    let mut table = Table::new(&format!("BPF {}", b.year), &HEADERS);
    let h = |minutes: i64| Cell::Decimal(minutes as f64 / 60.0);
    let count = |n: u64| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    table.push(vec![
        "Total".into(),
        Cell::Empty,
        "Stagiaires et heures-stagiaires".into(),
        count(b.trainees),
        Cell::Empty,
        h(b.minutes),
    ]);
    for (section, lines) in [("F-1", &b.f1), ("F-3", &b.f3)] {
        for l in lines {
            table.push(vec![
                section.into(),
                l.line.into(),
                l.label.into(),
                count(l.trainees),
                Cell::Empty,
                h(l.minutes),
            ]);
        }
    }
    for s in &b.f4 {
        table.push(vec![
            "F-4".into(),
            s.nsf_code.clone().into(),
            s.label.unwrap_or("").into(),
            count(s.trainees),
            Cell::Empty,
            h(s.minutes),
        ]);
    }
    for i in &b.c {
        table.push(vec![
            "C".into(),
            i.line.into(),
            i.label.into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Money(i.amount_cents),
        ]);
    }
    for (line, label, t) in [
        ("internes", "Formateurs internes", b.internal),
        (
            "externes",
            "Formateurs externes (sous-traitance)",
            b.external,
        ),
    ] {
        table.push(vec![
            "E".into(),
            line.into(),
            label.into(),
            Cell::Empty,
            count(t.trainers),
            h(t.minutes),
        ]);
    }
    for m in &b.missing {
        table.push(vec![
            "Manque".into(),
            m.figure.into(),
            format!("{} ({})", m.reason, m.href).into(),
        ]);
    }
    table
}

/// The BPF in the format asked for.
#[derive(ResponseContent)]
pub enum BpfContent {
    Json(Json<BpfView>),
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(Binary<Vec<u8>>),
    #[oai(content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    Xlsx(Binary<Vec<u8>>),
}

/// The BPF.
#[derive(ApiResponse)]
pub enum BpfOk {
    /// The BPF of the year: JSON by default; with `Accept: text/csv` or the XLSX media type, the
    /// same figures as one flat table with French headers (Section, Ligne, Libellé, Stagiaires,
    /// Formateurs, Heures, Montant), then one row per missing item — a CSV with a byte order
    /// mark, `;` between fields and a decimal comma, or a workbook; `Content-Disposition`
    /// names the download (`bpf-YYYY.csv`).
    #[oai(status = 200)]
    Ok(
        BpfContent,
        #[oai(header = "Content-Disposition")] Option<String>,
        #[oai(header = "Cache-Control")] String,
    ),
}
