//! Login, bearer tokens and one's own password.

use std::time::Duration;

use chrono::Utc;
use entity::person;
use sea_orm::{DatabaseConnection, IntoActiveModel, Set};

use crate::accounts::limiter::FailureLimiter;
use crate::accounts::model::{Person, Principal};
use crate::accounts::{password, store, token};
use crate::db::write::WriteTx;
use crate::validation::FieldErrors;

use super::{AccountsError, Result, normalize_email};

/// The login limiters and token lifetime.
#[derive(Debug)]
pub struct LoginPolicy {
    pub per_account: FailureLimiter,
    pub per_address: FailureLimiter,
    pub token_ttl: chrono::Duration,
    /// Password checks running at once: Argon2 takes ~16 ms of a core and 19 MiB each, so a
    /// burst of logins queues here instead of starving every other request.
    pub verifying: tokio::sync::Semaphore,
}

impl LoginPolicy {
    pub fn new(per_account: u32, per_address: u32, window: Duration, token_ttl_hours: i64) -> Self {
        Self {
            per_account: FailureLimiter::new(per_account, window),
            per_address: FailureLimiter::new(per_address, window),
            token_ttl: chrono::Duration::hours(token_ttl_hours.max(1)),
            verifying: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            ),
        }
    }
}

/// A token issued by a successful login.
#[derive(Debug)]
pub struct Session {
    pub token: String,
    pub expires_at: chrono::DateTime<Utc>,
    pub person: Person,
}

/// Checks credentials and issues a token. An unknown e-mail, a wrong password and a deactivated
/// account are the same failure; failures are limited per account and per client address.
pub async fn login(
    db: &DatabaseConnection,
    policy: &LoginPolicy,
    email: &str,
    password_attempt: String,
    client: &str,
) -> Result<Session> {
    let normalized = normalize_email(email);
    let account_key = format!("account:{normalized}");
    let address_key = format!("address:{client}");
    for (limiter, key) in [
        (&policy.per_account, &account_key),
        (&policy.per_address, &address_key),
    ] {
        limiter
            .check(key)
            .map_err(|retry_after_secs| AccountsError::RateLimited { retry_after_secs })?;
    }
    let found = store::person_by_email(db, &normalized).await?;
    let phc = found.as_ref().and_then(|p| p.password_hash.clone());
    let verified = {
        // The semaphore is never closed, so acquiring cannot fail; if it did, verify anyway.
        let _permit = policy.verifying.acquire().await.ok();
        password::verify(password_attempt, phc).await?
    };
    let person = match found {
        Some(person) if verified && person.deactivated_at.is_none() => person,
        _ => {
            policy.per_account.fail(&account_key);
            policy.per_address.fail(&address_key);
            tracing::info!(outcome = "failure", "login");
            return Err(AccountsError::InvalidCredentials);
        }
    };
    policy.per_account.clear(&account_key);
    let token = token::generate();
    let now = Utc::now();
    let expires_at = now + policy.token_ttl;
    store::insert_token(db, person.id, token::digest(&token), now, expires_at).await?;
    tracing::info!(outcome = "success", person_id = %person.id, "login");
    let roles = store::roles_of(db, person.id).await?;
    Ok(Session {
        token,
        expires_at,
        person: Person::from_row(person, roles),
    })
}

/// Resolves a bearer token to its principal: the token must be live and its owner active.
pub async fn authenticate(db: &DatabaseConnection, bearer: &str) -> Result<Principal> {
    let (token, person) = store::live_token(db, &token::digest(bearer), Utc::now())
        .await?
        .ok_or(AccountsError::InvalidToken)?;
    let roles = store::roles_of(db, person.id).await?;
    Ok(Principal {
        person_id: person.id,
        organisation_id: person.organisation_id,
        roles,
        token_id: token.id,
    })
}

/// Revokes the token the caller used.
pub async fn logout(db: &DatabaseConnection, principal: &Principal) -> Result<()> {
    store::revoke_token(db, principal.token_id, Utc::now()).await?;
    Ok(())
}

/// Changes the caller's own password after checking the current one; other tokens are revoked.
pub async fn change_own_password(
    db: &DatabaseConnection,
    principal: &Principal,
    current: String,
    new: String,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    if let Some(problem) = password::check_length(&new) {
        errors.add("new_password", problem);
    }
    errors.into_result().map_err(AccountsError::Invalid)?;
    let person = store::person_by_id(db, principal.person_id)
        .await?
        .ok_or(AccountsError::InvalidToken)?;
    if !password::verify(current, person.password_hash.clone()).await? {
        return Err(AccountsError::InvalidCredentials);
    }
    let hash = password::hash(new).await?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<person::Entity>(person.id)
        .await?
        .ok_or(AccountsError::PersonNotFound)?;
    let mut row = before.clone().into_active_model();
    row.password_hash = Set(Some(hash));
    row.updated_at = Set(Utc::now());
    tx.update(&before, row).await?;
    store::revoke_tokens_of(tx.conn(), person.id, Some(principal.token_id), Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}
