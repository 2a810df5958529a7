//! Who may see and change which organisation and person. Each check and the list filter that
//! must agree with it sit side by side, so a list can never return what a get would refuse.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::model::{PeopleFilter, PersonChanges, Role};
use crate::principal::Principal;

/// A decision against the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The object is not visible to the caller: answer as if it did not exist.
    Hidden,
    /// Visible (or not an object at all) but not allowed, with the reason.
    Forbidden(&'static str),
}

// ---- organisations ------------------------------------------------------------------------

/// Administrators see every organisation; everyone else their own.
pub fn may_see_organisation(principal: &Principal, id: Uuid) -> bool {
    principal.is_admin() || principal.organisation_id == Some(id)
}

/// The organisations a caller's list may contain: `None` = all; `Some(ids)` = only those.
pub fn organisation_scope(principal: &Principal) -> Option<Vec<Uuid>> {
    if principal.is_admin() {
        None
    } else {
        Some(principal.organisation_id.into_iter().collect())
    }
}

/// Only administrators create and change organisations.
pub fn may_manage_organisations(principal: &Principal) -> Result<(), Denied> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(Denied::Forbidden(
            "only administrators manage organisations",
        ))
    }
}

// ---- people -------------------------------------------------------------------------------

/// Administrators see everyone, org managers their organisation's people, everyone themselves.
pub fn may_see_person(principal: &Principal, id: Uuid, organisation_id: Option<Uuid>) -> bool {
    principal.is_admin() || principal.is(id) || principal.manages(organisation_id)
}

/// Narrows a people list to what the caller may see. Administrators list everyone; org
/// managers their own organisation (a filter on another organisation matches nobody); others
/// may not list.
pub fn people_scope(
    principal: &Principal,
    mut filter: PeopleFilter,
) -> Result<PeopleFilter, Denied> {
    if principal.is_admin() {
        return Ok(filter);
    }
    let Some(own) = principal
        .organisation_id
        .filter(|_| principal.has(Role::OrgManager))
    else {
        return Err(Denied::Forbidden(
            "only administrators and organisation managers list people",
        ));
    };
    if filter.organisation_id.is_some_and(|org| org != own) {
        filter.nobody = true;
    }
    filter.organisation_id = Some(own);
    Ok(filter)
}

/// Roles an org manager may grant within their organisation.
fn manager_grantable(roles: &BTreeSet<Role>) -> bool {
    roles
        .iter()
        .all(|role| matches!(role, Role::Member | Role::OrgManager))
}

/// Where a new person may be created: administrators anywhere with any roles; org managers in
/// their own organisation only (another one is hidden), as member or org manager. Answers the
/// organisation the person will belong to.
pub fn may_create_person(
    principal: &Principal,
    organisation_id: Option<Uuid>,
    roles: &BTreeSet<Role>,
) -> Result<Option<Uuid>, Denied> {
    if principal.is_admin() {
        return Ok(organisation_id);
    }
    let Some(own) = principal
        .organisation_id
        .filter(|_| principal.has(Role::OrgManager))
    else {
        return Err(Denied::Forbidden(
            "only administrators and organisation managers create people",
        ));
    };
    if organisation_id.is_some_and(|org| org != own) {
        return Err(Denied::Hidden);
    }
    if !manager_grantable(roles) {
        return Err(Denied::Forbidden(
            "organisation managers grant only the member and org_manager roles",
        ));
    }
    Ok(Some(own))
}

