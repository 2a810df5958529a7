//! Who may see and change what in the catalogue. Each check sits next to the list filter that
//! must agree with it.

use uuid::Uuid;

use super::model::{SessionFilter, SessionStatus, TrainingStatus};
use crate::principal::{Principal, Role};

/// Only administrators write the catalogue and read its drafts, rooms and trainer records.
pub fn may_manage(principal: &Principal) -> bool {
    principal.is_admin()
}

/// Administrators see any session; trainers the sessions they teach.
pub fn may_see_session(principal: &Principal, trainers: &[Uuid]) -> bool {
    principal.is_admin()
        || (principal.has(Role::Trainer) && trainers.contains(&principal.person_id))
}

/// Narrows a session list to what [`may_see_session`] allows: administrators every session,
/// trainers the ones they teach; `None` for anyone else (who may not list).
pub fn session_scope(principal: &Principal, mut filter: SessionFilter) -> Option<SessionFilter> {
    if principal.is_admin() {
        return Some(filter);
    }
    if !principal.has(Role::Trainer) {
        return None;
    }
    filter.taught_by = Some(principal.person_id);
    Some(filter)
}

/// Administrators see any trainer record; a trainer their own.
pub fn may_see_trainer(principal: &Principal, trainer_id: Uuid) -> bool {
    principal.is_admin() || (principal.is(trainer_id) && principal.has(Role::Trainer))
}

/// The public sees a published training.
pub fn public_training(status: TrainingStatus) -> bool {
    status == TrainingStatus::Published
}

/// The public sees a published session of a published training. The `listed` column keeps
/// exactly this, so public lists filter on it.
pub fn public_session(session: SessionStatus, training: TrainingStatus) -> bool {
    session == SessionStatus::Published && training == TrainingStatus::Published
}

/// The statuses in which a session still changes: closed and cancelled sessions are frozen.
pub fn session_is_open(status: SessionStatus) -> bool {
    matches!(status, SessionStatus::Draft | SessionStatus::Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[Role]) -> Principal {
        Principal {
            person_id: Uuid::now_v7(),
            organisation_id: None,
            roles: roles.iter().copied().collect(),
            token_id: Uuid::nil(),
        }
    }

    #[test]
    fn who_sees_which_session_and_a_list_agrees() {
        let admin = caller(&[Role::Admin]);
        let trainer = caller(&[Role::Trainer]);
        let member = caller(&[Role::Member]);
        let other = Uuid::now_v7();
        let cases = [
            (&admin, vec![other], true),
            (&trainer, vec![trainer.person_id], true),
            (&trainer, vec![other], false),
            (&member, vec![member.person_id], false),
        ];
        for (who, trainers, expected) in cases {
            assert_eq!(may_see_session(who, &trainers), expected, "{:?}", who.roles);
        }
        let scoped = session_scope(&trainer, SessionFilter::default()).unwrap();
        assert_eq!(scoped.taught_by, Some(trainer.person_id));
        assert_eq!(
            session_scope(&admin, SessionFilter::default())
                .unwrap()
                .taught_by,
            None
        );
        assert!(session_scope(&member, SessionFilter::default()).is_none());
    }

    #[test]
    fn the_public_sees_only_what_is_published() {
        use SessionStatus as S;
        use TrainingStatus as T;
        let cases = [
            (S::Published, T::Published, true),
            (S::Published, T::Archived, false),
            (S::Draft, T::Published, false),
            (S::Cancelled, T::Published, false),
            (S::Closed, T::Published, false),
        ];
        for (session, training, expected) in cases {
            assert_eq!(
                public_session(session, training),
                expected,
                "{session:?}/{training:?}"
            );
        }
        assert!(public_training(T::Published));
        assert!(!public_training(T::Draft));
    }

    #[test]
    fn trainers_see_their_own_record_only() {
        let trainer = caller(&[Role::Trainer]);
        assert!(may_see_trainer(&trainer, trainer.person_id));
        assert!(!may_see_trainer(&trainer, Uuid::now_v7()));
        assert!(may_see_trainer(&caller(&[Role::Admin]), Uuid::now_v7()));
        assert!(!may_see_trainer(&caller(&[Role::Member]), Uuid::now_v7()));
        assert!(session_is_open(SessionStatus::Published));
        assert!(!session_is_open(SessionStatus::Cancelled));
    }
}
