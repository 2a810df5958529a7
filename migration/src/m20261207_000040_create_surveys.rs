//! Surveys (Qualiopi ind. 1–2, 30): `survey_template` (a title, a kind, an optional training and
//! its questions as a JSON list) and `survey_invitation` (one respondent's invitation to one
//! survey — a trainee's hot or cold survey of a session, a trainer's debrief, a funder's yearly
//! survey — with its opening, its deadline and the answers as a JSON object, a draft until
//! `submitted_at`). Invitations are synced to their respondent; a funder's holds only the
//! SHA-256 of its secret link.

use sea_orm_migration::{prelude::*, schema::*};

use crate::sync_guard;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SurveyTemplate::Table)
                    .if_not_exists()
                    .col(pk_uuid(SurveyTemplate::Id))
                    .col(string_len(SurveyTemplate::Title, 200))
                    .col(string_len(SurveyTemplate::Kind, 16))
                    .col(uuid_null(SurveyTemplate::TrainingId))
                    .col(text(SurveyTemplate::Questions))
                    .col(uuid(SurveyTemplate::CreatedBy))
                    .col(timestamp_with_time_zone(SurveyTemplate::CreatedAt))
                    .col(timestamp_with_time_zone(SurveyTemplate::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_template_kind_training")
                    .table(SurveyTemplate::Table)
                    .col(SurveyTemplate::Kind)
                    .col(SurveyTemplate::TrainingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyInvitation::Table)
                    .if_not_exists()
                    .col(pk_uuid(SurveyInvitation::Id))
                    .col(uuid(SurveyInvitation::TemplateId))
                    .col(string_len(SurveyInvitation::Kind, 16))
                    .col(uuid_null(SurveyInvitation::SessionId))
                    .col(uuid_null(SurveyInvitation::TrainingId))
                    .col(integer_null(SurveyInvitation::Year))
                    .col(uuid_null(SurveyInvitation::PersonId))
                    .col(string_len_null(SurveyInvitation::FunderName, 200))
                    .col(string_len_null(SurveyInvitation::FunderEmail, 320))
                    .col(string_len_null(SurveyInvitation::FunderOrganisation, 200))
                    .col(string_len_null(SurveyInvitation::SecretHash, 64))
                    .col(timestamp_with_time_zone(SurveyInvitation::OpensAt))
                    .col(timestamp_with_time_zone(SurveyInvitation::Deadline))
                    .col(text(SurveyInvitation::Answers))
                    .col(timestamp_with_time_zone_null(SurveyInvitation::SubmittedAt))
                    .col(timestamp_with_time_zone(SurveyInvitation::CreatedAt))
                    .col(timestamp_with_time_zone(SurveyInvitation::UpdatedAt))
                    .col(big_integer(SurveyInvitation::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyInvitation::Table, SurveyInvitation::TemplateId)
                            .to(SurveyTemplate::Table, SurveyTemplate::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_survey_invitation_session", SurveyInvitation::SessionId),
            ("idx_survey_invitation_person", SurveyInvitation::PersonId),
            (
                "idx_survey_invitation_training",
                SurveyInvitation::TrainingId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SurveyInvitation::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_invitation_secret")
                    .table(SurveyInvitation::Table)
                    .col(SurveyInvitation::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "survey_invitation").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "survey_invitation").await?;
        manager
            .drop_table(Table::drop().table(SurveyInvitation::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SurveyTemplate::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SurveyTemplate {
    Table,
    Id,
    Title,
    Kind,
    TrainingId,
    Questions,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyInvitation {
    Table,
    Id,
    TemplateId,
    Kind,
    SessionId,
    TrainingId,
    Year,
    PersonId,
    FunderName,
    FunderEmail,
    FunderOrganisation,
    SecretHash,
    OpensAt,
    Deadline,
    Answers,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}
