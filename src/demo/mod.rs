//! Demo data: a small, deterministic, idempotent dataset, and the accounts it prints.
//! Accounts here; the catalogue (trainings, rooms, sessions) in `catalogue.rs`; the five clubs
//! métiers in `clubs.rs`; the quality registers in `quality.rs`; the survey templates in
//! `surveys.rs`; the sessions held in the past, with everything they left, in `story.rs`.

mod catalogue;
mod catalogue_data;
mod clubs;
mod quality;
pub mod scale;
pub mod signatures;
mod story;
mod surveys;

use std::collections::BTreeSet;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use passerelle::accounts::model::{NewOrganisation, NewPerson, Role};
use passerelle::accounts::service::{self, AccountsError};
use passerelle::accounts::{store, token};
use passerelle::clock::Clock;
use passerelle::config::Settings;
use passerelle::db::write;
use passerelle::principal::Principal;

/// Namespace of the demo's deterministic ids (UUIDv5).
const NAMESPACE: Uuid = Uuid::from_u128(0x5a1e_0000_0000_5000_8000_de30_0000_0001);

pub(crate) fn demo_id(key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, key.as_bytes())
}

struct DemoOrg {
    key: &'static str,
    name: &'static str,
    is_member: bool,
    country: &'static str,
}

const ORGANISATIONS: &[DemoOrg] = &[
    DemoOrg {
        key: "federation",
        name: "Fédération (secrétariat)",
        is_member: true,
        country: "FR",
    },
    DemoOrg {
        key: "sahel",
        name: "Solidarité Sahel",
        is_member: true,
        country: "FR",
    },
    DemoOrg {
        key: "eau-vive",
        name: "Eau Vive Togo",
        is_member: true,
        country: "TG",
    },
    DemoOrg {
        key: "partage",
        name: "Partage Lyon",
        is_member: true,
        country: "FR",
    },
    DemoOrg {
        key: "climat",
        name: "Action Climat Montréal",
        is_member: false,
        country: "CA",
    },
];

struct DemoPerson {
    email: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    org: Option<&'static str>,
    roles: &'static [Role],
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: "admin@demo.passerelle.test",
        first_name: "Claire",
        last_name: "Martin",
        org: Some("federation"),
        roles: &[Role::Admin],
    },
    DemoPerson {
        email: "manager@demo.passerelle.test",
        first_name: "Moussa",
        last_name: "Diallo",
        org: Some("sahel"),
        roles: &[Role::Member, Role::OrgManager],
    },
    DemoPerson {
        email: "trainer@demo.passerelle.test",
        first_name: "Hélène",
        last_name: "Dubois",
        org: Some("federation"),
        roles: &[Role::Trainer],
    },
    DemoPerson {
        email: "trainer.external@demo.passerelle.test",
        first_name: "Kofi",
        last_name: "Mensah",
        org: None,
        roles: &[Role::Trainer],
    },
    DemoPerson {
        email: "animator@demo.passerelle.test",
        first_name: "Sophie",
        last_name: "Leroy",
        org: Some("federation"),
        roles: &[Role::Animator, Role::Member],
    },
    DemoPerson {
        email: "animator.finance@demo.passerelle.test",
        first_name: "Marc",
        last_name: "Lefèvre",
        org: Some("partage"),
        roles: &[Role::Animator, Role::Member],
    },
    DemoPerson {
        email: "animator.rh@demo.passerelle.test",
        first_name: "Fatou",
        last_name: "Ndiaye",
        org: Some("sahel"),
        roles: &[Role::Animator, Role::Member],
    },
    DemoPerson {
        email: "member@demo.passerelle.test",
        first_name: "Aminata",
        last_name: "Traoré",
        org: Some("sahel"),
        roles: &[Role::Member],
    },
    DemoPerson {
        email: "member.lome@demo.passerelle.test",
        first_name: "Komi",
        last_name: "Agbeko",
        org: Some("eau-vive"),
        roles: &[Role::Member],
    },
    DemoPerson {
        email: "member.lyon@demo.passerelle.test",
        first_name: "Julien",
        last_name: "Bernard",
        org: Some("partage"),
        roles: &[Role::Member],
    },
    DemoPerson {
        email: "member.montreal@demo.passerelle.test",
        first_name: "Émilie",
        last_name: "Tremblay",
        org: Some("climat"),
        roles: &[Role::Member],
    },
];

