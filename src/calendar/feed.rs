//! A feed as the calendar context builds it, and its bytes (through [`super::ical`]).

use chrono::{DateTime, Utc};
use ics::components::Property;
use ics::parameters::Value;
use ics::properties::{
    Created, Description, DtEnd, DtStart, LastModified, Location, Sequence, Status, Summary, URL,
};

use super::ical::{param, refold, text, utc};

/// `PRODID` of every feed.
pub const PRODID: &str = "-//Passerelle//Formations et clubs//FR";

/// An event's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    /// A waitlisted trainee's half-day.
    Tentative,
    Cancelled,
}

/// One event (a half-day) of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable: `slot-<id>@<host>`.
    pub uid: String,
    pub created: DateTime<Utc>,
    /// DTSTAMP and LAST-MODIFIED: when what it shows last changed.
    pub last_modified: DateTime<Utc>,
    pub sequence: i32,
    pub status: EventStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: Option<String>,
}

/// A whole feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub name: String,
    pub description: String,
    /// Sorted by start, then UID (the bytes depend on the data only).
    pub events: Vec<FeedEvent>,
}

/// The feed as iCalendar bytes: no METHOD, times in UTC, every TEXT escaped, folded at 75
/// octets. Events are built and written one at a time (a feed of the whole catalogue holds
/// tens of thousands).
pub fn to_ics(feed: &Feed) -> Vec<u8> {
    let mut out = String::with_capacity(1024 + feed.events.len() * 900);
    write_header(&feed.name, &feed.description, &mut out);
    write_events(&feed.events, &mut out);
    write_footer(&mut out);
    out.into_bytes()
}

/// `BEGIN:VCALENDAR` and the calendar's properties.
pub fn write_header(name: &str, description: &str, out: &mut String) {
    out.push_str("BEGIN:VCALENDAR\r\n");
    let mut refresh = Property::new("REFRESH-INTERVAL", "PT1H");
    refresh.add(Value::new(param("DURATION")));
    for property in [
        Property::new("VERSION", "2.0"),
        Property::new("PRODID", PRODID),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("NAME", text(name)),
        Property::new("X-WR-CALNAME", text(name)),
        Property::new("X-WR-CALDESC", text(description)),
        refresh,
        Property::new("X-PUBLISHED-TTL", "PT1H"),
    ] {
        refold(&property.to_string(), out);
    }
}

/// The events, one at a time.
pub fn write_events(events: &[FeedEvent], out: &mut String) {
    for event in events {
        refold(&vevent(event).to_string(), out);
    }
}

/// `END:VCALENDAR`.
pub fn write_footer(out: &mut String) {
    out.push_str("END:VCALENDAR\r\n");
}

/// One event as an `ics` component (feeds and invites).
pub fn vevent(event: &FeedEvent) -> ics::Event<'_> {
    let stamp = utc(event.last_modified);
    let mut vevent = ics::Event::new(event.uid.as_str(), stamp.clone());
    vevent.push(Created::new(utc(event.created)));
    vevent.push(LastModified::new(stamp));
    vevent.push(Sequence::new(event.sequence.to_string()));
    vevent.push(Status::new(match event.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Cancelled => "CANCELLED",
    }));
    vevent.push(DtStart::new(utc(event.starts_at)));
    vevent.push(DtEnd::new(utc(event.ends_at)));
    vevent.push(Summary::new(text(&event.summary)));
    vevent.push(Location::new(text(&event.location)));
    vevent.push(Description::new(text(&event.description)));
    if let Some(url) = &event.url {
        // A URI, not TEXT: never escaped; ours are built from ids and the public URL.
        vevent.push(URL::new(url.as_str()));
    }
    vevent
}
