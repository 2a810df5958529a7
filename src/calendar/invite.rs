//! Invitations sent by e-mail (RFC 5546 iTIP): the events a feed shows, in one calendar object
//! with `METHOD:REQUEST` (add or update) or `METHOD:CANCEL` (remove), the organiser and the one
//! attendee. The UIDs are the feeds' (`slot-…`, `meeting-…`), so a calendar that subscribed to a
//! feed and received the invite holds one event, not two.

use ics::components::Property;
use ics::parameters::{CN, PartStat, RSVP, Role};
use ics::properties::{Attendee, Method as MethodProperty, Organizer};

use super::feed::{EventStatus, FeedEvent, PRODID, vevent};
use super::ical::{param, refold};

/// What the invite asks of the attendee's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Add the events, or update them (a higher `SEQUENCE` wins).
    Request,
    /// Remove the events.
    Cancel,
}

impl Method {
    /// The value of `METHOD` and of the MIME part's `method` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// Someone named in an invite.
#[derive(Debug, Clone)]
pub struct Party<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// The invite's bytes. A CANCEL marks every event cancelled and raises its sequence by one
/// over what the feed shows when the feed does not show it cancelled already (an enrolment
/// cancelled in a session that goes on).
pub fn invite(
    events: &[FeedEvent],
    method: Method,
    organizer: &Party<'_>,
    attendee: &Party<'_>,
) -> Vec<u8> {
    let mut out = String::with_capacity(512 + events.len() * 900);
    out.push_str("BEGIN:VCALENDAR\r\n");
    for property in [
        Property::new("VERSION", "2.0"),
        Property::new("PRODID", PRODID),
        Property::new("CALSCALE", "GREGORIAN"),
        MethodProperty::new(method.as_str()).into(),
    ] {
        refold(&property.to_string(), &mut out);
    }
    for event in events {
        let mut event = event.clone();
        if method == Method::Cancel && event.status != EventStatus::Cancelled {
            event.status = EventStatus::Cancelled;
            event.sequence += 1;
        }
        let mut component = vevent(&event);
        let mut organizer_property = Organizer::new(format!("mailto:{}", organizer.email));
        organizer_property.add(CN::new(param(organizer.name)));
        component.push(organizer_property);
        let mut attendee_property = Attendee::new(format!("mailto:{}", attendee.email));
        attendee_property.add(CN::new(param(attendee.name)));
        attendee_property.add(Role::REQ_PARTICIPANT);
        attendee_property.add(PartStat::ACCEPTED);
        attendee_property.add(RSVP::False);
        component.push(attendee_property);
        refold(&component.to_string(), &mut out);
    }
    out.push_str("END:VCALENDAR\r\n");
    out.into_bytes()
}