/// One demo account, as printed.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub roles: Vec<Role>,
    /// Created by this run (false: it existed and was left unchanged).
    pub created: bool,
}

/// What a load did.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub accounts: Vec<DemoAccount>,
    /// The password of the accounts this run created, when it was generated.
    pub generated_password: Option<String>,
}

/// Loads the demo dataset; rows that already exist are left as they are.
pub async fn load(db: &DatabaseConnection, settings: &Settings) -> Result<DemoReport, DemoError> {
    let report = load_accounts(db, settings).await?;
    catalogue::load(db).await?;
    clubs::load(db).await?;
    quality::load(db).await?;
    surveys::load(db).await?;
    passerelle::documents::service::seed_demo_provider(db).await?;
    story::load(db, settings).await?;
    Ok(report)
}

/// What can stop the demo data from loading.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Accounts(#[from] AccountsError),
    #[error(transparent)]
    Catalogue(#[from] passerelle::catalogue::service::CatalogueError),
    #[error(transparent)]
    Clubs(#[from] passerelle::clubs::service::ClubsError),
    #[error(transparent)]
    Documents(#[from] passerelle::documents::service::DocumentsError),
    #[error(transparent)]
    Quality(#[from] passerelle::quality::service::QualityError),
    #[error(transparent)]
    Enrolment(#[from] passerelle::enrolment::service::EnrolmentError),
    #[error(transparent)]
    Attendance(#[from] passerelle::attendance::service::AttendanceError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error("a demo signature image could not be encoded: {0}")]
    Signature(#[from] png::EncodingError),
    #[error("demo record {0} was not found after it was written")]
    Missing(&'static str),
    #[error("demo date {0:?} is not a date")]
    Date(String),
}

async fn load_accounts(
    db: &DatabaseConnection,
    settings: &Settings,
) -> Result<DemoReport, AccountsError> {
    let clock = Clock::system();
    for org in ORGANISATIONS {
        let id = demo_id(org.key);
        if store::organisation_by_id(db, id).await?.is_none() {
            let new = NewOrganisation {
                name: org.name.into(),
                is_member: org.is_member,
                country: org.country.into(),
            };
            write::run(db, &clock, async |tx| {
                service::create_organisation_with_id(tx, &Principal::system(), id, new).await
            })
            .await?;
        }
    }
    let (password, generated) = match &settings.demo_password {
        Some(secret) => (secret.expose().to_owned(), false),
        None => (token::random_password(), true),
    };
    let mut accounts = Vec::new();
    for person in PEOPLE {
        let exists =
            store::email_taken(db, &passerelle::values::normalize_email(person.email)).await?;
        if !exists {
            let new = NewPerson {
                email: person.email.into(),
                first_name: person.first_name.into(),
                last_name: person.last_name.into(),
                organisation_id: person.org.map(demo_id),
                roles: person.roles.iter().copied().collect::<BTreeSet<_>>(),
                password: Some(password.clone()),
            };
            let prepared =
                service::prepare_person_with_id(&Principal::system(), demo_id(person.email), new)
                    .await?;
            write::run(db, &clock, async |tx| {
                service::create_person(tx, prepared).await
            })
            .await?;
        }
        accounts.push(DemoAccount {
            email: person.email.into(),
            roles: person.roles.to_vec(),
            created: !exists,
        });
    }
    let any_created = accounts.iter().any(|a| a.created);
    Ok(DemoReport {
        accounts,
        generated_password: (generated && any_created).then_some(password),
    })
}

/// The report as printed on standard output.
pub fn render(report: &DemoReport, settings: &Settings) -> String {
    let mut out = String::from("Demo accounts:\n");
    for account in &report.accounts {
        let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
        let state = if account.created {
            "created"
        } else {
            "already present, unchanged"
        };
        out.push_str(&format!(
            "  {:<40} {:<22} {state}\n",
            account.email,
            roles.join(",")
        ));
    }
    match (&report.generated_password, &settings.demo_password) {
        (Some(password), _) => out.push_str(&format!(
            "Password of the accounts created now: {password}\n"
        )),
        (None, Some(_)) => out.push_str("Password: the value of PASSERELLE_DEMO_PASSWORD\n"),
        (None, None) => out.push_str(
            "Password: unchanged since the accounts were created (it was printed then; to start \
             over, remove the database, e.g. ./data, or set PASSERELLE_DEMO_PASSWORD before the \
             first run)\n",
        ),
    }
    out
}
