//! Trainers: internal or subcontracted, with competence records (Qualiopi ind. 21, 22, 27).

use chrono::{NaiveDate, Utc};
use entity::{person, trainer_competence, trainer_profile};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

use super::{CatalogueError, Result, invalid, require_admin};
use crate::accounts::model::{Principal, Role};
use crate::catalogue::store;
use crate::db::write::WriteTx;
use crate::validation::{FieldErrors, required_text};

/// Internal staff or an external subcontractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum TrainerKind {
    /// Staff of the federation.
    Internal,
    /// Subcontracted: company and contract reference are required.
    External,
}

impl TrainerKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::External => "external",
        }
    }

    fn parse(value: &str) -> Self {
        if value == "external" {
            Self::External
        } else {
            Self::Internal
        }
    }
}

/// A trainer with their profile and competences.
#[derive(Debug, Clone)]
pub struct Trainer {
    pub person: person::Model,
    pub kind: TrainerKind,
    pub company: Option<String>,
    pub contract_reference: Option<String>,
    pub competences: Vec<trainer_competence::Model>,
}

/// A trainer's profile as a caller describes it.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub kind: TrainerKind,
    pub company: Option<String>,
    pub contract_reference: Option<String>,
}

/// A competence record as a caller describes it.
#[derive(Debug, Clone)]
pub struct CompetenceInput {
    pub obtained_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
}

async fn load(
    db: &impl sea_orm::ConnectionTrait,
    people: Vec<person::Model>,
) -> Result<Vec<Trainer>> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let mut profiles = store::profiles(db, &ids).await?;
    let mut competences = store::competences(db, &ids).await?;
    Ok(people
        .into_iter()
        .map(|person| {
            let profile = profiles.remove(&person.id);
            Trainer {
                kind: profile
                    .as_ref()
                    .map_or(TrainerKind::Internal, |p| TrainerKind::parse(&p.kind)),
                company: profile.as_ref().and_then(|p| p.company.clone()),
                contract_reference: profile.and_then(|p| p.contract_reference),
                competences: competences.remove(&person.id).unwrap_or_default(),
                person,
            }
        })
        .collect())
}

async fn find(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> Result<Trainer> {
    let people = store::trainer_people(db, Some(&[id]), None, 1).await?;
    load(db, people)
        .await?
        .pop()
        .ok_or(CatalogueError::NotFound("trainer"))
}

/// Administrators list every trainer.
pub async fn list_trainers(
    db: &DatabaseConnection,
    principal: &Principal,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Trainer>> {
    require_admin(principal)?;
    let people = store::trainer_people(db, None, after, limit).await?;
    load(db, people).await
}

/// Administrators see any trainer; a trainer sees themselves; others get not found.
pub async fn get_trainer(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Trainer> {
    if !(principal.is_admin() || (principal.person_id == id && principal.has(Role::Trainer))) {
        return Err(CatalogueError::NotFound("trainer"));
    }
    find(db, id).await
}

/// Sets a trainer's profile (administrators). An external trainer needs a company and a
/// contract reference (Qualiopi ind. 27).
pub async fn set_trainer_profile(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    input: ProfileInput,
) -> Result<Trainer> {
    require_admin(principal)?;
    let company = input
        .company
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let contract = input
        .contract_reference
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let mut errors = FieldErrors::new();
    if input.kind == TrainerKind::External {
        errors.check(
            company.is_some(),
            "company",
            "an external trainer's company is required",
        );
        errors.check(
            contract.is_some(),
            "contract_reference",
            "an external trainer's contract reference is required",
        );
    }
    invalid(errors)?;
    let tx = WriteTx::begin(db).await?;
    find(tx.conn(), id).await?;
    trainer_profile::Entity::insert(trainer_profile::ActiveModel {
        person_id: Set(id),
        kind: Set(input.kind.as_str().into()),
        company: Set(company),
        contract_reference: Set(contract),
        updated_at: Set(Utc::now()),
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
    let trainer = find(tx.conn(), id).await?;
    tx.commit().await?;
    Ok(trainer)
}

/// Records a competence of a trainer (administrators).
pub async fn add_competence(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    input: CompetenceInput,
) -> Result<trainer_competence::Model> {
    require_admin(principal)?;
    let mut errors = FieldErrors::new();
    let title = required_text(&mut errors, "title", &input.title, 300);
    let evidence = input
        .evidence_url
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if let Some(url) = &evidence {
        errors.check(
            url.starts_with("https://") || url.starts_with("http://"),
            "evidence_url",
            "must be an http(s) link",
        );
    }
    errors.check(
        input.obtained_on <= Utc::now().date_naive(),
        "obtained_on",
        "must not be in the future",
    );
    invalid(errors)?;
    let tx = WriteTx::begin(db).await?;
    find(tx.conn(), id).await?;
    let row = trainer_competence::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(id),
        obtained_on: Set(input.obtained_on),
        title: Set(title),
        evidence_url: Set(evidence),
        created_at: Set(Utc::now()),
    };
    let inserted = trainer_competence::Entity::insert(row)
        .exec_with_returning(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(inserted)
}
