//! The API's attendance types and their conversions from the domain, one file per aggregate.

mod archive;
mod closing;
mod marks;
mod sheet;

pub use archive::*;
pub use closing::*;
pub use marks::*;
pub use sheet::*;
