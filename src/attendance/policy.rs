//! Who may record, countersign, see and close attendance. Anything the caller may not act on is
//! reported as not found.

use uuid::Uuid;

use super::model::RecordedAs;
use crate::principal::{Principal, Role};

/// Whether the caller teaches the session (`trainers`: the session's trainers).
pub fn teaches(principal: &Principal, trainers: &[Uuid]) -> bool {
    principal.has(Role::Trainer) && trainers.contains(&principal.person_id)
}

/// In what capacity the caller may record `person_id`'s mark: an administrator anyone's, a
/// trainer of the session anyone's on its roster, a trainee only their own (self check-in).
pub fn recorder(principal: &Principal, person_id: Uuid, trainers: &[Uuid]) -> Option<RecordedAs> {
    if principal.is_admin() {
        Some(RecordedAs::Admin)
    } else if teaches(principal, trainers) {
        Some(RecordedAs::Trainer)
    } else if principal.person_id == person_id {
        Some(RecordedAs::Trainee)
    } else {
        None
    }
}

/// A session's whole sheet and checks: its trainers and administrators.
pub fn may_see_sheet(principal: &Principal, trainers: &[Uuid]) -> bool {
    principal.is_admin() || teaches(principal, trainers)
}

/// Listing attendance over a period: administrators (every session) and trainers (the sessions
/// they teach, where [`may_see_sheet`] lets them: the catalogue's session scope narrows the
/// list to those); anyone else is refused.
pub fn may_list_attendance(principal: &Principal) -> bool {
    principal.is_admin() || principal.has(Role::Trainer)
}

/// One mark and its history: the trainee, the session's trainers and administrators.
pub fn may_see_mark(principal: &Principal, person_id: Uuid, trainers: &[Uuid]) -> bool {
    recorder(principal, person_id, trainers).is_some()
}

/// Countersigning a half-day: a trainer of the session (the signature is the trainer's own).
pub fn may_countersign(principal: &Principal, trainers: &[Uuid]) -> bool {
    teaches(principal, trainers)
}

/// Reopening a countersigned half-day, closing and reopening a session: administrators.
pub fn may_administer(principal: &Principal) -> bool {
    principal.is_admin()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn principal(roles: &[Role]) -> Principal {
        Principal {
            person_id: Uuid::new_v4(),
            organisation_id: None,
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            token_id: Uuid::nil(),
        }
    }

    #[test]
    fn each_caller_records_in_their_own_capacity_or_not_at_all() {
        let admin = principal(&[Role::Admin]);
        let trainer = principal(&[Role::Trainer]);
        let other_trainer = principal(&[Role::Trainer]);
        let member = principal(&[Role::Member]);
        let trainee = Uuid::new_v4();
        let trainers = [trainer.person_id];

        assert_eq!(
            recorder(&admin, trainee, &trainers),
            Some(RecordedAs::Admin)
        );
        assert_eq!(
            recorder(&trainer, trainee, &trainers),
            Some(RecordedAs::Trainer)
        );
        assert_eq!(recorder(&other_trainer, trainee, &trainers), None);
        assert_eq!(recorder(&member, trainee, &trainers), None);
        assert_eq!(
            recorder(&member, member.person_id, &trainers),
            Some(RecordedAs::Trainee)
        );
        assert!(may_see_sheet(&trainer, &trainers));
        assert!(!may_see_sheet(&other_trainer, &trainers));
        assert!(!may_see_sheet(&member, &trainers));
        assert!(may_list_attendance(&admin) && may_list_attendance(&other_trainer));
        assert!(!may_list_attendance(&member));
        assert!(!may_countersign(&admin, &trainers));
        assert!(may_countersign(&trainer, &trainers));
    }
}
