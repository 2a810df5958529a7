//! Surveys as the API shows them: templates and their questions, invitations with their
//! answers, and the aggregated results.

use poem_openapi::{Enum, Object};
use serde_json::Value;
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::patch::Patch;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::quality::model::surveys::{
    Answers, Invitation, Question, QuestionResult, QuestionType, SurveyKind, SurveyResults,
    Template,
};
use crate::quality::service::Survey;
use crate::validation::FieldErrors;

/// When a survey is asked, and of whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SurveyKind", rename_all = "snake_case")]
pub enum SurveyKindView {
    /// Trainees, when the session's last half-day ends.
    Hot,
    /// Trainees, some weeks after the session (`--cold-survey-weeks`).
    Cold,
    /// The session's trainers, when it ends.
    Debrief,
    /// Funders without an account, yearly, through a secret link.
    Funder,
}

impl From<SurveyKindView> for SurveyKind {
    fn from(k: SurveyKindView) -> Self {
        match k {
            SurveyKindView::Hot => Self::Hot,
            SurveyKindView::Cold => Self::Cold,
            SurveyKindView::Debrief => Self::Debrief,
            SurveyKindView::Funder => Self::Funder,
        }
    }
}

impl From<SurveyKind> for SurveyKindView {
    fn from(k: SurveyKind) -> Self {
        match k {
            SurveyKind::Hot => Self::Hot,
            SurveyKind::Cold => Self::Cold,
            SurveyKind::Debrief => Self::Debrief,
            SurveyKind::Funder => Self::Funder,
        }
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "QuestionType", rename_all = "snake_case")]
pub enum QuestionTypeView {
    /// An integer from 1 to 5 (`scale`).
    #[oai(rename = "scale_5")]
    Scale5,
    /// An integer from 0 to 10 (`scale`).
    #[oai(rename = "scale_10")]
    Scale10,
    /// One of the choices (`choice`).
    SingleChoice,
    /// One or more of the choices (`choices`).
    MultipleChoice,
    /// Free text (`text`).
    Text,
}

impl From<QuestionTypeView> for QuestionType {
    fn from(t: QuestionTypeView) -> Self {
        match t {
            QuestionTypeView::Scale5 => Self::Scale5,
            QuestionTypeView::Scale10 => Self::Scale10,
            QuestionTypeView::SingleChoice => Self::SingleChoice,
            QuestionTypeView::MultipleChoice => Self::MultipleChoice,
            QuestionTypeView::Text => Self::Text,
        }
    }
}

impl From<QuestionType> for QuestionTypeView {
    fn from(t: QuestionType) -> Self {
        match t {
            QuestionType::Scale5 => Self::Scale5,
            QuestionType::Scale10 => Self::Scale10,
            QuestionType::SingleChoice => Self::SingleChoice,
            QuestionType::MultipleChoice => Self::MultipleChoice,
            QuestionType::Text => Self::Text,
        }
    }
}

/// One question of a template.
///
/// - `type`: how it is answered: `scale_5`, `scale_10`, `single_choice`, `multiple_choice`
///   or `text`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SurveyQuestion")]
pub struct QuestionView {
    /// Its key, unique in the template (1–40 of a–z, 0–9, `_`): answers name it.
    #[oai(validator(max_length = 40))]
    pub key: String,
    /// The question as respondents read it (1–500 characters).
    #[oai(validator(max_length = 500))]
    pub label: Text,
    #[oai(rename = "type")]
    pub kind: QuestionTypeView,
    /// Whether the survey cannot be submitted without it.
    pub required: bool,
    /// The choices of a choice question (2–20, distinct); empty otherwise.
    #[oai(default, validator(max_items = 20))]
    pub choices: Vec<String>,
    /// The overall-satisfaction question the training's result indicators publish (a `scale_5`
    /// question of a hot survey; at most one per template). Without one, the first `scale_5`
    /// question is read.
    #[oai(default)]
    pub satisfaction: bool,
}

impl From<QuestionView> for Question {
    fn from(q: QuestionView) -> Self {
        Self {
            key: q.key,
            label: q.label.into_inner(),
            kind: q.kind.into(),
            required: q.required,
            choices: q.choices,
            satisfaction: q.satisfaction,
        }
    }
}

impl From<Question> for QuestionView {
    fn from(q: Question) -> Self {
        Self {
            key: q.key,
            label: Text(q.label),
            kind: q.kind.into(),
            required: q.required,
            choices: q.choices,
            satisfaction: q.satisfaction,
        }
    }
}

