//! Who may see, create and change which person.

use std::collections::BTreeSet;

use chrono::Utc;
use entity::person;
use sea_orm::{DatabaseConnection, DbErr, IntoActiveModel, Set};
use uuid::Uuid;
use validator::ValidateEmail;

use crate::accounts::model::{NewPerson, PeopleFilter, Person, PersonChanges, Principal, Role};
use crate::accounts::{password, store};
use crate::db::write::WriteTx;
use crate::validation::{FieldErrors, required_text};

use super::{AccountsError, Result, normalize_email};

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
