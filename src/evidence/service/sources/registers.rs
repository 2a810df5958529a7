//! Sources read from the quality registers over the part: watch (ind. 23–25), surveys (30),
//! complaints (31), improvement actions (32), and under V10 the risk analysis (32) and the
//! reports channel (12).

use crate::paging::every;
use chrono::Datelike;
use sea_orm::{ActiveEnum, ConnectionTrait, Iterable};

use crate::evidence::model::Finding;
use crate::evidence::service::Result;
use crate::evidence::service::scope::Scope;
use crate::quality::model::actions::{ActionFilter, ActionStatus};
use crate::quality::model::risks::RiskFilter;
use crate::quality::model::surveys::SurveyKind;
use crate::quality::model::watch::{WatchFilter, WatchKind};
use crate::quality::model::{ComplaintFilter, ComplaintStatus};
use crate::quality::service as quality;

/// Ind. 23, 24, 25: watch entries of `kind` observed in the part.
pub async fn watch(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
    kind: &str,
) -> Result<()> {
    let kind = WatchKind::try_from_value(&kind.to_owned())?;
    let filter = WatchFilter {
        kind: Some(kind),
        from: Some(scope.from),
        to: Some(scope.to),
    };
    let entries = every!(|page| quality::list_watch_entries(db, scope.admin, filter, page));
    for entry in &entries {
        found.record(
            "watch_entry",
            entry.id,
            format!("/api/v1/quality/watch/{}", entry.id),
            entry.summary.clone(),
        );
    }
    let n = entries.len() as u64;
    found.measure("watch_entries", "Entrées de veille sur la période", n, n);
    Ok(())
}

/// Ind. 30: trainees asked hot and cold, trainers their debrief, funders once a year — with
/// the response rates.
pub async fn surveys(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let rules = &scope.rules.surveys;
    for (kind, key, label) in [
        (
            SurveyKind::Hot,
            "hot_answers",
            "Questionnaires à chaud remis / stagiaires invités",
        ),
        (
            SurveyKind::Cold,
            "cold_answers",
            "Questionnaires à froid remis / stagiaires invités",
        ),
        (
            SurveyKind::Debrief,
            "debrief_answers",
            "Bilans de formateurs remis / formateurs invités",
        ),
    ] {
        let (invited, submitted) =
            quality::response_counts(db, rules, &scope.sessions, kind, scope.now).await?;
        found.measure(key, label, submitted, invited);
    }
    let (mut invited, mut submitted) = (0, 0);
    for year in scope.from.year()..=scope.to.year() {
        let (i, s) = quality::funder_counts(db, year).await?;
        invited += i;
        submitted += s;
    }
    found.measure(
        "funder_answers",
        "Enquêtes financeurs remises / financeurs invités (années de la période)",
        submitted,
        invited,
    );
    if invited == 0 {
        found.note =
            Some("Aucun financeur n'a été interrogé pour les années de la période.".into());
    }
    for session in &scope.sessions {
        found.record(
            "survey_results",
            session.id,
            format!("/api/v1/surveys/results?session_id={}", session.id),
            session.training.programme.title.clone(),
        );
    }
    Ok(())
}

/// Ind. 31: complaints received in the part, acknowledged within the delay, answered, closed;
/// each one still unacknowledged past its delay is a gap.
pub async fn complaints(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let delay = scope.rules.acknowledge;
    let all = every!(|page| quality::list_complaints(
        db,
        scope.admin,
        ComplaintFilter::default(),
        page,
        scope.now,
        delay
    ));
    let received: Vec<_> = all
        .into_iter()
        .filter(|c| scope.holds(c.received_at))
        .collect();
    let total = received.len() as u64;
    let in_time = received
        .iter()
        .filter(|c| {
            c.acknowledged
                .as_ref()
                .is_some_and(|a| a.at - c.received_at <= delay.0)
        })
        .count() as u64;
    let closed = received
        .iter()
        .filter(|c| c.status == ComplaintStatus::Closed)
        .count() as u64;
    found.measure(
        "acknowledged_in_time",
        "Réclamations accusées dans le délai",
        in_time,
        total,
    );
    found.measure("closed", "Réclamations closes", closed, total);
    for status in ComplaintStatus::iter() {
        let n = received.iter().filter(|c| c.status == status).count() as u64;
        found.count(format!("réclamations : {}", status.to_value()), n);
    }
    for c in &received {
        let href = format!("/api/v1/complaints/{}", c.id);
        if c.overdue {
            found.gap(
                "complaint",
                c.id,
                href,
                "Réclamation sans accusé de réception passé le délai",
            );
        } else {
            found.record("complaint", c.id, href, c.status.to_value());
        }
    }
    Ok(())
}

/// Ind. 32: improvement actions created in the part, by origin and status; an overdue one is a
/// gap.
pub async fn improvement_actions(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let all = every!(|page| quality::list_actions(
        db,
        scope.admin,
        scope.now,
        ActionFilter::default(),
        page
    ));
    let actions: Vec<_> = all
        .into_iter()
        .filter(|a| scope.holds(a.created_at))
        .collect();
    let n = actions.len() as u64;
    found.measure(
        "actions",
        "Actions d'amélioration engagées sur la période",
        n,
        n,
    );
    let today = quality::today(scope.now);
    let mut by: std::collections::BTreeMap<String, u64> = Default::default();
    for a in &actions {
        *by.entry(format!("origine : {}", a.origin.to_value()))
            .or_default() += 1;
        *by.entry(format!("état : {}", a.status.to_value()))
            .or_default() += 1;
        let href = format!("/api/v1/quality/actions/{}", a.id);
        let open = matches!(a.status, ActionStatus::Planned | ActionStatus::InProgress);
        if open && a.due_on < today {
            found.gap(
                "improvement_action",
                a.id,
                href,
                "Action en retard sur son échéance",
            );
        } else {
            found.record("improvement_action", a.id, href, a.description.clone());
        }
    }
    for (category, count) in by {
        found.count(category, count);
    }
    Ok(())
}

/// V10 ind. 32: the risk analysis, each risk assessed by the end of the part; one whose review
/// date has come is a gap.
pub async fn risk_analysis(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let all =
        every!(|page| quality::list_risks(db, scope.admin, scope.now, RiskFilter::default(), page));
    let risks: Vec<_> = all
        .into_iter()
        .filter(|(r, _)| r.assessed_on <= scope.to)
        .collect();
    let n = risks.len() as u64;
    found.measure("risks", "Risques analysés", n, n);
    for (risk, review_due) in &risks {
        let href = format!("/api/v1/quality/risks/{}", risk.id);
        if *review_due {
            found.gap("risk", risk.id, href, "Risque dont la revue est échue");
        } else {
            found.record("risk", risk.id, href, risk.description.clone());
        }
    }
    Ok(())
}

/// V10 ind. 12: the confidential reports channel is open (it always is) and what it received.
pub async fn reports_channel(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let all = every!(|page| quality::list_reports(db, scope.admin, None, page));
    let received: Vec<_> = all
        .into_iter()
        .filter(|r| scope.holds(r.received_at))
        .collect();
    found.measure(
        "channel_open",
        "Canal de signalement ouvert (POST /api/v1/reports)",
        1,
        1,
    );
    found.count("signalements reçus", received.len() as u64);
    for r in &received {
        found.record(
            "report",
            r.id,
            format!("/api/v1/reports/{}", r.id),
            r.status.to_value(),
        );
    }
    Ok(())
}
