//! Validation of a training's programme: every item the public catalogue must state.

use std::collections::BTreeSet;

use crate::catalogue::model::{Contact, Modality, Money, Programme};
use crate::validation::{FieldErrors, required_text};
use crate::values::Email;

/// Longest training: 400 hours.
const MAX_MINUTES: i32 = 400 * 60;

/// Checks and normalises (trims) a programme; problems are recorded under the field's path.
pub fn validate(programme: Programme, errors: &mut FieldErrors) -> Programme {
    let text = |errors: &mut FieldErrors, field: &str, value: String, max: usize| {
        required_text(errors, field, &value, max)
    };
    let list = |errors: &mut FieldErrors, field: &str, values: Vec<String>| -> Vec<String> {
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| required_text(errors, &format!("{field}[{i}]"), &v, 1000))
            .collect()
    };
    let themes: BTreeSet<_> = programme.themes.iter().copied().collect();
    errors.check(!themes.is_empty(), "themes", "at least one theme");
    errors.check(
        themes.len() == programme.themes.len(),
        "themes",
        "a theme appears twice",
    );
    errors.check(
        !programme.objectives.is_empty(),
        "objectives",
        "at least one operational, assessable objective",
    );
    if programme.no_prerequisites {
        errors.check(
            programme.prerequisites.is_empty(),
            "prerequisites",
            "must be empty when no_prerequisites is true",
        );
    } else {
        errors.check(
            !programme.prerequisites.is_empty(),
            "prerequisites",
            "list them, or set no_prerequisites to true",
        );
    }
    errors.check(
        (1..=MAX_MINUTES).contains(&programme.duration_minutes),
        "duration_minutes",
        "must be between 1 and 24000 minutes",
    );
    let remote_arrangements = match (programme.modality, programme.remote_arrangements) {
        (Modality::InPerson, other) => other.map(|t| t.trim().to_owned()),
        (_, Some(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        (_, _) => {
            errors.add(
                "remote_arrangements",
                "required for remote and hybrid trainings (L. 6353-1)",
            );
            None
        }
    };
    Programme {
        title: text(errors, "title", programme.title, 200),
        summary: text(errors, "summary", programme.summary, 4000),
        themes: programme.themes,
        objectives: list(errors, "objectives", programme.objectives),
        prerequisites: list(errors, "prerequisites", programme.prerequisites),
        no_prerequisites: programme.no_prerequisites,
        target_audience: text(errors, "target_audience", programme.target_audience, 2000),
        duration_minutes: programme.duration_minutes,
        modality: programme.modality,
        remote_arrangements,
        pedagogical_methods: text(
            errors,
            "pedagogical_methods",
            programme.pedagogical_methods,
            4000,
        ),
        pedagogical_means: text(
            errors,
            "pedagogical_means",
            programme.pedagogical_means,
            4000,
        ),
        assessment_modalities: text(
            errors,
            "assessment_modalities",
            programme.assessment_modalities,
            4000,
        ),
        access_delay: text(errors, "access_delay", programme.access_delay, 2000),
        member_price: money(errors, "member_price", programme.member_price),
        non_member_price: money(errors, "non_member_price", programme.non_member_price),
        accessibility: text(errors, "accessibility", programme.accessibility, 4000),
        disability_referent: contact(errors, "disability_referent", programme.disability_referent),
        contact: contact(errors, "contact", programme.contact),
        recognition: text(errors, "recognition", programme.recognition, 1000),
        financing_modalities: text(
            errors,
            "financing_modalities",
            programme.financing_modalities,
            2000,
        ),
        general_objective: programme.general_objective,
        nsf_code: nsf_code(errors, programme.nsf_code),
    }
}

/// An NSF speciality code (three digits), trimmed; blank means none.
fn nsf_code(errors: &mut FieldErrors, code: Option<String>) -> Option<String> {
    let code = code
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())?;
    errors.check(
        code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()),
        "nsf_code",
        "an NSF speciality code: three digits, e.g. 315",
    );
    Some(code)
}

fn money(errors: &mut FieldErrors, field: &str, money: Money) -> Money {
    errors.check(
        money.amount_cents >= 0,
        &format!("{field}.amount_cents"),
        "must not be negative",
    );
    let currency = money.currency.map(|c| c.trim().to_uppercase());
    match &currency {
        None => errors.add(
            &format!("{field}.currency"),
            "a price needs its currency (ISO 4217, e.g. EUR)",
        ),
        Some(c) if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) => errors.add(
            &format!("{field}.currency"),
            "must be an ISO 4217 code such as EUR",
        ),
        Some(_) => {}
    }
    Money {
        amount_cents: money.amount_cents,
        currency,
    }
}

fn contact(errors: &mut FieldErrors, field: &str, contact: Contact) -> Contact {
    let name = required_text(errors, &format!("{field}.name"), &contact.name, 200);
    let email = errors
        .parse::<Email>(&format!("{field}.email"), &contact.email)
        .map_or_else(|| contact.email.trim().to_owned(), Email::into_inner);
    let phone = contact
        .phone
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    Contact { name, email, phone }
}
