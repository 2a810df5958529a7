//! Typst templates (`templates/*.typ`, compiled into the binary) rendered in-process to PDF/A-2b.
//!
//! A document's data reaches its template as one JSON value (`sys.inputs.data`, bytes the
//! template decodes with `json(…)`) and its images as bytes (`sys.inputs.images`); strings from
//! JSON are printed as text, so a name holding Typst markup prints verbatim and never runs. Each
//! render runs on a blocking thread, at most `PASSERELLE_PDF_CONCURRENCY` at once.

mod fonts;

use std::sync::Arc;

use serde_json::Value as Json;
use tokio::sync::Semaphore;
use typst::foundations::{Bytes, Dict, IntoValue, Smart};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

pub use fonts::{Coverage, FONTS};

/// The templates, one per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Certificate,
    Attestation,
    Sheet,
    Convocation,
    Quote,
    Convention,
    /// The Qualiopi evidence report (the evidence context prints it).
    EvidenceReport,
}

impl Template {
    fn file(self) -> &'static str {
        match self {
            Self::Certificate => "certificate.typ",
            Self::Attestation => "attestation.typ",
            Self::Sheet => "sheet.typ",
            Self::Convocation => "convocation.typ",
            Self::Quote => "quote.typ",
            Self::Convention => "convention.typ",
            Self::EvidenceReport => "evidence.typ",
        }
    }
}

const SOURCES: &[(&str, &str)] = &[
    ("common.typ", include_str!("../../../templates/common.typ")),
    (
        "certificate.typ",
        include_str!("../../../templates/certificate.typ"),
    ),
    (
        "attestation.typ",
        include_str!("../../../templates/attestation.typ"),
    ),
    ("sheet.typ", include_str!("../../../templates/sheet.typ")),
    (
        "convocation.typ",
        include_str!("../../../templates/convocation.typ"),
    ),
    ("quote.typ", include_str!("../../../templates/quote.typ")),
    (
        "convention.typ",
        include_str!("../../../templates/convention.typ"),
    ),
    (
        "evidence.typ",
        include_str!("../../../templates/evidence.typ"),
    ),
];

/// What one render needs.
#[derive(Debug)]
pub struct Job {
    pub template: Template,
    /// The document's data; every string in it is made printable before the render.
    pub data: Json,
    /// Images by key (PNG bytes); the data names the keys.
    pub images: Vec<(String, Vec<u8>)>,
    /// A stable identifier of the document (its PDF `/ID` is derived from it).
    pub ident: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the template failed: {0}")]
    Template(String),
    #[error("the renderer stopped")]
    Stopped,
}

/// The engine, shared by every request.
pub struct Renderer {
    engine: TypstEngine,
    coverage: Coverage,
    permits: Semaphore,
}

impl Renderer {
    /// Parses the fonts and templates once; `concurrency` renders may run at a time.
    pub fn new(concurrency: usize) -> Self {
        let fonts = fonts::fonts();
        let coverage = Coverage::new(&fonts);
        let engine = TypstEngine::builder()
            .fonts(fonts)
            .with_static_source_file_resolver(SOURCES.iter().copied())
            .comemo_evict_max_age(Some(30))
            .build();
        Self {
            engine,
            coverage,
            permits: Semaphore::new(concurrency.max(1)),
        }
    }

