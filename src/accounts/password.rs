//! Passwords: Argon2id with the crate's defaults (m=19 MiB, t=2, p=1, the OWASP baseline),
//! hashed and verified on the blocking pool so that the async workers stay free.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest accepted password (ASVS 6.2.1 asks at least 8; 12 here).
pub const MIN_LENGTH: usize = 12;
/// Longest accepted password (ASVS 6.2.9 asks that 64 be accepted).
pub const MAX_LENGTH: usize = 256;

/// A hash to verify against when the account does not exist, so that an unknown e-mail and a
/// wrong password take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$n7Q3cqVAnJAXT0yWzI4FOPLlhBu8rDrEtHIT4yDV0B0";

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes `password` into an Argon2id PHC string.
pub async fn hash(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let salt = SaltString::encode_b64(&bytes).map_err(|e| HashError(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// Verifies `password` against `phc`; with `None`, verifies against a dummy hash and fails.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, HashError> {
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&phc).map_err(|e| HashError(e.to_string()))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// The length rule, in characters; `None` when acceptable.
pub fn check_length(password: &str) -> Option<String> {
    let len = password.chars().count();
    (!(MIN_LENGTH..=MAX_LENGTH).contains(&len))
        .then(|| format!("must be between {MIN_LENGTH} and {MAX_LENGTH} characters"))
}
