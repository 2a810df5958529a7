//! Which of two concurrent values of one mark wins, when two devices (or a device and the
//! office) changed it without seeing each other's change.
//!
//! The presence group (status, late minutes, signature, signing time) is decided as one unit, by
//! a total order, so the outcome does not depend on which push arrives first:
//!
//! 1. a set beats a clear (a concurrent clear loses);
//! 2. a signed mark beats an unsigned one (evidence);
//! 3. of two signed marks, the earlier signature;
//! 4. the higher authority: an administrator's correction, then a trainer's (or animator's)
//!    device, then a trainee's self check-in;
//! 5. the later hybrid logical clock (clamped by the server);
//! 6. the greater device id.
//!
//! The loser is never dropped: the caller keeps it in `sync_conflict`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::attendance::model::{MarkStatus, RecordedAs};

/// One side of a conflict, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contender {
    /// `None` clears the mark.
    pub status: Option<MarkStatus>,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_as: RecordedAs,
    pub hlc: i64,
    /// The device that wrote it (nil for a write without one).
    pub device_id: Uuid,
}

/// Which side won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The value stored on the server.
    Server,
    /// The value the device pushed.
    Incoming,
}

/// The rule that decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    SetBeatsClear,
    SignedEvidence,
    EarliestSignature,
    Authority,
    LaterClock,
    DeviceId,
}

impl Rule {
    /// The rule's stable name, as devices see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SetBeatsClear => "set_beats_clear",
            Self::SignedEvidence => "signed_evidence",
            Self::EarliestSignature => "earliest_signature",
            Self::Authority => "authority",
            Self::LaterClock => "later_clock",
            Self::DeviceId => "device_id",
        }
    }
}

fn authority(recorded_as: RecordedAs) -> u8 {
    match recorded_as {
        RecordedAs::Admin => 3,
        RecordedAs::Trainer => 2,
        RecordedAs::Trainee => 1,
    }
}

/// Decides between the stored value and a concurrent incoming one.
pub fn winner(server: &Contender, incoming: &Contender) -> (Side, Rule) {
    use std::cmp::Ordering::{Greater, Less};
    let pick = |order: std::cmp::Ordering, rule| match order {
        Greater => Some((Side::Incoming, rule)),
        Less => Some((Side::Server, rule)),
        _ => None,
    };
    let set = |c: &Contender| c.status.is_some();
    let signed = |c: &Contender| c.signed_at.is_some();
    pick(set(incoming).cmp(&set(server)), Rule::SetBeatsClear)
        .or_else(|| pick(signed(incoming).cmp(&signed(server)), Rule::SignedEvidence))
        .or_else(|| match (incoming.signed_at, server.signed_at) {
            // Earlier wins: compare the server's against the incoming one.
            (Some(i), Some(s)) => pick(s.cmp(&i), Rule::EarliestSignature),
            _ => None,
        })
        .or_else(|| {
            pick(
                authority(incoming.recorded_as).cmp(&authority(server.recorded_as)),
                Rule::Authority,
            )
        })
        .or_else(|| pick(incoming.hlc.cmp(&server.hlc), Rule::LaterClock))
        .unwrap_or_else(|| {
            let order = incoming.device_id.cmp(&server.device_id);
            pick(order, Rule::DeviceId).unwrap_or((Side::Server, Rule::DeviceId))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contender(status: Option<MarkStatus>, signed_ms: Option<i64>, hlc: i64) -> Contender {
        Contender {
            status,
            signed_at: signed_ms.and_then(DateTime::from_timestamp_millis),
            recorded_as: RecordedAs::Trainer,
            hlc,
            device_id: Uuid::from_u128(hlc as u128),
        }
    }

    /// The rule is a total order: swapping the sides swaps the winner.
    fn decides_the_same_both_ways(a: &Contender, b: &Contender) -> Rule {
        let (side, rule) = winner(a, b);
        let (swapped, same_rule) = winner(b, a);
        assert_eq!(rule, same_rule);
        assert_ne!(side, swapped, "{a:?} vs {b:?}");
        rule
    }

    #[test]
    fn a_signed_present_beats_an_unsigned_absent_whatever_the_clocks() {
        let signed = contender(Some(MarkStatus::Present), Some(1_000), 1);
        let absent = contender(Some(MarkStatus::Absent), None, 999);
        assert_eq!(
            winner(&absent, &signed),
            (Side::Incoming, Rule::SignedEvidence)
        );
        assert_eq!(
            decides_the_same_both_ways(&signed, &absent),
            Rule::SignedEvidence
        );
    }

    #[test]
    fn of_two_signatures_the_earlier_is_kept() {
        let early = contender(Some(MarkStatus::Present), Some(1_000), 9);
        let late = contender(Some(MarkStatus::Late), Some(2_000), 1);
        assert_eq!(
            winner(&late, &early),
            (Side::Incoming, Rule::EarliestSignature)
        );
        decides_the_same_both_ways(&early, &late);
    }

    #[test]
    fn a_clear_loses_to_a_concurrent_set() {
        let set = contender(Some(MarkStatus::Absent), None, 1);
        let clear = contender(None, None, 99);
        assert_eq!(winner(&set, &clear), (Side::Server, Rule::SetBeatsClear));
        decides_the_same_both_ways(&set, &clear);
    }

    #[test]
    fn a_trainer_beats_a_self_check_in_then_the_later_clock_then_the_device_id() {
        let mut trainee = contender(Some(MarkStatus::Present), None, 50);
        trainee.recorded_as = RecordedAs::Trainee;
        let trainer = contender(Some(MarkStatus::Absent), None, 10);
        assert_eq!(
            decides_the_same_both_ways(&trainee, &trainer),
            Rule::Authority
        );
        let later = contender(Some(MarkStatus::Present), None, 20);
        assert_eq!(
            decides_the_same_both_ways(&trainer, &later),
            Rule::LaterClock
        );
        assert_eq!(winner(&trainer, &later).0, Side::Incoming);
        let mut twin = later.clone();
        twin.device_id = Uuid::from_u128(1);
        assert_eq!(decides_the_same_both_ways(&later, &twin), Rule::DeviceId);
    }
}
