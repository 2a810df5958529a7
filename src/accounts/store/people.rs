//! People and their roles.

use std::collections::{BTreeMap, BTreeSet};

use entity::{organisation, person, person_role};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::accounts::model::{PeopleFilter, Person, Role, Standing};
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

/// A person's row as the service needs it to decide (login, visibility, changes).
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub person: Person,
    pub email_normalized: String,
    pub password_hash: Option<String>,
    row: person::Model,
}

fn record(row: person::Model, roles: BTreeSet<Role>) -> PersonRecord {
    PersonRecord {
        person: person_of(&row, roles),
        email_normalized: row.email_normalized.clone(),
        password_hash: row.password_hash.clone(),
        row,
    }
}

fn person_of(row: &person::Model, roles: BTreeSet<Role>) -> Person {
    Person {
        id: row.id,
        email: row.email.clone(),
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        organisation_id: row.organisation_id,
        roles,
        active: row.deactivated_at.is_none(),
        erased_at: row.erased_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub(super) async fn with_roles(
    db: &impl ConnectionTrait,
    row: Option<person::Model>,
) -> Result<Option<PersonRecord>, DbErr> {
    match row {
        None => Ok(None),
        Some(row) => {
            let roles = roles_of(db, row.id).await?;
            Ok(Some(record(row, roles)))
        }
    }
}

pub async fn person_by_email(
    db: &impl ConnectionTrait,
    normalized: &str,
) -> Result<Option<PersonRecord>, DbErr> {
    let row = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await?;
    with_roles(db, row).await
}

pub async fn email_taken(db: &impl ConnectionTrait, normalized: &str) -> Result<bool, DbErr> {
    Ok(person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await?
        .is_some())
}

pub async fn person_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<PersonRecord>, DbErr> {
    let row = person::Entity::find_by_id(id).one(db).await?;
    with_roles(db, row).await
}

/// The standing of each of `ids` that exists, in one query (person joined to organisation).
pub async fn standings(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Standing>, DbErr> {
    let rows = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(person, organisation)| Standing {
            person_id: person.id,
            organisation_id: person.organisation_id,
            active: person.deactivated_at.is_none(),
            member: organisation.is_some_and(|o| o.is_member && o.deactivated_at.is_none()),
        })
        .collect())
}

/// The card of each of `ids` that exists, in one query (person joined to organisation).
pub async fn cards(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<crate::accounts::model::PersonCard>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(person, organisation)| crate::accounts::model::PersonCard {
                id: person.id,
                first_name: person.first_name,
                last_name: person.last_name,
                organisation: organisation.map(|o| o.name),
            },
        )
        .collect())
}

/// Reads a person and locks the row until commit.
pub async fn lock_person(tx: &WriteTx, id: Uuid) -> Result<Option<PersonRecord>, DbErr> {
    let row = tx.lock::<person::Entity>(id).await?;
    with_roles(tx.conn(), row).await
}

async fn roles_of(db: &impl ConnectionTrait, person_id: Uuid) -> Result<BTreeSet<Role>, DbErr> {
    Ok(roles_of_many(db, &[person_id])
        .await?
        .remove(&person_id)
        .unwrap_or_default())
}

async fn roles_of_many(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeSet<Role>>, DbErr> {
    let rows = query::by_ids::<person_role::Entity>(db, person_role::Column::PersonId, ids).await?;
    let mut roles: BTreeMap<Uuid, BTreeSet<Role>> = BTreeMap::new();
    for row in rows {
        let role = Role::parse(&row.role)
            .ok_or_else(|| DbErr::Type(format!("unknown role {:?} in person_role", row.role)))?;
        roles.entry(row.person_id).or_default().insert(role);
    }
    Ok(roles)
}

/// The condition "this person holds `role`" (other contexts list trainers, animators with it).
pub fn holds_role(role: Role) -> sea_orm::sea_query::SimpleExpr {
    person::Column::Id.in_subquery(
        Query::select()
            .column(person_role::Column::PersonId)
            .from(person_role::Entity)
            .and_where(person_role::Column::Role.eq(role.as_str()))
            .to_owned(),
    )
}

pub async fn list_people(
    db: &impl ConnectionTrait,
    filter: &PeopleFilter,
    page: &PageRequest,
) -> Result<Page<Person>, DbErr> {
    if filter.nobody {
        return Ok(Page::empty());
    }
    let mut select = person::Entity::find();
    if let Some(org) = filter.organisation_id {
        select = select.filter(person::Column::OrganisationId.eq(org));
    }
    if let Some(role) = filter.role {
        select = select.filter(holds_role(role));
    }
    let rows = query::keyset_page(db, select, person::Column::Id, page, |p| p.id).await?;
    let ids: Vec<Uuid> = rows.items.iter().map(|p| p.id).collect();
    let mut roles = roles_of_many(db, &ids).await?;
    Ok(rows.map(|row| {
        let r = roles.remove(&row.id).unwrap_or_default();
        person_of(&row, r)
    }))
}

/// A person to insert, validated.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Option<Uuid>,
    pub password_hash: Option<String>,
    pub roles: BTreeSet<Role>,
}

