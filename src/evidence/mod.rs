//! Qualiopi evidence (issue 26): the national quality referential as data (V9 until
//! 2026-10-31, V10 from 2026-11-01) and the evidence report an administrator opens before an
//! audit — per indicator of the version in force, its status, the figures computed from the
//! other contexts' records and each gap linked to the record that lacks its evidence. It reads
//! every context below it through their services; none imports it. It never declares
//! conformity: an auditor does.

pub mod api;
pub mod jobs;
pub mod model;
pub mod referential;
pub mod service;
