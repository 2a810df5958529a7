//! iCalendar feeds: the public catalogue, one training, a club with a public calendar, and each
//! person's own calendar (a secret token in the URL) with their sessions and club meetings. [`ical`] owns the correctness of the text, on top of the `ics` crate.

pub mod api;
pub mod blocks;
pub mod events;
pub mod feed;
pub mod ical;
pub mod invite;
pub mod meetings;
pub mod service;
mod store;
