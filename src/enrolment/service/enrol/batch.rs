//! Concurrent enrolment requests decided together: the server's [`GroupCommit`] lanes, a batch
//! split by session, and a group that meets a race decided again one request at a time.

use std::collections::BTreeMap;

use sea_orm::DbErr;
use uuid::Uuid;

use super::{EnrolJob, enrol_group, unique_violation};
use crate::db::group::{Batch, BatchFuture, GroupCommit};
use crate::db::write::{WriteTx, Writer};
use crate::enrolment::model::Enrolled;
use crate::enrolment::service::{EnrolmentError, Result};

/// Concurrent enrolment requests, decided together (see [`GroupCommit`]).
pub struct EnrolBatch;

/// The server's enrolment writer: one lane per session group (one on SQLite, whose writers take
/// turns anyway), up to 64 requests per transaction.
pub fn enrolment_writer(writer: Writer) -> GroupCommit<EnrolBatch> {
    let lanes = match writer.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => 1,
        _ => 4,
    };
    GroupCommit::new(EnrolBatch, writer, lanes, 64)
}

impl Batch for EnrolBatch {
    type Job = EnrolJob;
    type Answer = Result<Enrolled>;

    fn lane(job: &EnrolJob) -> u64 {
        job.prepared.request.session_id.as_u64_pair().1
    }

    fn run<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        jobs: Vec<EnrolJob>,
    ) -> BatchFuture<'a, Vec<Result<Enrolled>>> {
        Box::pin(enrol_all(tx, jobs))
    }

    fn failed(error: DbErr) -> Result<Enrolled> {
        Err(EnrolmentError::Db(error))
    }
}

/// Decides every job, session by session (in id order: one lock order for all writers). A
/// session's group that fails on a database error (a unique index meeting a race) is rolled back
/// and its requests are decided one by one, each in its own savepoint.
async fn enrol_all(tx: &mut WriteTx, jobs: Vec<EnrolJob>) -> Vec<Result<Enrolled>> {
    let mut groups: BTreeMap<Uuid, Vec<usize>> = BTreeMap::new();
    for (index, job) in jobs.iter().enumerate() {
        groups
            .entry(job.prepared.request.session_id)
            .or_default()
            .push(index);
    }
    let mut answers: Vec<Option<Result<Enrolled>>> = jobs.iter().map(|_| None).collect();
    let mut jobs: Vec<Option<EnrolJob>> = jobs.into_iter().map(Some).collect();
    for (session_id, indices) in groups {
        let group: Vec<EnrolJob> = indices.iter().filter_map(|&i| jobs[i].take()).collect();
        let decided = match in_savepoint(tx, session_id, &group).await {
            Ok(decided) => decided,
            Err(_) => one_by_one(tx, session_id, &group).await,
        };
        for (&index, answer) in indices.iter().zip(decided) {
            answers[index] = Some(answer);
        }
    }
    answers
        .into_iter()
        .map(|a| a.unwrap_or(Err(EnrolmentError::SessionNotFound)))
        .collect()
}

async fn one_by_one(
    tx: &mut WriteTx,
    session_id: Uuid,
    group: &[EnrolJob],
) -> Vec<Result<Enrolled>> {
    let mut answers = Vec::with_capacity(group.len());
    for job in group {
        let answer = match in_savepoint(tx, session_id, std::slice::from_ref(job)).await {
            Ok(mut decided) => decided
                .pop()
                .unwrap_or(Err(EnrolmentError::SessionNotFound)),
            Err(error) => Err(unique_violation(error)),
        };
        answers.push(answer);
    }
    answers
}

/// [`enrol_group`] inside a savepoint: kept when it succeeds, undone when it fails.
async fn in_savepoint(
    tx: &mut WriteTx,
    session_id: Uuid,
    group: &[EnrolJob],
) -> std::result::Result<Vec<Result<Enrolled>>, DbErr> {
    let savepoint = tx.savepoint().await?;
    match enrol_group(tx, session_id, group).await {
        Ok(decided) => {
            tx.release(savepoint).await?;
            Ok(decided)
        }
        Err(error) => {
            tx.rollback_to(savepoint).await?;
            Err(error)
        }
    }
}
