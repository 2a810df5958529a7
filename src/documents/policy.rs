//! Who may obtain which document. A document the caller may not obtain is not found.

use uuid::Uuid;

use crate::principal::{Principal, Role};

/// A trainee's own documents (certificate, attestation, convocation, quote, convention): the
/// trainee, their organisation's manager, administrators.
pub fn may_get_trainee_document(
    principal: &Principal,
    person_id: Uuid,
    organisation_id: Option<Uuid>,
) -> bool {
    principal.person_id == person_id
        || principal.is_admin()
        || (principal.has(Role::OrgManager)
            && organisation_id.is_some()
            && principal.organisation_id == organisation_id)
}

/// Issuing, listing, revoking certificates; the provider's identity; the bulk archive.
pub fn may_administer(principal: &Principal) -> bool {
    principal.is_admin()
}

/// [`may_administer`], or 403 saying what only administrators do.
pub fn require_administrator(
    principal: &Principal,
    only: &'static str,
) -> Result<(), crate::documents::service::DocumentsError> {
    if may_administer(principal) {
        Ok(())
    } else {
        Err(crate::documents::service::DocumentsError::Forbidden(only))
    }
}

/// Recording an assessment: the session's trainers and administrators.
pub fn may_assess(principal: &Principal, trainers: &[Uuid]) -> bool {
    principal.is_admin()
        || (principal.has(Role::Trainer) && trainers.contains(&principal.person_id))
}
