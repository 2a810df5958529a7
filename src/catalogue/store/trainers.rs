//! Trainers: people holding the trainer role, their profile and competence records.

use std::collections::BTreeMap;

use entity::{person, trainer_competence, trainer_profile};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::accounts::service::holds_role;
use crate::catalogue::model::{
    Competence, CompetenceInput, PersonName, ProfileInput, Trainer, TrainerKind,
};
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Role;

fn competence_of(row: trainer_competence::Model) -> Competence {
    Competence {
        id: row.id,
        obtained_on: row.obtained_on,
        title: row.title,
        evidence_url: row.evidence_url,
        created_at: row.created_at,
    }
}

async fn with_records(
    db: &impl ConnectionTrait,
    people: Vec<person::Model>,
) -> Result<Vec<Trainer>, DbErr> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let mut profiles = query::map_by_ids::<trainer_profile::Entity>(
        db,
        trainer_profile::Column::PersonId,
        &ids,
        |p| p.person_id,
    )
    .await?;
    let competences = trainer_competence::Entity::find()
        .filter(trainer_competence::Column::PersonId.is_in(ids.iter().copied()))
        .order_by_asc(trainer_competence::Column::ObtainedOn)
        .all(db)
        .await?;
    let mut competences = query::group_by(competences, |c| c.person_id);
    Ok(people
        .into_iter()
        .map(|person| {
            let profile = profiles.remove(&person.id);
            Trainer {
                id: person.id,
                first_name: person.first_name,
                last_name: person.last_name,
                email: person.email,
                kind: profile.as_ref().map_or(TrainerKind::Internal, |p| p.kind),
                company: profile.as_ref().and_then(|p| p.company.clone()),
                contract_reference: profile.and_then(|p| p.contract_reference),
                competences: competences
                    .remove(&person.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(competence_of)
                    .collect(),
            }
        })
        .collect())
}

/// The kinds recorded in the profiles of those of `ids` who have one.
pub async fn profile_kinds(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, TrainerKind>, DbErr> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(trainer_profile::Entity::find()
        .filter(trainer_profile::Column::PersonId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.person_id, p.kind))
        .collect())
}

/// A person holding the trainer role, with their records.
pub async fn trainer(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Trainer>, DbErr> {
    let people = person::Entity::find()
        .filter(holds_role(Role::Trainer))
        .filter(person::Column::Id.eq(id))
        .all(db)
        .await?;
    Ok(with_records(db, people).await?.pop())
}

pub async fn list_trainers(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Trainer>, DbErr> {
    let select = person::Entity::find().filter(holds_role(Role::Trainer));
    let people = query::keyset_page(db, select, person::Column::Id, page, |p| p.id).await?;
    let next = people.next;
    Ok(Page {
        items: with_records(db, people.items).await?,
        next,
    })
}

/// Which of `ids` hold the trainer role.
pub async fn trainer_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Uuid>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(person::Entity::find()
        .filter(holds_role(Role::Trainer))
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// People by id, as sessions name them.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, PersonName>, DbErr> {
    Ok(query::by_ids::<person::Entity>(db, person::Column::Id, ids)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.id,
                PersonName {
                    id: p.id,
                    first_name: p.first_name,
                    last_name: p.last_name,
                },
            )
        })
        .collect())
}

pub async fn upsert_profile(tx: &WriteTx, id: Uuid, input: ProfileInput) -> Result<(), DbErr> {
    trainer_profile::Entity::insert(trainer_profile::ActiveModel {
        person_id: Set(id),
        kind: Set(input.kind),
        company: Set(input.company),
        contract_reference: Set(input.contract_reference),
        updated_at: Set(tx.now()),
    })
    .on_conflict(
        OnConflict::column(trainer_profile::Column::PersonId)
            .update_columns([
                trainer_profile::Column::Kind,
                trainer_profile::Column::Company,
                trainer_profile::Column::ContractReference,
                trainer_profile::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}

pub async fn insert_competence(
    tx: &WriteTx,
    id: Uuid,
    input: CompetenceInput,
) -> Result<Competence, DbErr> {
    let row = trainer_competence::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(id),
        obtained_on: Set(input.obtained_on),
        title: Set(input.title),
        evidence_url: Set(input.evidence_url),
        created_at: Set(tx.now()),
    };
    let inserted = trainer_competence::Entity::insert(row)
        .exec_with_returning(tx.conn())
        .await?;
    Ok(competence_of(inserted))
}
