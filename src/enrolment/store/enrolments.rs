//! The enrolment table.

use chrono::{DateTime, Utc};
use entity::{enrolment, session_trainer};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::query;
use crate::db::write::WriteTx;
use crate::enrolment::model::{
    Attendance, Cancellation, Enrolment, EnrolmentFilter, EnrolmentStatus, FundingSource,
    LateStart, PriceKind, Promotion, TraineeType,
};
use crate::paging::{Page, PageRequest};

pub type Row = enrolment::Model;

pub fn enrolment_of(row: Row) -> Enrolment {
    Enrolment {
        id: row.id,
        session_id: row.session_id,
        person_id: row.person_id,
        organisation_id: row.organisation_id,
        status: row.status,
        waitlist_position: row.waitlist_position,
        price_kind: row.price_kind,
        price_cents: row.price_cents,
        price_currency: row.price_currency,
        trainee_type: row.trainee_type,
        funding_source: row.funding_source,
        funding_amount_cents: row.funding_amount_cents,
        needs: row.needs,
        enrolled_by: row.enrolled_by,
        enrolled_at: row.enrolled_at,
        confirmed_at: row.confirmed_at,
        promotion: match (row.promoted_at, row.promoted_by, row.promotion_reason) {
            (Some(at), Some(by), Some(reason)) => Some(Promotion { at, by, reason }),
            _ => None,
        },
        cancellation: match (row.cancelled_at, row.cancelled_by, row.cancel_reason) {
            (Some(at), Some(by), Some(reason)) => Some(Cancellation {
                at,
                by,
                reason,
                late: row.late_cancellation,
            }),
            _ => None,
        },
        positioning_answered_at: row.positioning_answered_at,
        attendance: match (row.attended_minutes, row.outcome) {
            (Some(minutes), Some(outcome)) => Some(Attendance { minutes, outcome }),
            _ => None,
        },
        late_start: match (row.late_first_slot_id, row.late_first_slot_at) {
            (Some(slot_id), Some(starts_at)) => Some(LateStart { slot_id, starts_at }),
            _ => None,
        },
        updated_at: row.updated_at,
    }
}

/// A new enrolment as the service decided it.
pub struct NewEnrolment {
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    /// `None`: confirmed; `Some(n)`: waitlisted at position `n`.
    pub waitlist_position: Option<i32>,
    pub price_kind: PriceKind,
    pub price_cents: i64,
    pub price_currency: String,
    pub trainee_type: TraineeType,
    pub funding_source: FundingSource,
    pub funding_amount_cents: Option<i64>,
    pub needs: String,
    pub enrolled_by: Uuid,
    pub idempotency_key: Option<String>,
    /// A late enrolment's first half-day.
    pub late_start: Option<LateStart>,
}

/// The row of a new enrolment, with the id it will have.
fn new_row(id: Uuid, new: NewEnrolment, now: DateTime<Utc>) -> enrolment::ActiveModel {
    let (status, confirmed_at) = match new.waitlist_position {
        None => (EnrolmentStatus::Confirmed, Some(now)),
        Some(_) => (EnrolmentStatus::Waitlisted, None),
    };
    enrolment::ActiveModel {
        id: Set(id),
        session_id: Set(new.session_id),
        person_id: Set(new.person_id),
        organisation_id: Set(new.organisation_id),
        status: Set(status),
        waitlist_position: Set(new.waitlist_position),
        price_kind: Set(new.price_kind),
        price_cents: Set(new.price_cents),
        price_currency: Set(new.price_currency),
        trainee_type: Set(new.trainee_type),
        funding_source: Set(new.funding_source),
        funding_amount_cents: Set(new.funding_amount_cents),
        needs: Set(new.needs),
        enrolled_by: Set(new.enrolled_by),
        enrolled_at: Set(now),
        confirmed_at: Set(confirmed_at),
        promoted_at: Set(None),
        promoted_by: Set(None),
        promotion_reason: Set(None),
        cancelled_at: Set(None),
        cancelled_by: Set(None),
        cancel_reason: Set(None),
        late_cancellation: Set(false),
        idempotency_key: Set(new.idempotency_key),
        positioning_answered_at: Set(None),
        attended_minutes: Set(None),
        outcome: Set(None),
        late_first_slot_id: Set(new.late_start.map(|l| l.slot_id)),
        late_first_slot_at: Set(new.late_start.map(|l| l.starts_at)),
        updated_at: Set(now),
        version: Set(0),
    }
}

