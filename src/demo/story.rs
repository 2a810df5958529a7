//! The demo's past, written as it happened so that `serve --demo` followed by the evidence report
//! of 2026 shows real figures and real gaps: two sessions held, each step in its own transaction
//! on a clock set to its moment, through the services an administrator, a trainer and a trainee
//! would call.
//!
//! - October 2026 (under Qualiopi V9), « Monter un projet financé par l'AFD » in Paris with six
//!   new trainees: an accommodation request handled in three days, positioning answered by five,
//!   convocations for five, signed half-days (one late arrival), a drop-out after the first day
//!   followed up with its cause, assessments, the session closed, its certificates issued and five
//!   hot surveys answered. The gaps: Paul Girard, enrolled late, stated no needs and was neither
//!   positioned nor convoked (nor assessed, having left); the regional grant funding Aïcha
//!   Benali has no amount recorded (the BPF's income says so).
//! - November 2026 (under V10), « Piloter la gestion financière » in Lyon with the external
//!   trainer and four demo members (one of a non-member organisation), funded by an OPCO, an
//!   employer and the trainee: all positioned and convoked, closed, certificates issued. The gap:
//!   Émilie Tremblay's absence on the second morning was never followed up.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;
use uuid::Uuid;

use super::catalogue::{demo_principal, slots};
use super::signatures::signature_png;
use super::{DemoError, demo_id};
use passerelle::accounts::model::{NewPerson, Role};
use passerelle::accounts::service as accounts;
use passerelle::attendance::model::{DropOutCause, MarkInput, MarkStatus, Timing};
use passerelle::attendance::service as attendance;
use passerelle::catalogue::service::{self as catalogue, SessionInput};
use passerelle::clock::Clock;
use passerelle::config::Settings;
use passerelle::db::write::{self, WriteTx};
use passerelle::documents::model::{AssessmentInput, AssessmentResult, ObjectiveInput};
use passerelle::documents::service::{self as documents, Issuer, Renderer};
use passerelle::enrolment::model::{
    Answer, EnrolRequest, FundingSource, Question, QuestionKind, TraineeType,
};
use passerelle::enrolment::service as enrolment;
use passerelle::principal::Principal;
use passerelle::quality::model::surveys::{Answers, SurveyKind, SurveyRules, invitation_id};
use passerelle::quality::service as quality;

/// What a trainee answered to the hot survey: overall satisfaction, whether it was useful, a
/// comment.
type Answered = (i64, &'static str, &'static str);

/// One trainee's story in a past session.
struct Trainee {
    email: &'static str,
    /// A new account created with the session (`None`: an existing demo account).
    name: Option<(&'static str, &'static str)>,
    org: &'static str,
    trainee_type: TraineeType,
    funding: FundingSource,
    /// What the funder pays (`None`: not recorded — a gap in the BPF's income).
    funding_cents: Option<i64>,
    /// The needs and expectations stated at enrolment (empty: not collected).
    needs: &'static str,
    positioned: bool,
    convoked: bool,
    /// Per half-day, in order: `P` present, `L` 20 minutes late, `A` absent (all signed but `A`).
    marks: &'static str,
    /// The trainer's follow-up of their absence: its note, and the drop-out's cause if they left.
    follow_up: Option<(&'static str, Option<DropOutCause>)>,
    /// An accommodation they asked for, and how it was handled.
    accommodation: Option<(&'static str, &'static str)>,
    survey: Option<Answered>,
}

/// A session held in the past.
struct Held {
    key: &'static str,
    training: &'static str,
    room: &'static str,
    zone: &'static str,
    trainer: &'static str,
    days: &'static [&'static str],
    /// When it was planned and its trainees enrolled.
    planned: &'static str,
    /// When the convocations were issued.
    convoked: &'static str,
    trainees: &'static [Trainee],
}

/// A trainee at `cents` who stated their needs, positioned, was convoked and attended it all.
const fn trainee(email: &'static str, org: &'static str, cents: i64) -> Trainee {
    Trainee {
        email,
        name: None,
        org,
        trainee_type: TraineeType::Employee,
        funding: FundingSource::Employer,
        funding_cents: Some(cents),
        needs: "Consolider ma pratique et repartir avec des outils pour mon association.",
        positioned: true,
        convoked: true,
        marks: "PPPP",
        follow_up: None,
        accommodation: None,
        survey: None,
    }
}

