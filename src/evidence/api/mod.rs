//! HTTP endpoints of the evidence context and their views. No SQL, no rules.

mod bpf;
mod bpf_views;
mod bundle_views;
mod bundles;
mod report;
mod views;

pub use bpf::BpfApi;
pub use bpf_views::*;
pub use bundle_views::*;
pub use bundles::BundlesApi;
pub use report::EvidenceApi;
pub use views::*;

/// Evidence's operations.
pub type Apis = (EvidenceApi, BpfApi, BundlesApi);
