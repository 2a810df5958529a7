//! Survey templates (not synced) and invitations (synced to their respondent).

use chrono::{DateTime, Utc};
use entity::{survey_invitation as invitation, survey_template as template};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::query::{by_ids, keyset_page};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::quality::model::surveys::{
    Answers, DueInvitation, Funder, FunderInput, Invitation, SurveyKind, Template, TemplateInput,
};

pub type TemplateRow = template::Model;
pub type InvitationRow = invitation::Model;

fn corrupt(what: &str, error: serde_json::Error) -> DbErr {
    DbErr::Custom(format!("stored {what} do not parse: {error}"))
}

pub fn template_of(row: TemplateRow) -> Result<Template, DbErr> {
    Ok(Template {
        id: row.id,
        title: row.title,
        kind: row.kind,
        training_id: row.training_id,
        questions: serde_json::from_str(&row.questions).map_err(|e| corrupt("questions", e))?,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub fn invitation_of(row: InvitationRow) -> Result<Invitation, DbErr> {
    let funder = match (row.funder_name, row.funder_email, row.funder_organisation) {
        (Some(name), Some(email), Some(organisation)) => Some(Funder {
            name,
            email,
            organisation,
        }),
        _ => None,
    };
    Ok(Invitation {
        id: row.id,
        template_id: row.template_id,
        kind: row.kind,
        session_id: row.session_id,
        training_id: row.training_id,
        year: row.year,
        person_id: row.person_id,
        funder,
        opens_at: row.opens_at,
        deadline: row.deadline,
        answers: serde_json::from_str(&row.answers).map_err(|e| corrupt("answers", e))?,
        submitted_at: row.submitted_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}

fn questions_json(input: &TemplateInput) -> String {
    serde_json::to_string(&input.questions).unwrap_or_else(|_| "[]".into())
}

fn answers_json(answers: &Answers) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".into())
}

pub async fn template(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Template>, DbErr> {
    template::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(template_of)
        .transpose()
}

/// Every template (a federation holds tens), oldest first.
pub async fn templates(db: &impl ConnectionTrait) -> Result<Vec<Template>, DbErr> {
    template::Entity::find()
        .order_by_asc(template::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(template_of)
        .collect()
}

pub async fn templates_page(
    db: &impl ConnectionTrait,
    kind: Option<SurveyKind>,
    training_id: Option<Uuid>,
    page: &PageRequest,
) -> Result<Page<Template>, DbErr> {
    let mut select = template::Entity::find();
    if let Some(kind) = kind {
        select = select.filter(template::Column::Kind.eq(kind));
    }
    if let Some(training_id) = training_id {
        select = select.filter(template::Column::TrainingId.eq(training_id));
    }
    let rows = keyset_page(db, select, template::Column::Id, page, |r| r.id).await?;
    rows.try_map(template_of)
}

pub async fn insert_template(
    tx: &WriteTx,
    by: Uuid,
    input: &TemplateInput,
) -> Result<Template, DbErr> {
    let now = tx.now();
    let row = template::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(input.title.clone()),
        kind: Set(input.kind),
        training_id: Set(input.training_id),
        questions: Set(questions_json(input)),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
    };
    template_of(row.insert(tx.conn()).await?)
}

pub async fn update_template(
    tx: &WriteTx,
    before: TemplateRow,
    input: &TemplateInput,
) -> Result<Template, DbErr> {
    let mut row = before.into_active_model();
    row.title = Set(input.title.clone());
    row.kind = Set(input.kind);
    row.training_id = Set(input.training_id);
    row.questions = Set(questions_json(input));
    row.updated_at = Set(tx.now());
    template_of(row.update(tx.conn()).await?)
}

pub async fn lock_template(tx: &WriteTx, id: Uuid) -> Result<Option<TemplateRow>, DbErr> {
    use sea_orm::QuerySelect;
    template::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx.conn())
        .await
}

/// Whether any invitation holds answers to the template (then its questions are frozen).
pub async fn template_answered(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TemplateId.eq(id))
        .filter(invitation::Column::Answers.ne("{}"))
        .one(db)
        .await?
        .is_some())
}

pub async fn invitation(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Invitation>, DbErr> {
    invitation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(invitation_of)
        .transpose()
}

pub async fn lock_invitation(tx: &WriteTx, id: Uuid) -> Result<Option<InvitationRow>, DbErr> {
    tx.lock::<invitation::Entity>(id).await
}

pub async fn invitation_by_secret(
    db: &impl ConnectionTrait,
    secret_hash: &str,
) -> Result<Option<InvitationRow>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::SecretHash.eq(secret_hash))
        .one(db)
        .await
}

/// The invitations of these ids that are written.
pub async fn invitations_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Invitation>, DbErr> {
    by_ids::<invitation::Entity>(db, invitation::Column::Id, ids)
        .await?
        .into_iter()
        .map(invitation_of)
        .collect()
}

/// A person's invitations, by id.
pub async fn invitations_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    page: &PageRequest,
) -> Result<Page<Invitation>, DbErr> {
    let select = invitation::Entity::find().filter(invitation::Column::PersonId.eq(person_id));
    keyset_page(db, select, invitation::Column::Id, page, |r| r.id)
        .await?
        .try_map(invitation_of)
}

