use entity::certificate as row;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::json_error;
use crate::documents::model::{Certificate, Revocation};

fn certificate_of(row: row::Model) -> Result<(Certificate, Vec<u8>), DbErr> {
    let revocation = match (row.revoked_at, row.revoked_by) {
        (Some(at), Some(by)) => Some(Revocation {
            at,
            by,
            reason: row.revoke_reason.unwrap_or_default(),
        }),
        _ => None,
    };
    let certificate = Certificate {
        id: row.id,
        code: row.code,
        enrolment_id: row.enrolment_id,
        session_id: row.session_id,
        person_id: row.person_id,
        content: serde_json::from_str(&row.content).map_err(json_error)?,
        sha256: row.sha256,
        issued_by: row.issued_by,
        issued_at: row.issued_at,
        revocation,
    };
    Ok((certificate, row.pdf))
}

/// Inserts an issued certificate; `false` when the enrolment already holds a valid one (the
/// partial unique index refused it).
pub async fn insert_certificate(
    db: &impl ConnectionTrait,
    c: &Certificate,
    pdf: Vec<u8>,
) -> Result<bool, DbErr> {
    let content = serde_json::to_string(&c.content).map_err(json_error)?;
    let model = row::ActiveModel {
        id: Set(c.id),
        code: Set(c.code.clone()),
        enrolment_id: Set(c.enrolment_id),
        session_id: Set(c.session_id),
        person_id: Set(c.person_id),
        content: Set(content),
        pdf: Set(pdf),
        sha256: Set(c.sha256.clone()),
        issued_by: Set(c.issued_by),
        issued_at: Set(c.issued_at),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoke_reason: Set(None),
    };
    // No conflict target: the partial unique index (one valid certificate per enrolment) is
    // the constraint that refuses a second one, on both engines.
    let inserted = row::Entity::insert(model)
        .on_conflict(
            sea_orm::sea_query::OnConflict::new()
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(rows) => Ok(rows == 1),
        Err(DbErr::RecordNotInserted) => Ok(false),
        Err(error) => Err(error),
    }
}

/// The enrolment's valid (unrevoked) certificate with its bytes.
pub async fn valid_certificate(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
) -> Result<Option<(Certificate, Vec<u8>)>, DbErr> {
    row::Entity::find()
        .filter(row::Column::EnrolmentId.eq(enrolment_id))
        .filter(row::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(certificate_of)
        .transpose()
}

pub async fn certificate_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<Certificate>, DbErr> {
    let row = row::Entity::find()
        .filter(row::Column::Code.eq(code))
        .one(db)
        .await?;
    Ok(row.map(certificate_of).transpose()?.map(|(c, _)| c))
}

pub async fn certificate_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Certificate, Vec<u8>)>, DbErr> {
    row::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(certificate_of)
        .transpose()
}

/// The certificates matching `condition`, revoked ones included, oldest first.
async fn certificates_where(
    db: &impl ConnectionTrait,
    condition: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<Certificate>, DbErr> {
    row::Entity::find()
        .filter(condition)
        .order_by_asc(row::Column::IssuedAt)
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| certificate_of(r).map(|(c, _)| c))
        .collect()
}

/// Every certificate of a session, revoked ones included, oldest first.
pub async fn certificates_of_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<Certificate>, DbErr> {
    certificates_where(db, row::Column::SessionId.eq(session_id)).await
}

/// The valid certificates of a session with their bytes (the archive).
pub async fn valid_certificates_of_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<(Certificate, Vec<u8>)>, DbErr> {
    row::Entity::find()
        .filter(row::Column::SessionId.eq(session_id))
        .filter(row::Column::RevokedAt.is_null())
        .order_by_asc(row::Column::IssuedAt)
        .all(db)
        .await?
        .into_iter()
        .map(certificate_of)
        .collect()
}

/// Revokes a valid certificate; `false` if it was already revoked.
pub async fn revoke_certificate(
    db: &impl ConnectionTrait,
    id: Uuid,
    revocation: &Revocation,
) -> Result<bool, DbErr> {
    let result = row::Entity::update_many()
        .col_expr(row::Column::RevokedAt, revocation.at.into())
        .col_expr(row::Column::RevokedBy, revocation.by.into())
        .col_expr(row::Column::RevokeReason, revocation.reason.clone().into())
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Every certificate of a person, revoked ones included, oldest first.
pub async fn certificates_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<Certificate>, DbErr> {
    certificates_where(db, row::Column::PersonId.eq(person_id)).await
}

/// Replaces what a certificate states and its file, if its file is still `old_sha256`.
pub async fn replace_certificate_file(
    db: &impl ConnectionTrait,
    id: Uuid,
    old_sha256: &str,
    content: &crate::documents::model::CertificateContent,
    pdf: Vec<u8>,
    sha256: String,
) -> Result<bool, DbErr> {
    let content = serde_json::to_string(content).map_err(json_error)?;
    let updated = row::Entity::update_many()
        .col_expr(
            row::Column::Content,
            sea_orm::sea_query::Expr::value(content),
        )
        .col_expr(row::Column::Pdf, sea_orm::sea_query::Expr::value(pdf))
        .col_expr(row::Column::Sha256, sea_orm::sea_query::Expr::value(sha256))
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::Sha256.eq(old_sha256))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Certificates issued before `before` (counted when `dry_run`, else deleted).
pub async fn purge_certificates(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<u64, DbErr> {
    let condition = sea_orm::Condition::all().add(row::Column::IssuedAt.lt(before));
    crate::db::query::count_or_delete::<row::Entity>(db, condition, dry_run).await
}