/// What a caller who can see the person may change: administrators everything; org managers
/// names, e-mail, activity and the member/org_manager roles of their organisation's people;
/// everyone their own names.
pub fn may_change_person(
    principal: &Principal,
    organisation_id: Option<Uuid>,
    changes: &PersonChanges,
) -> Result<(), Denied> {
    if principal.is_admin() {
        return Ok(());
    }
    if principal.manages(organisation_id) {
        if changes.organisation_id.is_some() || changes.password.is_some() {
            return Err(Denied::Forbidden(
                "only administrators move people between organisations or set their passwords",
            ));
        }
        if changes
            .roles
            .as_ref()
            .is_some_and(|r| !manager_grantable(r))
        {
            return Err(Denied::Forbidden(
                "organisation managers grant only the member and org_manager roles",
            ));
        }
        return Ok(());
    }
    let names_only = changes.email.is_none()
        && changes.organisation_id.is_none()
        && changes.roles.is_none()
        && changes.active.is_none()
        && changes.password.is_none();
    if names_only {
        Ok(())
    } else {
        Err(Denied::Forbidden("you may change only your own names here"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[Role], organisation_id: Option<Uuid>) -> Principal {
        Principal {
            person_id: Uuid::now_v7(),
            organisation_id,
            roles: roles.iter().copied().collect(),
            token_id: Uuid::nil(),
        }
    }

    #[test]
    fn who_sees_which_person() {
        let org = Uuid::now_v7();
        let other = Uuid::now_v7();
        let admin = caller(&[Role::Admin], None);
        let manager = caller(&[Role::Member, Role::OrgManager], Some(org));
        let member = caller(&[Role::Member], Some(org));
        let someone = Uuid::now_v7();
        let cases = [
            (&admin, someone, Some(other), true),
            (&manager, someone, Some(org), true),
            (&manager, someone, Some(other), false),
            (&manager, someone, None, false),
            (&member, someone, Some(org), false),
            (&member, member.person_id, Some(org), true),
        ];
        for (who, id, organisation, expected) in cases {
            assert_eq!(
                may_see_person(who, id, organisation),
                expected,
                "{who:?} → {id}"
            );
        }
    }

    #[test]
    fn a_people_list_is_narrowed_to_what_a_get_would_show() {
        let org = Uuid::now_v7();
        let manager = caller(&[Role::OrgManager], Some(org));
        let scoped = people_scope(&manager, PeopleFilter::default()).unwrap();
        assert_eq!(scoped.organisation_id, Some(org));
        let elsewhere = PeopleFilter {
            organisation_id: Some(Uuid::now_v7()),
            ..PeopleFilter::default()
        };
        assert!(people_scope(&manager, elsewhere).unwrap().nobody);
        assert!(
            people_scope(&caller(&[Role::Member], Some(org)), PeopleFilter::default()).is_err()
        );
        assert!(people_scope(&caller(&[Role::OrgManager], None), PeopleFilter::default()).is_err());
        let admin = people_scope(&caller(&[Role::Admin], None), PeopleFilter::default()).unwrap();
        assert_eq!(admin.organisation_id, None);
    }

    #[test]
    fn who_creates_whom() {
        let org = Uuid::now_v7();
        let manager = caller(&[Role::OrgManager], Some(org));
        let member_role = BTreeSet::from([Role::Member]);
        let trainer_role = BTreeSet::from([Role::Trainer]);
        assert_eq!(
            may_create_person(&manager, None, &member_role),
            Ok(Some(org))
        );
        assert_eq!(
            may_create_person(&manager, Some(Uuid::now_v7()), &member_role),
            Err(Denied::Hidden)
        );
        assert!(matches!(
            may_create_person(&manager, Some(org), &trainer_role),
            Err(Denied::Forbidden(_))
        ));
        assert!(matches!(
            may_create_person(&caller(&[Role::Member], Some(org)), None, &member_role),
            Err(Denied::Forbidden(_))
        ));
        assert_eq!(
            may_create_person(&Principal::system(), None, &trainer_role),
            Ok(None)
        );
    }

    #[test]
    fn who_changes_what_of_a_person() {
        let org = Uuid::now_v7();
        let manager = caller(&[Role::OrgManager], Some(org));
        let member = caller(&[Role::Member], Some(org));
        let names = PersonChanges {
            first_name: Some("Awa".into()),
            ..PersonChanges::default()
        };
        let password = PersonChanges {
            password: Some("a long enough password".into()),
            ..PersonChanges::default()
        };
        let deactivate = PersonChanges {
            active: Some(false),
            ..PersonChanges::default()
        };
        assert!(may_change_person(&member, Some(org), &names).is_ok());
        assert!(may_change_person(&member, Some(org), &deactivate).is_err());
        assert!(may_change_person(&manager, Some(org), &deactivate).is_ok());
        assert!(may_change_person(&manager, Some(org), &password).is_err());
        assert!(may_change_person(&caller(&[Role::Admin], None), Some(org), &password).is_ok());
    }

    #[test]
    fn who_sees_which_organisation_and_lists_agree() {
        let org = Uuid::now_v7();
        let member = caller(&[Role::Member], Some(org));
        assert!(may_see_organisation(&member, org));
        assert!(!may_see_organisation(&member, Uuid::now_v7()));
        assert_eq!(organisation_scope(&member), Some(vec![org]));
        assert_eq!(
            organisation_scope(&caller(&[Role::Member], None)),
            Some(vec![])
        );
        assert_eq!(organisation_scope(&caller(&[Role::Admin], None)), None);
        assert!(may_manage_organisations(&member).is_err());
    }
}
