//! Lists over HTTP: `?limit=` ([`Limit`], 1–200, default 50), an opaque `?cursor=` ([`Cursor`])
//! and the [`PageView`] answer `{ "items": [...], "next_cursor": "…" | null }`. Both parameter
//! types carry their schema, so every list states the same limits and cursor shape.
//!
//! The cursor is the last id seen, in 22 base64url characters ([`CURSOR_PATTERN`]); any cursor
//! of that shape is a position, so a well-formed cursor is never refused.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use poem_openapi::registry::MetaSchema;
use poem_openapi::types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON};
use poem_openapi::{Object, param::Query};
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::scalar::scalar_type;
use crate::paging::{MAX_LIMIT, Page, PageRequest};

/// The shape of a cursor, as the spec states it for every `cursor` parameter.
pub const CURSOR_PATTERN: &str = "^[A-Za-z0-9_-]{22}$";

/// base64url without padding, tolerant of the 4 spare bits of a 22-character cursor.
const CURSOR_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// A position in a list, as `?cursor=` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub Uuid);

impl Cursor {
    pub fn encode(id: Uuid) -> String {
        CURSOR_ENGINE.encode(id.as_bytes())
    }

    pub fn decode(text: &str) -> Option<Self> {
        let bytes = CURSOR_ENGINE.decode(text).ok()?;
        Uuid::from_slice(&bytes).ok().map(Self)
    }
}

/// A page size, as `?limit=` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(pub u32);

scalar_type!(
    Cursor,
    "string(cursor)",
    MetaSchema {
        pattern: Some(CURSOR_PATTERN.to_owned()),
        ..MetaSchema::new("string")
    }
);

scalar_type!(
    Limit,
    "integer(limit)",
    MetaSchema {
        format: Some("uint32"),
        minimum: Some(1.0),
        maximum: Some(f64::from(MAX_LIMIT)),
        ..MetaSchema::new("integer")
    }
);

impl ParseFromParameter for Cursor {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        let well_formed = value.len() == 22
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        well_formed
            .then(|| Cursor::decode(value))
            .flatten()
            .ok_or_else(|| ParseError::custom("not a cursor of the published shape"))
    }
}

impl ParseFromParameter for Limit {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        match value.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(Limit(n)),
            _ => Err(ParseError::custom(format!(
                "must be an integer from 1 to {MAX_LIMIT}"
            ))),
        }
    }
}

/// The page a list operation asks for.
pub fn page_request(limit: Query<Option<Limit>>, cursor: Query<Option<Cursor>>) -> PageRequest {
    PageRequest::new(limit.0.map(|l| l.0), cursor.0.map(|c| c.0))
}

/// A page of a list.
#[derive(Debug, Object)]
#[oai(rename = "Page")]
pub struct PageView<T: ParseFromJSON + ToJSON> {
    /// Items, by id: creation order for everything created through the API (UUIDv7 ids).
    pub items: Vec<T>,
    /// Cursor of the next page; `null` on the last page.
    pub next_cursor: Nullable<String>,
}

impl<T: ParseFromJSON + ToJSON> PageView<T> {
    /// The view of a service page, each item through `From`.
    pub fn of<D>(page: Page<D>) -> Self
    where
        T: From<D>,
    {
        Self {
            items: page.items.into_iter().map(T::from).collect(),
            next_cursor: Nullable(page.next.map(Cursor::encode)),
        }
    }

    /// The view of a service page, each item through `view`.
    pub fn map<D>(page: Page<D>, view: impl FnMut(D) -> T) -> Self {
        Self {
            items: page.items.into_iter().map(view).collect(),
            next_cursor: Nullable(page.next.map(Cursor::encode)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_matches_the_published_pattern() {
        let id = Uuid::now_v7();
        let text = Cursor::encode(id);
        assert_eq!(text.len(), 22);
        assert_eq!(Cursor::parse_from_parameter(&text).ok(), Some(Cursor(id)));
        assert!(
            Cursor::parse_from_parameter("AAAAAAAAAAAAAAAAAAAAA_").is_ok(),
            "any cursor of the published shape is a position"
        );
        assert!(Cursor::parse_from_parameter("not-a-cursor").is_err());
        assert!(Limit::parse_from_parameter("0").is_err());
        assert!(Limit::parse_from_parameter("201").is_err());
        assert_eq!(Limit::parse_from_parameter("200").ok(), Some(Limit(200)));
    }
}
