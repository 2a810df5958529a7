//! The provider's identity printed on every document, set by an administrator.

use std::io::Cursor;

use sea_orm::ConnectionTrait;

use super::{DocumentsError, Result};
use crate::db::write::WriteTx;
use crate::documents::model::{Provider, ProviderIdentity};
use crate::documents::{policy, store};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};

/// Largest logo or signature image accepted.
pub const MAX_IMAGE_BYTES: usize = 64 * 1024;
/// Largest side of a logo or signature image, in pixels.
const MAX_IMAGE_SIDE: u32 = 4000;

/// What an administrator sets.
#[derive(Debug, Clone)]
pub struct ProviderInput {
    pub identity: ProviderIdentity,
    pub logo_png: Option<Vec<u8>>,
    pub signature_png: Option<Vec<u8>>,
}

/// The provider's identity (administrators); 404 before it is set.
pub async fn provider(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Option<Provider>> {
    policy::require_administrator(
        principal,
        "only administrators manage the provider's identity",
    )?;
    Ok(store::provider(db).await?)
}

/// Sets (replaces) the provider's identity, in the caller's transaction.
pub async fn set_provider(
    tx: &mut WriteTx,
    principal: &Principal,
    input: ProviderInput,
) -> Result<Provider> {
    policy::require_administrator(
        principal,
        "only administrators manage the provider's identity",
    )?;
    let mut errors = FieldErrors::new();
    let i = input.identity;
    let identity = ProviderIdentity {
        name: required_text(&mut errors, "name", &i.name, 200),
        address: required_text(&mut errors, "address", &i.address, 500),
        city: required_text(&mut errors, "city", &i.city, 100),
        siret: siret(&mut errors, &i.siret),
        declaration_number: required_text(
            &mut errors,
            "declaration_number",
            &i.declaration_number,
            40,
        ),
        representative_name: required_text(
            &mut errors,
            "representative_name",
            &i.representative_name,
            200,
        ),
        representative_title: required_text(
            &mut errors,
            "representative_title",
            &i.representative_title,
            200,
        ),
        email: optional_text(&mut errors, "email", &i.email, 254),
        phone: optional_text(&mut errors, "phone", &i.phone, 40),
        payment_terms: optional_text(&mut errors, "payment_terms", &i.payment_terms, 2000),
    };
    check_png(&mut errors, "logo_png", input.logo_png.as_deref());
    check_png(&mut errors, "signature_png", input.signature_png.as_deref());
    errors.into_result().map_err(DocumentsError::Invalid)?;
    let provider = Provider {
        identity,
        logo_png: input.logo_png,
        signature_png: input.signature_png,
        updated_by: principal.person_id,
        updated_at: tx.now(),
    };
    store::save_provider(tx.conn(), &provider).await?;
    Ok(provider)
}

fn optional_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
    trimmed.to_owned()
}

/// 14 digits (spaces allowed) whose Luhn sum is a multiple of 10.
fn siret(errors: &mut FieldErrors, value: &str) -> String {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let valid = digits.len() == 14 && digits.chars().all(|c| c.is_ascii_digit()) && {
        let sum: u32 = digits
            .chars()
            .rev()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap_or(0);
                if i % 2 == 1 {
                    let double = d * 2;
                    if double > 9 { double - 9 } else { double }
                } else {
                    d
                }
            })
            .sum();
        sum.is_multiple_of(10)
    };
    if !valid {
        errors.add(
            "siret",
            "must be a SIRET: 14 digits with a valid check digit",
        );
    }
    digits
}

fn check_png(errors: &mut FieldErrors, field: &str, bytes: Option<&[u8]>) {
    let Some(bytes) = bytes else { return };
    if bytes.len() > MAX_IMAGE_BYTES {
        errors.add(field, format!("must be at most {MAX_IMAGE_BYTES} bytes"));
        return;
    }
    match png::Decoder::new(Cursor::new(bytes)).read_info() {
        Ok(reader) => {
            let info = reader.info();
            if info.width == 0
                || info.height == 0
                || info.width > MAX_IMAGE_SIDE
                || info.height > MAX_IMAGE_SIDE
            {
                errors.add(
                    field,
                    format!("must be at most {MAX_IMAGE_SIDE} pixels on each side"),
                );
            }
        }
        Err(_) => errors.add(field, "must be a PNG image"),
    }
}

/// The demo dataset's provider, set unless one is already (demo data and benchmarks).
pub async fn seed_demo_provider(db: &sea_orm::DatabaseConnection) -> Result<()> {
    if store::provider(db).await?.is_some() {
        return Ok(());
    }
    let provider = Provider {
        identity: ProviderIdentity {
            name: "Fédération Passerelle (démo)".into(),
            address: "12 rue de la Solidarité, 75011 Paris".into(),
            city: "Paris".into(),
            siret: "12345678900015".into(),
            declaration_number: "11 75 00000 75".into(),
            representative_name: "Claire Dubois".into(),
            representative_title: "Présidente".into(),
            email: "formation@passerelle.example".into(),
            phone: "+33 1 00 00 00 00".into(),
            payment_terms: "À 30 jours à réception de facture, par virement.".into(),
        },
        logo_png: None,
        signature_png: None,
        updated_by: uuid::Uuid::nil(),
        updated_at: chrono::Utc::now(),
    };
    Ok(store::save_provider(db, &provider).await?)
}