/// Inserts new enrolments in one statement; `new` pairs each with its id. Answers the rows in
/// the order given.
pub async fn insert_all(
    tx: &mut WriteTx,
    new: Vec<(Uuid, NewEnrolment)>,
) -> Result<Vec<Row>, DbErr> {
    let now = tx.now();
    let order: Vec<Uuid> = new.iter().map(|(id, _)| *id).collect();
    let rows = new.into_iter().map(|(id, n)| new_row(id, n, now)).collect();
    let mut inserted: std::collections::HashMap<Uuid, Row> = tx
        .insert_many::<enrolment::Entity, _>(rows)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    order
        .iter()
        .map(|id| {
            inserted
                .remove(id)
                .ok_or_else(|| DbErr::RecordNotFound(format!("inserted enrolment {id}")))
        })
        .collect()
}

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Row>, DbErr> {
    enrolment::Entity::find_by_id(id).one(db).await
}

/// Reads the row and locks it until commit.
pub async fn lock(tx: &WriteTx, id: Uuid) -> Result<Option<Row>, DbErr> {
    tx.lock::<enrolment::Entity>(id).await
}

/// The enrolments made by each (caller, key) pair, whatever their session.
pub async fn by_idempotency_keys(
    db: &impl ConnectionTrait,
    keys: &[(Uuid, String)],
) -> Result<Vec<Row>, DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    for (enrolled_by, key) in keys {
        any = any.add(
            Condition::all()
                .add(enrolment::Column::EnrolledBy.eq(*enrolled_by))
                .add(enrolment::Column::IdempotencyKey.eq(key.as_str())),
        );
    }
    enrolment::Entity::find().filter(any).all(db).await
}

/// Which of `people` hold a confirmed or waitlisted enrolment in the session.
pub async fn active_people(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    people: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::PersonId)
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::PersonId.is_in(people.iter().copied()))
        .filter(enrolment::Column::Status.ne(EnrolmentStatus::Cancelled))
        .into_tuple()
        .all(db)
        .await
}

/// The session's waitlist, first in line first.
pub async fn waitlist(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Row>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::WaitlistPosition)
        .all(db)
        .await
}

/// The last position of the session's waitlist (0 when nobody waits).
pub async fn last_position(db: &impl ConnectionTrait, session_id: Uuid) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = enrolment::Entity::find()
        .select_only()
        .column_as(enrolment::Column::WaitlistPosition.max(), "last")
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// A waitlisted enrolment gets its seat.
pub async fn promote(tx: &mut WriteTx, before: &Row, promotion: Promotion) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.status = Set(EnrolmentStatus::Confirmed);
    row.waitlist_position = Set(None);
    row.confirmed_at = Set(Some(promotion.at));
    row.promoted_at = Set(Some(promotion.at));
    row.promoted_by = Set(Some(promotion.by));
    row.promotion_reason = Set(Some(promotion.reason));
    row.updated_at = Set(promotion.at);
    tx.update::<enrolment::Entity, _>(before, row).await
}

/// The person's confirmed enrolment in the session, if any.
pub async fn confirmed_of(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    person_id: Uuid,
) -> Result<Option<Row>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::PersonId.eq(person_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Confirmed))
        .one(db)
        .await
}

