//! What devices pull of quality: a person's own survey invitations, with their questions'
//! template id and the answers so far (`Person`). A funder's invitation has no person and goes
//! to no device; its link's hash and the funder's contact go to none.

use crate::db::scope::Scope;
use crate::synced;

synced!(
    survey_invitation,
    "survey_invitation",
    hide["secret_hash", "funder_name", "funder_email", "funder_organisation"],
    |row| row.person_id.map(Scope::Person).into_iter().collect()
);
