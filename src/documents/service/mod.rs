//! The documents context's rules: who gets which document, what each states, issuing and
//! revoking certificates. Rendering goes through [`crate::documents::render`].

mod assessments;
mod certificates;
mod contracts;
mod errors;
mod facts;
mod issued;
mod personal;
mod provider;
mod sheets;
mod trainee;

pub use assessments::*;
pub use certificates::*;
pub use contracts::*;
pub use errors::{DocumentsError, Result};
pub use facts::{french_date, french_duration, issue_day, issued_json, provider_json};
pub use issued::*;
pub use personal::*;
pub use provider::*;
pub use sheets::*;
pub use trainee::*;

/// What a context above prints a document of its own with (the evidence report).
pub use crate::documents::render::{Job as RenderJob, RenderError, Renderer, Template};
