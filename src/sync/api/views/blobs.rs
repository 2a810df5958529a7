//! What a signature upload answers.

use poem_openapi::Object;

/// A blob upload's outcome.
#[derive(Debug, Object)]
pub struct BlobView {
    /// The image's SHA-256 (lower-case hex).
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}
