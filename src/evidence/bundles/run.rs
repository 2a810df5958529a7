//! Requesting a bundle, running its job (in the background, or now for the CLI) and resuming
//! the jobs a stopped process left.

use std::path::PathBuf;

use sea_orm::DbErr;
use serde_json::json;
use uuid::Uuid;

use super::archive;
use super::model::{Bundle, BundleRequest, BundleStatus, Entry};
use super::plan;
use super::produce::{Failure, Producer};
use super::store;
use crate::accounts::service as accounts;
use crate::evidence::model::DISCLAIMER;
use crate::evidence::service::{EvidenceError, Result, check_period};
use crate::principal::Principal;
use crate::state::AppState;

/// Starts after this many interrupted attempts are marked failed.
const MAX_ATTEMPTS: i32 = 3;

/// Records a bundle request (administrators) and starts its job in the background.
pub async fn request(
    state: &AppState,
    principal: &Principal,
    mut request: BundleRequest,
) -> Result<Bundle> {
    let row = record(state, principal, &mut request).await?;
    let job_state = state.clone();
    state.background.spawn(run_logged(job_state, row.id));
    Ok(store::bundle_of(&row))
}

/// Records a bundle request and runs it now, reporting each step (the CLI).
pub async fn run_now(
    state: &AppState,
    principal: &Principal,
    mut request: BundleRequest,
    progress: &(dyn Fn(&Bundle) + Sync),
) -> Result<Bundle> {
    let row = record(state, principal, &mut request).await?;
    if let Err(reason) = run(state, row.id, progress).await {
        fail(state, row.id, &reason).await?;
    }
    get(state, principal, row.id).await
}

async fn record(
    state: &AppState,
    principal: &Principal,
    request: &mut BundleRequest,
) -> Result<entity::evidence_bundle::Model> {
    if !principal.is_admin() {
        return Err(EvidenceError::NotFound);
    }
    check_period(request.from, request.to)?;
    let (sessions, seed) = plan::sessions_of(&state.db, request).await?;
    request.seed = seed;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let tx = state.begin().await?;
    let row = store::insert(tx.conn(), principal.person_id, request, &ids, tx.now()).await?;
    tx.commit().await?;
    Ok(row)
}

/// A bundle (administrators; anyone else, or an unknown id: not found).
pub async fn get(state: &AppState, principal: &Principal, id: Uuid) -> Result<Bundle> {
    if !principal.is_admin() {
        return Err(EvidenceError::NotFound);
    }
    store::get(&state.db, id)
        .await?
        .map(|row| store::bundle_of(&row))
        .ok_or(EvidenceError::NotFound)
}

/// The archive of a ready bundle.
pub async fn archive_path(state: &AppState, principal: &Principal, id: Uuid) -> Result<PathBuf> {
    let bundle = get(state, principal, id).await?;
    if bundle.status != BundleStatus::Ready {
        return Err(EvidenceError::BundleNotReady);
    }
    Ok(archive::archive(&state.settings.data_dir, id))
}

/// Resumes (in the background) every job a stopped process left queued or running; returns
/// how many.
pub async fn resume_interrupted(state: &AppState) -> std::result::Result<usize, DbErr> {
    let rows = store::interrupted(&state.db).await?;
    for row in &rows {
        state.background.spawn(run_logged(state.clone(), row.id));
    }
    Ok(rows.len())
}

async fn run_logged(state: AppState, id: Uuid) {
    if let Err(reason) = run(&state, id, &|_| {}).await {
        tracing::warn!(bundle = %id, %reason, "audit bundle failed");
        if let Err(error) = fail(&state, id, &reason).await {
            tracing::error!(bundle = %id, %error, "cannot record the bundle's failure");
        }
    }
}

async fn fail(state: &AppState, id: Uuid, reason: &str) -> std::result::Result<(), DbErr> {
    let tx = state.begin().await?;
    store::fail(tx.conn(), id, reason, tx.now()).await?;
    tx.commit().await.map(drop)
}

async fn save(
    state: &AppState,
    id: Uuid,
    plan: &[Entry],
    step: &str,
) -> std::result::Result<(), String> {
    let tx = state.begin().await.map_err(|e| e.to_string())?;
    store::progress(tx.conn(), id, plan, step, tx.now())
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map(drop).map_err(|e| e.to_string())
}

