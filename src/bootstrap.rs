//! Start-up tasks: the administrator named by `PASSERELLE_ADMIN_EMAIL`/`_PASSWORD`.

use std::collections::BTreeSet;

use sea_orm::DatabaseConnection;

use crate::accounts::model::{NewPerson, Role};
use crate::accounts::service::{self, AccountsError};
use crate::accounts::store;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::write;
use crate::principal::Principal;

/// Creates the configured administrator if no account has that e-mail. An existing account is
/// never changed (its password is not overwritten).
pub async fn ensure_admin(
    db: &DatabaseConnection,
    clock: &Clock,
    settings: &Settings,
) -> Result<(), AccountsError> {
    let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) else {
        return Ok(());
    };
    if store::person_by_email(db, &crate::values::normalize_email(email))
        .await?
        .is_some()
    {
        tracing::info!("administrator account already exists; left unchanged");
        return Ok(());
    }
    let new = NewPerson {
        email: email.clone(),
        first_name: "Administrator".into(),
        last_name: "Passerelle".into(),
        organisation_id: None,
        roles: BTreeSet::from([Role::Admin]),
        password: Some(password.expose().to_owned()),
    };
    let prepared = service::prepare_person(&Principal::system(), new).await?;
    let person = write::run(db, clock, async |tx| {
        service::create_person(tx, prepared).await
    })
    .await?;
    tracing::info!(person_id = %person.id, "administrator account created");
    Ok(())
}
