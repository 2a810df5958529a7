//! The demo's surveys: federation-wide hot, cold and debrief templates, and a session held in
//! October 2026 whose six trainees were invited to the hot survey — five answered — so that the
//! training's published result indicators and the survey results have something to show. The
//! past is written as it happened: each step in a transaction on a clock set to its day.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::catalogue::{demo_principal, slots};
use super::{DemoError, demo_id};
use passerelle::accounts::model::{NewPerson, Role};
use passerelle::accounts::service as accounts;
use passerelle::catalogue::service::{self as catalogue, SessionInput};
use passerelle::clock::Clock;
use passerelle::db::write;
use passerelle::enrolment::model::{EnrolRequest, FundingSource, TraineeType};
use passerelle::enrolment::service as enrolment;
use passerelle::paging::PageRequest;
use passerelle::principal::Principal;
use passerelle::quality::model::surveys::{
    Answers, Question, QuestionType, SurveyKind, SurveyRules, TemplateInput, invitation_id,
};
use passerelle::quality::service as quality;

const SESSION_KEY: &str = "session:afd-paris-2026-10";
const DAYS: &[&str] = &["2026-10-13", "2026-10-14"];
/// What a trainee answered: overall satisfaction, whether it was useful, a comment.
type Answered = (i64, &'static str, &'static str);

/// (first name, last name, answers); `None`: did not answer.
const TRAINEES: &[(&str, &str, Option<Answered>)] = &[
    (
        "Fatou",
        "Ndiaye",
        Some((5, "oui", "Des exemples très concrets.")),
    ),
    ("Julien", "Moreau", Some((4, "oui", ""))),
    (
        "Mariam",
        "Traoré",
        Some((4, "en partie", "Trop dense sur la deuxième journée.")),
    ),
    ("Hugo", "Lefèvre", Some((3, "en partie", ""))),
    (
        "Aïcha",
        "Benali",
        Some((5, "oui", "J'ai déposé notre dossier la semaine suivante.")),
    ),
    ("Paul", "Girard", None),
];

fn at(rfc3339: &str) -> Result<DateTime<Utc>, DemoError> {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| DemoError::Date(rfc3339.into()))
}

fn question(
    key: &str,
    label: &str,
    kind: QuestionType,
    required: bool,
    choices: &[&str],
) -> Question {
    Question {
        key: key.into(),
        label: label.into(),
        kind,
        required,
        choices: choices.iter().map(|c| (*c).into()).collect(),
        satisfaction: key == "overall",
    }
}

fn template(kind: SurveyKind, title: &str) -> TemplateInput {
    let mut questions = vec![
        question(
            "overall",
            "Globalement, êtes-vous satisfait·e ?",
            QuestionType::Scale5,
            true,
            &[],
        ),
        question(
            "useful",
            "Ce que vous avez appris vous sert-il dans votre poste ?",
            QuestionType::SingleChoice,
            false,
            &["oui", "en partie", "non"],
        ),
        question(
            "comment",
            "Un commentaire ?",
            QuestionType::Text,
            false,
            &[],
        ),
    ];
    if kind == SurveyKind::Hot {
        questions.insert(
            2,
            question(
                "recommend",
                "Recommanderiez-vous cette formation (0 à 10) ?",
                QuestionType::Scale10,
                false,
                &[],
            ),
        );
    }
    TemplateInput {
        title: title.into(),
        kind,
        training_id: None,
        questions,
    }
}

pub async fn load(db: &DatabaseConnection) -> Result<(), DemoError> {
    let admin = demo_principal();
    let existing =
        quality::list_templates(db, &admin, None, None, &PageRequest::new(Some(1), None)).await?;
    if !existing.items.is_empty() {
        return Ok(());
    }
    write::run(db, &Clock::system(), async |tx| {
        for (kind, title) in [
            (SurveyKind::Hot, "Votre avis à chaud"),
            (SurveyKind::Cold, "Deux mois après : qu'en avez-vous fait ?"),
            (SurveyKind::Debrief, "Bilan du formateur"),
            (SurveyKind::Funder, "Enquête annuelle auprès des financeurs"),
        ] {
            quality::create_template(tx, &admin, template(kind, title)).await?;
        }
        Ok::<_, DemoError>(())
    })
    .await?;
    past_session(db, &admin).await
}

/// The October session: planned and filled in September, answered the day after it ended.
async fn past_session(db: &DatabaseConnection, admin: &Principal) -> Result<(), DemoError> {
    let session = demo_id(SESSION_KEY);
    let mut people = Vec::new();
    let september = Clock::manual(at("2026-09-01T08:00:00Z")?);
    write::run(db, &september, async |tx| {
        let input = SessionInput {
            training_id: demo_id("training:afd"),
            room_id: demo_id("room:paris"),
            time_zone: Some("Europe/Paris".into()),
            capacity: 12,
            enrolment_deadline: None,
            trainer_ids: vec![demo_id("trainer@demo.passerelle.test")],
            qualiopi_scope: None,
            bpf_scope: None,
            duration_note: None,
            slots: slots(DAYS)?,
        };
        catalogue::create_session_with_id(tx, admin, session, input).await?;
        catalogue::publish_session(tx, admin, session).await?;
        for (i, (first, last, _)) in TRAINEES.iter().enumerate() {
            let email = format!("stagiaire{}@demo.passerelle.test", i + 1);
            let new = NewPerson {
                email: email.clone(),
                first_name: (*first).into(),
                last_name: (*last).into(),
                organisation_id: Some(demo_id("sahel")),
                roles: [Role::Member].into_iter().collect(),
                password: None,
            };
            let prepared =
                accounts::prepare_person_with_id(&Principal::system(), demo_id(&email), new)
                    .await?;
            let person = accounts::create_person(tx, prepared).await?;
            let request = EnrolRequest {
                session_id: session,
                person_id: Some(person.id),
                trainee_type: TraineeType::Employee,
                funding_source: FundingSource::Employer,
                funding_amount_cents: None,
                needs: String::new(),
                idempotency_key: None,
            };
            enrolment::enrol(tx, admin, enrolment::prepare_enrolment(request)?).await?;
            people.push(person.id);
        }
        Ok::<_, DemoError>(())
    })
    .await?;
    let rules = SurveyRules {
        cold_weeks: 8,
        answer_days: 21,
    };
    let next_day = Clock::manual(at("2026-10-15T09:00:00Z")?);
    write::run(db, &next_day, async |tx| {
        for (person, (_, _, answered)) in people.iter().zip(TRAINEES) {
            let Some((overall, useful, comment)) = answered else {
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
            let trainee = Principal {
                person_id: *person,
                organisation_id: Some(demo_id("sahel")),
                roles: [Role::Member].into_iter().collect(),
                token_id: uuid::Uuid::nil(),
            };
            let id = invitation_id(SurveyKind::Hot, session, *person);
            quality::answer(tx, &trainee, &rules, id, answers, true).await?;
        }
        Ok::<_, DemoError>(())
    })
    .await
}
