use entity::provider_profile as row;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use super::json_error;
use crate::documents::model::Provider;

const ROW: i32 = 1;

pub async fn provider(db: &impl ConnectionTrait) -> Result<Option<Provider>, DbErr> {
    let Some(row) = row::Entity::find_by_id(ROW).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(Provider {
        identity: serde_json::from_str(&row.identity).map_err(json_error)?,
        logo_png: row.logo_png,
        signature_png: row.signature_png,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    }))
}

pub async fn save_provider(db: &impl ConnectionTrait, provider: &Provider) -> Result<(), DbErr> {
    let identity = serde_json::to_string(&provider.identity).map_err(json_error)?;
    let model = row::ActiveModel {
        id: Set(ROW),
        identity: Set(identity),
        logo_png: Set(provider.logo_png.clone()),
        signature_png: Set(provider.signature_png.clone()),
        updated_by: Set(provider.updated_by),
        updated_at: Set(provider.updated_at),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::Id)
                .update_columns([
                    row::Column::Identity,
                    row::Column::LogoPng,
                    row::Column::SignaturePng,
                    row::Column::UpdatedBy,
                    row::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
