//! The documents context's SQL: the provider's identity, issued certificates, assessments.

mod assessments;
mod certificates;
mod provider;

pub use assessments::*;
pub use certificates::*;
pub use provider::*;

use sea_orm::DbErr;

fn json_error(error: serde_json::Error) -> DbErr {
    DbErr::Custom(format!("stored document content: {error}"))
}