const OCTOBER: Held = Held {
    key: "session:afd-paris-2026-10",
    training: "afd",
    room: "paris",
    zone: "Europe/Paris",
    trainer: "trainer@demo.passerelle.test",
    days: &["2026-10-13", "2026-10-14"],
    planned: "2026-09-01T08:00:00Z",
    convoked: "2026-09-29T08:00:00Z",
    trainees: &[
        Trainee {
            name: Some(("Fatou", "Ndiaye")),
            survey: Some((5, "oui", "Des exemples très concrets.")),
            ..trainee("stagiaire1@demo.passerelle.test", "sahel", 45_000)
        },
        Trainee {
            name: Some(("Julien", "Moreau")),
            funding: FundingSource::Opco,
            survey: Some((4, "oui", "")),
            ..trainee("stagiaire2@demo.passerelle.test", "sahel", 45_000)
        },
        Trainee {
            name: Some(("Mariam", "Traoré")),
            accommodation: Some((
                "Je me déplace en fauteuil roulant : salle de plain-pied et place près de la porte.",
                "Salle du rez-de-chaussée réservée pour les deux jours ; accueil à l'entrée de la cour.",
            )),
            survey: Some((4, "en partie", "Trop dense sur la deuxième journée.")),
            ..trainee("stagiaire3@demo.passerelle.test", "sahel", 45_000)
        },
        Trainee {
            name: Some(("Hugo", "Lefèvre")),
            marks: "LPPP",
            survey: Some((3, "en partie", "")),
            ..trainee("stagiaire4@demo.passerelle.test", "sahel", 45_000)
        },
        Trainee {
            name: Some(("Aïcha", "Benali")),
            trainee_type: TraineeType::Other,
            funding: FundingSource::Public,
            funding_cents: None,
            survey: Some((5, "oui", "J'ai déposé notre dossier la semaine suivante.")),
            ..trainee("stagiaire5@demo.passerelle.test", "sahel", 45_000)
        },
        Trainee {
            name: Some(("Paul", "Girard")),
            needs: "",
            positioned: false,
            convoked: false,
            marks: "PPAA",
            follow_up: Some((
                "Appelé le 14 au matin : rappelé par sa direction pour une mission urgente, ne reviendra pas.",
                Some(DropOutCause::Professional),
            )),
            ..trainee("stagiaire6@demo.passerelle.test", "sahel", 45_000)
        },
    ],
};

const NOVEMBER: Held = Held {
    key: "session:finance-lyon-2026-11",
    training: "finance",
    room: "lyon",
    zone: "Europe/Paris",
    trainer: "trainer.external@demo.passerelle.test",
    days: &["2026-11-17", "2026-11-18"],
    planned: "2026-10-20T08:00:00Z",
    convoked: "2026-11-03T08:00:00Z",
    trainees: &[
        Trainee {
            funding: FundingSource::Opco,
            survey: Some((
                5,
                "oui",
                "Je refais notre plan de trésorerie avec la méthode vue.",
            )),
            ..trainee("member@demo.passerelle.test", "sahel", 40_000)
        },
        Trainee {
            survey: Some((4, "oui", "")),
            ..trainee("member.lome@demo.passerelle.test", "eau-vive", 40_000)
        },
        Trainee {
            trainee_type: TraineeType::Individual,
            funding: FundingSource::Individual,
            survey: Some((
                4,
                "en partie",
                "Plus d'exercices sur les budgets en devises ?",
            )),
            ..trainee("member.lyon@demo.passerelle.test", "partage", 40_000)
        },
        Trainee {
            marks: "PPAP",
            ..trainee("member.montreal@demo.passerelle.test", "climat", 60_000)
        },
    ],
};

/// Loads the two sessions held in the past; one that exists already is left as it is.
pub async fn load(db: &DatabaseConnection, settings: &Settings) -> Result<(), DemoError> {
    let renderer = std::sync::Arc::new(Renderer::new(1));
    for held in [&OCTOBER, &NOVEMBER] {
        if catalogue::session_details(db, demo_id(held.key))
            .await?
            .is_none()
        {
            hold(db, settings, &renderer, held).await?;
        }
    }
    Ok(())
}

fn at(rfc3339: &str) -> Result<DateTime<Utc>, DemoError> {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| DemoError::Date(rfc3339.into()))
}

/// Runs `step` in one transaction on a clock stopped at `when`.
async fn on<T>(
    db: &DatabaseConnection,
    when: DateTime<Utc>,
    step: impl AsyncFnOnce(&mut WriteTx) -> Result<T, DemoError>,
) -> Result<T, DemoError> {
    write::run(db, &Clock::manual(when), step).await
}

fn acting(email: &str, org: Option<&str>, role: Role) -> Principal {
    Principal {
        person_id: demo_id(email),
        organisation_id: org.map(demo_id),
        roles: [role].into_iter().collect(),
        token_id: Uuid::nil(),
    }
}

