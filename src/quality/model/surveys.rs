//! Surveys: templates of questions, and one respondent's invitation with its answers.
//!
//! A trainee's hot survey opens when the session's last half-day ends, the cold one some weeks
//! later; a trainer's debrief opens when the session ends; a funder's when the administrator
//! creates its secret link. Each has a deadline; answers are a draft until submitted, once.
//! Opening is computed from the clock: the invitation's row is written by the first read that
//! finds it due (the respondent's list, their device's pull), with a deterministic id.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub use entity::survey_template::SurveyKind;

/// The namespace of invitation ids (UUIDv5 of the kind, session and person).
const INVITATION_NAMESPACE: Uuid = Uuid::from_u128(0x6b1e_52c4_9d3f_4a5e_8c21_7f0d_3e94_a1b6);

/// Longest free-text answer.
pub const MAX_TEXT_ANSWER: usize = 4000;

/// The id of `person_id`'s invitation of `kind` for `session_id` (the same on every device).
pub fn invitation_id(kind: SurveyKind, session_id: Uuid, person_id: Uuid) -> Uuid {
    let mut name = Vec::with_capacity(40);
    name.extend_from_slice(kind_str(kind).as_bytes());
    name.extend_from_slice(session_id.as_bytes());
    name.extend_from_slice(person_id.as_bytes());
    Uuid::new_v5(&INVITATION_NAMESPACE, &name)
}

/// A kind's name as the API and the stored rows say it.
pub fn kind_str(kind: SurveyKind) -> &'static str {
    match kind {
        SurveyKind::Hot => "hot",
        SurveyKind::Cold => "cold",
        SurveyKind::Debrief => "debrief",
        SurveyKind::Funder => "funder",
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// An integer from 1 to 5.
    #[serde(rename = "scale_5")]
    Scale5,
    /// An integer from 0 to 10.
    #[serde(rename = "scale_10")]
    Scale10,
    /// One of the choices.
    SingleChoice,
    /// One or more of the choices.
    MultipleChoice,
    /// Free text.
    Text,
}

impl QuestionType {
    /// The range of a scale.
    pub fn scale(self) -> Option<(i64, i64)> {
        match self {
            Self::Scale5 => Some((1, 5)),
            Self::Scale10 => Some((0, 10)),
            _ => None,
        }
    }

    pub fn has_choices(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultipleChoice)
    }
}

/// One question of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the template: answers are keyed by it.
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub required: bool,
    #[serde(default)]
    pub choices: Vec<String>,
    /// The overall-satisfaction question the result indicators publish (a 1–5 scale of a hot
    /// survey).
    #[serde(default)]
    pub satisfaction: bool,
}

/// A survey's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: Uuid,
    pub title: String,
    pub kind: SurveyKind,
    /// `None`: used federation-wide, for every training without its own of this kind.
    pub training_id: Option<Uuid>,
    pub questions: Vec<Question>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Template {
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The question the published satisfaction reads: the one marked, else the first 1–5 scale.
    pub fn satisfaction_question(&self) -> Option<&Question> {
        self.questions.iter().find(|q| q.satisfaction).or_else(|| {
            self.questions
                .iter()
                .find(|q| q.kind == QuestionType::Scale5)
        })
    }
}

/// What a template is made of, as given (validated by the service).
#[derive(Debug, Clone)]
pub struct TemplateInput {
    pub title: String,
    pub kind: SurveyKind,
    pub training_id: Option<Uuid>,
    pub questions: Vec<Question>,
}

/// A funder invited through a secret link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funder {
    pub name: String,
    pub email: String,
    pub organisation: String,
}

/// Answers by question key: an integer (scales), a string (a single choice, a text) or a list
/// of strings (multiple choices).
pub type Answers = BTreeMap<String, Value>;

/// One respondent's invitation.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: Uuid,
    pub template_id: Uuid,
    pub kind: SurveyKind,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    /// The year a funder's survey is about.
    pub year: Option<i32>,
    pub person_id: Option<Uuid>,
    pub funder: Option<Funder>,
    pub opens_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub answers: Answers,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Where an invitation stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    /// Answers may be saved and submitted.
    Open,
    /// Submitted: final.
    Submitted,
    /// The deadline passed before it was submitted.
    Closed,
}

impl InvitationState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Closed => "closed",
        }
    }
}

impl Invitation {
    pub fn state(&self, now: DateTime<Utc>) -> InvitationState {
        if self.submitted_at.is_some() {
            InvitationState::Submitted
        } else if now >= self.deadline {
            InvitationState::Closed
        } else {
            InvitationState::Open
        }
    }
}

/// An invitation due to open, not written yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvitation {
    pub id: Uuid,
    pub template_id: Uuid,
    pub kind: SurveyKind,
    pub session_id: Uuid,
    pub training_id: Uuid,
    pub person_id: Uuid,
    pub opens_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

/// A funder's invitation as the administrator creates it.
#[derive(Debug, Clone)]
pub struct FunderInput {
    pub template_id: Uuid,
    pub year: i32,
    pub funder: Funder,
    pub deadline: DateTime<Utc>,
}

/// When surveys open and close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyRules {
    /// Weeks after the session's end at which the cold survey opens.
    pub cold_weeks: u32,
    /// Days to answer once open.
    pub answer_days: u32,
}

impl SurveyRules {
    /// The rules the settings give (`--cold-survey-weeks`, `--survey-answer-days`).
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            cold_weeks: settings.cold_survey_weeks,
            answer_days: settings.survey_answer_days,
        }
    }

    /// When a survey of `kind` opens for a session that ended at `ended`.
    pub fn opens(&self, kind: SurveyKind, ended: DateTime<Utc>) -> DateTime<Utc> {
        match kind {
            SurveyKind::Cold => ended + chrono::Duration::weeks(i64::from(self.cold_weeks)),
            _ => ended,
        }
    }

    pub fn deadline(&self, opens: DateTime<Utc>) -> DateTime<Utc> {
        opens + chrono::Duration::days(i64::from(self.answer_days))
    }
}

/// Which invitations a results query covers.
#[derive(Debug, Clone, Default)]
pub struct ResultsFilter {
    pub kind: Option<SurveyKind>,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    /// The calendar year the survey opened in.
    pub year: Option<i32>,
}

/// The aggregated answers to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub question: Question,
    /// Submitted responses that answer it.
    pub answered: u64,
    /// Per choice (or per scale value, in order), how many chose it.
    pub counts: Vec<(String, u64)>,
    /// The mean of a scale's answers.
    pub mean: Option<f64>,
    /// The free texts, in submission order.
    pub texts: Vec<String>,
}

/// Response rate and aggregated answers of the invitations a filter covers.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyResults {
    pub invited: u64,
    pub submitted: u64,
    /// `submitted / invited`, when anyone was invited.
    pub response_rate: Option<f64>,
    /// Per template the submitted responses used, its questions' results.
    pub templates: Vec<(Template, Vec<QuestionResult>)>,
}