/// Funders' invitations, by id (optionally of one year).
pub async fn funder_invitations(
    db: &impl ConnectionTrait,
    year: Option<i32>,
    page: &PageRequest,
) -> Result<Page<Invitation>, DbErr> {
    let mut select =
        invitation::Entity::find().filter(invitation::Column::Kind.eq(SurveyKind::Funder));
    if let Some(year) = year {
        select = select.filter(invitation::Column::Year.eq(year));
    }
    keyset_page(db, select, invitation::Column::Id, page, |r| r.id)
        .await?
        .try_map(invitation_of)
}

/// Funders' invitations of a year (all of them: a federation has tens of funders).
pub async fn funder_invitations_of_year(
    db: &impl ConnectionTrait,
    year: Option<i32>,
) -> Result<Vec<Invitation>, DbErr> {
    let mut select =
        invitation::Entity::find().filter(invitation::Column::Kind.eq(SurveyKind::Funder));
    if let Some(year) = year {
        select = select.filter(invitation::Column::Year.eq(year));
    }
    select
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(invitation_of)
        .collect()
}

pub async fn insert_due(tx: &mut WriteTx, due: &DueInvitation) -> Result<Invitation, DbErr> {
    let now = tx.now();
    let row = invitation::ActiveModel {
        id: Set(due.id),
        template_id: Set(due.template_id),
        kind: Set(due.kind),
        session_id: Set(Some(due.session_id)),
        training_id: Set(Some(due.training_id)),
        year: Set(None),
        person_id: Set(Some(due.person_id)),
        funder_name: Set(None),
        funder_email: Set(None),
        funder_organisation: Set(None),
        secret_hash: Set(None),
        opens_at: Set(due.opens_at),
        deadline: Set(due.deadline),
        answers: Set("{}".into()),
        submitted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
    };
    invitation_of(tx.insert::<invitation::Entity, _>(row).await?)
}

pub async fn insert_funder(
    tx: &mut WriteTx,
    input: &FunderInput,
    secret_hash: String,
) -> Result<Invitation, DbErr> {
    let now = tx.now();
    let row = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        template_id: Set(input.template_id),
        kind: Set(SurveyKind::Funder),
        session_id: Set(None),
        training_id: Set(None),
        year: Set(Some(input.year)),
        person_id: Set(None),
        funder_name: Set(Some(input.funder.name.clone())),
        funder_email: Set(Some(input.funder.email.clone())),
        funder_organisation: Set(Some(input.funder.organisation.clone())),
        secret_hash: Set(Some(secret_hash)),
        opens_at: Set(now),
        deadline: Set(input.deadline),
        answers: Set("{}".into()),
        submitted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
    };
    invitation_of(tx.insert::<invitation::Entity, _>(row).await?)
}

/// Writes an invitation's answers (and its submission, when `submit`).
pub async fn write_answers(
    tx: &mut WriteTx,
    before: &InvitationRow,
    answers: &Answers,
    submit: bool,
) -> Result<Invitation, DbErr> {
    let now = tx.now();
    let mut row = before.clone().into_active_model();
    row.answers = Set(answers_json(answers));
    if submit {
        row.submitted_at = Set(Some(now));
    }
    row.updated_at = Set(now);
    invitation_of(tx.update::<invitation::Entity, _>(before, row).await?)
}

/// The people's invitations open at `now`, unanswered, whose deadline falls before `before`.
pub async fn unanswered_due_before(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    before: DateTime<Utc>,
) -> Result<Vec<Invitation>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::PersonId.is_not_null())
        .filter(invitation::Column::SubmittedAt.is_null())
        .filter(invitation::Column::OpensAt.lte(now))
        .filter(invitation::Column::Deadline.gt(now))
        .filter(invitation::Column::Deadline.lte(before))
        .all(db)
        .await?
        .into_iter()
        .map(invitation_of)
        .collect()
}
