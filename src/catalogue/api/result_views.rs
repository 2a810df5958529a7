//! A training's published result indicators (Qualiopi ind. 2) as the public reads them.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::catalogue::model::{Figure, FigureUnit, TrainingResults, YearResults};
use crate::http::nullable::Nullable;

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "FigureUnit", rename_all = "snake_case")]
pub enum FigureUnitView {
    /// A number of people.
    Count,
    /// A percentage (0–100, one decimal).
    Percent,
    /// A mean score out of 5 (two decimals).
    #[oai(rename = "score_out_of_5")]
    ScoreOutOf5,
}

impl From<FigureUnit> for FigureUnitView {
    fn from(u: FigureUnit) -> Self {
        match u {
            FigureUnit::Count => Self::Count,
            FigureUnit::Percent => Self::Percent,
            FigureUnit::ScoreOutOf5 => Self::ScoreOutOf5,
        }
    }
}

/// Whether a figure is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "FigureStatus", rename_all = "snake_case")]
pub enum FigureStatusView {
    /// `value` holds the figure.
    Published,
    /// It rests on fewer than 5 people: withheld (`value` is `null`) so that no one's answer can
    /// be told apart.
    NotEnoughAnswers,
}

/// How many in one category (a drop-out's cause).
#[derive(Debug, Object)]
#[oai(rename = "FigureCount")]
pub struct FigureCountView {
    /// The category: for drop-outs `personal`, `professional`, `health`, `content_unsuited` or
    /// `other`.
    pub category: String,
    /// How many.
    pub count: u64,
}

/// One result indicator.
///
/// - `unit`: `count`, `percent` (0–100) or `score_out_of_5`.
/// - `status`: `published`, or `not_enough_answers` (fewer than 5 people: `value` is `null`).
#[derive(Debug, Object)]
#[oai(rename = "ResultFigure")]
pub struct FigureView {
    /// What it measures: `trainees`, `completion_rate`, `drop_outs`, `satisfaction_mean`,
    /// `satisfaction_share` or `response_rate`.
    pub key: String,
    /// Its name, in French, as the public page prints it.
    pub label: String,
    pub unit: FigureUnitView,
    pub status: FigureStatusView,
    /// The figure, or `null` when withheld.
    pub value: Nullable<f64>,
    /// How many people it rests on (trainees, trainees with attendance recorded, answers or
    /// invitations, as its formula says).
    pub base: u64,
    /// How it is computed, in words (French), with its period.
    pub formula: String,
    /// Counts by category (drop-outs by cause; empty otherwise or when withheld).
    pub breakdown: Vec<FigureCountView>,
}

impl From<Figure> for FigureView {
    fn from(f: Figure) -> Self {
        let published = f.value.is_some();
        Self {
            key: f.key.to_owned(),
            label: f.label.to_owned(),
            unit: f.unit.into(),
            status: if published {
                FigureStatusView::Published
            } else {
                FigureStatusView::NotEnoughAnswers
            },
            value: f.value.into(),
            base: f.base,
            formula: f.formula,
            breakdown: if published {
                f.breakdown
                    .into_iter()
                    .map(|(category, count)| FigureCountView {
                        category: category.to_owned(),
                        count,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// The indicators of the sessions that ended in one calendar year.
#[derive(Debug, Object)]
#[oai(rename = "YearResults")]
pub struct YearResultsView {
    /// The year.
    pub year: i32,
    /// The period's first day.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// Sessions of the training that ended in the period.
    pub sessions: u64,
    /// The indicators, in a fixed order.
    pub figures: Vec<FigureView>,
}

impl From<YearResults> for YearResultsView {
    fn from(y: YearResults) -> Self {
        Self {
            year: y.year,
            from: y.from,
            to: y.to,
            sessions: y.sessions,
            figures: y.figures.into_iter().map(Into::into).collect(),
        }
    }
}

/// A training's result indicators (Qualiopi ind. 2), computed from its sessions' enrolments,
/// attendance, drop-outs and hot surveys.
#[derive(Debug, Object)]
#[oai(rename = "TrainingResults")]
pub struct TrainingResultsView {
    /// The training.
    pub training_id: Uuid,
    /// Per year with an ended session, latest first (empty before the first session ends).
    pub years: Vec<YearResultsView>,
}

impl From<TrainingResults> for TrainingResultsView {
    fn from(r: TrainingResults) -> Self {
        Self {
            training_id: r.training_id,
            years: r.years.into_iter().map(Into::into).collect(),
        }
    }
}
