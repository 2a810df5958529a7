//! The demo catalogue: a dozen trainings on the federation's themes, rooms in Paris, Lyon and
//! Lomé and an online room, trainer profiles, and sessions in the first months of 2027 — one of
//! them spanning the daylight-saving change of 28 March 2027 in Paris.

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::catalogue_data::{DemoTraining, ROOMS, SESSIONS, TRAININGS};
use super::{DemoError, demo_id};
use passerelle::catalogue::model::{
    CompetenceInput, Contact, GeneralObjective, Modality, Money, Period, ProfileInput, Programme,
    RoomInput, Theme, TrainerKind,
};
use passerelle::catalogue::service::{self, SessionInput};
use passerelle::catalogue::store;
use passerelle::catalogue::time::SlotInput;
use passerelle::clock::Clock;
use passerelle::db::write::{self, WriteTx};
use passerelle::principal::{Principal, Role};

/// Every demo half-day lasts 3 h 30 (09:00–12:30 or 13:30–17:00).
const HALF_DAY_MINUTES: i32 = 210;

fn text(value: &str) -> String {
    value.to_owned()
}

fn euros(cents: i64) -> Money {
    Money {
        amount_cents: cents,
        currency: Some(text("EUR")),
    }
}

fn programme(t: &DemoTraining) -> Programme {
    let mut programme = sample_programme(t.title, t.half_days);
    programme.themes = t.themes.to_vec();
    programme.objectives = t.objectives.iter().map(|o| text(o)).collect();
    programme.modality = t.modality;
    programme.member_price = euros(t.member_cents);
    programme.non_member_price = euros(t.member_cents * 3 / 2);
    if t.modality != Modality::InPerson {
        programme.remote_arrangements = Some(text(
            "Travaux entre les séances en visioconférence (environ 2 h), suivis par le formateur ; assistance technique par e-mail.",
        ));
    }
    programme
}

/// A complete in-person programme of `half_days` half-days of 3 h 30 (demo and benchmark data).
pub(super) fn sample_programme(title: &str, half_days: i32) -> Programme {
    Programme {
        title: text(title),
        summary: text(&format!(
            "{title} : une formation courte, concrète, entre pairs."
        )),
        themes: vec![Theme::Management],
        objectives: vec![text("Mettre en pratique les acquis dans sa structure")],
        prerequisites: Vec::new(),
        no_prerequisites: true,
        target_audience: text(
            "Salariés et bénévoles des associations de solidarité internationale",
        ),
        duration_minutes: half_days * HALF_DAY_MINUTES,
        modality: Modality::InPerson,
        remote_arrangements: None,
        pedagogical_methods: text("Apports théoriques, études de cas, travaux en sous-groupes"),
        pedagogical_means: text(
            "Support remis à chaque participant, salle équipée ou classe virtuelle",
        ),
        assessment_modalities: text(
            "Questionnaire de positionnement, quiz final, évaluation à chaud et à froid",
        ),
        access_delay: text("Inscription jusqu'à 7 jours avant le début de la session"),
        member_price: euros(40_000),
        non_member_price: euros(60_000),
        accessibility: text(
            "Locaux accessibles ; adaptations possibles sur demande au référent handicap",
        ),
        disability_referent: Contact {
            name: text("Claire Martin"),
            email: text("handicap@demo.passerelle.test"),
            phone: None,
        },
        contact: Contact {
            name: text("Pôle formation"),
            email: text("formation@demo.passerelle.test"),
            phone: Some(text("+33 1 00 00 00 00")),
        },
        recognition: text("Attestation de fin de formation (action non certifiante)"),
        financing_modalities: text(
            "Prise en charge possible par l'OPCO de la structure ; tarif adhérent pour les membres",
        ),
        general_objective: Some(GeneralObjective::ProfessionalDevelopment),
        // Spécialités plurivalentes des échanges et de la gestion.
        nsf_code: Some(text("310")),
    }
}

fn date(day: &str) -> Result<NaiveDate, DemoError> {
    day.parse().map_err(|_| DemoError::Date(day.to_owned()))
}

pub(super) fn slots(days: &[&str]) -> Result<Vec<SlotInput>, DemoError> {
    let mut slots = Vec::new();
    for day in days {
        let date = date(day)?;
        slots.push(SlotInput {
            date,
            period: Period::Morning,
            start: "09:00".into(),
            end: "12:30".into(),
        });
        slots.push(SlotInput {
            date,
            period: Period::Afternoon,
            start: "13:30".into(),
            end: "17:00".into(),
        });
    }
    Ok(slots)
}

