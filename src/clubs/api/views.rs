//! The API's club types and their conversions from the domain, one file per aggregate.

mod activity;
mod clubs;
mod meetings;
mod members;
mod records;

pub use activity::*;
pub use clubs::*;
pub use meetings::*;
pub use members::*;
pub use records::*;
