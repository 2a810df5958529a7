//! The clubs' activity over a year, per club and per trade (administrators).

use poem_openapi::Object;
use uuid::Uuid;

use super::TradeView;
use crate::clubs::model::ClubActivity;

/// One club's activity over a year.
///
/// - `trade`: The club's trade.
#[derive(Debug, Object)]
pub struct ClubActivityView {
    /// The club.
    pub club_id: Uuid,
    /// Its name.
    pub name: String,
    pub trade: TradeView,
    /// Meetings of the year still planned.
    pub meetings_planned: u32,
    /// Meetings of the year that took place.
    pub meetings_held: u32,
    /// Meetings of the year that were cancelled.
    pub meetings_cancelled: u32,
    /// Present or late marks at the year's held meetings.
    pub attendances: u32,
    /// Attendances per held meeting, to one decimal (0 when none was held).
    pub average_attendance: f64,
    /// Different people who came.
    pub distinct_attendees: u32,
    /// Active members now (animators included).
    pub active_members: u32,
    /// Members who joined during the year (and still are).
    pub joined_in_year: u32,
}

impl From<ClubActivity> for ClubActivityView {
    fn from(a: ClubActivity) -> Self {
        Self {
            average_attendance: a.average_attendance(),
            club_id: a.club_id,
            name: a.name,
            trade: a.trade.into(),
            meetings_planned: a.meetings_planned,
            meetings_held: a.meetings_held,
            meetings_cancelled: a.meetings_cancelled,
            attendances: a.attendances,
            distinct_attendees: a.distinct_attendees,
            active_members: a.active_members,
            joined_in_year: a.joined_in_year,
        }
    }
}

/// One trade's activity over a year: the sum of its clubs.
///
/// - `trade`: The trade.
#[derive(Debug, Object)]
pub struct TradeActivityView {
    pub trade: TradeView,
    /// Its clubs.
    pub clubs: u32,
    /// Meetings held.
    pub meetings_held: u32,
    /// Present or late marks at held meetings.
    pub attendances: u32,
    /// Attendances per held meeting, to one decimal.
    pub average_attendance: f64,
    /// Active members now (a person in two clubs counts twice).
    pub active_members: u32,
}

/// The clubs' activity over a year (administrators).
#[derive(Debug, Object)]
pub struct ActivityReportView {
    /// The year.
    pub year: i32,
    /// Each club, in creation order.
    pub clubs: Vec<ClubActivityView>,
    /// Each trade that has clubs.
    pub by_trade: Vec<TradeActivityView>,
}

impl ActivityReportView {
    pub fn of(year: i32, clubs: Vec<ClubActivity>) -> Self {
        let mut by_trade: Vec<TradeActivityView> = Vec::new();
        for c in &clubs {
            let trade: TradeView = c.trade.into();
            if !by_trade.iter().any(|t| t.trade == trade) {
                by_trade.push(TradeActivityView {
                    trade,
                    clubs: 0,
                    meetings_held: 0,
                    attendances: 0,
                    average_attendance: 0.0,
                    active_members: 0,
                });
            }
            for row in by_trade.iter_mut().filter(|t| t.trade == trade) {
                row.clubs += 1;
                row.meetings_held += c.meetings_held;
                row.attendances += c.attendances;
                row.active_members += c.active_members;
            }
        }
        for t in &mut by_trade {
            if t.meetings_held > 0 {
                t.average_attendance =
                    (f64::from(t.attendances) / f64::from(t.meetings_held) * 10.0).round() / 10.0;
            }
        }
        Self {
            year,
            clubs: clubs.into_iter().map(Into::into).collect(),
            by_trade,
        }
    }
}
