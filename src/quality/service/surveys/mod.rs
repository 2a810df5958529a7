//! Surveys: templates (administrators), invitations opened from the clock, answers saved as
//! drafts and submitted once, funders' secret links, and the aggregated results.

mod answering;
mod funders;
mod notices;
mod opening;
mod results;
mod templates;

pub use answering::*;
pub use funders::*;
pub use notices::*;
pub use opening::*;
pub use results::*;
pub use templates::*;
