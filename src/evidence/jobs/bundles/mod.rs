//! Audit bundles: one ZIP an administrator hands the auditor — the evidence report (JSON and
//! PDF), per sampled session its attendance sheet, certificates, convocations and survey
//! results, the period's complaints and improvement actions, and a manifest with every file's
//! SHA-256.
//!
//! A bundle is a job row (`evidence_bundle`): its plan (the files, decided when it starts), how
//! many are written and the current step. Files are written one by one to a staging directory
//! under `--data-dir`, each recorded with its hash as it lands, so a job interrupted by a
//! restart resumes at the first file not recorded; the ZIP is then streamed from those files
//! to disk, never held in memory. A job interrupted three times is marked failed with the
//! reason; none stays "running" after a restart ([`resume_interrupted`]).

mod archive;
mod model;
mod plan;
mod produce;
mod run;
mod store;

pub use model::{Bundle, BundleRequest, BundleStatus, Entry, Item};
pub use run::{archive_path, get, request, resume_interrupted, run_now};
