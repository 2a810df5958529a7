//! `/api/v1/provider`: the training provider's identity printed on every document.

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::ProviderView;
use crate::documents::model::ProviderIdentity;
use crate::documents::service::{self, DocumentsError, ProviderInput};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::png::Base64Png;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// The provider's identity, as an administrator sets it (it replaces the previous one whole).
#[derive(Debug, Object)]
pub struct ProviderBody {
    /// The provider's name (1 to 200 characters).
    #[oai(validator(max_length = 200))]
    pub name: Text,
    /// Postal address (1 to 500 characters).
    #[oai(validator(max_length = 500))]
    pub address: Text,
    /// Where documents are signed, "Fait à …" (1 to 100 characters).
    #[oai(validator(max_length = 100))]
    pub city: Text,
    /// SIRET: 14 digits with a valid check digit (spaces allowed).
    #[oai(validator(max_length = 20))]
    pub siret: Text,
    /// Numéro de déclaration d'activité (1 to 40 characters).
    #[oai(validator(max_length = 40))]
    pub declaration_number: Text,
    /// The legal representative who signs certificates (1 to 200 characters).
    #[oai(validator(max_length = 200))]
    pub representative_name: Text,
    /// Their title, e.g. `Directrice` (1 to 200 characters).
    #[oai(validator(max_length = 200))]
    pub representative_title: Text,
    /// Contact e-mail for the letterhead (at most 254 characters).
    #[oai(validator(max_length = 254))]
    pub email: Option<Text>,
    /// Contact telephone (at most 40 characters).
    #[oai(validator(max_length = 40))]
    pub phone: Option<Text>,
    /// Payment terms for quotes and conventions (at most 2000 characters).
    #[oai(validator(max_length = 2000))]
    pub payment_terms: Option<Text>,
    /// The logo, a PNG in base64 (at most 64 KiB, 4000 pixels a side).
    pub logo_png: Option<Base64Png>,
    /// The representative's signature, a PNG in base64 (at most 64 KiB, 4000 pixels a side).
    pub signature_png: Option<Base64Png>,
}

ok_response!(ProviderOk, ProviderView, "The provider's identity.");

#[derive(Default)]
pub struct ProviderApi;

#[OpenApi(tag = "ApiTags::Documents")]
impl ProviderApi {
    /// The provider's identity
    ///
    /// Administrators. 403 `documents.forbidden`; 404 `documents.provider_not_set`.
    #[oai(
        path = "/api/v1/provider",
        method = "get",
        operation_id = "get_provider"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<ProviderOk, { AUTH | FORBIDDEN | NOT_FOUND }> {
        let provider = service::provider(&state.db, &auth.0)
            .await?
            .ok_or(DocumentsError::ProviderNotSet)?;
        Ok(ProviderOk::Ok(Json(provider.into())))
    }

    /// Set the provider's identity
    ///
    /// Name, address, SIRET, declaration number, legal representative, logo and signature,
    /// printed on every document issued from now on (issued certificates keep what they
    /// printed). Administrators. 403 `documents.forbidden`; 422 `documents.invalid`.
    #[oai(
        path = "/api/v1/provider",
        method = "put",
        operation_id = "set_provider"
    )]
    async fn set(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<ProviderBody>,
    ) -> ApiResult<ProviderOk, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let text = |t: Option<Text>| t.map(Text::into_inner).unwrap_or_default();
        let input = ProviderInput {
            identity: ProviderIdentity {
                name: b.name.into_inner(),
                address: b.address.into_inner(),
                city: b.city.into_inner(),
                siret: b.siret.into_inner(),
                declaration_number: b.declaration_number.into_inner(),
                representative_name: b.representative_name.into_inner(),
                representative_title: b.representative_title.into_inner(),
                email: text(b.email),
                phone: text(b.phone),
                payment_terms: text(b.payment_terms),
            },
            logo_png: b.logo_png.map(Base64Png::into_inner),
            signature_png: b.signature_png.map(Base64Png::into_inner),
        };
        let mut tx = state.begin().await?;
        let provider = service::set_provider(&mut tx, &auth.0, input).await?;
        tx.commit().await?;
        Ok(ProviderOk::Ok(Json(provider.into())))
    }
}
