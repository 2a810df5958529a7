//! The evidence report as a French PDF/A-2b for the auditor (`templates/evidence.typ`): per
//! part of the period under one version of the referential, each indicator's status in French,
//! its figures, its gaps, and bar charts of the survey response rates (ind. 30), complaints by
//! state (ind. 31) and improvement actions by origin (ind. 32). The data reaches the template as
//! JSON already worded in French; the template only lays it out.

use std::sync::Arc;

use serde_json::{Value as Json, json};

use super::{EvidenceError, Result};
use crate::documents::service::{
    RenderJob, Renderer, Template, french_date, issue_day, issued_json, provider_json,
};
use crate::evidence::model::{DISCLAIMER, Finding, IndicatorReport, Report, Status};

const PARIS: &str = "Europe/Paris";

/// The report rendered to PDF bytes, on the renderer's blocking threads.
pub async fn render_report(renderer: &Arc<Renderer>, report: &Report) -> Result<Vec<u8>> {
    let (data, images) = report_json(report);
    let job = RenderJob {
        template: Template::EvidenceReport,
        data,
        images,
        ident: format!("{}-{}", file_stem(report), report.generated_at.timestamp()),
    };
    renderer.render(job).await.map_err(EvidenceError::Render)
}

/// The download's name without its extension: `rapport-qualiopi-2026-01-01-2026-12-31`.
pub fn file_stem(report: &Report) -> String {
    format!("rapport-qualiopi-{}-{}", report.from, report.to)
}