/// The session's life, from planning to certificates.
async fn hold(
    db: &DatabaseConnection,
    settings: &Settings,
    renderer: &std::sync::Arc<Renderer>,
    held: &Held,
) -> Result<(), DemoError> {
    let admin = demo_principal();
    let session_id = demo_id(held.key);
    let planned = at(held.planned)?;
    let enrolments = on(db, planned, async |tx| plan(tx, &admin, held).await).await?;
    let trainees: Vec<(&Trainee, Uuid)> = held.trainees.iter().zip(enrolments).collect();

    for (t, enrolment_id) in &trainees {
        let me = acting(t.email, Some(t.org), Role::Member);
        if let Some((need, response)) = t.accommodation {
            let asked = on(db, planned + Duration::days(4), async |tx| {
                Ok(enrolment::request_accommodation(tx, &me, *enrolment_id, need).await?)
            })
            .await?;
            on(db, planned + Duration::days(7), async |tx| {
                Ok(enrolment::handle_accommodation(tx, &admin, asked.id, response).await?)
            })
            .await?;
        }
        if t.positioned {
            on(db, planned + Duration::days(9), async |tx| {
                Ok(enrolment::answer_positioning(tx, &me, *enrolment_id, positioning()).await?)
            })
            .await?;
        }
    }
    on(db, at(held.convoked)?, async |tx| {
        for (_, enrolment_id) in trainees.iter().filter(|(t, _)| t.convoked) {
            enrolment::issue_convocation(tx, &admin, *enrolment_id, None).await?;
        }
        Ok(())
    })
    .await?;

    let trainer = acting(held.trainer, None, Role::Trainer);
    let timing = Timing::of(settings);
    let session = catalogue::session_details(db, session_id)
        .await?
        .ok_or(DemoError::Missing(held.key))?;
    for (index, slot) in session.slots.iter().enumerate() {
        on(db, slot.starts_at + Duration::minutes(20), async |tx| {
            for (number, (t, _)) in trainees.iter().enumerate() {
                let seed = (number * 10 + index) as u32 + 1;
                let mark = match t.marks.as_bytes().get(index) {
                    Some(b'A') => mark(MarkStatus::Absent, None, None)?,
                    Some(b'L') => mark(MarkStatus::Late, Some(20), Some(seed))?,
                    _ => mark(MarkStatus::Present, None, Some(seed))?,
                };
                let prepared = attendance::prepare_mark(mark)?;
                attendance::set_mark(tx, &trainer, timing, slot.id, demo_id(t.email), prepared)
                    .await?;
            }
            Ok(())
        })
        .await?;
        on(db, slot.ends_at - Duration::minutes(5), async |tx| {
            let png = signature_png(900 + index as u32)?;
            let signature = attendance::prepare_countersignature(png)?;
            let signature = attendance::SignatureSource::Checked(signature);
            attendance::countersign(tx, &trainer, slot.id, signature, None).await?;
            Ok(())
        })
        .await?;
    }

    let ended = session
        .slots
        .last()
        .map(|s| s.ends_at)
        .ok_or(DemoError::Missing(held.key))?;
    on(db, ended + Duration::minutes(10), async |tx| {
        for (t, enrolment_id) in &trainees {
            if let Some((note, cause)) = t.follow_up {
                let person = demo_id(t.email);
                attendance::follow_up(tx, &trainer, session_id, person, note, cause, None).await?;
            }
            if t.follow_up.and_then(|(_, cause)| cause).is_none() {
                let input = assessment(&session.training.programme.objectives);
                documents::record_assessment(tx, &trainer, *enrolment_id, input).await?;
            }
        }
        Ok(())
    })
    .await?;
    on(db, ended + Duration::minutes(30), async |tx| {
        attendance::close_session(tx, &admin, timing, session_id, None).await?;
        Ok(())
    })
    .await?;

    answer_hot_surveys(db, session_id, &trainees, ended + Duration::hours(16)).await?;

    let issued_at = ended + Duration::hours(17);
    let issuer = Issuer {
        renderer,
        now: issued_at,
        public_url: &settings.public_url,
    };
    let rendered = documents::render_session_certificates(db, issuer, &admin, session_id).await?;
    on(db, issued_at, async |tx| {
        documents::issue_session_certificates(tx, rendered).await?;
        Ok(())
    })
    .await
}

