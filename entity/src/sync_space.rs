//! One version counter per sync space; the cursor of every device.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_space")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub space_id: Uuid,
    /// Regenerated on restore or forced reset; invalidates every cursor.
    pub epoch: Uuid,
    /// Last allocated change version.
    pub version: i64,
    /// Tombstones with a version at or below this may be gone.
    pub gc_version: i64,
    /// Secret key (hex) that signs pull cursors; made on first start.
    pub cursor_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
