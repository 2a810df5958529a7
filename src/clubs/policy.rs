//! Who sees and does what in a club. Everything follows from the caller's [`Access`] to the
//! club: administrators act as its animators; an active membership makes a member (or an
//! animator); anyone else is an outsider, who sees an active club and, if its calendar is
//! public, its meetings without their online links, counts without names.

use super::model::{CalendarVisibility, Club, ClubStatus, Membership};
use crate::principal::Principal;

/// The caller's standing in one club, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Outsider,
    Member,
    Animator,
}

/// The caller's access to `club`, from their own membership (if any).
pub fn access(principal: &Principal, mine: Option<&Membership>) -> Access {
    if principal.is_admin() {
        return Access::Animator;
    }
    match mine {
        Some(m) if m.is_animator() => Access::Animator,
        Some(m) if m.is_active() => Access::Member,
        _ => Access::Outsider,
    }
}

/// The club itself (name, trade, description, animators): anyone while active; an archived
/// one, its members and administrators. Anything else of an unseen club is "not found".
pub fn may_see_club(access: Access, club: &Club) -> bool {
    club.status == ClubStatus::Active || access >= Access::Member
}

/// Its meetings (times, place, counts): its members, and anyone if the calendar is public.
pub fn may_see_meetings(access: Access, club: &Club) -> bool {
    access >= Access::Member
        || (club.calendar_visibility == CalendarVisibility::Public
            && club.status == ClubStatus::Active)
}

/// Its members list, online links, minutes and resources: members and animators only.
pub fn may_see_member_content(access: Access) -> bool {
    access >= Access::Member
}

/// Running it: meetings, attendance, minutes, resources, requests to join, removals.
pub fn may_run(access: Access) -> bool {
    access >= Access::Animator
}

/// Creating clubs, naming animators, changing a club, the activity figures, flagging a meeting
/// into the Qualiopi scope: administrators.
pub fn may_administer(principal: &Principal) -> bool {
    principal.is_admin()
}
