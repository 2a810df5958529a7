//! Who may read and erase a person's personal data.

use uuid::Uuid;

use crate::principal::Principal;

/// The person themself and administrators read a person's export; anyone else is answered as
/// if the person did not exist.
pub fn may_export(principal: &Principal, person_id: Uuid) -> bool {
    principal.is_admin() || principal.is(person_id)
}

/// Why a caller may not erase a person, if they may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureDenied {
    /// Only administrators erase.
    NotAdministrator,
    /// An administrator does not erase their own account (another administrator does).
    OwnAccount,
}

pub fn may_erase(principal: &Principal, person_id: Uuid) -> Result<(), ErasureDenied> {
    if !principal.is_admin() {
        Err(ErasureDenied::NotAdministrator)
    } else if principal.is(person_id) {
        Err(ErasureDenied::OwnAccount)
    } else {
        Ok(())
    }
}
