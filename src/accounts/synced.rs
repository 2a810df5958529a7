//! What devices pull of the accounts context: a person is seen by their own devices and their
//! organisation's; an organisation by its own.

use crate::db::scope::Scope;
use crate::synced;

synced!(organisation, "organisation", |row| vec![
    Scope::Organisation(row.id)
]);

synced!(person, "person", hide["password_hash"], |row| {
    let mut scopes = vec![Scope::Person(row.id)];
    scopes.extend(row.organisation_id.map(Scope::Organisation));
    scopes
});
