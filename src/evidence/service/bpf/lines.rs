//! The lines of the cerfa 10443*17 frames the BPF fills, and where Passerelle's records go in
//! them (research/qualiopi.md §2.9).

use crate::catalogue::model::GeneralObjective;
use crate::enrolment::model::{FundingSource, TraineeType};

/// A line of a frame: its letter (or number) on the form and its French label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineDef {
    pub line: &'static str,
    pub label: &'static str,
}

const fn def(line: &'static str, label: &'static str) -> LineDef {
    LineDef { line, label }
}

/// F-1, every line in the form's order.
pub const F1: [LineDef; 5] = [
    def("a", "Salariés d'employeurs privés hors apprentis"),
    def("b", "Apprentis"),
    def(
        "c",
        "Personnes en recherche d'emploi formées par votre organisme",
    ),
    def(
        "d",
        "Particuliers à leurs propres frais formés par votre organisme",
    ),
    def("e", "Autres stagiaires"),
];

/// The F-1 line of a trainee type (Passerelle enrols no apprentice: line b stays empty).
pub fn f1_line(kind: TraineeType) -> &'static str {
    match kind {
        TraineeType::Employee => "a",
        TraineeType::JobSeeker => "c",
        TraineeType::Individual => "d",
        TraineeType::Other => "e",
    }
}

/// F-3, every line in the form's order.
pub const F3: [LineDef; 11] = [
    def(
        "a1",
        "Diplôme, titre ou CQP enregistré au RNCP : niveau 6 à 8 (licence, master, ingénieur, doctorat…)",
    ),
    def(
        "a2",
        "Diplôme, titre ou CQP enregistré au RNCP : niveau 5 (BTS, DUT…)",
    ),
    def(
        "a3",
        "Diplôme, titre ou CQP enregistré au RNCP : niveau 4 (bac professionnel, BT, BP, BM…)",
    ),
    def(
        "a4",
        "Diplôme, titre ou CQP enregistré au RNCP : niveau 3 (BEP, CAP…)",
    ),
    def("a5", "Diplôme, titre ou CQP enregistré au RNCP : niveau 2"),
    def(
        "a6",
        "Diplôme, titre ou CQP enregistré au RNCP : CQP sans niveau de qualification",
    ),
    def(
        "b",
        "Certification ou habilitation enregistrée au répertoire spécifique (RS)",
    ),
    def("c", "CQP non enregistré au RNCP ou au RS"),
    def("d", "Autres formations professionnelles"),
    def("e", "Bilans de compétences"),
    def(
        "f",
        "Actions d'accompagnement à la validation des acquis de l'expérience (VAE)",
    ),
];

/// The F-3 line of a general objective.
pub fn f3_line(objective: GeneralObjective) -> &'static str {
    match objective {
        GeneralObjective::RncpLevel6To8 => "a1",
        GeneralObjective::RncpLevel5 => "a2",
        GeneralObjective::RncpLevel4 => "a3",
        GeneralObjective::RncpLevel3 => "a4",
        GeneralObjective::RncpLevel2 => "a5",
        GeneralObjective::RncpCqpWithoutLevel => "a6",
        GeneralObjective::SpecificRegister => "b",
        GeneralObjective::UnregisteredCqp => "c",
        GeneralObjective::ProfessionalDevelopment => "d",
        GeneralObjective::SkillsAssessment => "e",
        GeneralObjective::VaeSupport => "f",
    }
}

/// The C lines Passerelle's funding sources fill, in the form's order. An enrolment records who
/// pays, not through which scheme (C 2 a–h) or which public body (C 3–8): those lines are given
/// as their totals.
pub const C: [(FundingSource, LineDef); 5] = [
    (
        FundingSource::Employer,
        def("1", "Entreprises pour la formation de leurs salariés"),
    ),
    (
        FundingSource::Opco,
        def(
            "2",
            "Organismes gestionnaires des fonds de la formation professionnelle (OPCO…), lignes a à h",
        ),
    ),
    (
        FundingSource::Public,
        def(
            "3-8",
            "Pouvoirs publics (employeurs publics, instances européennes, État, régions, France Travail, autres ressources publiques)",
        ),
    ),
    (
        FundingSource::Individual,
        def(
            "9",
            "Contrats conclus avec des personnes à titre individuel et à leurs frais",
        ),
    ),
    (
        FundingSource::Other,
        def(
            "11",
            "Autres produits au titre de la formation professionnelle",
        ),
    ),
];

/// The label of an NSF speciality group (Nomenclature des spécialités de formation, 1994), for
/// the groups the federation's trainings fall in; `None` for the others.
pub fn nsf_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "100" => "Formations générales",
        "122" => "Économie",
        "128" => "Droit, sciences politiques",
        "136" => "Langues vivantes, civilisations étrangères et régionales",
        "310" => "Spécialités plurivalentes des échanges et de la gestion",
        "312" => "Commerce, vente",
        "313" => "Finances, banque, assurances",
        "314" => "Comptabilité, gestion",
        "315" => "Ressources humaines, gestion du personnel, gestion de l'emploi",
        "320" => "Spécialités plurivalentes de la communication",
        "321" => "Journalisme, communication",
        "324" => "Secrétariat, bureautique",
        "326" => "Informatique, traitement de l'information, réseaux de transmission des données",
        "330" => "Spécialités plurivalentes sanitaires et sociales",
        "332" => "Travail social",
        "333" => "Enseignement, formation",
        "341" => "Aménagement du territoire, développement, urbanisme",
        "345" => "Application des droits et statut des personnes",
        "410" => "Spécialités concernant plusieurs capacités",
        "413" => "Développement des capacités comportementales et relationnelles",
        "414" => "Développement des capacités individuelles d'organisation",
        "415" => {
            "Développement des capacités d'orientation, d'insertion ou de réinsertion sociales et professionnelles"
        }
        _ => return None,
    })
}
