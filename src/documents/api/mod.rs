//! HTTP endpoints of documents, their views and the mapping of its errors. No SQL, no rules.

mod assessments;
mod certificates;
mod files;
mod provider;
mod views;

pub use assessments::AssessmentsApi;
pub use certificates::CertificatesApi;
pub use files::FilesApi;
pub use provider::ProviderApi;
pub use views::*;

/// The documents' operations, in spec order.
pub type Apis = (FilesApi, CertificatesApi, AssessmentsApi, ProviderApi);

/// What issuing certificates needs from the server: its renderer, its clock's now, its URL.
fn issuer(state: &crate::state::AppState) -> crate::documents::service::Issuer<'_> {
    crate::documents::service::Issuer {
        renderer: &state.renderer,
        now: state.clock.now(),
        public_url: &state.settings.public_url,
    }
}