/// Plans the session (and the training's positioning questionnaire if it has none), creates the
/// trainees' accounts that do not exist and enrols them; answers their enrolments' ids in order.
async fn plan(tx: &mut WriteTx, admin: &Principal, held: &Held) -> Result<Vec<Uuid>, DemoError> {
    let training_id = demo_id(&format!("training:{}", held.training));
    match enrolment::questionnaire(tx.conn(), training_id).await {
        Err(enrolment::EnrolmentError::QuestionnaireNotFound) => {
            enrolment::set_questionnaire(tx, admin, training_id, questionnaire()).await?;
        }
        found => {
            found?;
        }
    }
    let session_id = demo_id(held.key);
    let input = SessionInput {
        training_id,
        room_id: demo_id(&format!("room:{}", held.room)),
        time_zone: Some(held.zone.into()),
        capacity: 12,
        enrolment_deadline: None,
        trainer_ids: vec![demo_id(held.trainer)],
        qualiopi_scope: None,
        bpf_scope: None,
        duration_note: None,
        slots: slots(held.days)?,
    };
    catalogue::create_session_with_id(tx, admin, session_id, input).await?;
    catalogue::publish_session(tx, admin, session_id).await?;
    let mut enrolments = Vec::with_capacity(held.trainees.len());
    for t in held.trainees {
        if let Some((first, last)) = t.name {
            let new = NewPerson {
                email: t.email.into(),
                first_name: first.into(),
                last_name: last.into(),
                organisation_id: Some(demo_id(t.org)),
                roles: [Role::Member].into_iter().collect(),
                password: None,
            };
            let prepared =
                accounts::prepare_person_with_id(&Principal::system(), demo_id(t.email), new)
                    .await?;
            accounts::create_person(tx, prepared).await?;
        }
        let request = EnrolRequest {
            session_id,
            person_id: Some(demo_id(t.email)),
            trainee_type: t.trainee_type,
            funding_source: t.funding,
            funding_amount_cents: t.funding_cents,
            needs: t.needs.into(),
            idempotency_key: None,
        };
        let enrolled = enrolment::enrol(tx, admin, enrolment::prepare_enrolment(request)?).await?;
        enrolments.push(enrolled.enrolment.id);
    }
    Ok(enrolments)
}

fn questionnaire() -> Vec<Question> {
    vec![
        Question {
            key: "level".into(),
            kind: QuestionKind::SingleChoice,
            prompt: "Où en êtes-vous sur ce sujet ?".into(),
            options: vec![
                "je découvre".into(),
                "je pratique un peu".into(),
                "je pratique souvent".into(),
            ],
            scale_min: None,
            scale_max: None,
        },
        Question {
            key: "expectations".into(),
            kind: QuestionKind::FreeText,
            prompt: "Qu'attendez-vous de cette formation ?".into(),
            options: Vec::new(),
            scale_min: None,
            scale_max: None,
        },
    ]
}

fn positioning() -> Vec<Answer> {
    vec![
        Answer {
            key: "level".into(),
            choices: vec!["je pratique un peu".into()],
            value: None,
            text: None,
        },
        Answer {
            key: "expectations".into(),
            choices: Vec::new(),
            value: None,
            text: Some("Repartir avec une méthode applicable dans notre association.".into()),
        },
    ]
}

fn mark(
    status: MarkStatus,
    late_minutes: Option<i32>,
    signed: Option<u32>,
) -> Result<MarkInput, DemoError> {
    Ok(MarkInput {
        status,
        late_minutes,
        signature_png: signed.map(signature_png).transpose()?,
        signed_at: None,
        device_id: None,
        reason: None,
    })
}

fn assessment(objectives: &[String]) -> AssessmentInput {
    AssessmentInput {
        result: AssessmentResult::Acquired,
        comment: "Objectifs atteints ; cas pratique de sa structure présenté au groupe.".into(),
        objectives: Some(
            (0..objectives.len())
                .map(|i| ObjectiveInput {
                    objective: i as i64,
                    result: AssessmentResult::Acquired,
                    comment: String::new(),
                })
                .collect(),
        ),
    }
}

/// The hot survey as the trainees who answered it did, the morning after the session.
async fn answer_hot_surveys(
    db: &DatabaseConnection,
    session_id: Uuid,
    trainees: &[(&Trainee, Uuid)],
    when: DateTime<Utc>,
) -> Result<(), DemoError> {
    let rules = SurveyRules {
        cold_weeks: 8,
        answer_days: 21,
    };
    on(db, when, async |tx| {
        for (t, _) in trainees {
            let Some((overall, useful, comment)) = t.survey else {
                continue;
            };
            let mut answers = Answers::from([
                ("overall".to_owned(), json!(overall)),
                ("useful".to_owned(), json!(useful)),
                ("recommend".to_owned(), json!(overall * 2)),
            ]);
            if !comment.is_empty() {
                answers.insert("comment".into(), json!(comment));
            }
            let me = acting(t.email, Some(t.org), Role::Member);
            let id = invitation_id(SurveyKind::Hot, session_id, me.person_id);
            quality::answer(tx, &me, &rules, id, answers, true).await?;
        }
        Ok(())
    })
    .await
}
