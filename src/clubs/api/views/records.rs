//! What a meeting leaves, as the API shows it: its marks, minutes and resources.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::attendance::api::{MarkStatusView, MarkView, RecordedAsView};
use crate::attendance::model::Mark;
use crate::clubs::model::{self, Minutes, Resource};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ResourceKind",
    rename_all = "snake_case",
    remote = "model::ResourceKind"
)]
pub enum ResourceKindView {
    /// A link (`url`).
    Link,
    /// A stored file (`file_name`, `content_type`, `size_bytes`, `sha256`).
    File,
}

/// A member's attendance at a meeting (the attendance context's mark).
///
/// - `status`: What was recorded.
/// - `recorded_as`: In which capacity `recorded_by` recorded it (`trainer` for an animator).
#[derive(Debug, Object)]
pub struct MeetingMarkView {
    /// The mark's id: the UUIDv5 of (meeting, person), the same on every device.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// The club.
    pub club_id: Uuid,
    /// The member.
    pub person_id: Uuid,
    pub status: MarkStatusView,
    /// Minutes missed at the start, for `late`.
    pub late_minutes: Nullable<i32>,
    /// SHA-256 of the signature image, if they signed (optional at clubs).
    pub signature_sha256: Nullable<String>,
    /// When they signed (UTC).
    pub signed_at: Nullable<Timestamp>,
    /// Who recorded it.
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAsView,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<Mark> for MeetingMarkView {
    /// Attendance's conversion of a mark ([`MarkView`]), its half-day and session read as the
    /// meeting and the club.
    fn from(m: Mark) -> Self {
        let v = MarkView::from(m);
        Self {
            id: v.id,
            meeting_id: v.slot_id,
            club_id: v.session_id,
            person_id: v.person_id,
            status: v.status,
            late_minutes: v.late_minutes,
            signature_sha256: v.signature_sha256,
            signed_at: v.signed_at,
            recorded_by: v.recorded_by,
            recorded_as: v.recorded_as,
            updated_at: v.updated_at,
        }
    }
}

/// One version of a meeting's minutes.
#[derive(Debug, Object)]
pub struct MinutesVersionView {
    /// 1 for the first version, then 2, 3…
    pub number: i32,
    /// The text (Markdown).
    pub body: String,
    /// Who wrote this version.
    pub author_id: Uuid,
    /// When (UTC).
    pub created_at: Timestamp,
}

impl From<Minutes> for MinutesVersionView {
    fn from(m: Minutes) -> Self {
        Self {
            number: m.number,
            body: m.body,
            author_id: m.author_id,
            created_at: m.created_at.into(),
        }
    }
}

/// A meeting's minutes: the current version and every earlier one.
///
/// - `current`: The latest version.
#[derive(Debug, Object)]
pub struct MinutesView {
    /// The meeting.
    pub meeting_id: Uuid,
    pub current: MinutesVersionView,
    /// Every version, first first (the current one last).
    pub versions: Vec<MinutesVersionView>,
}

/// A meeting resource.
///
/// - `kind`: A link or a stored file.
#[derive(Debug, Object)]
pub struct ResourceView {
    /// Identifier.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    pub kind: ResourceKindView,
    /// Title.
    pub title: String,
    /// The link, for a link.
    pub url: Nullable<String>,
    /// The file's name, for a file.
    pub file_name: Nullable<String>,
    /// The file's type, recognised from its content.
    pub content_type: Nullable<String>,
    /// The file's size in bytes.
    pub size_bytes: Nullable<i64>,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: Nullable<String>,
    /// Where to download the file (`null` for a link).
    pub download_path: Nullable<String>,
    /// Who posted it.
    pub created_by: Uuid,
    /// When (UTC).
    pub created_at: Timestamp,
}

impl From<Resource> for ResourceView {
    fn from(r: Resource) -> Self {
        let download = (r.kind == model::ResourceKind::File)
            .then(|| format!("/api/v1/meetings/{}/resources/{}/file", r.meeting_id, r.id));
        Self {
            id: r.id,
            meeting_id: r.meeting_id,
            kind: r.kind.into(),
            title: r.title,
            url: Nullable(r.url),
            file_name: Nullable(r.file_name),
            content_type: Nullable(r.content_type),
            size_bytes: Nullable(r.size_bytes),
            sha256: Nullable(r.sha256),
            download_path: Nullable(download),
            created_by: r.created_by,
            created_at: r.created_at.into(),
        }
    }
}
