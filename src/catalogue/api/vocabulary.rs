//! The catalogue's vocabulary as the API spells it: the programme document clients send and
//! read, its money and contacts, and the enumerations of the catalogue. Each type keeps the
//! schema name it has always had and converts to and from the domain types of `model`.

use poem_openapi::{Enum, Object};

use crate::catalogue::model;
use crate::http::patch::Patch;
use crate::http::text::{EmailText, ListItem, Text};

/// A theme of the federation's catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Enum)]
#[oai(rename = "Theme", rename_all = "snake_case", remote = "model::Theme")]
pub enum ThemeView {
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

/// How a training is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "Modality",
    rename_all = "snake_case",
    remote = "model::Modality"
)]
pub enum ModalityView {
    /// In a room.
    InPerson,
    /// At a distance.
    Remote,
    /// Partly in a room, partly at a distance.
    Hybrid,
}

/// A training's general objective, as the yearly BPF (cerfa 10443, frame F-3) classes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "GeneralObjective",
    rename_all = "snake_case",
    remote = "model::GeneralObjective"
)]
pub enum GeneralObjectiveView {
    /// F-3 a: a diploma, title or CQP registered in the RNCP, level 6 to 8.
    RncpLevel6To8,
    /// F-3 a: … level 5.
    RncpLevel5,
    /// F-3 a: … level 4.
    RncpLevel4,
    /// F-3 a: … level 3.
    RncpLevel3,
    /// F-3 a: … level 2.
    RncpLevel2,
    /// F-3 a: … a CQP without a level of qualification.
    RncpCqpWithoutLevel,
    /// F-3 b: a certification or habilitation registered in the specific register (RS).
    SpecificRegister,
    /// F-3 c: a CQP registered neither in the RNCP nor in the RS.
    UnregisteredCqp,
    /// F-3 d: another professional training (development, broadening of skills): the
    /// federation's usual case.
    ProfessionalDevelopment,
    /// F-3 e: a skills assessment (bilan de compétences).
    SkillsAssessment,
    /// F-3 f: support towards the validation of prior experience (VAE).
    VaeSupport,
}

/// An amount of money in integer cents.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Money")]
pub struct MoneyView {
    /// Amount in cents (45000 = 450.00).
    #[oai(validator(minimum(value = "0")))]
    pub amount_cents: i64,
    /// ISO 4217 currency code, e.g. `EUR` (required).
    #[oai(validator(pattern = "^[A-Za-z]{3}$"))]
    pub currency: Text,
}

/// A person to contact.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Contact")]
pub struct ContactView {
    /// Name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Text,
    /// E-mail.
    pub email: EmailText,
    /// Telephone, if any.
    #[oai(nullable, validator(max_length = 40))]
    pub phone: Option<Text>,
}

/// The programme of a training: everything the public catalogue must state (Qualiopi ind. 1, 5,
/// 6; V10 ind. 1 adds recognition and financing; L. 6353-1 for the programme itself).
///
/// - `modality`: Delivery modality.
/// - `member_price`: Price for staff of member organisations.
/// - `non_member_price`: Price for everyone else.
/// - `disability_referent`: The disability referent.
/// - `contact`: Contact for questions about the training.
/// - `general_objective`: Its general objective for the yearly BPF (frame F-3), if stated;
///   absent otherwise (a PUT without it leaves it unstated). The BPF reports the hours of a
///   training without one as missing rather than guessing.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Programme")]
pub struct ProgrammeView {
    /// Title.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: Text,
    /// Short description for the catalogue.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub summary: Text,
    /// Themes (at least one).
    #[oai(validator(min_items = 1, max_items = 10))]
    pub themes: Vec<ThemeView>,
    /// Operational and assessable objectives (at least one).
    #[oai(validator(min_items = 1, max_items = 30))]
    pub objectives: Vec<ListItem>,
    /// Prior knowledge required; empty only together with `no_prerequisites: true`.
    #[oai(validator(max_items = 30))]
    pub prerequisites: Vec<ListItem>,
    /// Explicitly states that the training has no prerequisite.
    pub no_prerequisites: bool,
    /// Who the training is for.
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub target_audience: Text,
    /// Duration in minutes (a session's half-days must add up to it).
    #[oai(validator(minimum(value = "1"), maximum(value = "24000")))]
    pub duration_minutes: i32,
    pub modality: ModalityView,
    /// For remote or hybrid trainings: the work required at a distance, its estimated time,
    /// its follow-up and the support offered (L. 6353-1). Required unless in person.
    #[oai(nullable, validator(max_length = 4000))]
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
    pub member_price: MoneyView,
    pub non_member_price: MoneyView,
    /// Accessibility to people with disabilities.
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub accessibility: Text,
    pub disability_referent: ContactView,
    pub contact: ContactView,
    /// Type of recognition (e.g. "attestation de fin de formation, non certifiante").
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub recognition: Text,
    /// Financing modalities (OPCO, own funds…).
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub financing_modalities: Text,
    pub general_objective: Patch<GeneralObjectiveView>,
    /// Its speciality for the yearly BPF (frame F-4): a code of the NSF nomenclature, three
    /// digits (e.g. `315`, human resources), if stated; absent otherwise (a PUT without it
    /// leaves it unstated). The BPF reports the hours of a training without one as missing.
    #[oai(validator(pattern = "^[0-9]{3}$"))]
    pub nsf_code: Patch<Text>,
}

