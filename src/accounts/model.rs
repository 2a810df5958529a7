//! The accounts domain: roles, the authenticated principal, people and organisations as the
//! service hands them out.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What a person may do. A person holds one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
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
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Member,
        Role::OrgManager,
        Role::Trainer,
        Role::Animator,
        Role::Admin,
    ];

    /// The value stored in `person_role.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::OrgManager => "org_manager",
            Role::Trainer => "trainer",
            Role::Animator => "animator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// Who is calling: resolved from a bearer token on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub roles: BTreeSet<Role>,
    /// The token used, so that logout revokes exactly it.
    pub token_id: Uuid,
}

impl Principal {
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
}

/// A person with their roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Option<Uuid>,
    pub roles: BTreeSet<Role>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn from_row(row: entity::person::Model, roles: BTreeSet<Role>) -> Self {
        Self {
            id: row.id,
            email: row.email,
            first_name: row.first_name,
            last_name: row.last_name,
            organisation_id: row.organisation_id,
            roles,
            active: row.deactivated_at.is_none(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// An organisation as the service hands it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub is_member: bool,
    pub country: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::organisation::Model> for Organisation {
    fn from(row: entity::organisation::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            is_member: row.is_member,
            country: row.country,
            active: row.deactivated_at.is_none(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A new person, as a caller asks for it.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Option<Uuid>,
    pub roles: BTreeSet<Role>,
    pub password: Option<String>,
}

/// Changes to a person; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonChanges {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_id: Option<Option<Uuid>>,
    pub roles: Option<BTreeSet<Role>>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub is_member: bool,
    pub country: String,
}

/// Changes to an organisation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub is_member: Option<bool>,
    pub country: Option<String>,
    pub active: Option<bool>,
}

/// Filters of the people list.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub organisation_id: Option<Uuid>,
    pub role: Option<Role>,
}
