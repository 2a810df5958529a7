//! The tags that group operations in the spec.

use poem_openapi::Tags;

#[derive(Tags)]
pub enum ApiTags {
    /// Logging in and out, and the current account.
    Auth,
    /// Organisations: members of the federation or not.
    Organisations,
    /// People and their roles.
    People,
    /// Administrators' trainings and their dated versions.
    Trainings,
    /// Rooms, places and online rooms.
    Rooms,
    /// Trainers, their profiles and competences.
    Trainers,
    /// Sessions and their half-day slots (administrators and trainers).
    Sessions,
    /// The public catalogue: published trainings and sessions, no authentication.
    Catalogue,
    /// Enrolments in sessions: seats, the waitlist, prices and cancellations.
    Enrolments,
    /// Attendance per half-day: marks with signatures, countersignatures, the sheet, its checks
    /// and closing a session.
    Attendance,
    /// Legal documents as PDF/A-2b: certificats de réalisation (with their public verification),
    /// attestations de fin de formation, feuilles d'émargement, convocations, quotes and
    /// conventions; assessment results; the provider's identity they print.
    Documents,
    /// Clubs métiers: members, meetings, answers, attendance, minutes and resources.
    Clubs,
    /// Quality records (Qualiopi): complaints, the confidential reports channel, improvement
    /// actions, the watch register and the risk analysis.
    Quality,
    /// Surveys (Qualiopi ind. 30): templates, trainees' hot and cold surveys, trainers'
    /// debriefs, funders' surveys through a secret link, answers and aggregated results.
    Surveys,
    /// Qualiopi evidence for administrators: the report per indicator of the referential in
    /// force, with its figures and gaps.
    Evidence,
    /// E-mail notifications: the messages drafted from events (enrolments, convocations,
    /// sessions and meetings changed or cancelled, certificates, complaints) and their
    /// delivery, each person's messages and preferences, one-click unsubscribe.
    Notifications,
    /// Personal data (GDPR): a person's export of everything held about them, and their
    /// erasure by an administrator, which keeps what the law requires under a pseudonym.
    PersonalData,
    /// Offline sync for the mobile app: devices, pull, push, signature blobs, conflicts and the
    /// quarantine of revoked devices.
    Sync,
    /// iCalendar feeds: the catalogue, a training, each person's own calendar.
    Calendar,
    /// Liveness and readiness probes.
    Operations,
    /// The audit log of administrators' writes (read-only).
    Audit,
}
