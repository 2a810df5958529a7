//! The typed values of status-like columns. Each is stored as its `string_value`; a value the
//! enum does not know makes reading the row fail, never silently becomes a default.

use sea_orm::entity::prelude::*;

/// A training's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum TrainingStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// A session's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SessionStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "closed")]
    Closed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// The half of a day a slot covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Period {
    #[sea_orm(string_value = "morning")]
    Morning,
    #[sea_orm(string_value = "afternoon")]
    Afternoon,
}

/// Whether a trainer is on the federation's staff or subcontracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum TrainerKind {
    #[sea_orm(string_value = "internal")]
    Internal,
    #[sea_orm(string_value = "external")]
    External,
}

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum EnrolmentStatus {
    /// Holds a seat.
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    /// Waits for a seat, at `waitlist_position`.
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Cancelled (kept, with who, when and why).
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// The session was closed while it held a seat: `outcome` and `attended_minutes` say how it
    /// went.
    #[sea_orm(string_value = "completed")]
    Completed,
}

/// Which of the training's prices an enrolment pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PriceKind {
    #[sea_orm(string_value = "member")]
    Member,
    #[sea_orm(string_value = "non_member")]
    NonMember,
}

/// The trainee's situation, as the BPF counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum TraineeType {
    #[sea_orm(string_value = "employee")]
    Employee,
    #[sea_orm(string_value = "job_seeker")]
    JobSeeker,
    #[sea_orm(string_value = "individual")]
    Individual,
    #[sea_orm(string_value = "other")]
    Other,
}

/// Who pays, as the BPF counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum FundingSource {
    #[sea_orm(string_value = "opco")]
    Opco,
    #[sea_orm(string_value = "employer")]
    Employer,
    #[sea_orm(string_value = "individual")]
    Individual,
    #[sea_orm(string_value = "public")]
    Public,
    #[sea_orm(string_value = "other")]
    Other,
}

/// What an attendance mark records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MarkStatus {
    #[sea_orm(string_value = "present")]
    Present,
    /// Present, minus `late_minutes` at the start.
    #[sea_orm(string_value = "late")]
    Late,
    #[sea_orm(string_value = "absent")]
    Absent,
    /// Absent with a reason accepted in advance.
    #[sea_orm(string_value = "excused")]
    Excused,
}

/// Why a trainee left a training (Qualiopi ind. 12; the result indicators count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum DropOutCause {
    #[sea_orm(string_value = "personal")]
    Personal,
    #[sea_orm(string_value = "professional")]
    Professional,
    #[sea_orm(string_value = "health")]
    Health,
    #[sea_orm(string_value = "content_unsuited")]
    ContentUnsuited,
    #[sea_orm(string_value = "other")]
    Other,
}

/// Who recorded a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RecordedAs {
    /// The trainee's own check-in.
    #[sea_orm(string_value = "trainee")]
    Trainee,
    /// A trainer of the session (or the animator of a meeting).
    #[sea_orm(string_value = "trainer")]
    Trainer,
    #[sea_orm(string_value = "admin")]
    Admin,
}

/// What is attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ActivityKind {
    /// A half-day of a training session.
    #[sea_orm(string_value = "slot")]
    Slot,
    /// A club meeting.
    #[sea_orm(string_value = "meeting")]
    Meeting,
}

/// How a closed session went for one trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Outcome {
    /// Every scheduled minute attended.
    #[sea_orm(string_value = "completed")]
    Completed,
    /// Some of it.
    #[sea_orm(string_value = "partial")]
    Partial,
    /// None of it.
    #[sea_orm(string_value = "absent")]
    Absent,
}

/// The trade a club gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ClubTrade {
    #[sea_orm(string_value = "financial_management")]
    FinancialManagement,
    #[sea_orm(string_value = "access_to_funding")]
    AccessToFunding,
    #[sea_orm(string_value = "communication")]
    Communication,
    #[sea_orm(string_value = "human_resources")]
    HumanResources,
    /// Directors and board members.
    #[sea_orm(string_value = "leaders")]
    Leaders,
    #[sea_orm(string_value = "other")]
    Other,
}

