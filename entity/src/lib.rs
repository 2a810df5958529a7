//! sea-orm entities, one file per table. No business logic lives here.

pub mod absence_followup;
pub mod accommodation_request;
pub mod attendance_event;
pub mod attendance_mark;
pub mod auth_token;
pub mod convocation;
pub mod enrolment;
pub mod organisation;
pub mod person;
pub mod person_role;
pub mod positioning_answer;
pub mod positioning_questionnaire;
pub mod room;
pub mod session_closure;
pub mod session_trainer;
pub mod signature;
pub mod slot;
pub mod slot_signoff;
pub mod status;
pub mod sync_change;
pub mod sync_space;
pub mod trainer_competence;
pub mod trainer_profile;
pub mod training;
pub mod training_session;
pub mod training_version;