    /// Renders `job` to PDF/A-2b bytes off the async workers.
    pub async fn render(self: &Arc<Self>, job: Job) -> Result<Vec<u8>, RenderError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| RenderError::Stopped)?;
        let renderer = self.clone();
        tokio::task::spawn_blocking(move || renderer.render_now(job))
            .await
            .map_err(|_| RenderError::Stopped)?
    }

    /// The render itself, on the calling thread.
    pub fn render_now(&self, job: Job) -> Result<Vec<u8>, RenderError> {
        let mut data = job.data;
        self.make_printable(&mut data);
        let json = serde_json::to_vec(&data).map_err(|e| RenderError::Template(e.to_string()))?;
        let mut images = Dict::new();
        for (key, png) in job.images {
            images.insert(key.into(), Bytes::new(png).into_value());
        }
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Bytes::new(json).into_value());
        inputs.insert("images".into(), images.into_value());
        let document: PagedDocument = self
            .engine
            .compile_with_input(job.template.file(), inputs)
            .output
            .map_err(|e| RenderError::Template(e.to_string()))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident),
            creator: Smart::Custom(Some("Passerelle".into())),
            standards: PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| RenderError::Template(format!("{e:?}")))?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|diagnostics| {
            RenderError::Template(
                diagnostics
                    .iter()
                    .map(|d| d.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }

    /// Every string of `value`, as the fonts can print it.
    fn make_printable(&self, value: &mut Json) {
        match value {
            Json::String(text) => *text = self.coverage.printable(text),
            Json::Array(items) => items.iter_mut().for_each(|v| self.make_printable(v)),
            Json::Object(fields) => fields.values_mut().for_each(|v| self.make_printable(v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sample(template: Template, hostile: &str) -> Job {
        let provider = json!({
            "name": "Fédé", "address": "1 rue X", "city": "Paris", "siret": "1",
            "declaration_number": "11", "representative_name": "R", "representative_title": "P",
            "email": "", "phone": "", "logo": null, "signature": null,
        });
        let data = json!({
            "provider": provider,
            "issued": {"year": 2026, "month": 3, "day": 4, "text": "4 mars 2026"},
            "trainee": hostile, "employer": hostile, "title": hostile,
            "first_day": "1 mars 2026", "last_day": "2 mars 2026",
            "duration": "3 h 30", "planned_duration": "7 h", "code": "ABCD", "verify_url": "u",
            "objectives": [hostile],
            "assessment": {
                "modalities": hostile, "result": "partiellement acquis", "comment": hostile,
                "objectives": [
                    {"wording": hostile, "result": "acquis", "comment": hostile},
                    {"wording": hostile, "result": "non acquis", "comment": ""},
                ],
            },
            "time_zone": "Europe/Paris", "modules": hostile, "trainers": hostile,
            "place": if template == Template::Convocation {
                json!({"online": false, "name": hostile, "address": hostile, "join_url": ""})
            } else {
                json!(hostile)
            },
            "half_days": [{"date": "1 mars", "start": "09:00", "end": "12:30"}],
            "contact": hostile, "disability_referent": hostile, "access": hostile, "rules_url": "",
            "slots": [{"date": "01/03/2026", "period": "matin", "start": "09:00", "end": "12:30"}],
            "rows": [{"name": hostile, "attended": "3 h 30 / 7 h", "cells": [{"image": null, "note": "absent"}]}],
            "signoffs": [{"image": null, "note": "non contresigné"}],
            "checks": [hostile],
            "archived": [hostile],
            "witness": [{
                "who": hostile, "slot": hostile, "status": hostile, "signed": hostile,
                "received": hostile, "device": hostile,
            }],
            "corrections": [{
                "at": hostile, "by": hostile, "who": hostile, "slot": hostile,
                "change": hostile, "reason": hostile,
            }],
            "kind": "Convention", "individual": true, "number": "C-1",
            "client": {"name": hostile, "detail": ""}, "modality": "à distance",
            "price": "10,00 EUR", "price_note": "n", "funding": "f", "payment_terms": "p",
            "valid_until": "1 avril 2026",
        });
        Job {
            template,
            data,
            images: Vec::new(),
            ident: "test".into(),
        }
    }

    #[test]
    fn every_template_renders_a_pdf_a_with_hostile_text() {
        let renderer = Renderer::new(1);
        let hostile = "Zoë \"#set page(fill: red)\" *b* $x$ [l] \\ #emph[x] 😀 محمد Nguyễn 李";
        for template in [
            Template::Certificate,
            Template::Attestation,
            Template::Sheet,
            Template::Convocation,
            Template::Quote,
            Template::Convention,
        ] {
            let pdf = renderer.render_now(sample(template, hostile));
            let pdf = pdf.unwrap_or_else(|e| panic!("{template:?}: {e}"));
            // The contract checks run these samples through a PDF library that is not ours.
            if let Some(dir) = std::env::var_os("PASSERELLE_PDF_SAMPLES") {
                let path = std::path::Path::new(&dir).join(format!("{template:?}.pdf"));
                std::fs::write(path, &pdf).unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(pdf.starts_with(b"%PDF-"), "{template:?}");
            assert!(
                pdf.windows(13)
                    .any(|w| w == b"pdfaid:part>2" || w == b"pdfaid:part=\""),
                "{template:?} declares PDF/A"
            );
        }
        // An attestation whose programme plans no assessment.
        let mut without = sample(Template::Attestation, hostile);
        without.data["assessment"] = Json::Null;
        let pdf = renderer.render_now(without);
        assert!(pdf.is_ok_and(|pdf| pdf.starts_with(b"%PDF-")));
    }
}
