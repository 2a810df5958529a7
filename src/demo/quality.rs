//! The demo's quality records, so that `serve --demo` shows a living register: one complaint in
//! each state, a risk of the analysis with the improvement action it led to, an action born of
//! a complaint and done, and watch entries of each kind. Loaded through the quality service, as
//! an administrator would, once (nothing is added when the register holds complaints already).

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::DemoError;
use super::catalogue::demo_principal;
use passerelle::clock::Clock;
use passerelle::db::write::{self, WriteTx};
use passerelle::paging::PageRequest;
use passerelle::quality::model::actions::{ActionOrigin, ActionStatus, NewAction, StatusMove};
use passerelle::quality::model::risks::RiskInput;
use passerelle::quality::model::watch::{WatchInput, WatchKind};
use passerelle::quality::model::{
    ComplaintChannel, ComplaintFilter, ComplaintStatus, NewComplaint,
};
use passerelle::quality::service::{self as quality, AcknowledgeDelay};

/// The register's complaints: (channel, contact, text, how far it went).
const COMPLAINTS: &[(ComplaintChannel, &str, &str, ComplaintStatus)] = &[
    (
        ComplaintChannel::Email,
        "tresorerie@solidarite-sahel.test",
        "La convocation est arrivée deux jours avant la session : trop tard pour réserver le train.",
        ComplaintStatus::Closed,
    ),
    (
        ComplaintChannel::Phone,
        "Awa Diallo, 06 00 00 00 00",
        "La salle du deuxième jour n'était pas accessible en fauteuil malgré la demande d'aménagement.",
        ComplaintStatus::Answered,
    ),
    (
        ComplaintChannel::Form,
        "contact@partage-lyon.test",
        "Le support de la formation « Monter un projet AFD » n'a pas été envoyé après la session.",
        ComplaintStatus::Acknowledged,
    ),
    (
        ComplaintChannel::Letter,
        "Eau Vive Togo, BP 100 Lomé",
        "Nous n'avons pas reçu de réponse à notre demande de devis pour une session intra.",
        ComplaintStatus::Received,
    ),
];

pub async fn load(db: &DatabaseConnection) -> Result<(), DemoError> {
    let admin = demo_principal();
    let clock = Clock::system();
    let delay = AcknowledgeDelay::days(7);
    let existing = quality::list_complaints(
        db,
        &admin,
        ComplaintFilter::default(),
        &PageRequest::new(Some(1), None),
        clock.now(),
        delay,
    )
    .await?;
    if !existing.items.is_empty() {
        return Ok(());
    }
    write::run(db, &clock, async |tx| load_registers(tx, delay).await).await
}

async fn load_registers(tx: &mut WriteTx, delay: AcknowledgeDelay) -> Result<(), DemoError> {
    let admin = demo_principal();
    let mut first = None;
    for (channel, contact, text, reached) in COMPLAINTS {
        let new = NewComplaint {
            channel: *channel,
            contact: (*contact).into(),
            text: (*text).into(),
            session_id: None,
            training_id: None,
            club_id: None,
        };
        let complaint = quality::submit_complaint(tx, None, new, delay).await?;
        first.get_or_insert(complaint.id);
        let steps = [
            (ComplaintStatus::Acknowledged, None),
            (
                ComplaintStatus::Answered,
                Some("Nous vous présentons nos excuses ; voici ce que nous changeons."),
            ),
            (
                ComplaintStatus::Closed,
                Some("Réponse acceptée ; action d'amélioration engagée."),
            ),
        ];
        let taken = match reached {
            ComplaintStatus::Received => 0,
            ComplaintStatus::Acknowledged => 1,
            ComplaintStatus::Answered => 2,
            ComplaintStatus::Closed => 3,
        };
        for (step, text) in steps.into_iter().take(taken) {
            quality::advance_complaint(tx, &admin, complaint.id, step, text.map(Into::into), delay)
                .await?;
        }
    }
    let risk = quality::create_risk(
        tx,
        &admin,
        RiskInput {
            description: Some(
                "Un formateur unique pour la gestion financière : une absence annule la session."
                    .into(),
            ),
            likelihood: Some(2),
            impact: Some(4),
            mitigation: Some("Former un second formateur et partager les supports.".into()),
            assessed_on: None,
            review_on: Some(day(2027, 3, 31)),
        },
    )
    .await?;
    let backup = quality::create_action(
        tx,
        &admin,
        NewAction {
            description: "Co-animer deux sessions avec un second formateur en gestion financière."
                .into(),
            origin: ActionOrigin::Risk,
            origin_id: Some(risk.risk.id),
            owner_id: admin.person_id,
            due_on: day(2027, 6, 30),
        },
    )
    .await?;
    quality::move_action(
        tx,
        &admin,
        backup.action.id,
        moved(ActionStatus::InProgress, None),
    )
    .await?;
    let convocations = quality::create_action(
        tx,
        &admin,
        NewAction {
            description: "Envoyer les convocations quinze jours avant chaque session.".into(),
            origin: ActionOrigin::Complaint,
            origin_id: first,
            owner_id: admin.person_id,
            due_on: day(2026, 11, 30),
        },
    )
    .await?;
    for (to, effect) in [
        (ActionStatus::InProgress, None),
        (
            ActionStatus::Done,
            Some("Aucune convocation tardive depuis octobre ; plus de réclamation à ce sujet."),
        ),
    ] {
        quality::move_action(tx, &admin, convocations.action.id, moved(to, effect)).await?;
    }
    let watch = [
        (
            WatchKind::Regulatory,
            "France compétences — référentiel national qualité, version 10",
            "Nouveaux critères sur les violences sexistes et sexuelles (indicateur 12).",
            None,
        ),
        (
            WatchKind::Trade,
            "Coordination SUD — note sur les cofinancements AFD 2027",
            "Évolution des taux de cofinancement : le module AFD est à mettre à jour.",
            None,
        ),
        (
            WatchKind::Pedagogical,
            "Journée d'échange des formateurs, novembre 2026",
            "Les études de cas courtes fonctionnent mieux à distance que les exposés.",
            None,
        ),
    ];
    for (kind, source, summary, action_id) in watch {
        let action_id: Option<uuid::Uuid> = action_id;
        quality::create_watch_entry(
            tx,
            &admin,
            WatchInput {
                kind: Some(kind),
                source: Some(source.into()),
                observed_on: Some(day(2026, 11, 15)),
                summary: Some(summary.into()),
                impact: Some("À intégrer à la prochaine révision des programmes.".into()),
                action_taken: Some("Discuté en comité qualité.".into()),
                action_id,
            },
        )
        .await?;
    }
    Ok(())
}

fn moved(to: ActionStatus, effect: Option<&str>) -> StatusMove {
    StatusMove {
        to,
        effect_observed: effect.map(Into::into),
        reason: None,
    }
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}
