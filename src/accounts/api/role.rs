//! A role as the API names it.

use poem_openapi::Enum;

use crate::principal::Role;

/// What a person may do. A person holds one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Enum)]
#[oai(rename = "Role", rename_all = "snake_case")]
pub enum RoleView {
    /// Staff or volunteer of an organisation: enrols, joins clubs.
    Member,
    /// Manages the people and enrolments of their own organisation.
    OrgManager,
    /// Teaches sessions and records attendance.
    Trainer,
    /// Runs a club.
    Animator,
    /// Federation staff: manages everything.
    Admin,
    /// Receives and handles the reports of violence, harassment and discrimination.
    Referent,
}

impl From<Role> for RoleView {
    fn from(role: Role) -> Self {
        match role {
            Role::Member => Self::Member,
            Role::OrgManager => Self::OrgManager,
            Role::Trainer => Self::Trainer,
            Role::Animator => Self::Animator,
            Role::Admin => Self::Admin,
            Role::Referent => Self::Referent,
        }
    }
}

impl From<RoleView> for Role {
    fn from(role: RoleView) -> Self {
        match role {
            RoleView::Member => Self::Member,
            RoleView::OrgManager => Self::OrgManager,
            RoleView::Trainer => Self::Trainer,
            RoleView::Animator => Self::Animator,
            RoleView::Admin => Self::Admin,
            RoleView::Referent => Self::Referent,
        }
    }
}
