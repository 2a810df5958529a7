//! Subcommands with more than a few lines of work behind them.

pub mod evidence;
pub mod notifications;
