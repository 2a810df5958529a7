//! What can go wrong in the notifications context, with its stable code.

use sea_orm::DbErr;

use crate::refusal::{Kind, Refusal};

#[derive(Debug, thiserror::Error)]
pub enum NotificationsError {
    /// No such message, or one the caller may not see.
    #[error("no such message")]
    NotFound,
    /// Only dead messages are retried by hand.
    #[error("only a dead message can be retried")]
    NotDead,
    /// An unsubscribe link that no message carries.
    #[error("unknown or expired unsubscribe link")]
    UnknownLink,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl NotificationsError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "notifications.not_found",
        "notifications.not_dead",
        "notifications.unknown_link",
    ];
}

impl Refusal for NotificationsError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::NotFound => "notifications.not_found",
            Self::NotDead => "notifications.not_dead",
            Self::UnknownLink => "notifications.unknown_link",
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::NotFound | Self::UnknownLink => Kind::NotFound,
            Self::NotDead => Kind::Conflict,
            Self::Db(_) => Kind::Internal,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(error) => Some(error),
            _ => None,
        }
    }
}
