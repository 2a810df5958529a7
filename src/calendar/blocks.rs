//! The public feeds' events, rendered per session and kept between renders.
//!
//! A whole-catalogue feed holds tens of thousands of events; rendering them all again after one
//! session changed costs hundreds of milliseconds. Each session's events are kept as iCalendar
//! text with the fingerprint they were rendered for — the sync versions of the session (its
//! half-days are written with it), its training and its room — so a render loads and writes only
//! the sessions whose fingerprint moved, and concatenates the rest. A fingerprint is read before
//! the session is loaded, so a block is never kept under a newer fingerprint than its data: a
//! write racing a render only makes the next render redo that session.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::events::{Role, Site, leaves, session_events};
use super::feed::{write_events, write_footer, write_header};
use super::service::{RenderedFeed, Result};
use crate::catalogue::model::{CalendarScope, SessionStamp};
use crate::catalogue::service as catalogue;

/// Sessions loaded and rendered at a time.
const RENDER_CHUNK: usize = 250;

struct Block {
    fingerprint: (i64, i64, i64),
    text: Arc<str>,
}

/// The kept blocks of one server.
#[derive(Default)]
pub struct Blocks {
    kept: Mutex<HashMap<Uuid, Block>>,
}

impl Blocks {
    pub fn new() -> Self {
        Self::default()
    }

    /// A public feed of `scope` at `now`: the sessions in their window, in the order of their
    /// first half-day, each session's events as last rendered for its fingerprint.
    pub async fn public_feed(
        &self,
        db: &impl ConnectionTrait,
        site: &Site,
        scope: &CalendarScope,
        (name, description): (&str, &str),
        now: DateTime<Utc>,
        extra_changes: Vec<DateTime<Utc>>,
    ) -> Result<RenderedFeed> {
        let stamps = catalogue::calendar_stamps(db, scope).await?;
        let mut last_modified = extra_changes
            .into_iter()
            .max()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let mut fresh_until: Option<DateTime<Utc>> = None;
        let mut shown: Vec<&SessionStamp> = Vec::new();
        for stamp in &stamps {
            last_modified = last_modified.max(stamp.last_changed);
            match leaves(stamp.status, stamp.updated_at, stamp.ends_at) {
                Some(gone) if gone <= now => last_modified = last_modified.max(gone),
                stays => {
                    if let Some(gone) = stays {
                        fresh_until = Some(fresh_until.map_or(gone, |f| f.min(gone)));
                    }
                    shown.push(stamp);
                }
            }
        }
        shown.sort_by_key(|s| (s.starts_at, s.id));
        self.render_missing(db, site, &shown).await?;
        let mut out = String::new();
        write_header(name, description, &mut out);
        {
            let kept = self.lock();
            out.reserve(
                shown
                    .iter()
                    .filter_map(|s| kept.get(&s.id))
                    .map(|b| b.text.len())
                    .sum(),
            );
            for stamp in &shown {
                if let Some(block) = kept.get(&stamp.id) {
                    out.push_str(&block.text);
                }
            }
        }
        write_footer(&mut out);
        if matches!(scope, CalendarScope::Published) {
            let live: std::collections::HashSet<Uuid> = stamps.iter().map(|s| s.id).collect();
            self.lock().retain(|id, _| live.contains(id));
        }
        Ok(RenderedFeed {
            ics: out.into_bytes(),
            last_modified,
            fresh_until,
        })
    }

    /// Loads and renders the sessions whose kept block is missing or older than their stamp.
    async fn render_missing(
        &self,
        db: &impl ConnectionTrait,
        site: &Site,
        shown: &[&SessionStamp],
    ) -> Result<()> {
        let stale: HashMap<Uuid, (i64, i64, i64)> = {
            let kept = self.lock();
            shown
                .iter()
                .filter(|s| {
                    kept.get(&s.id)
                        .is_none_or(|b| b.fingerprint != s.fingerprint)
                })
                .map(|s| (s.id, s.fingerprint))
                .collect()
        };
        if stale.is_empty() {
            return Ok(());
        }
        // In chunks: a first render of a large catalogue never holds every session at once.
        let ids: Vec<Uuid> = stale.keys().copied().collect();
        for chunk in ids.chunks(RENDER_CHUNK) {
            let scope = CalendarScope::Sessions(chunk.to_vec());
            let sessions = catalogue::calendar_sessions(db, &scope).await?;
            let rendered: Vec<(Uuid, Block)> = sessions
                .iter()
                .filter_map(|session| {
                    let fingerprint = *stale.get(&session.id)?;
                    let mut events = session_events(session, Role::Public, site);
                    events.sort_by(|a, b| (a.starts_at, &a.uid).cmp(&(b.starts_at, &b.uid)));
                    let mut text = String::new();
                    write_events(&events, &mut text);
                    Some((
                        session.id,
                        Block {
                            fingerprint,
                            text: text.into(),
                        },
                    ))
                })
                .collect();
            self.lock().extend(rendered);
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Block>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