/// Life cycle of a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "TrainingStatus",
    rename_all = "snake_case",
    remote = "model::TrainingStatus"
)]
pub enum TrainingStatusView {
    /// Being written; not public.
    Draft,
    /// In the public catalogue.
    Published,
    /// Withdrawn from the catalogue; kept for evidence.
    Archived,
}

/// Life cycle of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "SessionStatus",
    rename_all = "snake_case",
    remote = "model::SessionStatus"
)]
pub enum SessionStatusView {
    /// Being planned; not public.
    Draft,
    /// Open in the catalogue.
    Published,
    /// Over and closed (attendance final).
    Closed,
    /// Cancelled, with a reason.
    Cancelled,
}

/// Morning or afternoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Enum)]
#[oai(rename = "Period", rename_all = "snake_case", remote = "model::Period")]
pub enum PeriodView {
    /// The morning half-day.
    Morning,
    /// The afternoon half-day.
    Afternoon,
}

/// Internal staff or an external subcontractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "TrainerKind",
    rename_all = "snake_case",
    remote = "model::TrainerKind"
)]
pub enum TrainerKindView {
    /// Staff of the federation.
    Internal,
    /// Subcontracted: company and contract reference are required.
    External,
}

fn texts(values: Vec<ListItem>) -> Vec<String> {
    values.into_iter().map(ListItem::into_inner).collect()
}

fn strict(values: Vec<String>) -> Vec<ListItem> {
    values.into_iter().map(ListItem).collect()
}

impl From<MoneyView> for model::Money {
    fn from(m: MoneyView) -> Self {
        Self {
            amount_cents: m.amount_cents,
            currency: Some(m.currency.into_inner()),
        }
    }
}

impl From<model::Money> for MoneyView {
    fn from(m: model::Money) -> Self {
        Self {
            amount_cents: m.amount_cents,
            currency: Text(m.currency.unwrap_or_default()),
        }
    }
}

impl From<ContactView> for model::Contact {
    fn from(c: ContactView) -> Self {
        Self {
            name: c.name.into_inner(),
            email: c.email.into_inner(),
            phone: c.phone.map(Text::into_inner),
        }
    }
}

impl From<model::Contact> for ContactView {
    fn from(c: model::Contact) -> Self {
        Self {
            name: Text(c.name),
            email: EmailText(c.email),
            phone: c.phone.map(Text),
        }
    }
}

impl From<ProgrammeView> for model::Programme {
    fn from(p: ProgrammeView) -> Self {
        Self {
            title: p.title.into_inner(),
            summary: p.summary.into_inner(),
            themes: p.themes.into_iter().map(Into::into).collect(),
            objectives: texts(p.objectives),
            prerequisites: texts(p.prerequisites),
            no_prerequisites: p.no_prerequisites,
            target_audience: p.target_audience.into_inner(),
            duration_minutes: p.duration_minutes,
            modality: p.modality.into(),
            remote_arrangements: p.remote_arrangements.map(Text::into_inner),
            pedagogical_methods: p.pedagogical_methods.into_inner(),
            pedagogical_means: p.pedagogical_means.into_inner(),
            assessment_modalities: p.assessment_modalities.into_inner(),
            access_delay: p.access_delay.into_inner(),
            member_price: p.member_price.into(),
            non_member_price: p.non_member_price.into(),
            accessibility: p.accessibility.into_inner(),
            disability_referent: p.disability_referent.into(),
            contact: p.contact.into(),
            recognition: p.recognition.into_inner(),
            financing_modalities: p.financing_modalities.into_inner(),
            general_objective: p.general_objective.get().map(Into::into),
            nsf_code: p.nsf_code.get().map(Text::into_inner),
        }
    }
}

impl From<model::Programme> for ProgrammeView {
    fn from(p: model::Programme) -> Self {
        Self {
            title: Text(p.title),
            summary: Text(p.summary),
            themes: p.themes.into_iter().map(Into::into).collect(),
            objectives: strict(p.objectives),
            prerequisites: strict(p.prerequisites),
            no_prerequisites: p.no_prerequisites,
            target_audience: Text(p.target_audience),
            duration_minutes: p.duration_minutes,
            modality: p.modality.into(),
            remote_arrangements: p.remote_arrangements.map(Text),
            pedagogical_methods: Text(p.pedagogical_methods),
            pedagogical_means: Text(p.pedagogical_means),
            assessment_modalities: Text(p.assessment_modalities),
            access_delay: Text(p.access_delay),
            member_price: p.member_price.into(),
            non_member_price: p.non_member_price.into(),
            accessibility: Text(p.accessibility),
            disability_referent: p.disability_referent.into(),
            contact: p.contact.into(),
            recognition: Text(p.recognition),
            financing_modalities: Text(p.financing_modalities),
            general_objective: p.general_objective.map(Into::into).into(),
            nsf_code: p.nsf_code.map(Text).into(),
        }
    }
}
