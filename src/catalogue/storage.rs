//! How a programme is stored (in `training.programme` and, frozen, in
//! `training_version.programme`): a JSON document with its own, versioned shape, independent of
//! the API's. Renaming an API field changes `api`, never this file, so a version published years
//! ago still decodes. A later shape adds `"schema": 2` and a decoder here; documents without
//! `schema` are version 1.

use serde::{Deserialize, Serialize};

use super::model::{Contact, GeneralObjective, Modality, Money, Programme, Theme};

/// The stored shape, version 1.
#[derive(Debug, Serialize, Deserialize)]
struct ProgrammeV1 {
    title: String,
    summary: String,
    themes: Vec<String>,
    objectives: Vec<String>,
    prerequisites: Vec<String>,
    no_prerequisites: bool,
    target_audience: String,
    duration_minutes: i32,
    modality: String,
    #[serde(default)]
    remote_arrangements: Option<String>,
    pedagogical_methods: String,
    pedagogical_means: String,
    assessment_modalities: String,
    access_delay: String,
    member_price: MoneyV1,
    non_member_price: MoneyV1,
    accessibility: String,
    disability_referent: ContactV1,
    contact: ContactV1,
    recognition: String,
    financing_modalities: String,
    /// Added after the first release: absent from older documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    general_objective: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nsf_code: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct MoneyV1 {
    amount_cents: i64,
    #[serde(default)]
    currency: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ContactV1 {
    name: String,
    email: String,
    #[serde(default)]
    phone: Option<String>,
}

/// Why a stored programme could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("stored programme: {0}")]
pub struct StorageError(String);

fn modality_code(modality: Modality) -> &'static str {
    match modality {
        Modality::InPerson => "in_person",
        Modality::Remote => "remote",
        Modality::Hybrid => "hybrid",
    }
}

fn modality_of(code: &str) -> Result<Modality, StorageError> {
    match code {
        "in_person" => Ok(Modality::InPerson),
        "remote" => Ok(Modality::Remote),
        "hybrid" => Ok(Modality::Hybrid),
        other => Err(StorageError(format!("unknown modality {other:?}"))),
    }
}

impl From<&Money> for MoneyV1 {
    fn from(m: &Money) -> Self {
        Self {
            amount_cents: m.amount_cents,
            currency: m.currency.clone(),
        }
    }
}

impl From<MoneyV1> for Money {
    fn from(m: MoneyV1) -> Self {
        Self {
            amount_cents: m.amount_cents,
            currency: m.currency,
        }
    }
}

impl From<&Contact> for ContactV1 {
    fn from(c: &Contact) -> Self {
        Self {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }
    }
}

impl From<ContactV1> for Contact {
    fn from(c: ContactV1) -> Self {
        Self {
            name: c.name,
            email: c.email,
            phone: c.phone,
        }
    }
}

/// The JSON document stored for a programme.
pub fn encode(p: &Programme) -> Result<String, StorageError> {
    let stored = ProgrammeV1 {
        title: p.title.clone(),
        summary: p.summary.clone(),
        themes: p.themes.iter().map(|t| t.code().to_owned()).collect(),
        objectives: p.objectives.clone(),
        prerequisites: p.prerequisites.clone(),
        no_prerequisites: p.no_prerequisites,
        target_audience: p.target_audience.clone(),
        duration_minutes: p.duration_minutes,
        modality: modality_code(p.modality).to_owned(),
        remote_arrangements: p.remote_arrangements.clone(),
        pedagogical_methods: p.pedagogical_methods.clone(),
        pedagogical_means: p.pedagogical_means.clone(),
        assessment_modalities: p.assessment_modalities.clone(),
        access_delay: p.access_delay.clone(),
        member_price: (&p.member_price).into(),
        non_member_price: (&p.non_member_price).into(),
        accessibility: p.accessibility.clone(),
        disability_referent: (&p.disability_referent).into(),
        contact: (&p.contact).into(),
        recognition: p.recognition.clone(),
        financing_modalities: p.financing_modalities.clone(),
        general_objective: p.general_objective.map(|o| o.code().to_owned()),
        nsf_code: p.nsf_code.clone(),
    };
    serde_json::to_string(&stored).map_err(|e| StorageError(e.to_string()))
}

/// The themes column: a JSON array of theme codes, searched by the theme filter.
pub fn encode_themes(themes: &[Theme]) -> String {
    let codes: Vec<String> = themes.iter().map(|t| format!("\"{}\"", t.code())).collect();
    format!("[{}]", codes.join(","))
}

