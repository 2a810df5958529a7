//! The catalogue's vocabulary: the programme of a training (Qualiopi ind. 1, 5, 6; L. 6353-1),
//! money, contacts, themes, rooms, trainers, sessions and their half-days, as the service hands
//! them out. Plain Rust: the HTTP shapes are in `api`, the stored shapes in `store` and
//! `storage`.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub use entity::status::{Period, SessionStatus, TrainerKind, TrainingStatus};

/// A half-day's period in French, as documents, feeds and messages print it.
pub fn half_day_name(period: Period) -> &'static str {
    match period {
        Period::Morning => "matin",
        Period::Afternoon => "après-midi",
    }
}

/// What a training is about; the public catalogue filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Theme {
    ProjectFunding,
    Management,
    EconomicModels,
    AssociativeStrategy,
    FinancialManagement,
    Communication,
    HumanResources,
}

impl Theme {
    pub const ALL: [Theme; 7] = [
        Theme::ProjectFunding,
        Theme::Management,
        Theme::EconomicModels,
        Theme::AssociativeStrategy,
        Theme::FinancialManagement,
        Theme::Communication,
        Theme::HumanResources,
    ];

    /// The code stored in `training.themes` (and searched by the theme filter).
    pub fn code(self) -> &'static str {
        match self {
            Theme::ProjectFunding => "project_funding",
            Theme::Management => "management",
            Theme::EconomicModels => "economic_models",
            Theme::AssociativeStrategy => "associative_strategy",
            Theme::FinancialManagement => "financial_management",
            Theme::Communication => "communication",
            Theme::HumanResources => "human_resources",
        }
    }

    pub fn from_code(code: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// The general objective of a training, as the BPF (cerfa 10443, frame F-3) classes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GeneralObjective {
    /// a. A diploma, title or CQP registered in the RNCP, level 6 to 8.
    RncpLevel6To8,
    /// a. … level 5.
    RncpLevel5,
    /// a. … level 4.
    RncpLevel4,
    /// a. … level 3.
    RncpLevel3,
    /// a. … level 2.
    RncpLevel2,
    /// a. … a CQP without a level.
    RncpCqpWithoutLevel,
    /// b. A certification or habilitation registered in the specific register (RS).
    SpecificRegister,
    /// c. A CQP registered in neither.
    UnregisteredCqp,
    /// d. Other professional trainings (development, broadening of skills).
    ProfessionalDevelopment,
    /// e. A skills assessment (bilan de compétences).
    SkillsAssessment,
    /// f. Support towards the validation of prior experience (VAE).
    VaeSupport,
}

impl GeneralObjective {
    pub const ALL: [GeneralObjective; 11] = [
        GeneralObjective::RncpLevel6To8,
        GeneralObjective::RncpLevel5,
        GeneralObjective::RncpLevel4,
        GeneralObjective::RncpLevel3,
        GeneralObjective::RncpLevel2,
        GeneralObjective::RncpCqpWithoutLevel,
        GeneralObjective::SpecificRegister,
        GeneralObjective::UnregisteredCqp,
        GeneralObjective::ProfessionalDevelopment,
        GeneralObjective::SkillsAssessment,
        GeneralObjective::VaeSupport,
    ];

    /// The code stored in the programme document (and the API's spelling).
    pub fn code(self) -> &'static str {
        match self {
            GeneralObjective::RncpLevel6To8 => "rncp_level_6_to_8",
            GeneralObjective::RncpLevel5 => "rncp_level_5",
            GeneralObjective::RncpLevel4 => "rncp_level_4",
            GeneralObjective::RncpLevel3 => "rncp_level_3",
            GeneralObjective::RncpLevel2 => "rncp_level_2",
            GeneralObjective::RncpCqpWithoutLevel => "rncp_cqp_without_level",
            GeneralObjective::SpecificRegister => "specific_register",
            GeneralObjective::UnregisteredCqp => "unregistered_cqp",
            GeneralObjective::ProfessionalDevelopment => "professional_development",
            GeneralObjective::SkillsAssessment => "skills_assessment",
            GeneralObjective::VaeSupport => "vae_support",
        }
    }

    pub fn from_code(code: &str) -> Option<GeneralObjective> {
        GeneralObjective::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// How a training is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    InPerson,
    Remote,
    Hybrid,
}

/// An amount of money in cents of a currency (ISO 4217). A price sent without its currency is
/// refused by validation, so a validated programme always has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub amount_cents: i64,
    pub currency: Option<String>,
}

/// A named contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// Everything the catalogue states about a training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub title: String,
    pub summary: String,
    pub themes: Vec<Theme>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
    pub no_prerequisites: bool,
    pub target_audience: String,
    pub duration_minutes: i32,
    pub modality: Modality,
    pub remote_arrangements: Option<String>,
    pub pedagogical_methods: String,
    pub pedagogical_means: String,
    pub assessment_modalities: String,
    pub access_delay: String,
    pub member_price: Money,
    pub non_member_price: Money,
    pub accessibility: String,
    pub disability_referent: Contact,
    pub contact: Contact,
    pub recognition: String,
    pub financing_modalities: String,
    /// Its general objective for the BPF (frame F-3), when stated.
    pub general_objective: Option<GeneralObjective>,
    /// Its speciality for the BPF (frame F-4): a code of the NSF nomenclature (three digits),
    /// when stated.
    pub nsf_code: Option<String>,
}

