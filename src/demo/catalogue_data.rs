//! The demo catalogue's data: trainings, rooms and sessions.

use passerelle::catalogue::model::{Modality, Theme};

pub(super) struct DemoTraining {
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    pub(super) themes: &'static [Theme],
    pub(super) objectives: &'static [&'static str],
    pub(super) half_days: i32,
    pub(super) modality: Modality,
    pub(super) member_cents: i64,
}

pub(super) const TRAININGS: &[DemoTraining] = &[
    DemoTraining {
        key: "afd",
        title: "Monter un projet financé par l'AFD",
        themes: &[Theme::ProjectFunding],
        objectives: &[
            "Identifier les dispositifs de financement de l'AFD adaptés à son projet",
            "Rédiger une note d'intention et un cadre logique recevables",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 45_000,
    },
    DemoTraining {
        key: "ue",
        title: "Répondre aux appels à propositions de l'Union européenne",
        themes: &[Theme::ProjectFunding],
        objectives: &[
            "Lire un appel à propositions et ses annexes",
            "Construire un budget conforme aux règles de l'UE",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 45_000,
    },
    DemoTraining {
        key: "finance",
        title: "Piloter la gestion financière d'une association",
        themes: &[Theme::FinancialManagement],
        objectives: &[
            "Établir un budget prévisionnel et un plan de trésorerie",
            "Analyser les comptes annuels",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 40_000,
    },
    DemoTraining {
        key: "modele",
        title: "Construire un modèle économique hybride",
        themes: &[Theme::EconomicModels],
        objectives: &[
            "Cartographier ses ressources",
            "Tester une activité génératrice de revenus",
        ],
        half_days: 2,
        modality: Modality::InPerson,
        member_cents: 25_000,
    },
    DemoTraining {
        key: "strategie",
        title: "Élaborer la stratégie associative",
        themes: &[Theme::AssociativeStrategy],
        objectives: &[
            "Conduire un diagnostic stratégique partagé",
            "Formuler un plan stratégique à trois ans",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 45_000,
    },
    DemoTraining {
        key: "management",
        title: "Manager une équipe de salariés et de bénévoles",
        themes: &[Theme::Management, Theme::HumanResources],
        objectives: &[
            "Conduire un entretien annuel",
            "Répartir les rôles entre salariés et bénévoles",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 40_000,
    },
    DemoTraining {
        key: "communication",
        title: "Communiquer sur ses projets de solidarité",
        themes: &[Theme::Communication],
        objectives: &[
            "Construire un plan de communication",
            "Écrire pour le web et les réseaux sociaux",
        ],
        half_days: 2,
        modality: Modality::Remote,
        member_cents: 20_000,
    },
    DemoTraining {
        key: "rh",
        title: "Recruter et fidéliser : les fondamentaux RH",
        themes: &[Theme::HumanResources],
        objectives: &[
            "Rédiger une fiche de poste",
            "Mener un entretien de recrutement",
        ],
        half_days: 4,
        modality: Modality::InPerson,
        member_cents: 40_000,
    },
    DemoTraining {
        key: "suivi",
        title: "Suivi-évaluation des projets",
        themes: &[Theme::ProjectFunding, Theme::Management],
        objectives: &[
            "Concevoir des indicateurs SMART",
            "Organiser une évaluation à mi-parcours",
        ],
        half_days: 4,
        modality: Modality::Hybrid,
        member_cents: 45_000,
    },
    DemoTraining {
        key: "gouvernance",
        title: "Gouvernance et rôle du conseil d'administration",
        themes: &[Theme::AssociativeStrategy],
        objectives: &[
            "Clarifier les rôles du bureau et du CA",
            "Préparer une assemblée générale",
        ],
        half_days: 2,
        modality: Modality::InPerson,
        member_cents: 25_000,
    },
    DemoTraining {
        key: "prive",
        title: "Diversifier ses financements privés",
        themes: &[Theme::EconomicModels, Theme::ProjectFunding],
        objectives: &[
            "Identifier fondations et mécènes pertinents",
            "Préparer un dossier de mécénat",
        ],
        half_days: 2,
        modality: Modality::Remote,
        member_cents: 25_000,
    },
    DemoTraining {
        key: "reporting",
        title: "Contrôle de gestion et reporting aux bailleurs",
        themes: &[Theme::FinancialManagement],
        objectives: &[
            "Mettre en place une comptabilité analytique par projet",
            "Produire un rapport financier intermédiaire",
        ],
        half_days: 4,
        modality: Modality::Remote,
        member_cents: 40_000,
    },
];

pub(super) struct DemoRoom {
    pub(super) key: &'static str,
    pub(super) name: &'static str,
    pub(super) city: Option<&'static str>,
    pub(super) country: Option<&'static str>,
    pub(super) capacity: Option<i32>,
}

pub(super) const ROOMS: &[DemoRoom] = &[
    DemoRoom {
        key: "paris",
        name: "Maison des associations — salle Solidarité",
        city: Some("Paris"),
        country: Some("FR"),
        capacity: Some(20),
    },
    DemoRoom {
        key: "lyon",
        name: "Espace Confluence — salle 2",
        city: Some("Lyon"),
        country: Some("FR"),
        capacity: Some(16),
    },
    DemoRoom {
        key: "lome",
        name: "Centre de formation de Tokoin",
        city: Some("Lomé"),
        country: Some("TG"),
        capacity: Some(25),
    },
    DemoRoom {
        key: "online",
        name: "Classe virtuelle",
        city: None,
        country: None,
        capacity: None,
    },
];

pub(super) struct DemoSession {
    pub(super) key: &'static str,
    pub(super) training: &'static str,
    pub(super) room: &'static str,
    pub(super) zone: &'static str,
    pub(super) days: &'static [&'static str],
    pub(super) capacity: i32,
    pub(super) trainer: &'static str,
    pub(super) publish: bool,
}

pub(super) const SESSIONS: &[DemoSession] = &[
    DemoSession {
        key: "afd-paris",
        training: "afd",
        room: "paris",
        zone: "Europe/Paris",
        days: &["2027-01-19", "2027-01-20"],
        capacity: 16,
        trainer: "trainer@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "ue-lyon",
        training: "ue",
        room: "lyon",
        zone: "Europe/Paris",
        days: &["2027-02-09", "2027-02-10"],
        capacity: 14,
        trainer: "trainer.external@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "finance-lome",
        training: "finance",
        room: "lome",
        zone: "Africa/Lome",
        days: &["2027-02-23", "2027-02-24"],
        capacity: 20,
        trainer: "trainer.external@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "reporting-online",
        training: "reporting",
        room: "online",
        zone: "Europe/Paris",
        days: &["2027-03-04", "2027-03-05"],
        capacity: 12,
        trainer: "trainer@demo.passerelle.test",
        publish: true,
    },
    // Friday before and Monday after the change to summer time (Sunday 28 March 2027).
    DemoSession {
        key: "strategie-paris-dst",
        training: "strategie",
        room: "paris",
        zone: "Europe/Paris",
        days: &["2027-03-26", "2027-03-29"],
        capacity: 18,
        trainer: "trainer@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "communication-online",
        training: "communication",
        room: "online",
        zone: "Europe/Paris",
        days: &["2027-04-13"],
        capacity: 15,
        trainer: "trainer@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "management-lyon",
        training: "management",
        room: "lyon",
        zone: "Europe/Paris",
        days: &["2027-04-20", "2027-04-21"],
        capacity: 12,
        trainer: "trainer.external@demo.passerelle.test",
        publish: true,
    },
    DemoSession {
        key: "rh-paris-draft",
        training: "rh",
        room: "paris",
        zone: "Europe/Paris",
        days: &["2027-05-18", "2027-05-19"],
        capacity: 16,
        trainer: "trainer@demo.passerelle.test",
        publish: false,
    },
];
