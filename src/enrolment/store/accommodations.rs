//! The accommodation_request table (not synced).

use chrono::{DateTime, Utc};
use entity::accommodation_request as row;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::db::query;
use crate::enrolment::model::{Accommodation, Handling};
use crate::paging::{Page, PageRequest};

pub(super) fn accommodation_of(r: row::Model) -> Accommodation {
    Accommodation {
        id: r.id,
        enrolment_id: r.enrolment_id,
        need: r.need,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        handling: match (r.response, r.handled_by, r.handled_at) {
            (Some(response), Some(by), Some(at)) => Some(Handling { response, by, at }),
            _ => None,
        },
    }
}

pub async fn insert_accommodation(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
    need: String,
    requested_by: Uuid,
    at: DateTime<Utc>,
) -> Result<Accommodation, DbErr> {
    let model = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        enrolment_id: Set(enrolment_id),
        need: Set(need),
        requested_by: Set(requested_by),
        requested_at: Set(at),
        response: Set(None),
        handled_by: Set(None),
        handled_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(accommodation_of(model))
}

pub async fn accommodation(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Accommodation>, DbErr> {
    Ok(row::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(accommodation_of))
}

pub async fn accommodations_of(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
    page: &PageRequest,
) -> Result<Page<Accommodation>, DbErr> {
    let select = row::Entity::find().filter(row::Column::EnrolmentId.eq(enrolment_id));
    let rows = query::keyset_page(db, select, row::Column::Id, page, |r| r.id).await?;
    Ok(Page {
        items: rows.items.into_iter().map(accommodation_of).collect(),
        next: rows.next,
    })
}

pub async fn record_handling(
    db: &impl ConnectionTrait,
    id: Uuid,
    handling: Handling,
) -> Result<Option<Accommodation>, DbErr> {
    let Some(before) = row::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut model = before.into_active_model();
    model.response = Set(Some(handling.response));
    model.handled_by = Set(Some(handling.by));
    model.handled_at = Set(Some(handling.at));
    Ok(Some(accommodation_of(model.update(db).await?)))
}
