//! The accounts domain: people and organisations as the service hands them out, and what
//! callers ask to create or change. (Roles and the calling principal live in
//! [`crate::principal`]: the HTTP plumbing needs them too.)

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use crate::principal::Role;

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
    /// Set once the person's personal data was erased: the row is a pseudonym.
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an erased person is called from then on: the same on every record that keeps them
/// (attendance sheets, certificates), derived from their id so it never names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonym {
    pub first_name: String,
    pub last_name: String,
    /// Undeliverable by construction (RFC 2606 `.invalid`), unique per person.
    pub email: String,
}

impl Pseudonym {
    pub fn of(person_id: Uuid) -> Self {
        let simple = person_id.simple().to_string();
        let tag = simple[simple.len() - 8..].to_uppercase();
        Self {
            first_name: "Personne".to_owned(),
            last_name: format!("effacée {tag}"),
            email: format!("erased-{simple}@erased.invalid"),
        }
    }

    /// The name as documents print it.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A person as other people see them (club members): names and organisation, no e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCard {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub organisation: Option<String>,
}

/// What other contexts need to act on a person: their organisation, whether the account is
/// active, and whether the organisation is an active member of the federation (which decides
/// the price they pay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub active: bool,
    pub member: bool,
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
    /// Set by the policy when the caller's filter can match no one it may see.
    pub nobody: bool,
}
