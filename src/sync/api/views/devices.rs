//! Devices: registering one, and why one is revoked.

use poem_openapi::Object;
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::sync::model::Device;

/// A registered device.
#[derive(Debug, Object)]
pub struct DeviceView {
    /// The device's id: send it with every pull and push.
    pub id: Uuid,
    /// Whose device it is.
    pub person_id: Uuid,
    /// What its person calls it.
    pub name: String,
    /// `android`, `ios`, `web`…, as the app said.
    pub platform: String,
    /// The highest mutation sequence number the server processed for it (0: none yet).
    pub last_seq: i64,
    /// When it was registered.
    pub created_at: Timestamp,
    /// Its last push.
    pub last_seen_at: Nullable<Timestamp>,
    /// Its clock minus the server's, as last observed, in milliseconds.
    pub clock_offset_ms: Nullable<i64>,
    /// When its clock was last found more than five minutes ahead (then clamped).
    pub clock_skew_at: Nullable<Timestamp>,
    /// When it was revoked (its pulls and pushes then answer 403).
    pub revoked_at: Nullable<Timestamp>,
    /// Who revoked it.
    pub revoked_by: Nullable<Uuid>,
    /// Why.
    pub revoked_reason: Nullable<String>,
}

impl From<Device> for DeviceView {
    fn from(d: Device) -> Self {
        Self {
            id: d.id,
            person_id: d.person_id,
            name: d.name,
            platform: d.platform,
            last_seq: d.last_seq,
            created_at: Timestamp(d.created_at),
            last_seen_at: Nullable(d.last_seen_at.map(Timestamp)),
            clock_offset_ms: Nullable(d.clock_offset_ms),
            clock_skew_at: Nullable(d.clock_skew_at.map(Timestamp)),
            revoked_at: Nullable(d.revoked_at.map(Timestamp)),
            revoked_by: Nullable(d.revoked_by),
            revoked_reason: Nullable(d.revoked_reason),
        }
    }
}

/// Registering a device.
#[derive(Debug, Object)]
pub struct NewDeviceBody {
    /// What its person calls it (1–100 characters).
    #[oai(validator(min_length = 1, max_length = 100))]
    pub name: Text,
    /// `android`, `ios`, `web`… (1–40 characters).
    #[oai(validator(min_length = 1, max_length = 40))]
    pub platform: Text,
}

/// Why something is done (revoking a device, deciding a quarantined mutation).
#[derive(Debug, Object)]
pub struct ReasonBody {
    /// Kept with the decision (1–2000 characters).
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub reason: Text,
}
