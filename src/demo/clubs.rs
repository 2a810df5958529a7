//! The demo clubs métiers: the five trades, each with its animator, members from several
//! organisations, meetings of autumn 2026 (held, with who came and their minutes) and of the
//! first half of 2027 (some online, with answers). Loaded through the clubs service, as an
//! administrator would; a club that exists is left as it is.

use chrono::{DateTime, NaiveDateTime, TimeZone as _, Utc};
use sea_orm::DatabaseConnection;

use super::catalogue::demo_principal;
use super::{DemoError, demo_id};
use passerelle::attendance::model::{MarkInput, MarkStatus};
use passerelle::attendance::service as attendance;
use passerelle::clock::Clock;
use passerelle::clubs::model::{
    CalendarVisibility, ClubTrade, MembershipPolicy, NewClub, NewMeeting, RsvpAnswer,
};
use passerelle::clubs::service::{self, Decision};
use passerelle::db::write::{self, WriteTx};
use passerelle::principal::{Principal, Role};

struct DemoClub {
    key: &'static str,
    name: &'static str,
    trade: ClubTrade,
    description: &'static str,
    policy: MembershipPolicy,
    visibility: CalendarVisibility,
    animator: &'static str,
    members: &'static [&'static str],
    /// (title, local start `YYYY-MM-DD HH:MM`, hours, place or online, minutes if held).
    meetings: &'static [DemoMeeting],
}

struct DemoMeeting {
    title: &'static str,
    starts: &'static str,
    hours: i64,
    place: Option<&'static str>,
    online: bool,
    minutes: Option<&'static str>,
}

const SOPHIE: &str = "animator@demo.passerelle.test";
const MARC: &str = "animator.finance@demo.passerelle.test";
const FATOU: &str = "animator.rh@demo.passerelle.test";
const AMINATA: &str = "member@demo.passerelle.test";
const KOMI: &str = "member.lome@demo.passerelle.test";
const JULIEN: &str = "member.lyon@demo.passerelle.test";
const EMILIE: &str = "member.montreal@demo.passerelle.test";
const MOUSSA: &str = "manager@demo.passerelle.test";

const CLUBS: &[DemoClub] = &[
    DemoClub {
        key: "club-finance",
        name: "Gestion financière",
        trade: ClubTrade::FinancialManagement,
        description: "Budgets de projet, comptabilité analytique, rapports financiers aux bailleurs : les responsables financiers échangent leurs pratiques.",
        policy: MembershipPolicy::FederationMembers,
        visibility: CalendarVisibility::Public,
        animator: MARC,
        members: &[AMINATA, KOMI, JULIEN],
        meetings: &[
            DemoMeeting {
                title: "Clôture des comptes 2026",
                starts: "2026-11-17 14:00",
                hours: 2,
                place: Some("Fédération, salle Jaurès, Paris"),
                online: false,
                minutes: Some(
                    "## Clôture 2026\n\n- Calendrier de clôture partagé.\n- Point sur les fonds dédiés : modèle de tableau diffusé.\n\nProchaine réunion : janvier.",
                ),
            },
            DemoMeeting {
                title: "Rapports financiers AFD : retours d'expérience",
                starts: "2027-01-19 14:00",
                hours: 2,
                place: None,
                online: true,
                minutes: None,
            },
            DemoMeeting {
                title: "Trésorerie et préfinancement",
                starts: "2027-03-16 14:00",
                hours: 2,
                place: Some("Partage Lyon, 12 rue de la Charité, Lyon"),
                online: false,
                minutes: None,
            },
        ],
    },
    DemoClub {
        key: "club-funding",
        name: "Accès aux financements",
        trade: ClubTrade::AccessToFunding,
        description: "Appels à projets, dossiers européens et fondations privées : veille partagée et relecture croisée des dossiers.",
        policy: MembershipPolicy::Open,
        visibility: CalendarVisibility::Public,
        animator: SOPHIE,
        members: &[MOUSSA, KOMI, EMILIE],
        meetings: &[
            DemoMeeting {
                title: "Veille des appels à projets de l'hiver",
                starts: "2026-10-13 10:00",
                hours: 2,
                place: None,
                online: true,
                minutes: Some(
                    "## Veille\n\n- AFD Initiatives OSC : dépôt des notes d'intention avant le 15 janvier.\n- Union européenne : appel « Global Europe » en préparation.",
                ),
            },
            DemoMeeting {
                title: "Relecture croisée de dossiers",
                starts: "2027-02-09 10:00",
                hours: 3,
                place: None,
                online: true,
                minutes: None,
            },
        ],
    },
    DemoClub {
        key: "club-communication",
        name: "Communication",
        trade: ClubTrade::Communication,
        description: "Réseaux sociaux, rapports d'activité, campagnes : les chargés de communication partagent outils et retours.",
        policy: MembershipPolicy::Open,
        visibility: CalendarVisibility::Public,
        animator: SOPHIE,
        members: &[JULIEN, EMILIE],
        meetings: &[DemoMeeting {
            title: "Rapport d'activité : maquettes et chiffres clés",
            starts: "2027-02-23 14:00",
            hours: 2,
            place: Some("Fédération, salle Jaurès, Paris"),
            online: false,
            minutes: None,
        }],
    },
    DemoClub {
        key: "club-rh",
        name: "Ressources humaines",
        trade: ClubTrade::HumanResources,
        description: "Recrutement, volontariat, expatriation, entretiens annuels : un espace entre responsables RH.",
        policy: MembershipPolicy::OnRequest,
        visibility: CalendarVisibility::Members,
        animator: FATOU,
        members: &[MOUSSA, AMINATA],
        meetings: &[
            DemoMeeting {
                title: "Entretiens annuels : grilles et pratiques",
                starts: "2026-11-24 09:30",
                hours: 2,
                place: None,
                online: true,
                minutes: Some(
                    "## Entretiens annuels\n\nTrois grilles comparées ; la grille commune sera reprise par le groupe.",
                ),
            },
            DemoMeeting {
                title: "Volontariat de solidarité internationale",
                starts: "2027-01-26 09:30",
                hours: 2,
                place: None,
                online: true,
                minutes: None,
            },
        ],
    },
    DemoClub {
        key: "club-leaders",
        name: "Dirigeants et administrateurs",
        trade: ClubTrade::Leaders,
        description: "Directions et conseils d'administration : gouvernance, stratégie associative, relations avec les bailleurs.",
        policy: MembershipPolicy::OnRequest,
        visibility: CalendarVisibility::Members,
        animator: MARC,
        members: &[MOUSSA],
        meetings: &[DemoMeeting {
            title: "Gouvernance : le rôle du bureau",
            starts: "2027-04-06 18:00",
            hours: 2,
            place: Some("Fédération, salle Jaurès, Paris"),
            online: false,
            minutes: None,
        }],
    },
];

