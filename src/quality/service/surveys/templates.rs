//! Survey templates: administrators write them; a template's questions freeze once answered.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::surveys::{QuestionType, SurveyKind, Template, TemplateInput};
use crate::quality::service::{QualityError, Result};
use crate::quality::{policy, store};
use crate::validation::FieldErrors;

/// Most questions in a template.
pub const MAX_QUESTIONS: usize = 50;
/// Most choices in a question.
pub const MAX_CHOICES: usize = 20;

fn administer(principal: &Principal) -> Result<()> {
    if policy::may_administer(principal) {
        Ok(())
    } else {
        Err(QualityError::Forbidden(
            "only administrators keep the surveys",
        ))
    }
}

/// Trims and checks a template (422 naming each field otherwise).
async fn checked(db: &impl ConnectionTrait, mut input: TemplateInput) -> Result<TemplateInput> {
    let mut errors = FieldErrors::default();
    input.title = input.title.trim().to_owned();
    errors.check(
        !input.title.is_empty() && input.title.chars().count() <= 200,
        "title",
        "a title of 1 to 200 characters",
    );
    if input.questions.is_empty() || input.questions.len() > MAX_QUESTIONS {
        errors.add("questions", format!("1 to {MAX_QUESTIONS} questions"));
    }
    let mut keys = BTreeSet::new();
    let mut satisfaction = 0;
    for (i, q) in input.questions.iter_mut().enumerate() {
        let at = |field: &str| format!("questions[{i}].{field}");
        q.key = q.key.trim().to_owned();
        q.label = q.label.trim().to_owned();
        let key_ok = (1..=40).contains(&q.key.len())
            && q.key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        errors.check(key_ok, &at("key"), "1 to 40 of a–z, 0–9 and _");
        errors.check(keys.insert(q.key.clone()), &at("key"), "keys are unique");
        errors.check(
            !q.label.is_empty() && q.label.chars().count() <= 500,
            &at("label"),
            "a label of 1 to 500 characters",
        );
        for choice in &mut q.choices {
            *choice = choice.trim().to_owned();
        }
        if q.kind.has_choices() {
            let distinct: BTreeSet<&String> = q.choices.iter().collect();
            errors.check(
                (2..=MAX_CHOICES).contains(&q.choices.len())
                    && distinct.len() == q.choices.len()
                    && q.choices
                        .iter()
                        .all(|c| !c.is_empty() && c.chars().count() <= 200),
                &at("choices"),
                "2 to 20 distinct choices of 1 to 200 characters",
            );
        } else {
            errors.check(
                q.choices.is_empty(),
                &at("choices"),
                "only choice questions have choices",
            );
        }
        if q.satisfaction {
            satisfaction += 1;
            errors.check(
                q.kind == QuestionType::Scale5,
                &at("satisfaction"),
                "the satisfaction question is a 1–5 scale",
            );
        }
    }
    errors.check(
        satisfaction <= 1,
        "questions",
        "at most one question measures the overall satisfaction",
    );
    if let Some(training_id) = input.training_id {
        if input.kind == SurveyKind::Funder {
            errors.add("training_id", "a funders' survey is federation-wide");
        } else if !catalogue::training_exists(db, training_id).await? {
            errors.add("training_id", "no such training");
        }
    }
    errors.into_result().map_err(QualityError::Invalid)?;
    Ok(input)
}

pub async fn create_template(
    tx: &mut WriteTx,
    principal: &Principal,
    input: TemplateInput,
) -> Result<Template> {
    administer(principal)?;
    let input = checked(tx.conn(), input).await?;
    Ok(store::insert_template(tx, principal.person_id, &input).await?)
}

/// Replaces a template's title, kind, training and questions; refused (409) once any
/// invitation holds answers to it.
pub async fn update_template(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: TemplateInput,
) -> Result<Template> {
    administer(principal)?;
    let before = store::lock_template(tx, id)
        .await?
        .ok_or(QualityError::TemplateNotFound)?;
    let input = checked(tx.conn(), input).await?;
    if store::template_answered(tx.conn(), id).await? {
        return Err(QualityError::TemplateInUse);
    }
    Ok(store::update_template(tx, before, &input).await?)
}

pub async fn get_template(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Template> {
    administer(principal)?;
    store::template(db, id)
        .await?
        .ok_or(QualityError::TemplateNotFound)
}

pub async fn list_templates(
    db: &impl ConnectionTrait,
    principal: &Principal,
    kind: Option<SurveyKind>,
    training_id: Option<Uuid>,
    page: &PageRequest,
) -> Result<Page<Template>> {
    administer(principal)?;
    Ok(store::templates_page(db, kind, training_id, page).await?)
}

/// The template a session's survey of `kind` uses: the latest of its training's, else the
/// latest federation-wide one.
pub fn template_for(
    templates: &[Template],
    kind: SurveyKind,
    training_id: Uuid,
) -> Option<&Template> {
    let latest = |own: Option<Uuid>| {
        templates
            .iter()
            .filter(|t| t.kind == kind && t.training_id == own)
            .max_by_key(|t| t.id)
    };
    latest(Some(training_id)).or_else(|| latest(None))
}