/// A survey template: its questions, for one training or federation-wide.
///
/// - `kind`: `hot`, `cold`, `debrief` or `funder`.
#[derive(Debug, Object)]
#[oai(rename = "SurveyTemplate")]
pub struct TemplateView {
    /// Identifier.
    pub id: Uuid,
    /// Its title, as respondents read it.
    pub title: String,
    pub kind: SurveyKindView,
    /// The training it is for; `null`: every training without its own of this kind.
    pub training_id: Nullable<Uuid>,
    /// Its questions, in order.
    pub questions: Vec<QuestionView>,
    /// Who created it.
    pub created_by: Uuid,
    /// When it was created (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<Template> for TemplateView {
    fn from(t: Template) -> Self {
        Self {
            id: t.id,
            title: t.title,
            kind: t.kind.into(),
            training_id: t.training_id.into(),
            questions: t.questions.into_iter().map(Into::into).collect(),
            created_by: t.created_by,
            created_at: t.created_at.into(),
            updated_at: t.updated_at.into(),
        }
    }
}

/// One answer: its question's key and the one field its type takes — `scale` (an integer, for
/// `scale_5` and `scale_10`), `choice` (`single_choice`), `choices` (`multiple_choice`) or
/// `text` (`text`). An answer with none of them clears the question's answer.
#[derive(Debug, Object)]
#[oai(rename = "SurveyAnswerInput")]
pub struct AnswerBody {
    /// The question's key.
    #[oai(validator(max_length = 40))]
    pub question: String,
    /// A scale's value.
    pub scale: Patch<i64>,
    /// The choice made.
    #[oai(validator(max_length = 200))]
    pub choice: Patch<String>,
    /// The choices made.
    #[oai(validator(max_items = 20))]
    pub choices: Patch<Vec<String>>,
    /// The text written (at most 4000 characters).
    #[oai(validator(max_length = 4000))]
    pub text: Patch<Text>,
}

/// Answers given as the API takes them, as the service reads them (422 naming an answer that
/// gives two values).
pub fn answers_of(body: Vec<AnswerBody>) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = Answers::new();
    for a in body {
        let mut given: Vec<Value> = Vec::new();
        given.extend(a.scale.get().map(Value::from));
        given.extend(a.choice.get().map(Value::from));
        given.extend(
            a.choices
                .get()
                .map(|c| Value::Array(c.into_iter().map(Value::from).collect())),
        );
        given.extend(a.text.get().map(|t| Value::from(t.into_inner())));
        if given.len() > 1 {
            errors.add(
                &format!("answers.{}", a.question),
                "give one of scale, choice, choices or text",
            );
            continue;
        }
        answers.insert(a.question, given.pop().unwrap_or(Value::Null));
    }
    errors.into_result().map(|()| answers)
}

/// One answer as stored: its question's key and the field its type takes (the others `null`).
#[derive(Debug, Object)]
#[oai(rename = "SurveyAnswer")]
pub struct AnswerView {
    /// The question's key.
    pub question: String,
    /// A scale's value.
    pub scale: Nullable<i64>,
    /// The choice made.
    pub choice: Nullable<String>,
    /// The choices made.
    pub choices: Nullable<Vec<String>>,
    /// The text written.
    pub text: Nullable<String>,
}

fn answer_view(template: &Template, key: String, value: &Value) -> AnswerView {
    let kind = template.question(&key).map(|q| q.kind);
    let string = value.as_str().map(str::to_owned);
    AnswerView {
        scale: value.as_i64().into(),
        choice: string
            .clone()
            .filter(|_| kind == Some(QuestionType::SingleChoice))
            .into(),
        choices: value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .into(),
        text: string.filter(|_| kind == Some(QuestionType::Text)).into(),
        question: key,
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "InvitationState", rename_all = "snake_case")]
pub enum InvitationStateView {
    /// Answers may be saved and submitted until the deadline.
    Open,
    /// Submitted: final.
    Submitted,
    /// The deadline passed before it was submitted.
    Closed,
}

/// The funder a funders' survey invitation is for.
#[derive(Debug, Object)]
#[oai(rename = "SurveyFunder")]
pub struct FunderView {
    /// The contact's name.
    pub name: String,
    /// The contact's e-mail (the notifications mail the link to it).
    pub email: String,
    /// The funding body.
    pub organisation: String,
}

/// One respondent's invitation to a survey, with the survey's questions and the answers so far.
///
/// - `kind`: `hot`, `cold`, `debrief` or `funder`.
/// - `state`: `open` (answers may be saved and submitted), `submitted` or `closed` (the
///   deadline passed before it was submitted).
/// - `funder`: the funder, for a funders' survey (absent otherwise).
#[derive(Debug, Object)]
#[oai(rename = "SurveyInvitation")]
pub struct InvitationView {
    /// Identifier (for a trainee's or trainer's, the same on every device: derived from the
    /// kind, the session and the person).
    pub id: Uuid,
    pub kind: SurveyKindView,
    pub state: InvitationStateView,
    /// The template's id.
    pub template_id: Uuid,
    /// The survey's title.
    pub title: String,
    /// The questions, in order.
    pub questions: Vec<QuestionView>,
    /// The session it is about (trainees' and trainers' surveys).
    pub session_id: Nullable<Uuid>,
    /// The training of that session.
    pub training_id: Nullable<Uuid>,
    /// The year a funders' survey is about.
    pub year: Nullable<i32>,
    /// The respondent with an account (`null` for a funder).
    pub person_id: Nullable<Uuid>,
    #[oai(skip_serializing_if_is_none)]
    pub funder: Option<FunderView>,
    /// When it opened (UTC).
    pub opens_at: Timestamp,
    /// The last instant answers are taken (UTC).
    pub deadline: Timestamp,
    /// The answers so far (a draft until submitted), in question-key order.
    pub answers: Vec<AnswerView>,
    /// When it was submitted (UTC).
    pub submitted_at: Nullable<Timestamp>,
    /// When its answers last changed (UTC).
    pub updated_at: Timestamp,
}

