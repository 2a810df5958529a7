//! Sync's tables: devices, the mutation log, conflicts, the change index as pulls read it, and
//! the space's GC. No rule.

mod changes;
mod conflicts;
mod devices;
mod mutations;
mod space;

pub use changes::*;
pub use conflicts::*;
pub use devices::*;
pub use mutations::*;
pub use space::*;
