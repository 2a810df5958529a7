//! Quality's tables: rows built from domain inputs, rows turned into domain types. No rule.

mod complaints;
mod reports;

pub use complaints::*;
pub use reports::*;
mod actions;
mod personal;
mod risks;
mod surveys;
mod watch;

pub use actions::*;
pub use personal::*;
pub use risks::*;
pub use surveys::*;
pub use watch::*;
