//! Cursor pagination: `?limit=` (default 50, max 200) and an opaque `?cursor=`.
//!
//! Lists are ordered by id; ids are UUIDv7, so new rows sort after existing ones and a client
//! paging while rows are added sees every row exactly once. The cursor is the last id seen,
//! base64url-encoded with a version byte.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
const CURSOR_VERSION: u8 = 1;

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
    let mut bytes = Vec::with_capacity(17);
    bytes.push(CURSOR_VERSION);
    bytes.extend_from_slice(id.as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(cursor: &str) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::bad_request("request.invalid_cursor", "The cursor is not valid.");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    match bytes.split_first() {
        Some((&CURSOR_VERSION, rest)) => Uuid::from_slice(rest).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}
