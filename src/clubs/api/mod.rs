//! HTTP endpoints of clubs, their views and the mapping of their errors. No SQL, no rules.

mod clubs;
mod meetings;
mod members;
mod records;
mod resources;
mod views;

pub use clubs::ClubsApi;
pub use meetings::MeetingsApi;
pub use members::MembersApi;
pub use records::MeetingRecordsApi;
pub use resources::MeetingResourcesApi;
pub use views::*;

/// Clubs' operations, in spec order.
pub type Apis = (
    ClubsApi,
    MembersApi,
    MeetingsApi,
    MeetingRecordsApi,
    MeetingResourcesApi,
);
