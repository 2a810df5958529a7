//! SQL of clubs. Synced rows are written only through the caller's `WriteTx`.

mod clubs;
mod meetings;
mod memberships;
mod minutes;
mod personal;
mod resources;
mod rsvps;

pub use clubs::*;
pub use meetings::*;
pub use memberships::*;
pub use minutes::*;
pub use personal::*;
pub use resources::*;
pub use rsvps::*;