impl InvitationView {
    pub fn of(survey: Survey, now: chrono::DateTime<chrono::Utc>) -> Self {
        let Survey {
            invitation,
            template,
        } = survey;
        let state = match invitation.state(now) {
            crate::quality::model::surveys::InvitationState::Open => InvitationStateView::Open,
            crate::quality::model::surveys::InvitationState::Submitted => {
                InvitationStateView::Submitted
            }
            crate::quality::model::surveys::InvitationState::Closed => InvitationStateView::Closed,
        };
        let Invitation {
            id,
            kind,
            session_id,
            training_id,
            year,
            person_id,
            funder,
            opens_at,
            deadline,
            answers,
            submitted_at,
            updated_at,
            ..
        } = invitation;
        Self {
            id,
            kind: kind.into(),
            state,
            template_id: template.id,
            answers: answers
                .iter()
                .map(|(k, v)| answer_view(&template, k.clone(), v))
                .collect(),
            title: template.title,
            questions: template.questions.into_iter().map(Into::into).collect(),
            session_id: session_id.into(),
            training_id: training_id.into(),
            year: year.into(),
            person_id: person_id.into(),
            funder: funder.map(|f| FunderView {
                name: f.name,
                email: f.email,
                organisation: f.organisation,
            }),
            opens_at: opens_at.into(),
            deadline: deadline.into(),
            submitted_at: submitted_at.map(Timestamp::from).into(),
            updated_at: updated_at.into(),
        }
    }
}

/// How many gave one value (a choice, or a scale's value).
#[derive(Debug, Object)]
#[oai(rename = "ValueCount")]
pub struct CountView {
    /// The choice, the scale's value, or the category.
    pub value: String,
    /// How many.
    pub count: u64,
}

/// The aggregated answers to one question.
///
/// - `type`: the question's type.
#[derive(Debug, Object)]
#[oai(rename = "SurveyQuestionResult")]
pub struct QuestionResultView {
    /// The question's key.
    pub key: String,
    /// The question.
    pub label: String,
    #[oai(rename = "type")]
    pub kind: QuestionTypeView,
    /// Submitted responses that answer it.
    pub answered: u64,
    /// Per choice (in the template's order) or per scale value (ascending), how many chose it;
    /// empty for a text.
    pub counts: Vec<CountView>,
    /// The mean of a scale's answers (`null` for other types or without answers).
    pub mean: Nullable<f64>,
    /// The free texts, in submission order.
    pub texts: Vec<String>,
}

impl From<QuestionResult> for QuestionResultView {
    fn from(r: QuestionResult) -> Self {
        Self {
            key: r.question.key,
            label: r.question.label,
            kind: r.question.kind.into(),
            answered: r.answered,
            counts: r
                .counts
                .into_iter()
                .map(|(value, count)| CountView { value, count })
                .collect(),
            mean: r.mean.into(),
            texts: r.texts,
        }
    }
}

/// The responses one template received.
///
/// - `kind`: the template's kind.
#[derive(Debug, Object)]
#[oai(rename = "SurveyTemplateResults")]
pub struct TemplateResultsView {
    /// The template.
    pub template_id: Uuid,
    /// Its title.
    pub title: String,
    pub kind: SurveyKindView,
    /// Its questions' results, in order.
    pub questions: Vec<QuestionResultView>,
}

/// Who was invited, who answered, and what they said.
#[derive(Debug, Object)]
#[oai(rename = "SurveyResults")]
pub struct SurveyResultsView {
    /// Invitations due (opened) in the scope asked, whether or not the respondent opened them.
    pub invited: u64,
    /// Of them, the submitted ones.
    pub submitted: u64,
    /// `submitted / invited` (0–1); `null` when nobody was invited.
    pub response_rate: Nullable<f64>,
    /// Per template used, the aggregated answers of the submitted responses.
    pub templates: Vec<TemplateResultsView>,
}

impl From<SurveyResults> for SurveyResultsView {
    fn from(r: SurveyResults) -> Self {
        Self {
            invited: r.invited,
            submitted: r.submitted,
            response_rate: r.response_rate.into(),
            templates: r
                .templates
                .into_iter()
                .map(|(t, questions)| TemplateResultsView {
                    template_id: t.id,
                    title: t.title,
                    kind: t.kind.into(),
                    questions: questions.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}
