//! Schema migrations: one change per file, portable builders, a working `down` for each.
//! Never imports `entity`: a migration is frozen at the schema it was written for.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_sync_space;
mod m20261125_000002_create_sync_change;
mod m20261125_000003_create_organisation;
mod m20261125_000004_create_person;
mod m20261125_000005_create_person_role;
mod m20261125_000006_create_auth_token;
mod m20261126_000007_create_room;
mod m20261126_000008_create_training;
mod m20261126_000009_create_training_version;
mod m20261126_000010_create_trainer_profile;
mod m20261126_000011_create_trainer_competence;
mod m20261126_000012_create_training_session;
mod m20261126_000013_create_session_trainer;
mod m20261126_000014_create_slot;
mod m20261202_000015_create_enrolment;
mod m20261202_000016_create_accommodation_request;
mod m20261202_000017_create_convocation;
mod m20261202_000018_create_positioning;
mod m20261203_000019_create_signature;
mod m20261203_000020_create_attendance_mark;
mod m20261203_000021_create_slot_signoff;
mod m20261203_000022_create_attendance_event;
mod m20261203_000023_create_session_closure;
mod m20261203_000024_add_enrolment_outcome;
mod m20261203_000025_create_absence_followup;
mod m20261203_000026_add_slot_sequence;
mod m20261203_000027_create_calendar_token;
mod m20261203_000028_create_club;
mod m20261203_000029_create_meeting;
mod m20261203_000030_create_meeting_minutes_and_resources;
mod m20261203_000031_create_sync_devices;
mod m20261203_000032_create_documents;
mod m20261207_000033_add_receipt_times;
mod m20261207_000034_add_enrolment_late_start;
mod m20261207_000035_add_sync_mutation_base;
mod m20261207_000036_keep_calendar_token;
mod m20261207_000037_create_complaints_and_reports;
mod m20261207_000038_create_quality_registers;
mod m20261207_000039_add_drop_out_cause;
mod m20261207_000040_create_surveys;
mod m20261207_000041_add_assessment_objectives;
mod m20261207_000043_create_evidence_bundles;
mod m20261208_000044_create_notifications;
mod m20261208_000045_add_person_erasure;
mod m20261208_000046_create_audit_entry;
pub mod sync_guard;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_sync_space::Migration),
            Box::new(m20261125_000002_create_sync_change::Migration),
            Box::new(m20261125_000003_create_organisation::Migration),
            Box::new(m20261125_000004_create_person::Migration),
            Box::new(m20261125_000005_create_person_role::Migration),
            Box::new(m20261125_000006_create_auth_token::Migration),
            Box::new(m20261126_000007_create_room::Migration),
            Box::new(m20261126_000008_create_training::Migration),
            Box::new(m20261126_000009_create_training_version::Migration),
            Box::new(m20261126_000010_create_trainer_profile::Migration),
            Box::new(m20261126_000011_create_trainer_competence::Migration),
            Box::new(m20261126_000012_create_training_session::Migration),
            Box::new(m20261126_000013_create_session_trainer::Migration),
            Box::new(m20261126_000014_create_slot::Migration),
            Box::new(m20261202_000015_create_enrolment::Migration),
            Box::new(m20261202_000016_create_accommodation_request::Migration),
            Box::new(m20261202_000017_create_convocation::Migration),
            Box::new(m20261202_000018_create_positioning::Migration),
            Box::new(m20261203_000019_create_signature::Migration),
            Box::new(m20261203_000020_create_attendance_mark::Migration),
            Box::new(m20261203_000021_create_slot_signoff::Migration),
            Box::new(m20261203_000022_create_attendance_event::Migration),
            Box::new(m20261203_000023_create_session_closure::Migration),
            Box::new(m20261203_000024_add_enrolment_outcome::Migration),
            Box::new(m20261203_000025_create_absence_followup::Migration),
            Box::new(m20261203_000026_add_slot_sequence::Migration),
            Box::new(m20261203_000027_create_calendar_token::Migration),
            Box::new(m20261203_000028_create_club::Migration),
            Box::new(m20261203_000029_create_meeting::Migration),
            Box::new(m20261203_000030_create_meeting_minutes_and_resources::Migration),
            Box::new(m20261203_000031_create_sync_devices::Migration),
            Box::new(m20261203_000032_create_documents::Migration),
            Box::new(m20261207_000033_add_receipt_times::Migration),
            Box::new(m20261207_000034_add_enrolment_late_start::Migration),
            Box::new(m20261207_000035_add_sync_mutation_base::Migration),
            Box::new(m20261207_000036_keep_calendar_token::Migration),
            Box::new(m20261207_000037_create_complaints_and_reports::Migration),
            Box::new(m20261207_000038_create_quality_registers::Migration),
            Box::new(m20261207_000039_add_drop_out_cause::Migration),
            Box::new(m20261207_000040_create_surveys::Migration),
            Box::new(m20261207_000041_add_assessment_objectives::Migration),
            Box::new(m20261207_000043_create_evidence_bundles::Migration),
            Box::new(m20261208_000044_create_notifications::Migration),
            Box::new(m20261208_000045_add_person_erasure::Migration),
            Box::new(m20261208_000046_create_audit_entry::Migration),
        ]
    }
}
