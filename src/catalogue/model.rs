//! The catalogue's vocabulary: the programme of a training (Qualiopi ind. 1, 5, 6; L. 6353-1),
//! money, contacts, themes and the states of trainings and sessions.
//!
//! The programme is one document: it is what the catalogue publishes, what a dated version
//! freezes, and what a client sends. It is stored as JSON, so a version is exactly what was
//! published.

use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use crate::http::text::Text;

/// A theme of the federation's catalogue.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Enum, Serialize, Deserialize,
)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Building projects funded by AFD or the European Union.
    ProjectFunding,
    /// Management of an association.
    Management,
    /// Economic models.
    EconomicModels,
    /// Associative strategy and governance.
    AssociativeStrategy,
    /// Financial management.
    FinancialManagement,
    /// Communication.
    Communication,
    /// Human resources.
    HumanResources,
}

impl Theme {
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
}

/// How a training is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// In a room.
    InPerson,
    /// At a distance.
    Remote,
    /// Partly in a room, partly at a distance.
    Hybrid,
}

/// An amount of money in integer cents.
#[derive(Debug, Clone, PartialEq, Eq, Object, Serialize, Deserialize)]
pub struct Money {
    /// Amount in cents (45000 = 450.00).
    #[oai(validator(minimum(value = "0")))]
    pub amount_cents: i64,
    /// ISO 4217 currency code, e.g. `EUR`. Required; a price without it is refused (422).
    #[oai(nullable, validator(pattern = "^[A-Za-z]{3}$"))]
    pub currency: Option<Text>,
}

/// A person to contact.
#[derive(Debug, Clone, PartialEq, Eq, Object, Serialize, Deserialize)]
pub struct Contact {
    /// Name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Text,
    /// E-mail.
    #[oai(validator(min_length = 1, max_length = 254))]
    pub email: Text,
    /// Telephone, if any.
    #[oai(nullable, validator(max_length = 40))]
    #[serde(default)]
    pub phone: Option<Text>,
}

/// The programme of a training: everything the public catalogue must state (Qualiopi ind. 1, 5,
/// 6; V10 ind. 1 adds recognition and financing; L. 6353-1 for the programme itself).
#[derive(Debug, Clone, PartialEq, Eq, Object, Serialize, Deserialize)]
pub struct Programme {
    /// Title.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: Text,
    /// Short description for the catalogue.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub summary: Text,
    /// Themes (at least one).
    #[oai(validator(min_items = 1, max_items = 10))]
    pub themes: Vec<Theme>,
    /// Operational and assessable objectives (at least one).
    #[oai(validator(min_items = 1, max_items = 30))]
    pub objectives: Vec<Text>,
    /// Prior knowledge required; empty only together with `no_prerequisites: true`.
    #[oai(validator(max_items = 30))]
    pub prerequisites: Vec<Text>,
    /// Explicitly states that the training has no prerequisite.
    pub no_prerequisites: bool,
    /// Who the training is for.
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub target_audience: Text,
    /// Duration in minutes (a session's half-days must add up to it).
    #[oai(validator(minimum(value = "1"), maximum(value = "24000")))]
    pub duration_minutes: i32,
    /// Delivery modality.
    pub modality: Modality,
    /// For remote or hybrid trainings: the work required at a distance, its estimated time,
    /// its follow-up and the support offered (L. 6353-1). Required unless in person.
    #[oai(nullable, validator(max_length = 4000))]
    #[serde(default)]
    pub remote_arrangements: Option<Text>,
    /// Pedagogical methods.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub pedagogical_methods: Text,
    /// Pedagogical, technical and supervisory means.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub pedagogical_means: Text,
    /// How learning is assessed.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub assessment_modalities: Text,
    /// Access modalities and delay (e.g. "enrolment until 7 days before the session").
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub access_delay: Text,
    /// Price for staff of member organisations.
    pub member_price: Money,
    /// Price for everyone else.
    pub non_member_price: Money,
    /// Accessibility to people with disabilities.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub accessibility: Text,
    /// The disability referent.
    pub disability_referent: Contact,
    /// Contact for questions about the training.
    pub contact: Contact,
    /// Type of recognition (e.g. "attestation de fin de formation, non certifiante").
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub recognition: Text,
    /// Financing modalities (OPCO, own funds…).
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub financing_modalities: Text,
}

/// Life cycle of a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TrainingStatus {
    /// Being written; not public.
    Draft,
    /// In the public catalogue.
    Published,
    /// Withdrawn from the catalogue; kept for evidence.
    Archived,
}

impl TrainingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "published" => Self::Published,
            "archived" => Self::Archived,
            _ => Self::Draft,
        }
    }
}

/// Life cycle of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Being planned; not public.
    Draft,
    /// Open in the catalogue.
    Published,
    /// Over and closed (attendance final).
    Closed,
    /// Cancelled, with a reason.
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "published" => Self::Published,
            "closed" => Self::Closed,
            "cancelled" => Self::Cancelled,
            _ => Self::Draft,
        }
    }
}

/// Morning or afternoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The morning half-day.
    Morning,
    /// The afternoon half-day.
    Afternoon,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Morning => "morning",
            Self::Afternoon => "afternoon",
        }
    }

    pub fn parse(value: &str) -> Self {
        if value == "afternoon" {
            Self::Afternoon
        } else {
            Self::Morning
        }
    }
}
