//! iCalendar feeds: the public catalogue, one training, and each person's own calendar (a secret
//! token in the URL). [`ical`] owns the correctness of the text, on top of the `ics` crate.

pub mod api;
pub mod blocks;
pub mod events;
pub mod feed;
pub mod ical;
pub mod service;
mod store;