/// Who may join a club.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MembershipPolicy {
    /// People of the federation's member organisations join at once.
    #[sea_orm(string_value = "federation_members")]
    FederationMembers,
    /// Anyone with an account joins at once.
    #[sea_orm(string_value = "open")]
    Open,
    /// Anyone may ask; an animator approves or declines.
    #[sea_orm(string_value = "on_request")]
    OnRequest,
}

/// Who sees a club's meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CalendarVisibility {
    /// Anyone (and a public iCalendar feed), never the online links nor names.
    #[sea_orm(string_value = "public")]
    Public,
    /// Its members and animators only.
    #[sea_orm(string_value = "members")]
    Members,
}

/// A club's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ClubStatus {
    #[sea_orm(string_value = "active")]
    Active,
    /// Kept for its history; no new members nor meetings.
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// A person's part in a club.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ClubRole {
    #[sea_orm(string_value = "member")]
    Member,
    /// Runs the club: meetings, attendance, minutes, resources, requests to join.
    #[sea_orm(string_value = "animator")]
    Animator,
}

/// Where a person's membership of a club stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MembershipStatus {
    /// Asked to join an on-request club; an animator decides.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "active")]
    Active,
    /// An animator declined the request.
    #[sea_orm(string_value = "declined")]
    Declined,
    /// The person left.
    #[sea_orm(string_value = "left")]
    Left,
    /// An animator or administrator removed them.
    #[sea_orm(string_value = "removed")]
    Removed,
}

/// A club meeting's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MeetingStatus {
    #[sea_orm(string_value = "planned")]
    Planned,
    /// Cancelled, with its reason; its RSVPs are kept.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// It took place: someone was recorded present.
    #[sea_orm(string_value = "held")]
    Held,
}

/// A member's answer to a meeting invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RsvpAnswer {
    #[sea_orm(string_value = "yes")]
    Yes,
    #[sea_orm(string_value = "no")]
    No,
    #[sea_orm(string_value = "maybe")]
    Maybe,
}

/// What a meeting resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ResourceKind {
    #[sea_orm(string_value = "link")]
    Link,
    #[sea_orm(string_value = "file")]
    File,
}

/// Where a sync conflict stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ConflictStatus {
    /// Nobody looked at it yet.
    #[sea_orm(string_value = "open")]
    Open,
    /// Someone involved saw it.
    #[sea_orm(string_value = "acknowledged")]
    Acknowledged,
    /// Someone involved acted on it.
    #[sea_orm(string_value = "resolved")]
    Resolved,
}

/// Which value a sync conflict kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ConflictResolution {
    /// The value already stored stayed; the pushed one is kept as the loser.
    #[sea_orm(string_value = "server_won")]
    ServerWon,
    /// The pushed value is stored; the one it replaced is kept as the loser.
    #[sea_orm(string_value = "client_won")]
    ClientWon,
}

/// Whose devices see a sync conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ConflictContext {
    /// A training session's (its trainers').
    #[sea_orm(string_value = "session")]
    Session,
    /// A club's (its animators').
    #[sea_orm(string_value = "club")]
    Club,
}

/// What became of a pushed mutation, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MutationStatus {
    #[sea_orm(string_value = "applied")]
    Applied,
    /// Decided against a concurrent change; the loser is kept.
    #[sea_orm(string_value = "conflict")]
    Conflict,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Pushed by a revoked device: kept unapplied for an administrator.
    #[sea_orm(string_value = "quarantined")]
    Quarantined,
    /// Quarantined, then accepted (applied) by an administrator.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Quarantined, then discarded by an administrator (never applied).
    #[sea_orm(string_value = "discarded")]
    Discarded,
}
