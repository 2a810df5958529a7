//! Who is calling. Resolved from a bearer token by the HTTP plumbing (`http::auth`), or the
//! explicit [`Principal::system`] for work no person asked for (demo data, bootstrap, CLI).
//! Every context's `policy` module decides from it.

use std::collections::BTreeSet;

use uuid::Uuid;

/// What a person may do. A person holds one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
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
    /// Designated to receive and handle the reports of violence, harassment and
    /// discrimination (Qualiopi V10 ind. 12).
    Referent,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Member,
        Role::OrgManager,
        Role::Trainer,
        Role::Animator,
        Role::Admin,
        Role::Referent,
    ];

    /// The value stored in `person_role.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::OrgManager => "org_manager",
            Role::Trainer => "trainer",
            Role::Animator => "animator",
            Role::Admin => "admin",
            Role::Referent => "referent",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub roles: BTreeSet<Role>,
    /// The token used, so that logout revokes exactly it (nil for the system principal).
    pub token_id: Uuid,
}

impl Principal {
    /// The service itself, for work no person asked for: demo data, the bootstrap
    /// administrator, the CLI. It passes every policy as an administrator would; it is never
    /// built from a request.
    pub fn system() -> Self {
        Self {
            person_id: Uuid::nil(),
            organisation_id: None,
            roles: BTreeSet::from([Role::Admin]),
            token_id: Uuid::nil(),
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// An org manager of `organisation_id`.
    pub fn manages(&self, organisation_id: Option<Uuid>) -> bool {
        self.has(Role::OrgManager)
            && organisation_id.is_some()
            && self.organisation_id == organisation_id
    }

    /// Whether this is `person_id`.
    pub fn is(&self, person_id: Uuid) -> bool {
        self.person_id == person_id
    }
}
