//! Login, bearer tokens and one's own password.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{AccountsError, Result, invalid};
use crate::accounts::limiter::FailureLimiter;
use crate::accounts::model::Person;
use crate::accounts::store::{self, PersonUpdate};
use crate::accounts::{password, token};
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::validation::FieldErrors;
use crate::values::normalize_email;

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
    pub expires_at: DateTime<Utc>,
    pub person: Person,
}

/// Checks credentials and issues a token. An unknown e-mail, a wrong password and a deactivated
/// account are the same failure; failures are limited per account and per client address.
pub async fn login(
    db: &impl ConnectionTrait,
    policy: &LoginPolicy,
    now: DateTime<Utc>,
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
        Some(record) if verified && record.person.active => record.person,
        _ => {
            policy.per_account.fail(&account_key);
            policy.per_address.fail(&address_key);
            tracing::info!(outcome = "failure", "login");
            return Err(AccountsError::InvalidCredentials);
        }
    };
    policy.per_account.clear(&account_key);
    let token = token::generate();
    let expires_at = now + policy.token_ttl;
    store::insert_token(db, person.id, token::digest(&token), now, expires_at).await?;
    tracing::info!(outcome = "success", person_id = %person.id, "login");
    Ok(Session {
        token,
        expires_at,
        person,
    })
}

/// Resolves a bearer token to its principal: the token must be live and its owner active.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    bearer: &str,
) -> Result<Principal> {
    let (token_id, record) = store::live_token(db, &token::digest(bearer), now)
        .await?
        .ok_or(AccountsError::InvalidToken)?;
    Ok(Principal {
        person_id: record.person.id,
        organisation_id: record.person.organisation_id,
        roles: record.person.roles,
        token_id,
    })
}

/// Revokes the token the caller used.
pub async fn logout(tx: &mut WriteTx, principal: &Principal) -> Result<()> {
    store::revoke_token(tx.conn(), principal.token_id, tx.now()).await?;
    Ok(())
}

/// A checked change of one's own password.
#[derive(Debug)]
pub struct PreparedPassword {
    password_hash: String,
}

/// Checks the new password's length and the current password, and hashes the new one. Reads
/// only: the caller's transaction begins after this slow part.
pub async fn prepare_password_change(
    db: &impl ConnectionTrait,
    principal: &Principal,
    current: String,
    new: String,
) -> Result<PreparedPassword> {
    let mut errors = FieldErrors::new();
    if let Some(problem) = password::check_length(&new) {
        errors.add("new_password", problem);
    }
    invalid(errors)?;
    let record = store::person_by_id(db, principal.person_id)
        .await?
        .ok_or(AccountsError::InvalidToken)?;
    if !password::verify(current, record.password_hash.clone()).await? {
        return Err(AccountsError::InvalidCredentials);
    }
    Ok(PreparedPassword {
        password_hash: password::hash(new).await?,
    })
}

/// Sets the caller's own password; their other tokens are revoked.
pub async fn change_own_password(
    tx: &mut WriteTx,
    principal: &Principal,
    prepared: PreparedPassword,
) -> Result<()> {
    let before = store::lock_person(tx, principal.person_id)
        .await?
        .ok_or(AccountsError::PersonNotFound)?;
    let update = PersonUpdate {
        password_hash: Some(prepared.password_hash),
        ..PersonUpdate::default()
    };
    store::update_person(tx, &before, update).await?;
    store::revoke_tokens_of(
        tx.conn(),
        principal.person_id,
        Some(principal.token_id),
        tx.now(),
    )
    .await?;
    Ok(())
}

/// The principal a person acts as when no token is at hand (an administrator accepting what a
/// revoked device pushed applies it as its person): their roles now, active or not.
pub async fn principal_of(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Option<Principal>> {
    Ok(store::person_by_id(db, person_id)
        .await?
        .map(|record| Principal {
            person_id: record.person.id,
            organisation_id: record.person.organisation_id,
            roles: record.person.roles,
            token_id: Uuid::nil(),
        }))
}

/// Removes login tokens expired or revoked before `before` (counts them when `dry_run`).
pub async fn purge_tokens(
    db: &impl sea_orm::ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<crate::values::Purged> {
    let count = store::purge_tokens(db, before, dry_run).await?;
    Ok(crate::values::Purged::new("auth_token", count))
}
