//! Who may enrol whom, and see and cancel which enrolment. Each per-object check sits next to the
//! list filter that must agree with it; an enrolment the caller may not see is not found.

use uuid::Uuid;

use super::model::{Enrolment, EnrolmentFilter, Visible};
use crate::principal::{Principal, Role};

/// Oneself; an org manager, the people of their organisation; an administrator, anyone.
pub fn may_enrol(principal: &Principal, person_id: Uuid, person_org: Option<Uuid>) -> bool {
    principal.person_id == person_id || principal.is_admin() || manages(principal, person_org)
}

/// Whose enrolment requests the server counts against `--enrolments-per-person`: everyone's
/// but an administrator's (the office enrols whole groups).
pub fn requests_limited(principal: &Principal) -> bool {
    !principal.is_admin()
}

/// Whether the caller may enrol someone once the session has started (a late enrolment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateRight {
    /// Administrators; the session's trainers when the server allows it.
    Allowed,
    /// A trainer of the session, on a server that does not let trainers enrol late.
    TrainerNotAllowed,
    /// Anyone else: members and org managers enrol only before the start.
    No,
}

/// Who may enrol someone late: administrators, and the session's trainers (`trainers`) when
/// `trainers_allowed` (the server's `PASSERELLE_TRAINERS_ENROL_LATE`).
pub fn late_right(principal: &Principal, trainers: &[Uuid], trainers_allowed: bool) -> LateRight {
    let teaches = principal.has(Role::Trainer) && trainers.contains(&principal.person_id);
    if principal.is_admin() || (teaches && trainers_allowed) {
        LateRight::Allowed
    } else if teaches {
        LateRight::TrainerNotAllowed
    } else {
        LateRight::No
    }
}

/// The enrollee, their org manager, the session's trainers and administrators.
pub fn may_see(principal: &Principal, enrolment: &Enrolment, trainers: &[Uuid]) -> bool {
    may_cancel(principal, enrolment)
        || (principal.has(Role::Trainer) && trainers.contains(&principal.person_id))
}

/// The enrollee, their org manager and administrators (trainers see the roster, but do not
/// change it).
pub fn may_cancel(principal: &Principal, enrolment: &Enrolment) -> bool {
    principal.person_id == enrolment.person_id
        || principal.is_admin()
        || manages(principal, enrolment.organisation_id)
}

/// Narrows a list to what [`may_see`] allows.
pub fn list_scope(principal: &Principal, mut filter: EnrolmentFilter) -> EnrolmentFilter {
    if !principal.is_admin() {
        filter.scope = Some(Visible {
            person_id: principal.person_id,
            organisation_id: principal
                .organisation_id
                .filter(|_| principal.has(Role::OrgManager)),
            taught_by: principal.has(Role::Trainer).then_some(principal.person_id),
        });
    }
    filter
}

/// An accommodation request (health-related): the trainee, whoever asked for it, the training's
/// disability referent and administrators — not the trainers.
pub fn may_see_accommodation(
    principal: &Principal,
    trainee: Uuid,
    requested_by: Uuid,
    is_referent: bool,
) -> bool {
    principal.person_id == trainee
        || principal.person_id == requested_by
        || is_referent
        || principal.is_admin()
}

/// Recording how a request was handled: the disability referent and administrators.
pub fn may_handle_accommodation(principal: &Principal, is_referent: bool) -> bool {
    is_referent || principal.is_admin()
}

fn manages(principal: &Principal, organisation: Option<Uuid>) -> bool {
    principal.has(Role::OrgManager)
        && organisation.is_some()
        && principal.organisation_id == organisation
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn principal(roles: &[Role], org: Option<Uuid>) -> Principal {
        Principal {
            person_id: Uuid::now_v7(),
            organisation_id: org,
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            token_id: Uuid::nil(),
        }
    }

    #[test]
    fn who_may_enrol_whom() {
        let (org, other) = (Some(Uuid::now_v7()), Some(Uuid::now_v7()));
        let member = principal(&[Role::Member], org);
        let manager = principal(&[Role::OrgManager], org);
        let admin = principal(&[Role::Admin], None);
        let colleague = Uuid::now_v7();
        assert!(may_enrol(&member, member.person_id, org));
        assert!(!may_enrol(&member, colleague, org));
        assert!(may_enrol(&manager, colleague, org));
        assert!(!may_enrol(&manager, colleague, other));
        assert!(!may_enrol(&manager, colleague, None));
        assert!(may_enrol(&admin, colleague, other));
    }

    #[test]
    fn who_may_enrol_late() {
        let trainer = principal(&[Role::Trainer, Role::Member], None);
        let other_trainer = principal(&[Role::Trainer], None);
        let member = principal(&[Role::Member], None);
        let admin = principal(&[Role::Admin], None);
        let trainers = [trainer.person_id];
        assert_eq!(late_right(&admin, &trainers, false), LateRight::Allowed);
        assert_eq!(late_right(&trainer, &trainers, true), LateRight::Allowed);
        assert_eq!(
            late_right(&trainer, &trainers, false),
            LateRight::TrainerNotAllowed
        );
        assert_eq!(late_right(&other_trainer, &trainers, true), LateRight::No);
        assert_eq!(late_right(&member, &trainers, true), LateRight::No);
    }

    #[test]
    fn a_list_scope_is_set_for_everyone_but_administrators() {
        let org = Some(Uuid::now_v7());
        let trainer = principal(&[Role::Trainer, Role::Member], org);
        let scope = list_scope(&trainer, EnrolmentFilter::default())
            .scope
            .unwrap();
        assert_eq!(scope.taught_by, Some(trainer.person_id));
        assert_eq!(scope.organisation_id, None, "not an org manager");
        let admin = principal(&[Role::Admin], None);
        assert!(
            list_scope(&admin, EnrolmentFilter::default())
                .scope
                .is_none()
        );
    }
}
