//! Who keeps and reads the quality records: administrators keep the registers; the reports
//! channel is read by its designated referents and administrators only.

use uuid::Uuid;

use crate::principal::{Principal, Role};

/// Administrators keep the quality registers.
pub fn may_administer(principal: &Principal) -> bool {
    principal.is_admin()
}

/// A complaint is read by administrators and by the person who filed it with an account.
pub fn may_see_complaint(principal: &Principal, filed_by: Option<Uuid>) -> bool {
    may_administer(principal) || filed_by.is_some_and(|person| principal.is(person))
}

/// The complaints a list shows, agreeing with [`may_see_complaint`]: `None` for all of them
/// (administrators), else only those the caller filed.
pub fn complaints_scope(principal: &Principal) -> Option<Uuid> {
    (!may_administer(principal)).then_some(principal.person_id)
}

/// Reports are read and handled by the designated referents and administrators; everyone else
/// (the reporter included, who follows theirs with the receipt code) is told they do not exist.
pub fn may_read_reports(principal: &Principal) -> bool {
    may_administer(principal) || principal.has(Role::Referent)
}

/// A survey invitation is seen by its respondent and administrators (a funder's has no
/// person: only administrators, and the funder through its link).
pub fn may_see_invitation(principal: &Principal, respondent: Option<Uuid>) -> bool {
    may_administer(principal) || respondent.is_some_and(|person| principal.is(person))
}

/// Public submissions are limited per client address; administrators recording a complaint
/// received by phone or letter are not.
pub fn submissions_limited(principal: Option<&Principal>) -> bool {
    !principal.is_some_and(may_administer)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn caller(roles: &[Role]) -> Principal {
        Principal {
            person_id: Uuid::now_v7(),
            organisation_id: None,
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            token_id: Uuid::nil(),
        }
    }

    #[test]
    fn complaints_are_seen_by_administrators_and_their_filer_and_lists_agree() {
        let admin = caller(&[Role::Admin]);
        let filer = caller(&[Role::Member]);
        let other = caller(&[Role::Member, Role::Referent]);
        for (who, filed_by, seen) in [
            (&admin, None, true),
            (&admin, Some(filer.person_id), true),
            (&filer, Some(filer.person_id), true),
            (&filer, None, false),
            (&other, Some(filer.person_id), false),
        ] {
            assert_eq!(may_see_complaint(who, filed_by), seen);
            let listed = complaints_scope(who).is_none_or(|person| filed_by == Some(person));
            assert_eq!(listed, seen);
        }
    }

    #[test]
    fn reports_are_read_by_referents_and_administrators_only() {
        for (roles, reads) in [
            (&[Role::Admin][..], true),
            (&[Role::Referent][..], true),
            (&[Role::Member][..], false),
            (&[Role::Trainer][..], false),
            (&[Role::OrgManager, Role::Member][..], false),
            (&[Role::Animator, Role::Member][..], false),
        ] {
            assert_eq!(may_read_reports(&caller(roles)), reads, "{roles:?}");
        }
    }
}
