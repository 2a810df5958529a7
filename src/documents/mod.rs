//! Legal documents as PDF/A-2b, rendered in-process from Typst templates (`templates/`): the
//! certificat de réalisation (issued once, stored with its hash, verifiable by a public code,
//! revocable), the attestation de fin de formation with the assessment results it prints, the
//! feuille d'émargement, the convocation, the quote and the convention de formation. The
//! provider's identity printed on each comes from an administrator, not from code.

pub mod api;
pub mod model;
pub mod policy;
pub mod render;
pub mod service;
mod store;
