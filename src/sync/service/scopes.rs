//! The scopes a person's devices pull, computed from the authoritative tables at every pull:
//! everyone gets the published catalogue and their own record (their enrolments, club
//! memberships and answers); a trainer each session they teach (its half-days, roster, marks,
//! countersignatures and conflicts); an animator each club they run; a member each club they
//! belong to (the club and its meetings). Administrators use the online API for the rest.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;

use super::Result;
use crate::catalogue::service as catalogue;
use crate::clubs::service as clubs;
use crate::db::scope::Scope;
use crate::principal::{Principal, Role};

/// The keys of the scopes `principal`'s devices see now.
pub async fn scopes_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<BTreeSet<String>> {
    let mut scopes = BTreeSet::from([Scope::Catalogue, Scope::Person(principal.person_id)]);
    if principal.has(Role::Trainer) {
        let taught = catalogue::sessions_taught_by(db, principal.person_id).await?;
        scopes.extend(taught.into_iter().map(Scope::Session));
    }
    let in_clubs = clubs::device_scopes(db, principal.person_id).await?;
    scopes.extend(in_clubs);
    Ok(scopes.into_iter().map(|s| s.key()).collect())
}