pub async fn insert_person(tx: &mut WriteTx, new: PersonRow) -> Result<Person, DbErr> {
    let now = tx.now();
    let row = person::ActiveModel {
        id: Set(new.id),
        email_normalized: Set(crate::values::normalize_email(&new.email)),
        email: Set(new.email),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(new.password_hash),
        created_at: Set(now),
        updated_at: Set(now),
        deactivated_at: Set(None),
        erased_at: Set(None),
        version: Set(0),
    };
    let created = tx.insert(row).await?;
    replace_roles(tx, created.id, &new.roles).await?;
    Ok(person_of(&created, new.roles))
}

/// Changes to write to a person; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonUpdate {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_id: Option<Option<Uuid>>,
    pub password_hash: Option<String>,
    pub active: Option<bool>,
    pub roles: Option<BTreeSet<Role>>,
}

pub async fn update_person(
    tx: &mut WriteTx,
    before: &PersonRecord,
    update: PersonUpdate,
) -> Result<Person, DbErr> {
    let now = tx.now();
    let mut row = before.row.clone().into_active_model();
    if let Some(email) = update.email {
        row.email_normalized = Set(crate::values::normalize_email(&email));
        row.email = Set(email);
    }
    if let Some(first) = update.first_name {
        row.first_name = Set(first);
    }
    if let Some(last) = update.last_name {
        row.last_name = Set(last);
    }
    if let Some(org) = update.organisation_id {
        row.organisation_id = Set(org);
    }
    if let Some(hash) = update.password_hash {
        row.password_hash = Set(Some(hash));
    }
    match update.active {
        Some(false) if before.row.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before.row, row).await?;
    let roles = match update.roles {
        Some(roles) => {
            replace_roles(tx, after.id, &roles).await?;
            roles
        }
        None => before.person.roles.clone(),
    };
    Ok(person_of(&after, roles))
}

/// Replaces the person's identity by `pseudonym` (names and an undeliverable e-mail), forgets
/// their password and deactivates them, stamped for sync so devices get the pseudonym.
pub async fn erase_person(
    tx: &mut WriteTx,
    before: &PersonRecord,
    pseudonym: &crate::accounts::model::Pseudonym,
) -> Result<Person, DbErr> {
    let now = tx.now();
    let mut row = before.row.clone().into_active_model();
    row.email = Set(pseudonym.email.clone());
    row.email_normalized = Set(pseudonym.email.clone());
    row.first_name = Set(pseudonym.first_name.clone());
    row.last_name = Set(pseudonym.last_name.clone());
    row.password_hash = Set(None);
    if before.row.deactivated_at.is_none() {
        row.deactivated_at = Set(Some(now));
    }
    row.erased_at = Set(Some(now));
    row.updated_at = Set(now);
    let after = tx.update(&before.row, row).await?;
    Ok(person_of(&after, before.person.roles.clone()))
}

async fn replace_roles(
    tx: &mut WriteTx,
    person_id: Uuid,
    roles: &BTreeSet<Role>,
) -> Result<(), DbErr> {
    person_role::Entity::delete_many()
        .filter(person_role::Column::PersonId.eq(person_id))
        .exec(tx.conn())
        .await?;
    let rows: Vec<_> = roles
        .iter()
        .map(|role| person_role::ActiveModel {
            person_id: Set(person_id),
            role: Set(role.as_str().to_owned()),
        })
        .collect();
    if !rows.is_empty() {
        person_role::Entity::insert_many(rows)
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}
