//! What sync's endpoints answer and take, by aggregate.

mod blobs;
mod devices;
mod pull;
mod push;
mod review;

pub use blobs::*;
pub use devices::*;
pub use pull::*;
pub use push::*;
pub use review::*;