/// What `templates/evidence.typ` reads, and the provider's logo.
fn report_json(report: &Report) -> (Json, Vec<(String, Vec<u8>)>) {
    let (provider, images) = match &report.provider {
        Some(provider) => {
            let (data, images) = provider_json(provider);
            (data, images)
        }
        None => (Json::Null, Vec::new()),
    };
    let generated = report.generated_at.with_timezone(&chrono_tz::Europe::Paris);
    let parts: Vec<Json> = report
        .parts
        .iter()
        .map(|part| {
            json!({
                "version": part.version,
                "source": part.source,
                "period": period(part.from, part.to),
                "sessions": part.sessions,
                "indicators": part.indicators.iter().map(indicator_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let data = json!({
        "provider": provider,
        "issued": issued_json(issue_day(report.generated_at, PARIS)),
        "period": period(report.from, report.to),
        "generated": format!(
            "{} à {} (heure de Paris)",
            french_date(generated.date_naive()),
            generated.format("%H:%M")
        ),
        "versions": report.parts.iter().map(|p| p.version.clone()).collect::<Vec<_>>(),
        "disclaimer": DISCLAIMER,
        "parts": parts,
    });
    (data, images)
}

fn period(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    format!("du {} au {}", french_date(from), french_date(to))
}

/// The status as the PDF prints it, and its tone (the colour of its badge).
fn french_status(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Present => ("Preuve présente", "present"),
        Status::Partial => ("Partielle", "partial"),
        Status::Missing => ("Manquante", "missing"),
        Status::NotApplicable => ("Non applicable", "not_applicable"),
    }
}

fn indicator_json(i: &IndicatorReport) -> Json {
    let (status, tone) = french_status(i.status);
    let mut figures = Vec::new();
    let mut notes = Vec::new();
    let mut gaps = Vec::new();
    for f in &i.findings {
        for m in &f.measures {
            let value = if m.done == m.total {
                m.total.to_string()
            } else {
                format!("{} / {}", m.done, m.total)
            };
            figures.push(json!({"label": m.label, "value": value}));
        }
        for (category, n) in &f.counts {
            figures.push(json!({"label": french_category(category), "value": n.to_string()}));
        }
        notes.extend(f.note.clone());
        for g in &f.gaps {
            gaps.push(json!({"record": french_record(g.record), "note": g.note, "href": g.href}));
        }
    }
    let charts: Vec<Json> = i.findings.iter().filter_map(chart).collect();
    json!({
        "number": i.number,
        "criterion": i.criterion,
        "summary": i.summary,
        "status": status,
        "tone": tone,
        "reason": i.reason,
        "figures": figures,
        "notes": notes,
        "gaps": gaps,
        "charts": charts,
    })
}

/// One bar: its label, its length as a share of the longest (0–1) and the numbers beside it.
fn bar(label: &str, share: f64, text: String) -> Json {
    json!({"label": label, "share": share.clamp(0.0, 1.0), "text": text})
}

/// The chart a finding gives, if its source has one: bars, or the sentence that replaces them.
fn chart(f: &Finding) -> Option<Json> {
    let (title, bars, none) = match f.source.as_str() {
        "surveys" => ("Taux de réponse aux questionnaires", survey_bars(f), {
            "Personne n'a été interrogé sur la période : pas de graphique des taux de réponse."
        }),
        "complaints" => (
            "Réclamations par état",
            count_bars(f, "réclamations : "),
            "Aucune réclamation reçue sur la période : pas de graphique.",
        ),
        "improvement_actions" => (
            "Actions d'amélioration par origine",
            count_bars(f, "origine : "),
            "Aucune action d'amélioration engagée sur la période : pas de graphique.",
        ),
        _ => return None,
    };
    Some(match bars {
        Some(bars) => json!({"title": title, "bars": bars, "empty": null}),
        None => json!({"title": title, "bars": [], "empty": none}),
    })
}

/// Response rates of each survey kind; `None` when nobody was asked anything.
fn survey_bars(f: &Finding) -> Option<Vec<Json>> {
    if f.measures.iter().all(|m| m.total == 0) {
        return None;
    }
    let bars = f
        .measures
        .iter()
        .map(|m| {
            let label = match m.key {
                "hot_answers" => "À chaud (stagiaires)",
                "cold_answers" => "À froid (stagiaires)",
                "debrief_answers" => "Bilans des formateurs",
                "funder_answers" => "Financeurs",
                _ => m.label.as_str(),
            };
            if m.total == 0 {
                return bar(label, 0.0, "personne d'interrogé".into());
            }
            let rate = m.done as f64 / m.total as f64;
            let text = format!("{} / {} ({} %)", m.done, m.total, (rate * 100.0).round());
            bar(label, rate, text)
        })
        .collect();
    Some(bars)
}

/// The counts whose category starts with `prefix`; `None` when they are absent or all zero.
fn count_bars(f: &Finding, prefix: &str) -> Option<Vec<Json>> {
    let counts: Vec<(&str, u64)> = f
        .counts
        .iter()
        .filter_map(|(c, n)| Some((c.strip_prefix(prefix)?, *n)))
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if max == 0 {
        return None;
    }
    let bars = counts
        .into_iter()
        .map(|(value, n)| bar(french_value(value), n as f64 / max as f64, n.to_string()))
        .collect();
    Some(bars)
}

/// `réclamations : closed` → `réclamations : close`.
fn french_category(category: &str) -> String {
    match category.split_once(" : ") {
        Some((what, value)) => format!("{what} : {}", french_value(value)),
        None => category.to_owned(),
    }
}

/// The French word for a state or origin the registers store in English.
fn french_value(value: &str) -> &str {
    match value {
        "received" => "reçue",
        "acknowledged" => "accusée",
        "answered" => "répondue",
        "closed" => "close",
        "complaint" => "réclamation",
        "survey_result" => "résultats d'enquête",
        "trainer_debrief" => "bilan de formateur",
        "audit" => "audit",
        "risk" => "risque",
        "other" => "autre",
        "planned" => "prévue",
        "in_progress" => "en cours",
        "done" => "réalisée",
        "abandoned" => "abandonnée",
        other => other,
    }
}

fn french_record(record: &str) -> &str {
    match record {
        "enrolment" => "Inscription",
        "session" => "Session",
        "training" => "Formation",
        "trainer" => "Formateur",
        "convocation" => "Convocation",
        "accommodation" => "Aménagement",
        "complaint" => "Réclamation",
        "improvement_action" => "Action d'amélioration",
        "risk" => "Risque",
        "report" => "Signalement",
        "watch_entry" => "Veille",
        "survey_results" => "Enquêtes",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_with_nothing_counted_gives_a_sentence_instead_of_bars() {
        let mut empty = Finding::new("complaints");
        empty.count("réclamations : received", 0);
        let drawn = chart(&empty).unwrap_or_default();
        assert!(
            drawn["empty"]
                .as_str()
                .is_some_and(|s| s.contains("Aucune"))
        );

        let mut some = Finding::new("complaints");
        some.count("réclamations : received", 1);
        some.count("réclamations : closed", 4);
        some.count("abandon : health", 9);
        let drawn = chart(&some).unwrap_or_default();
        let bars = drawn["bars"].as_array().cloned().unwrap_or_default();
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0]["label"], "reçue");
        assert_eq!(bars[0]["share"], 0.25);
        assert_eq!(bars[1]["text"], "4");
        assert!(chart(&Finding::new("programmes")).is_none());
    }

    #[test]
    fn response_rates_say_how_many_of_how_many() {
        let mut surveys = Finding::new("surveys");
        surveys.measure("hot_answers", "x", 3, 4);
        surveys.measure("funder_answers", "y", 0, 0);
        let drawn = chart(&surveys).unwrap_or_default();
        assert_eq!(drawn["bars"][0]["text"], "3 / 4 (75 %)");
        assert_eq!(drawn["bars"][1]["share"], 0.0);
    }

    fn sample(hostile: &str) -> Report {
        use crate::evidence::model::{IndicatorReport, VersionReport};
        let mut surveys = Finding::new("surveys");
        surveys.measure("hot_answers", hostile, 3, 4);
        let mut complaints = Finding::new("complaints");
        complaints.count("réclamations : closed", 2);
        complaints.gap("complaint", uuid::Uuid::nil(), "/x".into(), hostile);
        let indicator = |number, status, findings| IndicatorReport {
            number,
            criterion: 7,
            summary: hostile.to_owned(),
            status,
            reason: Some(hostile.to_owned()),
            findings,
        };
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        Report {
            from: day(10, 1),
            to: day(11, 30),
            generated_at: chrono::DateTime::UNIX_EPOCH,
            provider: None,
            parts: vec![VersionReport {
                version: "V9".into(),
                source: hostile.into(),
                from: day(10, 1),
                to: day(11, 30),
                sessions: 1,
                indicators: vec![
                    indicator(30, Status::Present, vec![surveys]),
                    indicator(31, Status::Partial, vec![complaints]),
                    indicator(
                        32,
                        Status::Missing,
                        vec![Finding::new("improvement_actions")],
                    ),
                    indicator(33, Status::NotApplicable, vec![]),
                ],
            }],
        }
    }

    #[test]
    fn the_report_renders_a_pdf_a_with_hostile_text() {
        let renderer = Renderer::new(1);
        let hostile = "Zoë \"#set page(fill: red)\" *b* $x$ [l] \\ #emph[x] 😀 محمد 李";
        let (data, images) = report_json(&sample(hostile));
        let job = RenderJob {
            template: Template::EvidenceReport,
            data,
            images,
            ident: "test".into(),
        };
        let pdf = renderer.render_now(job).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.windows(13)
                .any(|w| w == b"pdfaid:part>2" || w == b"pdfaid:part=\"")
        );
    }
}
