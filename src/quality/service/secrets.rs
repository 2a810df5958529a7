//! Codes handed out once and kept only as their SHA-256: a report's receipt code, a funder's
//! survey link. 160 random bits in base64url after a recognisable prefix (so one that leaks into
//! a log or a ticket is recognised).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Longest code looked up (longer ones are not codes, and are not hashed).
pub const MAX_CODE_CHARS: usize = 64;

/// A fresh code after `prefix`.
pub fn fresh_code(prefix: &str) -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a code: lower-case hex SHA-256.
pub fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().as_bytes()))
}
