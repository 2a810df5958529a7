//! A person's club activity, for the personal-data export and erasure (GDPR Art. 15, 17, 20).
//! No policy here: the privacy context decides who may ask. Their marks at meetings are
//! attendance's (`attendance::service::personal_data`).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Result;
use crate::clubs::model::{Membership, Rsvp};
use crate::clubs::store;
use crate::db::write::WriteTx;
use crate::values::{Erasure, Treatment};

/// A person's memberships and answers to meetings.
#[derive(Debug, Clone)]
pub struct PersonalClubs {
    pub memberships: Vec<Membership>,
    pub rsvps: Vec<Rsvp>,
}

pub async fn personal_data(db: &impl ConnectionTrait, person_id: Uuid) -> Result<PersonalClubs> {
    Ok(PersonalClubs {
        memberships: store::memberships_of_person(db, person_id).await?,
        rsvps: store::rsvps_of_person(db, person_id).await?,
    })
}

/// Removes the person from every club and forgets their answers to meetings. Minutes and
/// resources they wrote for a club stay: they are the club's.
pub async fn erase_personal_data(tx: &mut WriteTx, person_id: Uuid) -> Result<Vec<Erasure>> {
    let (memberships, rsvps) = store::delete_club_rows_of_person(tx, person_id).await?;
    Ok(vec![
        Erasure::new("club_membership", Treatment::Removed, memberships),
        Erasure::new("meeting_rsvp", Treatment::Removed, rsvps),
    ])
}
