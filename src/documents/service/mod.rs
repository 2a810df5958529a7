//! The documents context's rules: who gets which document, what each states, issuing and
//! revoking certificates. Rendering goes through [`crate::documents::render`].

mod assessments;
mod certificates;
mod contracts;
mod errors;
mod facts;
mod issued;
mod provider;
mod sheets;
mod trainee;

pub use assessments::*;
pub use certificates::*;
pub use contracts::*;
pub use errors::{DocumentsError, Result};
pub use facts::french_duration;
pub use issued::*;
pub use provider::*;
pub use sheets::*;
pub use trainee::*;
