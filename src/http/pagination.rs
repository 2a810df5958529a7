//! Cursor pagination: `?limit=` (default 50, max 200) and an opaque `?cursor=`.
//!
//! Lists are ordered by id; ids are UUIDv7, so new rows sort after existing ones and a client
//! paging while rows are added sees every row exactly once. The cursor is the last id seen, in
//! 22 base64url characters ([`CURSOR_PATTERN`], stated in the spec); any cursor of that shape is a
//! position, so a well-formed cursor is never refused.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use uuid::Uuid;

use super::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
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

/// A decoded page request.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// Rows to return.
    pub limit: u64,
    /// Return rows with an id strictly greater than this.
    pub after: Option<Uuid>,
}

impl PageRequest {
    /// Decodes `?limit=` and `?cursor=`; a cursor this server did not issue is a 400.
    pub fn parse(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = u64::from(limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT));
        let after = cursor.map(decode).transpose()?;
        Ok(Self { limit, after })
    }

    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts the fetched rows to the page and computes the next cursor.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> (Vec<T>, Option<String>) {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            let next = rows.last().map(|row| encode(id(row)));
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

fn encode(id: Uuid) -> String {
    CURSOR_ENGINE.encode(id.as_bytes())
}

fn decode(cursor: &str) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::bad_request("request.invalid_cursor", "The cursor is not valid.");
    let bytes = CURSOR_ENGINE.decode(cursor).map_err(|_| invalid())?;
    Uuid::from_slice(&bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_matches_the_published_pattern() {
        let id = Uuid::now_v7();
        let cursor = encode(id);
        assert_eq!(cursor.len(), 22);
        assert!(
            cursor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(decode(&cursor).ok(), Some(id));
        assert!(
            decode("AAAAAAAAAAAAAAAAAAAAA_").is_ok(),
            "any cursor of the published shape is a position"
        );
    }
}
