//! The rules of the accounts context: login and tokens, and who may see or change which
//! organisation and person. Authorization is decided here, per object: an object the caller may
//! not see is reported as not found.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use entity::{organisation, person};
use sea_orm::{DatabaseConnection, DbErr, IntoActiveModel, Set};
use uuid::Uuid;
use validator::ValidateEmail;

use super::limiter::FailureLimiter;
use super::model::{
    NewOrganisation, NewPerson, Organisation, OrganisationChanges, PeopleFilter, Person,
    PersonChanges, Principal, Role,
};
use super::{password, store, token};
use crate::db::write::WriteTx;
use crate::validation::{FieldErrors, required_text};

/// Everything that can go wrong in the accounts context.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    #[error("invalid or expired token")]
    InvalidToken,
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("person not found")]
    PersonNotFound,
    #[error("organisation not found")]
    OrganisationNotFound,
    #[error("a person with this e-mail already exists")]
    EmailTaken,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Hash(#[from] password::HashError),
}

pub type Result<T> = std::result::Result<T, AccountsError>;

/// The login limiters and token lifetime.
#[derive(Debug)]
pub struct LoginPolicy {
    pub per_account: FailureLimiter,
    pub per_address: FailureLimiter,
    pub token_ttl: chrono::Duration,
}

