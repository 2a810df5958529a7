//! sea-orm queries of the accounts context. People and organisations are synced: they are
//! written only through [`WriteTx`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use entity::{auth_token, organisation, person, person_role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{PeopleFilter, Role};
use crate::db::write::{Synced, WriteTx};

impl Synced for organisation::Entity {
    const ENTITY_TYPE: &'static str = "organisation";
    fn version_column() -> organisation::Column {
        organisation::Column::Version
    }
    fn id_column() -> organisation::Column {
        organisation::Column::Id
    }
    fn id_of(model: &organisation::Model) -> Uuid {
        model.id
    }
    fn scopes(model: &organisation::Model) -> Vec<String> {
        vec![format!("organisation:{}", model.id)]
    }
}

impl Synced for person::Entity {
    const ENTITY_TYPE: &'static str = "person";
    fn version_column() -> person::Column {
        person::Column::Version
    }
    fn id_column() -> person::Column {
        person::Column::Id
    }
    fn id_of(model: &person::Model) -> Uuid {
        model.id
    }
    fn scopes(model: &person::Model) -> Vec<String> {
        let mut scopes = vec![format!("person:{}", model.id)];
        if let Some(org) = model.organisation_id {
            scopes.push(format!("organisation:{org}"));
        }
        scopes
    }
}

// ---- people -------------------------------------------------------------------------------

pub async fn person_by_email(
    db: &impl ConnectionTrait,
    normalized: &str,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await
}

pub async fn person_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(id).one(db).await
}

pub async fn roles_of(db: &impl ConnectionTrait, person_id: Uuid) -> Result<BTreeSet<Role>, DbErr> {
    Ok(roles_of_many(db, &[person_id])
        .await?
        .remove(&person_id)
        .unwrap_or_default())
}

pub async fn roles_of_many(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeSet<Role>>, DbErr> {
    let rows = person_role::Entity::find()
        .filter(person_role::Column::PersonId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut roles: BTreeMap<Uuid, BTreeSet<Role>> = BTreeMap::new();
    for row in rows {
        if let Some(role) = Role::parse(&row.role) {
            roles.entry(row.person_id).or_default().insert(role);
        }
    }
    Ok(roles)
}

pub async fn list_people(
    db: &impl ConnectionTrait,
    filter: &PeopleFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<person::Model>, DbErr> {
    let mut query = person::Entity::find()
        .order_by_asc(person::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(person::Column::Id.gt(after));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(person::Column::OrganisationId.eq(org));
    }
    if let Some(role) = filter.role {
        query = query.filter(
            person::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(person_role::Column::PersonId)
                    .from(person_role::Entity)
                    .and_where(person_role::Column::Role.eq(role.as_str()))
                    .to_owned(),
            ),
        );
    }
    query.all(db).await
}

pub async fn replace_roles(
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

// ---- organisations ----------------------------------------------------------------------

pub async fn organisation_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

pub async fn list_organisations(
    db: &impl ConnectionTrait,
    only: Option<Uuid>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<organisation::Model>, DbErr> {
    let mut query = organisation::Entity::find()
        .order_by_asc(organisation::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(organisation::Column::Id.gt(after));
    }
    if let Some(only) = only {
        query = query.filter(organisation::Column::Id.eq(only));
    }
    query.all(db).await
}

// ---- tokens -------------------------------------------------------------------------------

pub async fn insert_token(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The live token with this hash and its active owner.
pub async fn live_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(auth_token::Model, person::Model)>, DbErr> {
    let found = auth_token::Entity::find()
        .find_also_related(person::Entity)
        .filter(auth_token::Column::TokenHash.eq(token_hash))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .filter(person::Column::DeactivatedAt.is_null())
        .one(db)
        .await?;
    Ok(found.and_then(|(token, person)| person.map(|p| (token, p))))
}

pub async fn revoke_token(
    db: &impl ConnectionTrait,
    token_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::Id.eq(token_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live token of a person, except `keep`.
pub async fn revoke_tokens_of(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::PersonId.eq(person_id))
        .filter(auth_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(auth_token::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}