/// Every enrolment of a person.
pub async fn of_person(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<Row>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::PersonId.eq(person_id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await
}

/// The session's confirmed and completed enrolments.
pub async fn seat_holders(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Row>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(
            enrolment::Column::Status
                .is_in([EnrolmentStatus::Confirmed, EnrolmentStatus::Completed]),
        )
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await
}

/// The seat holders of several sessions at once (none for an empty list, without a query).
pub async fn seat_holders_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<Vec<Row>, DbErr> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.is_in(session_ids.iter().copied()))
        .filter(
            enrolment::Column::Status
                .is_in([EnrolmentStatus::Confirmed, EnrolmentStatus::Completed]),
        )
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await
}

/// Completes a confirmed enrolment with its attendance, or (`None`) puts a completed one back
/// to confirmed.
pub async fn complete(
    tx: &mut WriteTx,
    before: &Row,
    attendance: Option<Attendance>,
    at: DateTime<Utc>,
) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.status = Set(match attendance {
        Some(_) => EnrolmentStatus::Completed,
        None => EnrolmentStatus::Confirmed,
    });
    row.attended_minutes = Set(attendance.map(|a| a.minutes));
    row.outcome = Set(attendance.map(|a| a.outcome));
    row.updated_at = Set(at);
    tx.update::<enrolment::Entity, _>(before, row).await
}

/// A waitlisted enrolment moves to `position`.
pub async fn move_to(
    tx: &mut WriteTx,
    before: &Row,
    position: i32,
    at: DateTime<Utc>,
) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.waitlist_position = Set(Some(position));
    row.updated_at = Set(at);
    tx.update::<enrolment::Entity, _>(before, row).await
}

/// The trainee completed the positioning questionnaire.
pub async fn mark_positioned(
    tx: &mut WriteTx,
    before: &Row,
    at: DateTime<Utc>,
) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.positioning_answered_at = Set(Some(at));
    row.updated_at = Set(at);
    tx.update::<enrolment::Entity, _>(before, row).await
}

pub async fn cancel(
    tx: &mut WriteTx,
    before: &Row,
    cancellation: Cancellation,
) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.status = Set(EnrolmentStatus::Cancelled);
    row.waitlist_position = Set(None);
    row.cancelled_at = Set(Some(cancellation.at));
    row.cancelled_by = Set(Some(cancellation.by));
    row.cancel_reason = Set(Some(cancellation.reason));
    row.late_cancellation = Set(cancellation.late);
    row.updated_at = Set(cancellation.at);
    tx.update::<enrolment::Entity, _>(before, row).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &EnrolmentFilter,
    page: &PageRequest,
) -> Result<Page<Enrolment>, DbErr> {
    use enrolment::Column as E;
    let mut select = enrolment::Entity::find();
    if let Some(session) = filter.session_id {
        select = select.filter(E::SessionId.eq(session));
    }
    if let Some(person) = filter.person_id {
        select = select.filter(E::PersonId.eq(person));
    }
    if let Some(org) = filter.organisation_id {
        select = select.filter(E::OrganisationId.eq(org));
    }
    if let Some(status) = filter.status {
        select = select.filter(E::Status.eq(status));
    }
    if let Some(visible) = &filter.scope {
        let mut any = Condition::any().add(E::PersonId.eq(visible.person_id));
        if let Some(org) = visible.organisation_id {
            any = any.add(E::OrganisationId.eq(org));
        }
        if let Some(trainer) = visible.taught_by {
            any = any.add(
                E::SessionId.in_subquery(
                    Query::select()
                        .column(session_trainer::Column::SessionId)
                        .from(session_trainer::Entity)
                        .and_where(session_trainer::Column::PersonId.eq(trainer))
                        .to_owned(),
                ),
            );
        }
        select = select.filter(any);
    }
    let rows = query::keyset_page(db, select, E::Id, page, |r| r.id).await?;
    Ok(Page {
        items: rows.items.into_iter().map(enrolment_of).collect(),
        next: rows.next,
    })
}
