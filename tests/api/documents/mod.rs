//! Legal documents as PDF/A-2b: what each prints (text extracted from the PDF), the PDF/A
//! claim checked on the file's structure, hostile names, the certificates' life (issue, stored
//! bytes, verification, revocation, archive) and who may get which document.

mod access;
mod assessments;
mod certificates;
mod files;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{Running, User, b64, signature_png};
use crate::harness::TestApp;

/// The provider's identity as an administrator sets it.
pub fn provider_body() -> Value {
    json!({
        "name": "Fédération des Réseaux Solidaires",
        "address": "8 rue de l'Entraide, 69003 Lyon",
        "city": "Lyon",
        "siret": "123 456 789 00015",
        "declaration_number": "84 69 12345 69",
        "representative_name": "Hélène Marchand",
        "representative_title": "Présidente",
        "email": "formation@frs.example",
        "payment_terms": "Virement à 30 jours fin de mois.",
        "signature_png": b64(&signature_png(99)),
        "logo_png": b64(&signature_png(98)),
    })
}

pub async fn set_provider(app: &TestApp, admin: &User) {
    app.put("/api/v1/provider", Some(&admin.token), provider_body())
        .await
        .expect(200);
}

/// Renames a person through the API (as an administrator).
pub async fn rename(app: &TestApp, admin: &User, person: Uuid, first: &str, last: &str) {
    let reply = app
        .patch(
            &format!("/api/v1/people/{person}"),
            Some(&admin.token),
            json!({ "first_name": first, "last_name": last }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

/// Records the session's attendance — `mark(n, index)` for trainee `n` at half-day `index`
/// (`None`: nothing recorded) — countersigns every half-day, and closes the session after its
/// end.
pub async fn attend_and_close(
    app: &TestApp,
    admin: &User,
    running: &Running,
    mark: impl Fn(usize, usize) -> Option<Value>,
) {
    for (index, slot) in running.slots.iter().enumerate() {
        running.at_slot(index, 15);
        for (n, trainee) in running.trainees.iter().enumerate() {
            if let Some(body) = mark(n, index) {
                let reply = app.mark(&running.trainer, *slot, trainee.id, body).await;
                assert!(reply.status == 200 || reply.status == 201, "{}", reply.text);
            }
        }
        running.at_slot(index, 200);
        app.countersign(&running.trainer, *slot, 7000 + index as u32)
            .await
            .expect(200);
    }
    running.at_slot(running.slots.len() - 1, 240);
    let closed = app
        .post(
            &format!("/api/v1/sessions/{}/close", running.session),
            Some(&admin.token),
            json!({ "justification": "checked by the tests" }),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.text);
}

/// Trainee `n`, half-day `index`: present and signed with an image of their own.
pub fn signed(n: usize, index: usize) -> Option<Value> {
    Some(Running::present((n * 100 + index) as u32))
}

/// The enrolment id of `person` in the session.
pub async fn enrolment_of(app: &TestApp, admin: &User, session: Uuid, person: Uuid) -> Uuid {
    app.roster(admin, session)
        .await
        .into_iter()
        .find(|e| e["person_id"] == person.to_string())
        .expect("enrolled")["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// `POST` (issue what is missing, `json!({})`) or `GET` (list) a session's certificates as `user`.
pub async fn session_certificates(
    app: &TestApp,
    user: &User,
    session: Uuid,
    issue: bool,
) -> crate::harness::Reply {
    let path = format!("/api/v1/sessions/{session}/certificates");
    if issue {
        app.post(&path, Some(&user.token), json!({})).await
    } else {
        app.get(&path, Some(&user.token)).await
    }
}

/// A downloaded PDF: its bytes and extracted text.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub text: String,
}

impl Pdf {
    pub fn of(bytes: Vec<u8>) -> Self {
        assert!(
            bytes.starts_with(b"%PDF-"),
            "not a PDF: {:?}",
            &bytes[..bytes.len().min(200)]
        );
        let text = pdf_extract::extract_text_from_mem(&bytes).expect("text extracted");
        Self { bytes, text }
    }

    /// Whether the text holds `wanted`, whitespace aside (lines wrap where the layout decides).
    pub fn says(&self, wanted: &str) -> bool {
        squash(&self.text).contains(&squash(wanted))
    }

    pub fn assert_says(&self, wanted: &str) {
        assert!(
            self.says(wanted),
            "{wanted:?} not in the PDF's text:\n{}",
            self.text
        );
    }

    pub fn document(&self) -> lopdf::Document {
        lopdf::Document::load_mem(&self.bytes).expect("a readable PDF")
    }

    pub fn pages(&self) -> usize {
        self.document().get_pages().len()
    }

    /// Image XObjects in the file.
    pub fn images(&self) -> usize {
        self.document()
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
            .count()
    }
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// GET `path` as `user`: the PDF, asserting a 200 with `application/pdf`.
pub async fn pdf(app: &TestApp, user: &User, path: &str) -> Pdf {
    let download = app.download(user, path).await;
    assert_eq!(
        download.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&download.bytes)
    );
    Pdf::of(download.bytes)
}

/// The strongest offline PDF/A-2b check we have (veraPDF cannot be installed from the package
/// registries this project reaches): the XMP metadata declares part 2, conformance B; an output
/// intent `GTS_PDFA1` carries an ICC profile; every font descriptor embeds its font program;
/// the file is not encrypted and has a file identifier; no JavaScript or launch action.
pub fn assert_pdf_a_2b(pdf: &Pdf) {
    let doc = pdf.document();
    assert!(doc.trailer.get(b"Encrypt").is_err(), "encrypted");
    let id = doc
        .trailer
        .get(b"ID")
        .and_then(|o| o.as_array())
        .expect("/ID");
    assert_eq!(id.len(), 2, "the file identifier has two parts");
    let catalog = doc.catalog().expect("catalog");
    let metadata = catalog
        .get(b"Metadata")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_object(r))
        .and_then(|o| o.as_stream())
        .expect("an XMP metadata stream");
    let xmp = metadata
        .decompressed_content()
        .unwrap_or_else(|_| metadata.content.clone());
    let xmp = String::from_utf8_lossy(&xmp);
    let part = xmp.contains("<pdfaid:part>2</pdfaid:part>") || xmp.contains("pdfaid:part=\"2\"");
    let conformance = xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>")
        || xmp.contains("pdfaid:conformance=\"B\"");
    assert!(part && conformance, "XMP does not declare PDF/A-2b:\n{xmp}");
    let intents = match catalog.get(b"OutputIntents").expect("output intents") {
        lopdf::Object::Reference(r) => doc.get_object(*r).and_then(|o| o.as_array()),
        other => other.as_array(),
    }
    .expect("an array of output intents");
    let pdfa_intent = intents.iter().any(|intent| {
        let dict = match intent {
            lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok(),
            other => other.as_dict().ok(),
        };
        dict.is_some_and(|d| {
            d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"GTS_PDFA1")
                && d.get(b"DestOutputProfile")
                    .and_then(|p| p.as_reference())
                    .and_then(|r| doc.get_object(r))
                    .and_then(|o| o.as_stream())
                    .is_ok_and(|s| !s.content.is_empty())
        })
    });
    assert!(
        pdfa_intent,
        "no GTS_PDFA1 output intent with an ICC profile"
    );
    let mut descriptors = 0;
    for object in doc.objects.values() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => continue,
        };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            descriptors += 1;
            let embedded = [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .any(|key| dict.get(key).is_ok());
            assert!(embedded, "a font is not embedded: {dict:?}");
        }
        for forbidden in [&b"JavaScript"[..], b"JS", b"Launch"] {
            assert!(
                dict.get(b"S").and_then(|s| s.as_name()).ok() != Some(forbidden),
                "forbidden action"
            );
        }
    }
    assert!(descriptors > 0, "no font at all");
}
