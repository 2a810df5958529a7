//! The demo's surveys: federation-wide hot, cold, debrief and funder templates (the sessions
//! held in the past answer them, in `story.rs`).

use sea_orm::DatabaseConnection;

use super::DemoError;
use super::catalogue::demo_principal;
use passerelle::clock::Clock;
use passerelle::db::write;
use passerelle::paging::PageRequest;
use passerelle::quality::model::surveys::{Question, QuestionType, SurveyKind, TemplateInput};
use passerelle::quality::service as quality;

fn question(
    key: &str,
    label: &str,
    kind: QuestionType,
    required: bool,
    choices: &[&str],
) -> Question {
    Question {
        key: key.into(),
        label: label.into(),
        kind,
        required,
        choices: choices.iter().map(|c| (*c).into()).collect(),
        satisfaction: key == "overall",
    }
}

fn template(kind: SurveyKind, title: &str) -> TemplateInput {
    let mut questions = vec![
        question(
            "overall",
            "Globalement, êtes-vous satisfait·e ?",
            QuestionType::Scale5,
            true,
            &[],
        ),
        question(
            "useful",
            "Ce que vous avez appris vous sert-il dans votre poste ?",
            QuestionType::SingleChoice,
            false,
            &["oui", "en partie", "non"],
        ),
        question(
            "comment",
            "Un commentaire ?",
            QuestionType::Text,
            false,
            &[],
        ),
    ];
    if kind == SurveyKind::Hot {
        questions.insert(
            2,
            question(
                "recommend",
                "Recommanderiez-vous cette formation (0 à 10) ?",
                QuestionType::Scale10,
                false,
                &[],
            ),
        );
    }
    TemplateInput {
        title: title.into(),
        kind,
        training_id: None,
        questions,
    }
}

pub async fn load(db: &DatabaseConnection) -> Result<(), DemoError> {
    let admin = demo_principal();
    let existing =
        quality::list_templates(db, &admin, None, None, &PageRequest::new(Some(1), None)).await?;
    if !existing.items.is_empty() {
        return Ok(());
    }
    write::run(db, &Clock::system(), async |tx| {
        for (kind, title) in [
            (SurveyKind::Hot, "Votre avis à chaud"),
            (SurveyKind::Cold, "Deux mois après : qu'en avez-vous fait ?"),
            (SurveyKind::Debrief, "Bilan du formateur"),
            (SurveyKind::Funder, "Enquête annuelle auprès des financeurs"),
        ] {
            quality::create_template(tx, &admin, template(kind, title)).await?;
        }
        Ok::<_, DemoError>(())
    })
    .await
}