/// Runs the job from where it stands; `Err` is the reason it failed.
async fn run(
    state: &AppState,
    id: Uuid,
    progress: &(dyn Fn(&Bundle) + Sync),
) -> std::result::Result<(), String> {
    let text = |e: DbErr| e.to_string();
    let row = store::get(&state.db, id)
        .await
        .map_err(text)?
        .ok_or("the bundle no longer exists")?;
    if !matches!(
        BundleStatus::parse(&row.status),
        BundleStatus::Queued | BundleStatus::Running
    ) {
        return Ok(());
    }
    if row.attempts >= MAX_ATTEMPTS {
        return Err(format!(
            "interrompu {} fois (redémarrages du service) : relancez la demande",
            row.attempts
        ));
    }
    let principal = principal_of(state, row.requested_by).await?;
    let tx = state.begin().await.map_err(text)?;
    store::start(tx.conn(), &row, tx.now())
        .await
        .map_err(text)?;
    tx.commit().await.map_err(text)?;

    let mut bundle = store::bundle_of(&row);
    bundle.status = BundleStatus::Running;
    let mut entries = store::plan_of(&row);
    if entries.is_empty() {
        let sessions = plan::sessions_of(
            &state.db,
            &BundleRequest {
                from: row.period_from,
                to: row.period_to,
                sessions: Some(bundle.sessions.clone()),
                seed: None,
            },
        )
        .await
        .map(|(sessions, _)| sessions)
        .or_else(|e| match e {
            // A sampled session since cancelled or moved: the bundle holds the others.
            EvidenceError::Invalid(_) => Ok(Vec::new()),
            other => Err(other.to_string()),
        })?;
        entries = plan::entries(&state.db, &principal, &sessions)
            .await
            .map_err(|e| e.to_string())?;
        save(state, id, &entries, "plan établi").await?;
    }
    let staging = archive::staging(&state.settings.data_dir, id);
    let mut producer = Producer::new(state, &principal, row.period_from, row.period_to);
    bundle.total = entries.len() as u32;
    for i in 0..entries.len() {
        if entries[i].is_settled() && archive::present(&staging, &entries[i]) {
            continue;
        }
        let step = entries[i].step();
        bundle.done = entries.iter().filter(|e| e.is_settled()).count() as u32;
        bundle.step = step.clone();
        progress(&bundle);
        match producer.produce(&entries[i].item).await {
            Ok(bytes) => {
                let (dir, path) = (staging.clone(), entries[i].path.clone());
                let sha = archive::sha256_hex(&bytes);
                let len = bytes.len() as u64;
                tokio::task::spawn_blocking(move || archive::put(&dir, &path, &bytes))
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| format!("écriture de {} : {e}", entries[i].path))?;
                entries[i].sha256 = Some(sha);
                entries[i].bytes = Some(len);
            }
            Err(Failure::Absent(reason)) => entries[i].absent = Some(reason),
            Err(Failure::Fatal(reason)) => return Err(reason),
        }
        save(state, id, &entries, &step).await?;
    }
    bundle.done = bundle.total;
    bundle.step = "archive ZIP".into();
    progress(&bundle);
    save(state, id, &entries, &bundle.step).await?;
    let manifest = manifest(&bundle, &entries, state.clock.now());
    let target = archive::archive(&state.settings.data_dir, id);
    let (dir, files) = (staging.clone(), entries.clone());
    let (bytes, sha) =
        tokio::task::spawn_blocking(move || archive::write(&dir, &target, &files, &manifest))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("écriture de l'archive : {e}"))?;
    let tx = state.begin().await.map_err(text)?;
    store::ready(tx.conn(), id, bytes, sha, tx.now())
        .await
        .map_err(text)?;
    tx.commit().await.map_err(text)?;
    let _ = tokio::fs::remove_dir_all(&staging).await;
    if let Ok(Some(row)) = store::get(&state.db, id).await {
        progress(&store::bundle_of(&row));
    }
    Ok(())
}

async fn principal_of(state: &AppState, person: Uuid) -> std::result::Result<Principal, String> {
    if person.is_nil() {
        return Ok(Principal::system());
    }
    match accounts::principal_of(&state.db, person).await {
        Ok(Some(principal)) if principal.is_admin() => Ok(principal),
        Ok(_) => Err("la personne qui l'a demandé n'est plus administratrice".into()),
        Err(error) => Err(error.to_string()),
    }
}

fn manifest(
    bundle: &Bundle,
    entries: &[Entry],
    now: chrono::DateTime<chrono::Utc>,
) -> serde_json::Value {
    json!({
        "bundle": bundle.id,
        "from": bundle.from,
        "to": bundle.to,
        "seed": bundle.seed,
        "sessions": bundle.sessions,
        "generated_at": now,
        "note": DISCLAIMER,
        "files": entries
            .iter()
            .filter(|e| e.sha256.is_some())
            .map(|e| json!({"path": e.path, "bytes": e.bytes, "sha256": e.sha256}))
            .collect::<Vec<_>>(),
        "absent": entries
            .iter()
            .filter_map(|e| e.absent.as_ref().map(|reason| json!({"path": e.path, "reason": reason})))
            .collect::<Vec<_>>(),
    })
}
