//! People: validation, creation and changes. Work that needs no database — validation and
//! password hashing (~16 ms of a core) — happens in `prepare_*`, before the caller begins its
//! transaction, so the write lock is held only for database work.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{AccountsError, Result, invalid};
use crate::accounts::model::{NewPerson, PeopleFilter, Person, PersonChanges, Pseudonym, Role};
use crate::accounts::store::{self, PersonRow, PersonUpdate};
use crate::accounts::{password, policy};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::Email;

fn denied(denied: policy::Denied) -> AccountsError {
    AccountsError::denied(denied, AccountsError::OrganisationNotFound)
}

pub async fn me(db: &impl ConnectionTrait, principal: &Principal) -> Result<Person> {
    store::person_by_id(db, principal.person_id)
        .await?
        .map(|r| r.person)
        .ok_or(AccountsError::InvalidToken)
}

pub async fn get_person(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Person> {
    store::person_by_id(db, id)
        .await?
        .map(|r| r.person)
        .filter(|p| policy::may_see_person(principal, p.id, p.organisation_id))
        .ok_or(AccountsError::PersonNotFound)
}

/// The standing of each of `ids` (people that do not exist are absent), in one query, for other
/// contexts' rules. No policy here: the caller's own policy decides who may act on them.
pub async fn standings(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> std::result::Result<std::collections::HashMap<Uuid, crate::accounts::model::Standing>, DbErr> {
    Ok(store::standings(db, ids)
        .await?
        .into_iter()
        .map(|s| (s.person_id, s))
        .collect())
}

/// The condition "the person holds `role`" on `person.id`, for other contexts' queries of
/// people (the catalogue's trainers).
pub fn holds_role(role: crate::principal::Role) -> sea_orm::sea_query::SimpleExpr {
    store::holds_role(role)
}

/// The names and organisation of each of `ids` (people that do not exist are absent), in one
/// query, for contexts that show people to each other (clubs). No policy here.
pub async fn person_cards(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, crate::accounts::model::PersonCard>> {
    Ok(store::cards(db, ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// A person and whether their organisation is a member of the federation (which decides the
/// price they pay), for other contexts' rules. No policy here: the caller's own policy decides
/// who may act on them.
pub async fn person_and_membership(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Person, bool)>> {
    let Some(person) = store::person_by_id(db, id).await?.map(|r| r.person) else {
        return Ok(None);
    };
    let member = match person.organisation_id {
        Some(org) => store::organisation_by_id(db, org)
            .await?
            .is_some_and(|o| o.is_member && o.active),
        None => false,
    };
    Ok(Some((person, member)))
}

/// Administrators list everyone; org managers their own organisation; others may not list.
pub async fn list_people(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: PeopleFilter,
    page: &PageRequest,
) -> Result<Page<Person>> {
    let filter = policy::people_scope(principal, filter).map_err(denied)?;
    Ok(store::list_people(db, &filter, page).await?)
}

struct Fields {
    email: Option<Email>,
    first_name: Option<String>,
    last_name: Option<String>,
}

fn validate_fields(
    errors: &mut FieldErrors,
    email: Option<&str>,
    first_name: Option<&str>,
    last_name: Option<&str>,
    password: Option<&str>,
) -> Fields {
    let fields = Fields {
        email: email.and_then(|e| errors.parse::<Email>("email", e)),
        first_name: first_name.map(|n| required_text(errors, "first_name", n, 200)),
        last_name: last_name.map(|n| required_text(errors, "last_name", n, 200)),
    };
    if let Some(problem) = password.and_then(password::check_length) {
        errors.add("password", problem);
    }
    fields
}

fn roles_or_member(roles: BTreeSet<Role>) -> BTreeSet<Role> {
    if roles.is_empty() {
        BTreeSet::from([Role::Member])
    } else {
        roles
    }
}

/// A new person the caller may create, validated, its password hashed.
#[derive(Debug)]
pub struct PreparedPerson(PersonRow);

/// Checks that the caller may create this person (administrators: anyone, anywhere; org
/// managers: members and org managers of their own organisation), validates it and hashes its
/// password. No database work.
pub async fn prepare_person(principal: &Principal, new: NewPerson) -> Result<PreparedPerson> {
    prepare_person_with_id(principal, Uuid::now_v7(), new).await
}

/// [`prepare_person`] with a given id (demo data keeps its ids stable).
pub async fn prepare_person_with_id(
    principal: &Principal,
    id: Uuid,
    new: NewPerson,
) -> Result<PreparedPerson> {
    let organisation_id =
        policy::may_create_person(principal, new.organisation_id, &new.roles).map_err(denied)?;
    let mut errors = FieldErrors::new();
    let fields = validate_fields(
        &mut errors,
        Some(&new.email),
        Some(&new.first_name),
        Some(&new.last_name),
        new.password.as_deref(),
    );
    invalid(errors)?;
    let password_hash = match new.password {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    Ok(PreparedPerson(PersonRow {
        id,
        email: fields.email.map(Email::into_inner).unwrap_or_default(),
        first_name: fields.first_name.unwrap_or_default(),
        last_name: fields.last_name.unwrap_or_default(),
        organisation_id,
        password_hash,
        roles: roles_or_member(new.roles),
    }))
}

/// Creates a prepared person: their organisation must exist and their e-mail be free.
pub async fn create_person(tx: &mut WriteTx, person: PreparedPerson) -> Result<Person> {
    let PreparedPerson(row) = person;
    if let Some(org) = row.organisation_id {
        store::organisation_by_id(tx.conn(), org)
            .await?
            .ok_or(AccountsError::OrganisationNotFound)?;
    }
    if store::email_taken(tx.conn(), &crate::values::normalize_email(&row.email)).await? {
        return Err(AccountsError::EmailTaken);
    }
    store::insert_person(tx, row).await.map_err(unique_email)
}

/// Changes to a person, validated, a new password hashed.
#[derive(Debug)]
pub struct PreparedChanges {
    changes: PersonChanges,
    update: PersonUpdate,
}

/// Validates changes to a person and hashes a new password. No database work.
pub async fn prepare_person_changes(changes: PersonChanges) -> Result<PreparedChanges> {
    let mut errors = FieldErrors::new();
    let fields = validate_fields(
        &mut errors,
        changes.email.as_deref(),
        changes.first_name.as_deref(),
        changes.last_name.as_deref(),
        changes.password.as_deref(),
    );
    invalid(errors)?;
    let password_hash = match changes.password.clone() {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let update = PersonUpdate {
        email: fields.email.map(Email::into_inner),
        first_name: fields.first_name,
        last_name: fields.last_name,
        organisation_id: changes.organisation_id,
        password_hash,
        active: changes.active,
        roles: changes.roles.clone().map(roles_or_member),
    };
    Ok(PreparedChanges { changes, update })
}

/// Edits a person. Administrators: everything. Org managers: people of their organisation —
/// names, e-mail, activity and the member/org_manager roles. Everyone: their own names.
/// Deactivating a person or setting their password revokes all their tokens.
pub async fn update_person(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    prepared: PreparedChanges,
) -> Result<Person> {
    let PreparedChanges { changes, update } = prepared;
    let before = store::lock_person(tx, id)
        .await?
        .filter(|r| policy::may_see_person(principal, r.person.id, r.person.organisation_id))
        .ok_or(AccountsError::PersonNotFound)?;
    policy::may_change_person(principal, before.person.organisation_id, &changes)
        .map_err(|d| AccountsError::denied(d, AccountsError::PersonNotFound))?;
    if before.person.erased_at.is_some() {
        return Err(AccountsError::Erased);
    }
    if let Some(Some(org)) = changes.organisation_id {
        store::organisation_by_id(tx.conn(), org)
            .await?
            .ok_or(AccountsError::OrganisationNotFound)?;
    }
    if let Some(email) = &update.email {
        let normalized = crate::values::normalize_email(email);
        if normalized != before.email_normalized
            && store::email_taken(tx.conn(), &normalized).await?
        {
            return Err(AccountsError::EmailTaken);
        }
    }
    let deactivating = changes.active == Some(false) && before.person.active;
    let after = store::update_person(tx, &before, update)
        .await
        .map_err(unique_email)?;
    if deactivating || changes.password.is_some() {
        store::revoke_tokens_of(tx.conn(), id, None, tx.now()).await?;
    }
    Ok(after)
}

/// Erases a person's identity: their names and e-mail become their [`Pseudonym`], their
/// password is forgotten, they are deactivated and every token of theirs is revoked. The row
/// stays, so what the law keeps (attendance, certificates) still points at the pseudonym. No
/// policy here: the caller's own policy decides who may erase (`Ok(None)`: no such person).
pub async fn erase_person(tx: &mut WriteTx, id: Uuid) -> Result<Option<(Person, Pseudonym)>> {
    let Some(before) = store::lock_person(tx, id).await? else {
        return Ok(None);
    };
    if before.person.erased_at.is_some() {
        return Err(AccountsError::Erased);
    }
    let pseudonym = Pseudonym::of(id);
    let after = store::erase_person(tx, &before, &pseudonym).await?;
    store::revoke_tokens_of(tx.conn(), id, None, tx.now()).await?;
    Ok(Some((after, pseudonym)))
}

/// Two simultaneous writers with one e-mail: the database's unique index decides.
fn unique_email(error: DbErr) -> AccountsError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AccountsError::EmailTaken,
        _ => AccountsError::Db(error),
    }
}
