//! The pull cursor: opaque to devices, signed by the server (HMAC-SHA-256 with the space's
//! key), so a device can neither forge a position nor claim scopes it does not hold.
//!
//! It says where the device stands, never what time it is: the epoch of the space, the schema
//! version it was built for, the space version `v` up to which the scopes in `full` are
//! complete, and, while a run of pages is in progress, the keyset position reached and the
//! scopes being added (backfilled from version 0) or removed (their rows answered as deletes).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::db::scope::Scope;

/// Where a device stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cursor {
    /// The space's epoch when the cursor was made.
    pub epoch: Uuid,
    /// The schema version the device's tables follow.
    pub sv: i32,
    /// Every change of the scopes in `full` up to this space version is on the device.
    pub v: i64,
    /// Scopes complete as of `v`.
    pub full: Vec<String>,
    /// A run of pages in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
}

/// A run of pages in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Run {
    /// The last key answered: (version, entity type, entity id).
    pub k: Option<(i64, String, Uuid)>,
    /// Scopes being backfilled from version 0.
    pub added: Vec<String>,
    /// Scopes whose rows are being answered as deletes.
    pub removed: Vec<String>,
}

impl Cursor {
    /// The scopes of a list of keys (unknown keys are dropped: a scope kind the server no
    /// longer knows).
    pub fn scopes(keys: &[String]) -> Vec<Scope> {
        keys.iter().filter_map(|k| k.parse().ok()).collect()
    }

    /// The cursor as the device stores it: `base64url(json).base64url(hmac)`.
    pub fn encode(&self, key: &[u8]) -> String {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        let tag = URL_SAFE_NO_PAD.encode(mac(key, body.as_bytes()).finalize().into_bytes());
        format!("{body}.{tag}")
    }

    /// Reads a cursor this server signed; `None` for anything else.
    pub fn decode(text: &str, key: &[u8]) -> Option<Self> {
        let (body, tag) = text.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        mac(key, body.as_bytes()).verify_slice(&tag).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
    }
}

fn mac(key: &[u8], data: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(data);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_only_with_its_key_and_untouched() {
        let cursor = Cursor {
            epoch: Uuid::from_u128(7),
            sv: 1,
            v: 42,
            full: vec!["catalogue".into()],
            run: Some(Run {
                k: Some((40, "slot".into(), Uuid::from_u128(9))),
                added: vec![],
                removed: vec![],
            }),
        };
        let text = cursor.encode(b"key one");
        assert_eq!(Cursor::decode(&text, b"key one"), Some(cursor.clone()));
        assert_eq!(Cursor::decode(&text, b"key two"), None);
        let mut forged = cursor;
        forged.v = 1_000;
        let forged = forged.encode(b"key two");
        let (body, _) = forged.split_once('.').unwrap_or_default();
        let (_, tag) = text.split_once('.').unwrap_or_default();
        assert_eq!(Cursor::decode(&format!("{body}.{tag}"), b"key one"), None);
        assert_eq!(Cursor::decode("garbage", b"key one"), None);
    }
}
