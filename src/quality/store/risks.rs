//! The risk analysis (not synced: written through the transaction's connection).

use entity::quality_risk as risk;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::write::WriteTx;
use crate::quality::model::risks::{Risk, RiskInput};

pub type RiskRow = risk::Model;

pub fn risk_of(row: RiskRow) -> Risk {
    Risk {
        id: row.id,
        description: row.description,
        likelihood: row.likelihood,
        impact: row.impact,
        mitigation: row.mitigation,
        assessed_on: row.assessed_on,
        review_on: row.review_on,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn risk(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Risk>, DbErr> {
    Ok(risk::Entity::find_by_id(id).one(db).await?.map(risk_of))
}

pub async fn lock_risk(tx: &WriteTx, id: Uuid) -> Result<Option<RiskRow>, DbErr> {
    risk::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx.conn())
        .await
}

/// Every risk, in creation order (an analysis holds tens of entries).
pub async fn risks(db: &impl ConnectionTrait) -> Result<Vec<Risk>, DbErr> {
    Ok(risk::Entity::find()
        .order_by_asc(risk::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(risk_of)
        .collect())
}

/// Inserts a risk whose every field the service has settled.
pub async fn insert_risk(tx: &WriteTx, by: Uuid, new: &RiskInput) -> Result<Risk, DbErr> {
    let now = tx.now();
    let row = risk::ActiveModel {
        id: Set(Uuid::now_v7()),
        description: Set(new.description.clone().unwrap_or_default()),
        likelihood: Set(new.likelihood.unwrap_or(1)),
        impact: Set(new.impact.unwrap_or(1)),
        mitigation: Set(new.mitigation.clone().unwrap_or_default()),
        assessed_on: Set(new.assessed_on.unwrap_or_else(|| now.date_naive())),
        review_on: Set(new.review_on.unwrap_or_else(|| now.date_naive())),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(risk_of(row.insert(tx.conn()).await?))
}

pub async fn update_risk(
    tx: &WriteTx,
    before: RiskRow,
    changes: &RiskInput,
) -> Result<Risk, DbErr> {
    let mut row = before.into_active_model();
    if let Some(v) = &changes.description {
        row.description = Set(v.clone());
    }
    if let Some(v) = changes.likelihood {
        row.likelihood = Set(v);
    }
    if let Some(v) = changes.impact {
        row.impact = Set(v);
    }
    if let Some(v) = &changes.mitigation {
        row.mitigation = Set(v.clone());
    }
    if let Some(v) = changes.assessed_on {
        row.assessed_on = Set(v);
    }
    if let Some(v) = changes.review_on {
        row.review_on = Set(v);
    }
    row.updated_at = Set(tx.now());
    Ok(risk_of(row.update(tx.conn()).await?))
}
