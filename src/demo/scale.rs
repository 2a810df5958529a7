//! The benchmark dataset, `x<scale>`: deterministic (every id and value derives from the row's
//! number), written through the same services as real data. At scale 10: 2,000 organisations,
//! 20,000 people, 300 trainings and 5,000 published sessions of four half-days each. (Enrolments,
//! attendance marks and clubs join it with the issues that build them.)

use chrono::{Duration, NaiveDate};
use sea_orm::DatabaseConnection;

use super::{DemoError, demo_id};
use passerelle::accounts::model::{NewOrganisation, NewPerson, Role};
use passerelle::accounts::{service as accounts, store as accounts_store};
use passerelle::catalogue::model::{Period, RoomInput, Theme};
use passerelle::catalogue::service::{self, SessionInput};
use passerelle::catalogue::store;
use passerelle::catalogue::time::SlotInput;
use passerelle::clock::Clock;
use passerelle::db::write::{self, WriteTx};
use passerelle::principal::Principal;

const THEMES: [Theme; 7] = [
    Theme::ProjectFunding,
    Theme::Management,
    Theme::EconomicModels,
    Theme::AssociativeStrategy,
    Theme::FinancialManagement,
    Theme::Communication,
    Theme::HumanResources,
];

const PLACES: [(&str, &str, &str); 5] = [
    ("Paris", "FR", "Europe/Paris"),
    ("Lyon", "FR", "Europe/Paris"),
    ("Lomé", "TG", "Africa/Lome"),
    ("Montréal", "CA", "America/Montreal"),
    ("Dakar", "SN", "Africa/Dakar"),
];

/// Row counts of the dataset at `scale`.
#[derive(Debug, Clone, Copy)]
pub struct ScaleReport {
    pub organisations: u32,
    pub people: u32,
    pub trainings: u32,
    pub sessions: u32,
}

/// Loads the dataset at `scale` (1 = a tenth of the `x10` dataset); rows that exist are kept.
pub async fn load(db: &DatabaseConnection, scale: u32) -> Result<ScaleReport, DemoError> {
    write::run(db, &Clock::system(), async |tx| load_in(tx, scale).await).await
}

/// One transaction for the whole dataset: one commit instead of tens of thousands.
async fn load_in(tx: &mut WriteTx, scale: u32) -> Result<ScaleReport, DemoError> {
    let system = Principal::system();
    let admin = super::catalogue::demo_principal();
    let report = ScaleReport {
        organisations: 200 * scale,
        people: 2_000 * scale,
        trainings: 30 * scale,
        sessions: 500 * scale,
    };
    for i in 0..report.organisations {
        let id = demo_id(&format!("scale:organisation:{i}"));
        if accounts_store::organisation_by_id(tx.conn(), id)
            .await?
            .is_none()
        {
            let (_, country, _) = PLACES[i as usize % PLACES.len()];
            let new = NewOrganisation {
                name: format!("Association {i}"),
                is_member: i % 3 != 0,
                country: country.into(),
            };
            accounts::create_organisation_with_id(tx, &system, id, new).await?;
        }
    }
    for i in 0..report.people {
        let email = format!("person{i}@scale.passerelle.test");
        if !accounts_store::email_taken(tx.conn(), &email).await? {
            let new = NewPerson {
                email: email.clone(),
                first_name: format!("Prénom{i}"),
                last_name: format!("Nom{i}"),
                organisation_id: Some(demo_id(&format!(
                    "scale:organisation:{}",
                    i % report.organisations.max(1)
                ))),
                roles: [if i % 100 == 0 {
                    Role::Trainer
                } else {
                    Role::Member
                }]
                .into_iter()
                .collect(),
                password: None,
            };
            let prepared = accounts::prepare_person_with_id(&system, demo_id(&email), new).await?;
            accounts::create_person(tx, prepared).await?;
        }
    }
    for i in 0..report.trainings {
        let id = demo_id(&format!("scale:training:{i}"));
        if store::training(tx.conn(), id).await?.is_none() {
            let mut programme = super::catalogue::sample_programme(&format!("Formation {i}"), 4);
            programme.themes = vec![THEMES[i as usize % THEMES.len()]];
            service::create_training_with_id(tx, &admin, id, programme).await?;
            service::publish_training(tx, &admin, id).await?;
        }
    }
    for (p, (city, country, _)) in PLACES.iter().enumerate() {
        let id = demo_id(&format!("scale:room:{p}"));
        if store::room(tx.conn(), id).await?.is_none() {
            let input = RoomInput {
                name: format!("Salle {city}"),
                is_online: false,
                address: Some(format!("{p} avenue de la Coopération")),
                city: Some((*city).into()),
                country: Some((*country).into()),
                join_url: None,
                capacity: Some(30),
                accessibility: "Accessible".into(),
            };
            service::create_room_with_id(tx, &admin, id, input).await?;
        }
    }
    let first_day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
    for i in 0..report.sessions {
        let id = demo_id(&format!("scale:session:{i}"));
        if store::session(tx.conn(), id).await?.is_some() {
            continue;
        }
        let place = i as usize % PLACES.len();
        let day = first_day + Duration::days(i64::from(i % 700));
        let slots = [day, day + Duration::days(1)]
            .into_iter()
            .flat_map(|date| {
                [
                    SlotInput {
                        date,
                        period: Period::Morning,
                        start: "09:00".into(),
                        end: "12:30".into(),
                    },
                    SlotInput {
                        date,
                        period: Period::Afternoon,
                        start: "13:30".into(),
                        end: "17:00".into(),
                    },
                ]
            })
            .collect();
        let trainer = format!(
            "person{}@scale.passerelle.test",
            (i % (report.people / 100).max(1)) * 100
        );
        let input = SessionInput {
            training_id: demo_id(&format!("scale:training:{}", i % report.trainings.max(1))),
            room_id: demo_id(&format!("scale:room:{place}")),
            time_zone: Some(PLACES[place].2.into()),
            capacity: 20,
            enrolment_deadline: None,
            trainer_ids: vec![demo_id(&trainer)],
            qualiopi_scope: None,
            bpf_scope: None,
            duration_note: None,
            slots,
        };
        service::create_session_with_id(tx, &admin, id, input).await?;
        service::publish_session(tx, &admin, id).await?;
    }
    Ok(report)
}
