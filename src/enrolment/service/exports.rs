//! The enrolment list as a table (CSV / XLSX): French headers, local (Paris) times, codes as
//! stored.

use sea_orm::ActiveEnum;

use crate::enrolment::model::Enrolment;
use crate::tables::{Cell, Table};

/// Enrolments, one row each.
pub fn enrolments_table(enrolments: &[Enrolment]) -> Table {
    let mut table = Table::new(
        "Inscriptions",
        &[
            "Identifiant",
            "Session",
            "Personne",
            "Organisation",
            "État",
            "Rang en liste d'attente",
            "Tarif",
            "Prix (€)",
            "Type de stagiaire",
            "Financement",
            "Montant financé (€)",
            "Besoins et attentes",
            "Inscrite le",
            "Confirmée le",
            "Positionnement le",
            "Annulée le",
            "Motif d'annulation",
            "Annulation tardive",
            "Minutes suivies",
            "Issue",
        ],
    );
    for e in enrolments {
        let cancellation = e.cancellation.as_ref();
        table.push(vec![
            e.id.into(),
            e.session_id.into(),
            e.person_id.into(),
            e.organisation_id.into(),
            e.status.to_value().into(),
            e.waitlist_position.map(i64::from).into(),
            e.price_kind.to_value().into(),
            Cell::Money(e.price_cents),
            e.trainee_type.to_value().into(),
            e.funding_source.to_value().into(),
            e.funding_amount_cents.map_or(Cell::Empty, Cell::Money),
            e.needs.clone().into(),
            e.enrolled_at.into(),
            e.confirmed_at.into(),
            e.positioning_answered_at.into(),
            cancellation.map(|c| c.at).into(),
            cancellation.map(|c| c.reason.clone()).into(),
            cancellation.map(|c| c.late).into(),
            e.attendance.as_ref().map(|a| i64::from(a.minutes)).into(),
            e.attendance.as_ref().map(|a| a.outcome.to_value()).into(),
        ]);
    }
    table
}