/// Loads the demo catalogue, in one transaction; what exists is left as it is.
pub async fn load(db: &DatabaseConnection) -> Result<(), DemoError> {
    let admin = demo_principal();
    write::run(db, &Clock::system(), async |tx| {
        load_trainings(tx, &admin).await?;
        load_rooms(tx, &admin).await?;
        load_trainers(tx, &admin).await?;
        load_sessions(tx, &admin).await
    })
    .await
}

async fn load_trainings(tx: &mut WriteTx, admin: &Principal) -> Result<(), DemoError> {
    for t in TRAININGS {
        let id = demo_id(&format!("training:{}", t.key));
        if store::training(tx.conn(), id).await?.is_none() {
            service::create_training_with_id(tx, admin, id, programme(t)).await?;
            if t.key != "rh" {
                service::publish_training(tx, admin, id).await?;
            }
        }
    }
    Ok(())
}

async fn load_rooms(tx: &mut WriteTx, admin: &Principal) -> Result<(), DemoError> {
    for r in ROOMS {
        let id = demo_id(&format!("room:{}", r.key));
        if store::room(tx.conn(), id).await?.is_none() {
            let online = r.city.is_none();
            let input = RoomInput {
                name: r.name.into(),
                is_online: online,
                address: r.city.map(|c| format!("1 rue de la Solidarité, {c}")),
                city: r.city.map(Into::into),
                country: r.country.map(Into::into),
                join_url: online.then(|| "https://visio.demo.passerelle.test/classe".to_owned()),
                capacity: r.capacity,
                accessibility:
                    "Accessible aux personnes à mobilité réduite ; boucle magnétique sur demande"
                        .into(),
            };
            service::create_room_with_id(tx, admin, id, input).await?;
        }
    }
    Ok(())
}

async fn load_sessions(tx: &mut WriteTx, admin: &Principal) -> Result<(), DemoError> {
    for s in SESSIONS {
        let id = demo_id(&format!("session:{}", s.key));
        if store::session(tx.conn(), id).await?.is_some() {
            continue;
        }
        let input = SessionInput {
            training_id: demo_id(&format!("training:{}", s.training)),
            room_id: demo_id(&format!("room:{}", s.room)),
            time_zone: Some(s.zone.into()),
            capacity: s.capacity,
            enrolment_deadline: None,
            trainer_ids: vec![demo_id(s.trainer)],
            qualiopi_scope: None,
            bpf_scope: None,
            duration_note: None,
            slots: slots(s.days)?,
        };
        service::create_session_with_id(tx, admin, id, input).await?;
        if s.publish {
            service::publish_session(tx, admin, id).await?;
        }
    }
    Ok(())
}

async fn load_trainers(tx: &mut WriteTx, admin: &Principal) -> Result<(), DemoError> {
    let external = demo_id("trainer.external@demo.passerelle.test");
    let recorded = store::trainer(tx.conn(), external)
        .await?
        .is_some_and(|t| t.kind == TrainerKind::External);
    if recorded {
        return Ok(());
    }
    let profile = ProfileInput {
        kind: TrainerKind::External,
        company: Some("Conseil Solidaire SARL".into()),
        contract_reference: Some("ST-2026-014".into()),
    };
    service::set_trainer_profile(tx, admin, external, profile).await?;
    let internal = demo_id("trainer@demo.passerelle.test");
    let profile = ProfileInput {
        kind: TrainerKind::Internal,
        company: None,
        contract_reference: None,
    };
    service::set_trainer_profile(tx, admin, internal, profile).await?;
    for (who, title, day) in [
        (
            external,
            "Master en gestion de projets de développement",
            "2012-06-30",
        ),
        (
            external,
            "Expert évaluateur pour la Commission européenne",
            "2019-03-15",
        ),
        (internal, "Formation de formateurs (FPA)", "2016-11-10"),
    ] {
        let input = CompetenceInput {
            obtained_on: date(day)?,
            title: title.into(),
            evidence_url: None,
        };
        service::add_competence(tx, admin, who, input).await?;
    }
    Ok(())
}

/// The demo administrator, to reuse the services' own checks for the trainers' records.
pub(super) fn demo_principal() -> Principal {
    Principal {
        person_id: demo_id("admin@demo.passerelle.test"),
        organisation_id: Some(demo_id("federation")),
        roles: [Role::Admin].into_iter().collect(),
        token_id: uuid::Uuid::nil(),
    }
}
