//! The convergence oracle: what the server holds for a device's scopes, to compare with the
//! device's synced base.

use std::collections::BTreeMap;

use passerelle::db::synced::registry;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::device::Device;

/// (type, id) → version of every row the server shows in `scopes` now.
pub async fn server_state(
    db: &DatabaseConnection,
    scopes: &[String],
) -> BTreeMap<(String, Uuid), i64> {
    let mut state = BTreeMap::new();
    for table in registry() {
        for row in (table.rows)(db).await.unwrap() {
            if row.scopes.iter().any(|s| scopes.contains(&s.key())) {
                state.insert((table.entity_type.to_owned(), row.id), row.version);
            }
        }
    }
    state
}

/// Asserts the device's synced base is exactly the server's state for its scopes.
#[track_caller]
pub fn assert_converged(device: &Device, server: &BTreeMap<(String, Uuid), i64>) {
    let ours: BTreeMap<(String, Uuid), i64> = device
        .base
        .iter()
        .map(|(key, row)| (key.clone(), row.version))
        .collect();
    let missing: Vec<_> = server
        .iter()
        .filter(|(k, v)| ours.get(*k) != Some(v))
        .collect();
    let extra: Vec<_> = ours
        .iter()
        .filter(|(k, _)| !server.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "device {} diverged: missing or stale {missing:?}, extra {extra:?}",
        device.id
    );
}

/// Pulls and checks the device converged.
pub async fn pull_and_check(app: &crate::harness::TestApp, device: &mut Device) {
    let reply = device.pull(app, None).await;
    reply.expect(200);
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(device, &server);
}
