//! HTTP endpoints of the accounts context: login/logout, the current account, organisations and
//! people. No SQL and no rules here: requests are decoded, handed to the service, answered.

use crate::http::text::Text;

pub mod auth;
pub mod organisations;
pub mod people;
mod role;

pub use auth::AuthApi;
pub use organisations::OrganisationsApi;
pub use people::PeopleApi;
pub use role::RoleView;

/// The accounts context's operations, in spec order.
pub type Apis = (AuthApi, OrganisationsApi, PeopleApi);

pub(crate) fn text(value: Option<Text>) -> Option<String> {
    value.map(Text::into_inner)
}
