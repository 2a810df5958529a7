//! Who keeps and reads the quality records: administrators keep the registers; the reports
//! channel is read by its designated referents and administrators only.

use crate::principal::Principal;

/// Administrators keep the quality registers.
pub fn may_administer(principal: &Principal) -> bool {
    principal.is_admin()
}