fn paris(local: &str) -> Result<DateTime<Utc>, DemoError> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M")
        .map_err(|_| DemoError::Date(local.to_owned()))?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| DemoError::Date(local.to_owned()))
}

fn person(email: &str) -> Principal {
    Principal {
        person_id: demo_id(email),
        organisation_id: None,
        roles: [Role::Member].into_iter().collect(),
        token_id: uuid::Uuid::nil(),
    }
}

/// Loads the clubs, one transaction per club; what exists is left as it is.
pub async fn load(db: &DatabaseConnection) -> Result<(), DemoError> {
    let clock = Clock::system();
    for club in CLUBS {
        if service::club_exists(db, demo_id(club.key)).await? {
            continue;
        }
        write::run(db, &clock, async |tx| load_club(tx, club).await).await?;
    }
    Ok(())
}

async fn load_club(tx: &mut WriteTx, club: &DemoClub) -> Result<(), DemoError> {
    let admin = demo_principal();
    let id = demo_id(club.key);
    let new = NewClub {
        name: club.name.into(),
        trade: club.trade,
        description: club.description.into(),
        membership_policy: club.policy,
        calendar_visibility: club.visibility,
        animator_ids: vec![demo_id(club.animator)],
    };
    service::create_club_with_id(tx, &admin, id, new).await?;
    for member in club.members {
        service::decide(tx, &admin, id, demo_id(member), Decision::Add, None).await?;
    }
    let now = tx.now();
    for (i, m) in club.meetings.iter().enumerate() {
        let starts_at = paris(m.starts)?;
        let new = NewMeeting {
            title: m.title.into(),
            agenda: format!("1. Tour de table\n2. {}\n3. Questions diverses", m.title),
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(m.hours),
            time_zone: "Europe/Paris".into(),
            place: m.place.map(Into::into),
            online_url: m
                .online
                .then(|| format!("https://visio.example.org/{}-{}", club.key, i + 1)),
            capacity: None,
            quality_scope: false,
        };
        let meeting = service::create_meeting(tx, &admin, id, new).await?.meeting;
        if meeting.ends_at > now {
            for (j, member) in club.members.iter().enumerate() {
                let answer = [RsvpAnswer::Yes, RsvpAnswer::Maybe, RsvpAnswer::No][j % 3];
                service::rsvp(tx, &person(member), meeting.id, answer).await?;
            }
            continue;
        }
        let came = std::iter::once(club.animator).chain(club.members.iter().copied());
        for (j, who) in came.enumerate() {
            let status = if j % 4 == 3 {
                MarkStatus::Absent
            } else {
                MarkStatus::Present
            };
            let input = MarkInput {
                status,
                late_minutes: None,
                signature_png: None,
                signed_at: None,
                device_id: None,
                reason: None,
            };
            let prepared = attendance::prepare_mark(input).map_err(service::ClubsError::from)?;
            service::set_meeting_mark(tx, &admin, meeting.id, demo_id(who), prepared).await?;
        }
        if let Some(text) = m.minutes {
            service::post_minutes(tx, &admin, meeting.id, text, None).await?;
        }
    }
    Ok(())
}
