//! What devices pull of the accounts context: a person is seen by their own devices (every
//! column but the password hash) and their organisation's (who they are, no more); an
//! organisation by its own.

use crate::db::scope::Scope;
use crate::synced;

synced!(organisation, "organisation", |row| vec![
    Scope::Organisation(row.id)
]);

synced!(
    person,
    "person",
    hide["password_hash"],
    fields {
        Organisation => [
            "id",
            "email",
            "first_name",
            "last_name",
            "organisation_id",
            "deactivated_at",
            "version",
        ],
    },
    |row| {
        let mut scopes = vec![Scope::Person(row.id)];
        scopes.extend(row.organisation_id.map(Scope::Organisation));
        scopes
    }
);
