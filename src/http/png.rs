//! `Base64Png`: a PNG image sent inside JSON as standard base64. Its schema states the whole
//! shape (`format: byte`, a pattern of whole base64 quanta, at most 64 KiB once decoded), so a
//! schema-valid value always decodes; whether the bytes are a usable PNG — and not over 64 KiB —
//! is the service's check (a 422 with its own code, `attendance.signature_too_large` for size).

use poem_openapi::registry::MetaSchema;
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON};
use serde_json::Value;

use super::scalar::scalar_type;

/// Decoded bytes of a base64 PNG field.
#[derive(Clone, PartialEq, Eq, Default, Debug)]
pub struct Base64Png(pub Vec<u8>);

impl Base64Png {
    /// 64 KiB, base64-encoded.
    pub const MAX_CHARS: usize = 87_384;

    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

const PATTERN: &str = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

scalar_type!(
    Base64Png,
    "string(base64-png)",
    MetaSchema {
        format: Some("byte"),
        max_length: Some(Base64Png::MAX_CHARS),
        pattern: Some(PATTERN.into()),
        ..MetaSchema::new("string")
    }
);

fn engine() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    )
}

impl ParseFromJSON for Base64Png {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        use base64::Engine;
        match value {
            Some(Value::String(s)) => engine()
                .decode(s.as_bytes())
                .map(Self)
                .map_err(|e| ParseError::custom(format!("not standard base64: {e}"))),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for Base64Png {
    fn to_json(&self) -> Option<Value> {
        use base64::Engine;
        Some(Value::String(engine().encode(&self.0)))
    }
}
