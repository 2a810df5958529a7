//! The rules of the quality records. Writes take the caller's
//! [`WriteTx`](crate::db::write::WriteTx); reads a connection.

mod actions;
mod complaints;
mod errors;
mod exports;
mod indicators;
mod personal;
mod reports;
mod risks;
mod secrets;
mod surveys;
mod watch;

pub use actions::{create_action, get_action, list_actions, move_action, today, update_action};
pub use risks::{create_risk, get_risk, list_risks, update_risk};
pub use watch::{
    create_watch_entry, delete_watch_entry, get_watch_entry, list_watch_entries, update_watch_entry,
};

pub use complaints::*;
pub use errors::QualityError;
pub use exports::{actions_table, complaints_table, survey_results_table};
pub use indicators::{MIN_PUBLISHED_BASE, ResultIndicators, training_results};
pub use personal::*;
pub use reports::*;
pub use surveys::*;

pub type Result<T> = std::result::Result<T, QualityError>;
