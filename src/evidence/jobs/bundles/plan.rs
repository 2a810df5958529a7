//! What a bundle holds: its sessions (chosen, or drawn with a seed) and the list of its files.

use chrono::NaiveDate;
use chrono_tz::Europe::Paris;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{BundleRequest, Entry, Item};
use crate::catalogue::model::Session;
use crate::documents::service as documents;
use crate::documents::service::file_name_part;
use crate::enrolment::service as enrolment;
use crate::evidence::service::scope::{holders_of, sessions_starting};
use crate::evidence::service::{EvidenceError, Result};
use crate::principal::Principal;

/// Sessions drawn when none are chosen.
pub const SAMPLE: usize = 10;
/// Sessions an administrator may choose.
pub const MAX_CHOSEN: usize = 50;

/// The request's sessions, in order of start, and the seed that drew them (`None` when chosen).
pub async fn sessions_of(
    db: &impl ConnectionTrait,
    request: &BundleRequest,
) -> Result<(Vec<Session>, Option<i64>)> {
    let mut started = sessions_starting(db, request.from, request.to).await?;
    started.sort_by_key(|s| (s.starts_at, s.id));
    if let Some(chosen) = &request.sessions {
        if chosen.is_empty() || chosen.len() > MAX_CHOSEN {
            return Err(EvidenceError::invalid(
                "sessions",
                "between 1 and 50 sessions, or none to draw a sample",
            ));
        }
        let mut picked = Vec::new();
        for (i, id) in chosen.iter().enumerate() {
            match started.iter().find(|s| s.id == *id) {
                Some(session) if !picked.iter().any(|p: &Session| p.id == *id) => {
                    picked.push(session.clone());
                }
                Some(_) => {
                    return Err(EvidenceError::invalid(
                        &format!("sessions[{i}]"),
                        "listed twice",
                    ));
                }
                None => {
                    return Err(EvidenceError::invalid(
                        &format!("sessions[{i}]"),
                        "a session whose first half-day falls in the period",
                    ));
                }
            }
        }
        picked.sort_by_key(|s| (s.starts_at, s.id));
        return Ok((picked, None));
    }
    let seed = request
        .seed
        .unwrap_or_else(|| i64::from(rand::random::<u32>()));
    let mut rng = StdRng::seed_from_u64(seed as u64);
    let mut drawn: Vec<Session> = started.choose_multiple(&mut rng, SAMPLE).cloned().collect();
    drawn.sort_by_key(|s| (s.starts_at, s.id));
    Ok((drawn, Some(seed)))
}

fn folder(session: &Session) -> String {
    let day = session
        .starts_at
        .map(|at| at.with_timezone(&Paris).date_naive())
        .unwrap_or(NaiveDate::MIN);
    let title: String = file_name_part(&session.training.programme.title)
        .chars()
        .take(40)
        .collect();
    let short = session.id.simple().to_string();
    format!("sessions/{day}-{title}-{}", &short[short.len() - 8..])
}

/// The files of a bundle over these sessions, in the order they are written.
pub async fn entries(
    db: &impl ConnectionTrait,
    principal: &Principal,
    sessions: &[Session],
) -> Result<Vec<Entry>> {
    let mut plan = vec![
        Entry::new("rapport/rapport-preuves.json".into(), Item::ReportJson),
        Entry::new("rapport/rapport-preuves.pdf".into(), Item::ReportPdf),
    ];
    for session in sessions {
        let dir = folder(session);
        plan.push(Entry::new(
            format!("{dir}/feuille-emargement.pdf"),
            Item::Sheet {
                session: session.id,
            },
        ));
        for certificate in documents::session_certificates(db, principal, session.id).await? {
            if certificate.revocation.is_some() {
                continue;
            }
            plan.push(Entry::new(
                format!(
                    "{dir}/certificats/certificat-{}-{}.pdf",
                    file_name_part(&certificate.content.trainee),
                    certificate.code
                ),
                Item::Certificate {
                    certificate: certificate.id,
                },
            ));
        }
        let holders: Vec<Uuid> = holders_of(db, session.id)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        for convocation in enrolment::convocations_of(db, &holders).await? {
            plan.push(Entry::new(
                format!(
                    "{dir}/convocations/convocation-{}.pdf",
                    convocation.enrolment_id
                ),
                Item::Convocation {
                    enrolment: convocation.enrolment_id,
                },
            ));
        }
        plan.push(Entry::new(
            format!("{dir}/enquetes.csv"),
            Item::Surveys {
                session: session.id,
            },
        ));
    }
    plan.push(Entry::new(
        "registres/reclamations.csv".into(),
        Item::Complaints,
    ));
    plan.push(Entry::new(
        "registres/actions-amelioration.csv".into(),
        Item::Actions,
    ));
    Ok(plan)
}
