//! The integration suite: one binary, the app in-process, every database test on SQLite and on
//! PostgreSQL (see `harness::db_test!`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod harness;
/// The binary's demo dataset (not part of the library), loaded by the tests that need it.
#[allow(dead_code)]
#[path = "../../src/demo/mod.rs"]
mod demo;
mod fixtures;

mod accommodations;
mod accounts_auth;
mod accounts_organisations;
mod accounts_people;
mod attendance;
mod attendance_checks;
mod attendance_evidence;
mod attendance_exports;
mod audit;
mod backups;
mod calendar;
mod catalogue_cache;
mod catalogue_public;
mod catalogue_sessions;
mod catalogue_trainings;
mod clubs;
mod clubs_meetings;
mod convocations;
mod crash;
mod demo_data;
mod documents;
mod enrolment;
mod enrolment_groups;
mod errors;
mod evidence;
mod evidence_bpf;
mod evidence_bundles;
mod evidence_pdf;
mod exports;
mod layering;
mod list_get_agreement;
mod notifications;
mod operations;
mod oracle;
mod persistence;
mod personal_data;
mod positioning;
mod quality_complaints;
mod quality_registers;
mod quality_reports;
mod quality_surveys;
mod rescheduling;
mod retention;
mod security_headers;
mod spec;
mod sync;
mod sync_stamping;
mod write_tx;
