//! The API's attendance types and their conversions from the domain, one file per aggregate.

mod closing;
mod marks;
mod sheet;

pub use closing::*;
pub use marks::*;
pub use sheet::*;