/// The programme a stored document describes, whatever version wrote it.
pub fn decode(json: &str) -> Result<Programme, StorageError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| StorageError(e.to_string()))?;
    match value.get("schema").and_then(serde_json::Value::as_i64) {
        None | Some(1) => decode_v1(value),
        Some(other) => Err(StorageError(format!("unknown schema {other}"))),
    }
}

fn decode_v1(value: serde_json::Value) -> Result<Programme, StorageError> {
    let s: ProgrammeV1 = serde_json::from_value(value).map_err(|e| StorageError(e.to_string()))?;
    let themes = s
        .themes
        .iter()
        .map(|code| {
            Theme::from_code(code).ok_or_else(|| StorageError(format!("unknown theme {code:?}")))
        })
        .collect::<Result<_, _>>()?;
    let general_objective = s
        .general_objective
        .as_deref()
        .map(|code| {
            GeneralObjective::from_code(code)
                .ok_or_else(|| StorageError(format!("unknown general objective {code:?}")))
        })
        .transpose()?;
    Ok(Programme {
        title: s.title,
        summary: s.summary,
        themes,
        objectives: s.objectives,
        prerequisites: s.prerequisites,
        no_prerequisites: s.no_prerequisites,
        target_audience: s.target_audience,
        duration_minutes: s.duration_minutes,
        modality: modality_of(&s.modality)?,
        remote_arrangements: s.remote_arrangements,
        pedagogical_methods: s.pedagogical_methods,
        pedagogical_means: s.pedagogical_means,
        assessment_modalities: s.assessment_modalities,
        access_delay: s.access_delay,
        member_price: s.member_price.into(),
        non_member_price: s.non_member_price.into(),
        accessibility: s.accessibility,
        disability_referent: s.disability_referent.into(),
        contact: s.contact.into(),
        recognition: s.recognition,
        financing_modalities: s.financing_modalities,
        general_objective,
        nsf_code: s.nsf_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version as the first release stored it: it must decode for as long as the audit
    /// trail is kept, whatever the API calls its fields by then.
    const PUBLISHED_IN_2026: &str = r#"{"title":"Monter un projet AFD","summary":"Pas à pas.",
        "themes":["project_funding"],"objectives":["Écrire un cadre logique"],"prerequisites":[],
        "no_prerequisites":true,"target_audience":"Chargés de projet","duration_minutes":840,
        "modality":"in_person","remote_arrangements":null,"pedagogical_methods":"Études de cas",
        "pedagogical_means":"Salle","assessment_modalities":"Quiz","access_delay":"7 jours",
        "member_price":{"amount_cents":45000,"currency":"EUR"},
        "non_member_price":{"amount_cents":90000,"currency":"EUR"},"accessibility":"Plain-pied",
        "disability_referent":{"name":"Awa","email":"awa@example.org","phone":null},
        "contact":{"name":"Desk","email":"desk@example.org"},"recognition":"Attestation",
        "financing_modalities":"OPCO"}"#;

    #[test]
    fn a_programme_stored_by_the_first_release_still_decodes_and_round_trips() {
        let programme = decode(PUBLISHED_IN_2026).unwrap();
        assert_eq!(programme.themes, vec![Theme::ProjectFunding]);
        assert_eq!(programme.modality, Modality::InPerson);
        assert_eq!(programme.member_price.currency.as_deref(), Some("EUR"));
        assert_eq!(decode(&encode(&programme).unwrap()).unwrap(), programme);
        assert_eq!(encode_themes(&programme.themes), r#"["project_funding"]"#);
        assert_eq!(programme.general_objective, None);
        assert_eq!(programme.nsf_code, None);
        assert!(!encode(&programme).unwrap().contains("nsf_code"));
    }

    #[test]
    fn the_bpf_classification_round_trips() {
        let mut programme = decode(PUBLISHED_IN_2026).unwrap();
        programme.general_objective = Some(GeneralObjective::ProfessionalDevelopment);
        programme.nsf_code = Some("315".into());
        let stored = encode(&programme).unwrap();
        assert!(stored.contains(r#""general_objective":"professional_development""#));
        assert_eq!(decode(&stored).unwrap(), programme);
    }

    #[test]
    fn an_unknown_schema_or_value_is_an_error_not_a_default() {
        assert!(decode(r#"{"schema": 9}"#).is_err());
        let broken = PUBLISHED_IN_2026.replace("in_person", "telepathy");
        assert!(decode(&broken).is_err());
    }
}
