//! Subcommands with more than a few lines of work behind them.

pub mod backup;
pub mod evidence;
pub mod notifications;
pub mod purge;