impl LoginPolicy {
    pub fn new(per_account: u32, per_address: u32, window: Duration, token_ttl_hours: i64) -> Self {
        Self {
            per_account: FailureLimiter::new(per_account, window),
            per_address: FailureLimiter::new(per_address, window),
            token_ttl: chrono::Duration::hours(token_ttl_hours.max(1)),
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

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

// ---- authentication ---------------------------------------------------------------------

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
    let verified = password::verify(password_attempt, phc).await?;
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

// ---- people -----------------------------------------------------------------------------

/// Whether `principal` may see `person`: administrators all, org managers their organisation's
/// people, everyone themselves.
fn may_see_person(principal: &Principal, person: &person::Model) -> bool {
    principal.is_admin()
        || principal.person_id == person.id
        || principal.manages(person.organisation_id)
}

async fn with_roles(db: &DatabaseConnection, row: person::Model) -> Result<Person> {
    let roles = store::roles_of(db, row.id).await?;
    Ok(Person::from_row(row, roles))
}

pub async fn me(db: &DatabaseConnection, principal: &Principal) -> Result<Person> {
    let row = store::person_by_id(db, principal.person_id)
        .await?
        .ok_or(AccountsError::InvalidToken)?;
    with_roles(db, row).await
}

pub async fn get_person(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Person> {
    let row = store::person_by_id(db, id)
        .await?
        .filter(|p| may_see_person(principal, p));
    with_roles(db, row.ok_or(AccountsError::PersonNotFound)?).await
}

/// Administrators list everyone; org managers their own organisation; others may not list.
pub async fn list_people(
    db: &DatabaseConnection,
    principal: &Principal,
    mut filter: PeopleFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Person>> {
    if !principal.is_admin() {
        if !principal.has(Role::OrgManager) || principal.organisation_id.is_none() {
            return Err(AccountsError::Forbidden(
                "only administrators and organisation managers list people",
            ));
        }
        if filter
            .organisation_id
            .is_some_and(|org| Some(org) != principal.organisation_id)
        {
            return Ok(Vec::new());
        }
        filter.organisation_id = principal.organisation_id;
    }
    let rows = store::list_people(db, &filter, after, limit).await?;
    let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
    let mut roles = store::roles_of_many(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let r = roles.remove(&row.id).unwrap_or_default();
            Person::from_row(row, r)
        })
        .collect())
}

/// Roles an org manager may grant within their organisation.
fn manager_grantable(roles: &BTreeSet<Role>) -> bool {
    roles
        .iter()
        .all(|role| matches!(role, Role::Member | Role::OrgManager))
}

fn validate_person_fields(
    errors: &mut FieldErrors,
    email: Option<&str>,
    first_name: Option<&str>,
    last_name: Option<&str>,
    password: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    let email = email.map(|e| {
        let e = e.trim().to_owned();
        errors.check(
            e.validate_email() && e.chars().count() <= 254,
            "email",
            "must be a valid e-mail address",
        );
        e
    });
    let first = first_name.map(|n| required_text(errors, "first_name", n, 200));
    let last = last_name.map(|n| required_text(errors, "last_name", n, 200));
    if let Some(problem) = password.and_then(password::check_length) {
        errors.add("password", problem);
    }
    (email, first, last)
}

/// Creates a person. Administrators: in any organisation, with any roles. Org managers: in their
/// own organisation only (another organisation is reported not found), as member or org manager.
pub async fn create_person(
    db: &DatabaseConnection,
    principal: &Principal,
    new: NewPerson,
) -> Result<Person> {
    let organisation_id = if principal.is_admin() {
        new.organisation_id
    } else if principal.has(Role::OrgManager) && principal.organisation_id.is_some() {
        match new.organisation_id {
            None => principal.organisation_id,
            Some(org) if Some(org) == principal.organisation_id => Some(org),
            Some(_) => return Err(AccountsError::OrganisationNotFound),
        }
    } else {
        return Err(AccountsError::Forbidden(
            "only administrators and organisation managers create people",
        ));
    };
    if !principal.is_admin() && !manager_grantable(&new.roles) {
        return Err(AccountsError::Forbidden(
            "organisation managers grant only the member and org_manager roles",
        ));
    }
    insert_person(
        db,
        NewPerson {
            organisation_id,
            ..new
        },
        Uuid::now_v7(),
    )
    .await
}

/// Inserts a person with a given id, without authorization checks (bootstrap, command line,
/// demo data).
pub async fn insert_person(db: &DatabaseConnection, new: NewPerson, id: Uuid) -> Result<Person> {
    let mut errors = FieldErrors::new();
    let (email, first, last) = validate_person_fields(
        &mut errors,
        Some(&new.email),
        Some(&new.first_name),
        Some(&new.last_name),
        new.password.as_deref(),
    );
    errors.into_result().map_err(AccountsError::Invalid)?;
    let email = email.unwrap_or_default();
    let hash = match new.password {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let roles = if new.roles.is_empty() {
        BTreeSet::from([Role::Member])
    } else {
        new.roles
    };
    let mut tx = WriteTx::begin(db).await?;
    if let Some(org) = new.organisation_id {
        store::organisation_by_id(tx.conn(), org)
            .await?
            .ok_or(AccountsError::OrganisationNotFound)?;
    }
    if store::person_by_email(tx.conn(), &normalize_email(&email))
        .await?
        .is_some()
    {
        return Err(AccountsError::EmailTaken);
    }
    let now = Utc::now();
    let row = person::ActiveModel {
        id: Set(id),
        email_normalized: Set(normalize_email(&email)),
        email: Set(email),
        first_name: Set(first.unwrap_or_default()),
        last_name: Set(last.unwrap_or_default()),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(hash),
        created_at: Set(now),
        updated_at: Set(now),
        deactivated_at: Set(None),
        version: Set(0),
    };
    let created = tx.insert(row).await.map_err(unique_email)?;
    store::replace_roles(&mut tx, created.id, &roles).await?;
    tx.commit().await?;
    Ok(Person::from_row(created, roles))
}

/// Edits a person. Administrators: everything. Org managers: people of their organisation —
/// names, e-mail, activity and the member/org_manager roles. Everyone: their own names.
pub async fn update_person(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    changes: PersonChanges,
) -> Result<Person> {
    let mut errors = FieldErrors::new();
    let (email, first, last) = validate_person_fields(
        &mut errors,
        changes.email.as_deref(),
        changes.first_name.as_deref(),
        changes.last_name.as_deref(),
        changes.password.as_deref(),
    );
    errors.into_result().map_err(AccountsError::Invalid)?;
    let hash = match changes.password.clone() {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };

    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<person::Entity>(id)
        .await?
        .filter(|p| may_see_person(principal, p))
        .ok_or(AccountsError::PersonNotFound)?;
    authorize_person_changes(principal, &before, &changes)?;
    if let Some(Some(org)) = changes.organisation_id {
        store::organisation_by_id(tx.conn(), org)
            .await?
            .ok_or(AccountsError::OrganisationNotFound)?;
    }
    let now = Utc::now();
    let mut row = before.clone().into_active_model();
    if let Some(email) = email {
        let normalized = normalize_email(&email);
        if normalized != before.email_normalized
            && store::person_by_email(tx.conn(), &normalized)
                .await?
                .is_some()
        {
            return Err(AccountsError::EmailTaken);
        }
        row.email_normalized = Set(normalized);
        row.email = Set(email);
    }
    if let Some(first) = first {
        row.first_name = Set(first);
    }
    if let Some(last) = last {
        row.last_name = Set(last);
    }
    if let Some(org) = changes.organisation_id {
        row.organisation_id = Set(org);
    }
    if hash.is_some() {
        row.password_hash = Set(hash);
    }
    let deactivating = changes.active == Some(false) && before.deactivated_at.is_none();
    match changes.active {
        Some(false) if before.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before, row).await.map_err(unique_email)?;
    if let Some(roles) = &changes.roles {
        let roles = if roles.is_empty() {
            BTreeSet::from([Role::Member])
        } else {
            roles.clone()
        };
        store::replace_roles(&mut tx, id, &roles).await?;
    }
    if deactivating || changes.password.is_some() {
        store::revoke_tokens_of(tx.conn(), id, None, now).await?;
    }
    let roles = store::roles_of(tx.conn(), id).await?;
    tx.commit().await?;
    Ok(Person::from_row(after, roles))
}

/// Two simultaneous writers with one e-mail: the database's unique index decides.
fn unique_email(error: DbErr) -> AccountsError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AccountsError::EmailTaken,
        _ => AccountsError::Db(error),
    }
}

fn authorize_person_changes(
    principal: &Principal,
    before: &person::Model,
    changes: &PersonChanges,
) -> Result<()> {
    if principal.is_admin() {
        return Ok(());
    }
    let forbidden = |why| Err(AccountsError::Forbidden(why));
    if principal.manages(before.organisation_id) {
        if changes.organisation_id.is_some() || changes.password.is_some() {
            return forbidden(
                "only administrators move people between organisations or set their passwords",
            );
        }
        if changes
            .roles
            .as_ref()
            .is_some_and(|roles| !manager_grantable(roles))
        {
            return forbidden("organisation managers grant only the member and org_manager roles");
        }
        return Ok(());
    }
    // Oneself, without managing: names only.
    let names_only = changes.email.is_none()
        && changes.organisation_id.is_none()
        && changes.roles.is_none()
        && changes.active.is_none()
        && changes.password.is_none();
    if names_only {
        Ok(())
    } else {
        forbidden("you may change only your own names here")
    }
}

// ---- organisations ----------------------------------------------------------------------

fn may_see_organisation(principal: &Principal, id: Uuid) -> bool {
    principal.is_admin() || principal.organisation_id == Some(id)
}

fn validate_country(errors: &mut FieldErrors, country: &str) -> String {
    let country = country.trim().to_uppercase();
    errors.check(
        country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
        "country",
        "must be an ISO 3166-1 alpha-2 code such as FR or TG",
    );
    country
}

pub async fn get_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Organisation> {
    if !may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    store::organisation_by_id(db, id)
        .await?
        .map(Organisation::from)
        .ok_or(AccountsError::OrganisationNotFound)
}

/// Administrators list all organisations; everyone else sees their own.
pub async fn list_organisations(
    db: &DatabaseConnection,
    principal: &Principal,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Organisation>> {
    let only = if principal.is_admin() {
        None
    } else {
        match principal.organisation_id {
            Some(org) => Some(org),
            None => return Ok(Vec::new()),
        }
    };
    let rows = store::list_organisations(db, only, after, limit).await?;
    Ok(rows.into_iter().map(Organisation::from).collect())
}

fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(AccountsError::Forbidden(
            "only administrators manage organisations",
        ))
    }
}

pub async fn create_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    new: NewOrganisation,
) -> Result<Organisation> {
    require_admin(principal)?;
    insert_organisation(db, new, Uuid::now_v7()).await
}

