//! The quality registers as tables (CSV / XLSX): what an administrator downloads and what the
//! audit bundle carries. French headers, local (Paris) times, codes as stored.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::ActiveEnum;

use crate::quality::model::actions::Action;
use crate::quality::model::surveys::SurveyResults;
use crate::quality::model::{Complaint, Done};
use crate::tables::{Cell, Table};

fn local(at: DateTime<Utc>) -> Cell {
    Cell::Time(at.with_timezone(&Paris).naive_local())
}

fn done_at(done: Option<&Done>) -> Cell {
    done.map_or(Cell::Empty, |d| local(d.at))
}

fn id(value: Option<uuid::Uuid>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

/// The complaints register.
pub fn complaints_table(complaints: &[Complaint]) -> Table {
    let mut table = Table::new(
        "Réclamations",
        &[
            "Identifiant",
            "Reçue le",
            "Canal",
            "État",
            "Session",
            "Formation",
            "Club",
            "Réclamation",
            "Accusé de réception le",
            "En retard d'accusé",
            "Répondue le",
            "Réponse",
            "Close le",
            "Issue",
        ],
    );
    for c in complaints {
        table.push(vec![
            c.id.to_string().into(),
            local(c.received_at),
            c.channel.to_value().into(),
            c.status.to_value().into(),
            id(c.session_id),
            id(c.training_id),
            id(c.club_id),
            c.text.clone().into(),
            done_at(c.acknowledged.as_ref()),
            (if c.overdue { "oui" } else { "non" }).into(),
            done_at(c.answered.as_ref()),
            c.answer.clone().into(),
            done_at(c.closed.as_ref()),
            c.outcome.clone().into(),
        ]);
    }
    table
}

/// The improvement actions register.
pub fn actions_table(actions: &[Action]) -> Table {
    let mut table = Table::new(
        "Actions d'amélioration",
        &[
            "Identifiant",
            "Créée le",
            "Origine",
            "Enregistrement d'origine",
            "Description",
            "Responsable",
            "Échéance",
            "État",
            "Effet constaté",
            "Raison de l'abandon",
            "Modifiée le",
        ],
    );
    for a in actions {
        table.push(vec![
            a.id.to_string().into(),
            local(a.created_at),
            a.origin.to_value().into(),
            id(a.origin_id),
            a.description.clone().into(),
            a.owner_id.to_string().into(),
            a.due_on.into(),
            a.status.to_value().into(),
            a.effect_observed.clone().into(),
            a.abandon_reason.clone().into(),
            local(a.updated_at),
        ]);
    }
    table
}

/// Survey results: one row per question (with its rate), then one per choice counted and per
/// free text.
pub fn survey_results_table(results: &SurveyResults) -> Table {
    let mut table = Table::new(
        "Enquêtes",
        &[
            "Questionnaire",
            "Type",
            "Question",
            "Réponse",
            "Nombre",
            "Moyenne",
        ],
    );
    table.push(vec![
        "Taux de réponse".into(),
        Cell::Empty,
        format!(
            "{} réponses sur {} invitations",
            results.submitted, results.invited
        )
        .into(),
        Cell::Empty,
        Cell::Int(results.submitted as i64),
        results
            .response_rate
            .map_or(Cell::Empty, |r| Cell::Decimal(r * 100.0)),
    ]);
    for (template, questions) in &results.templates {
        for q in questions {
            let head = |answer: Cell, n: u64, mean: Option<f64>| {
                vec![
                    template.title.clone().into(),
                    template.kind.to_value().into(),
                    q.question.label.clone().into(),
                    answer,
                    Cell::Int(n as i64),
                    mean.map_or(Cell::Empty, Cell::Decimal),
                ]
            };
            table.push(head(Cell::Empty, q.answered, q.mean));
            for (choice, n) in &q.counts {
                table.push(head(choice.clone().into(), *n, None));
            }
            for text in &q.texts {
                table.push(head(text.clone().into(), 1, None));
            }
        }
    }
    table
}