/// A training with its programme.
#[derive(Debug, Clone)]
pub struct Training {
    pub id: Uuid,
    pub status: TrainingStatus,
    pub programme: Programme,
    /// Number of the published version in force (0 before the first publication).
    pub current_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A dated version of a training.
#[derive(Debug, Clone)]
pub struct TrainingVersion {
    pub number: i32,
    pub effective_from: DateTime<Utc>,
    pub programme: Programme,
    pub published_by: Uuid,
}

/// A room, a place or an online room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    pub is_online: bool,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub join_url: Option<String>,
    pub capacity: Option<i32>,
    pub accessibility: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A room as a caller describes it.
#[derive(Debug, Clone)]
pub struct RoomInput {
    pub name: String,
    pub is_online: bool,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub join_url: Option<String>,
    pub capacity: Option<i32>,
    pub accessibility: String,
}

/// A person as a session names them (its trainers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

/// A half-day: the unit of attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub id: Uuid,
    pub session_id: Uuid,
    pub date: NaiveDate,
    pub period: Period,
    /// Local start and end, `HH:MM`, in the session's zone.
    pub local_start: String,
    pub local_end: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub minutes: i32,
    /// Revision for calendars: raised when its time, place or status changes.
    pub sequence: i32,
}

/// A dated run of a training, with everything a reader needs.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    /// Shared by every session of the training that a page holds.
    pub training: Arc<Training>,
    pub room: Room,
    pub trainers: Vec<PersonName>,
    pub slots: Vec<Slot>,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub time_zone: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub enrolment_deadline: Option<DateTime<Utc>>,
    pub qualiopi_scope: bool,
    pub bpf_scope: bool,
    pub duration_note: Option<String>,
    pub planned_minutes: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Session {
    pub fn seats_left(&self) -> i32 {
        (self.capacity - self.seats_taken).max(0)
    }
}

/// A competence record of a trainer (Qualiopi ind. 21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competence {
    pub id: Uuid,
    pub obtained_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A person holding the trainer role, with what the federation records about them.
#[derive(Debug, Clone)]
pub struct Trainer {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub kind: TrainerKind,
    pub company: Option<String>,
    pub contract_reference: Option<String>,
    pub competences: Vec<Competence>,
}

/// A trainer's profile as a caller sets it.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub kind: TrainerKind,
    pub company: Option<String>,
    pub contract_reference: Option<String>,
}

/// A competence record as a caller adds it.
#[derive(Debug, Clone)]
pub struct CompetenceInput {
    pub obtained_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
}

/// Filters of the administrators' training list.
#[derive(Debug, Clone, Default)]
pub struct TrainingFilter {
    pub status: Option<TrainingStatus>,
    pub theme: Option<Theme>,
}

/// Filters of session lists.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub statuses: Vec<SessionStatus>,
    pub training_id: Option<Uuid>,
    pub taught_by: Option<Uuid>,
    pub theme: Option<Theme>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub online: Option<bool>,
    pub city: Option<String>,
    /// Only sessions with a seat left and an open enrolment deadline at this instant.
    pub available_at: Option<DateTime<Utc>>,
    /// Only sessions in the public catalogue (published, and so is their training).
    pub listed_only: bool,
    /// Only sessions with a half-day whose local date falls between these days (both included).
    pub half_days_between: Option<(NaiveDate, NaiveDate)>,
}

/// Public filters of the catalogue's sessions.
#[derive(Debug, Clone, Default)]
pub struct PublicSessionFilter {
    pub training_id: Option<Uuid>,
    pub theme: Option<Theme>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub online: Option<bool>,
    pub city: Option<String>,
    pub available: Option<bool>,
}

/// The searchable form of a city: trimmed and lower-cased with Unicode rules (SQLite's `lower()`
/// only knows ASCII, so the database cannot do it).
pub fn city_key(city: &str) -> String {
    city.trim().to_lowercase()
}

/// Which sessions a calendar feed shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarScope {
    /// Every session of a published training.
    Published,
    /// The sessions of one published training.
    Training(Uuid),
    /// These sessions, whatever their training (a person's own).
    Sessions(Vec<Uuid>),
}

/// What a calendar needs to know of a session without loading it: whether it is in a feed's
/// window, when what it shows last changed, and a fingerprint that changes with any write to
/// the session (its half-days included), its training or its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStamp {
    pub id: Uuid,
    pub status: SessionStatus,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// The latest `updated_at` of the session, its training and its room.
    pub last_changed: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Sync versions of the session, its training and its room.
    pub fingerprint: (i64, i64, i64),
}

/// A training's published result indicators (Qualiopi ind. 2), per year. Computed by the
/// quality context (which reads enrolment, attendance and surveys) through [`ResultsSource`](crate::catalogue::service::ResultsSource).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingResults {
    pub training_id: Uuid,
    /// The years with at least one ended session, latest first.
    pub years: Vec<YearResults>,
    /// When the figures may change without a write (a session ends and its survey opens).
    pub fresh_until: Option<DateTime<Utc>>,
}

/// The indicators of the sessions that ended in one calendar year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearResults {
    pub year: i32,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub sessions: u64,
    pub figures: Vec<Figure>,
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureUnit {
    Count,
    Percent,
    ScoreOutOf5,
}

/// One published figure: its value (`None` when it rests on fewer answers than may be
/// published), the count it rests on, and its formula in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: FigureUnit,
    pub value: Option<f64>,
    pub base: u64,
    pub formula: String,
    /// Counts by category (drop-outs by cause).
    pub breakdown: Vec<(&'static str, u64)>,
}