/// Inserts an organisation with a given id, without authorization checks (demo data).
pub async fn insert_organisation(
    db: &DatabaseConnection,
    new: NewOrganisation,
    id: Uuid,
) -> Result<Organisation> {
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", &new.name, 200);
    let country = validate_country(&mut errors, &new.country);
    errors.into_result().map_err(AccountsError::Invalid)?;
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
    let created = tx
        .insert(organisation::ActiveModel {
            id: Set(id),
            name: Set(name),
            is_member: Set(new.is_member),
            country: Set(country),
            created_at: Set(now),
            updated_at: Set(now),
            deactivated_at: Set(None),
            version: Set(0),
        })
        .await?;
    tx.commit().await?;
    Ok(created.into())
}

pub async fn update_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    changes: OrganisationChanges,
) -> Result<Organisation> {
    if !may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    require_admin(principal)?;
    let mut errors = FieldErrors::new();
    let name = changes
        .name
        .as_deref()
        .map(|n| required_text(&mut errors, "name", n, 200));
    let country = changes
        .country
        .as_deref()
        .map(|c| validate_country(&mut errors, c));
    errors.into_result().map_err(AccountsError::Invalid)?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<organisation::Entity>(id)
        .await?
        .ok_or(AccountsError::OrganisationNotFound)?;
    let now = Utc::now();
    let mut row = before.clone().into_active_model();
    if let Some(name) = name {
        row.name = Set(name);
    }
    if let Some(country) = country {
        row.country = Set(country);
    }
    if let Some(is_member) = changes.is_member {
        row.is_member = Set(is_member);
    }
    match changes.active {
        Some(false) if before.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before, row).await?;
    tx.commit().await?;
    Ok(after.into())
}
