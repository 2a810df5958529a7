//! The reference device: a simulated mobile app that follows the client contract of the sync
//! protocol (`docs/sync-protocol.md`). It is what the tests drive, and what a mobile team can
//! read to see what their app must do.
//!
//! Its local database has two parts, written together in one local transaction each time:
//!
//! - the **synced base**: rows exactly as the server last sent them, by (type, id), with the
//!   cursor that goes with them;
//! - the **outbox**: the person's changes not yet acknowledged, each with its sequence number
//!   (1, 2, 3… never reused), its UUIDv7 id, and the version of the row it was based on.
//!
//! What the person sees is the base with the pending changes laid over it ([`Device::view`]).
//! Syncing is push, then pull ([`Device::sync`]). A pull page and its cursor are applied
//! together, or not at all. Acknowledged changes are kept a while ([`Device::acked`]) in case
//! the server is restored from a backup and needs them again.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::fixtures::User;
use crate::harness::{Reply, TestApp};

/// The protocol and schema this device speaks.
pub const PROTOCOL: i64 = 1;
pub const SCHEMA_VERSION: i64 = 1;

/// A row of the synced base.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub version: i64,
    pub data: Value,
}

/// A change waiting in the outbox (or kept after its acknowledgement).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub seq: i64,
    pub id: Uuid,
    pub name: String,
    /// The row it changes, when it changes one (for the overlay and `base_version`).
    pub entity: Option<(String, Uuid)>,
    pub base_version: Option<i64>,
    pub prev_local_seq: Option<i64>,
    pub hlc: i64,
    pub args: Value,
}

impl Outgoing {
    fn body(&self) -> Value {
        json!({
            "seq": self.seq,
            "id": self.id,
            "name": self.name,
            "hlc": self.hlc,
            "base_version": self.base_version,
            "prev_local_seq": self.prev_local_seq,
            "args": self.args,
        })
    }
}

/// A simulated device of one person.
pub struct Device {
    pub id: Uuid,
    pub person: User,
    /// The synced base and its cursor.
    pub base: BTreeMap<(String, Uuid), Row>,
    pub cursor: Option<String>,
    /// Changes not yet acknowledged, in `seq` order.
    pub outbox: Vec<Outgoing>,
    /// Changes acknowledged, kept as a re-push reserve.
    pub acked: Vec<Outgoing>,
    /// Every result the server answered, by mutation id (what the app shows: conflicts,
    /// rejections).
    pub results: BTreeMap<Uuid, Value>,
    /// The scopes the server said this device sees (last pull).
    pub scopes: Vec<String>,
    /// Signature images drawn on this device, by SHA-256, until uploaded.
    pub blobs: BTreeMap<String, Vec<u8>>,
    /// The device's wall clock runs this far from the server's (milliseconds).
    pub skew_ms: i64,
    next_seq: i64,
    hlc: i64,
    /// Set by a `reset`: the next full pull replaces the base.
    replacing: bool,
}

impl Device {
    /// Registers a new device for `person`.
    pub async fn register(app: &TestApp, person: &User) -> Device {
        let reply = app
            .post(
                "/api/v1/devices",
                Some(&person.token),
                json!({ "name": "Tablet", "platform": "android" }),
            )
            .await;
        reply.expect(201);
        Device {
            id: reply.id(),
            person: person.clone(),
            base: BTreeMap::new(),
            cursor: None,
            outbox: Vec::new(),
            acked: Vec::new(),
            results: BTreeMap::new(),
            scopes: Vec::new(),
            blobs: BTreeMap::new(),
            skew_ms: 0,
            next_seq: 1,
            hlc: 0,
            replacing: false,
        }
    }

    // ----- local changes -------------------------------------------------------------------

    /// The device's hybrid logical clock: never goes back, even when the wall clock does.
    fn tick(&mut self, app: &TestApp) -> i64 {
        let wall = app.state.clock.now().timestamp_millis() + self.skew_ms;
        self.hlc = (wall << 16).max(self.hlc + 1);
        self.hlc
    }

    /// After a response: never behind the server's clock.
    fn ratchet(&mut self, server_time: Option<i64>) {
        if let Some(ms) = server_time {
            self.hlc = self.hlc.max(ms << 16);
        }
    }

    /// Writes a change to the outbox (in the same local transaction as the change itself):
    /// its sequence number, its id, the version it is based on and this device's previous
    /// pending change of the same row.
    pub fn queue(
        &mut self,
        app: &TestApp,
        name: &str,
        entity: Option<(&str, Uuid)>,
        args: Value,
    ) -> Uuid {
        let entity = entity.map(|(t, id)| (t.to_owned(), id));
        let base_version = entity
            .as_ref()
            .and_then(|key| self.base.get(key))
            .map(|row| row.version);
        // This device's last change of the same row, pending or acknowledged: if the server
        // still holds exactly that change, the new one follows it (no conflict with itself).
        let prev_local_seq = entity.as_ref().and_then(|key| {
            self.acked
                .iter()
                .chain(&self.outbox)
                .filter(|o| o.entity.as_ref() == Some(key))
                .map(|o| o.seq)
                .max()
        });
        let outgoing = Outgoing {
            seq: self.next_seq,
            id: Uuid::now_v7(),
            name: name.to_owned(),
            entity,
            base_version,
            prev_local_seq,
            hlc: self.tick(app),
            args,
        };
        self.next_seq += 1;
        let id = outgoing.id;
        self.outbox.push(outgoing);
        id
    }

    /// Records a trainee's mark for a half-day; `signature` is a PNG drawn on the device.
    pub fn set_mark(
        &mut self,
        app: &TestApp,
        slot: Uuid,
        person: Uuid,
        status: Option<&str>,
        signature: Option<Vec<u8>>,
    ) -> Uuid {
        let sha256 = signature.map(|png| {
            let sha = hex::encode(Sha256::digest(&png));
            self.blobs.insert(sha.clone(), png);
            sha
        });
        let mut args = json!({ "slot_id": slot, "person_id": person, "status": status });
        if let Some(sha) = sha256 {
            args["signature_sha256"] = json!(sha);
        }
        let mark = mark_id(slot, person);
        self.queue(
            app,
            "attendance.set@1",
            Some(("attendance_mark", mark)),
            args,
        )
    }

    /// What the person sees of a row: the synced base with the pending changes laid over it
    /// (for a mark, the pending status).
    pub fn view(&self, entity_type: &str, id: Uuid) -> Option<Value> {
        let key = (entity_type.to_owned(), id);
        let mut row = self.base.get(&key).map(|r| r.data.clone());
        for pending in self
            .outbox
            .iter()
            .filter(|o| o.entity.as_ref() == Some(&key))
        {
            if pending.name == "attendance.set@1" {
                match pending.args["status"].as_str() {
                    None => row = None,
                    Some(status) => {
                        let mut data = row.unwrap_or_else(|| json!({ "id": id }));
                        data["status"] = json!(status);
                        row = Some(data);
                    }
                }
            }
        }
        row
    }

    // ----- push ----------------------------------------------------------------------------

    /// Sends the outbox. Acknowledged changes leave it (kept in `acked`); a missing signature
    /// is uploaded and the push sent again; a 503 leaves everything after `last_seq` queued.
    pub async fn push(&mut self, app: &TestApp) -> Reply {
        loop {
            let reply = self.push_once(app).await;
            if reply.status != 200 {
                return reply;
            }
            let blob_missing = reply.body["stopped"]["code"] == "BLOB_MISSING";
            if !blob_missing || !self.upload_blobs(app).await {
                return reply;
            }
        }
    }

    /// One push request, its answer applied to the outbox.
    pub async fn push_once(&mut self, app: &TestApp) -> Reply {
        let reply = self.send_push(app, self.outbox.clone()).await;
        self.take_push_answer(&reply);
        reply
    }

    /// Sends these changes as a push (no bookkeeping: for tests that lose the answer).
    pub async fn send_push(&self, app: &TestApp, items: Vec<Outgoing>) -> Reply {
        let body = json!({
            "protocol": PROTOCOL,
            "schema_version": SCHEMA_VERSION,
            "device_id": self.id,
            // The device says its clock, so the server knows its offset.
            "device_time": app.state.clock.now().timestamp_millis() + self.skew_ms,
            "mutations": items.iter().map(Outgoing::body).collect::<Vec<_>>(),
        });
        app.post("/sync/v1/push", Some(&self.person.token), body)
            .await
    }

    /// Applies a push answer: results recorded, acknowledged items moved out of the outbox.
    pub fn take_push_answer(&mut self, reply: &Reply) {
        self.ratchet(reply.body["server_time"].as_i64());
        let Some(last_seq) = reply.body["last_seq"].as_i64() else {
            return;
        };
        for result in reply.body["results"].as_array().into_iter().flatten() {
            if let Some(id) = result["id"].as_str().and_then(|s| s.parse().ok()) {
                self.results.insert(id, result.clone());
            }
        }
        let (done, pending): (Vec<_>, Vec<_>) =
            self.outbox.drain(..).partition(|o| o.seq <= last_seq);
        self.acked.extend(done);
        self.outbox = pending;
    }

    /// Uploads the images the outbox names; answers whether any was sent.
    pub async fn upload_blobs(&mut self, app: &TestApp) -> bool {
        let named: Vec<String> = self
            .outbox
            .iter()
            .filter_map(|o| o.args["signature_sha256"].as_str().map(str::to_owned))
            .collect();
        let mut sent = false;
        for sha in named {
            if let Some(png) = self.blobs.get(&sha).cloned() {
                let reply = upload_blob(app, &self.person.token, &sha, png).await;
                assert!(
                    reply.status == 201 || reply.status == 200,
                    "blob upload: {}",
                    reply.text
                );
                sent = true;
            }
        }
        sent
    }

    // ----- pull ----------------------------------------------------------------------------

    /// One pull request with the stored cursor (no bookkeeping).
    pub async fn send_pull(&self, app: &TestApp, limit: Option<u32>) -> Reply {
        let body = json!({
            "protocol": PROTOCOL,
            "schema_version": SCHEMA_VERSION,
            "device_id": self.id,
            "cursor": self.cursor,
            "limit": limit,
            // The reference device checks its base at the end of every pull; an app may ask
            // only now and then (the checksum reads every row it holds).
            "verify": true,
        });
        app.post("/sync/v1/pull", Some(&self.person.token), body)
            .await
    }

    /// Pulls one page and applies it with its cursor, as one local transaction. Answers the
    /// reply; a `reset` switches the device to a replacement sync (pending changes pushed
    /// first, then a full pull that deletes what it does not bring back).
    pub async fn pull_page(&mut self, app: &TestApp, limit: Option<u32>) -> Reply {
        let reply = self.send_pull(app, limit).await;
        if reply.status != 200 {
            return reply;
        }
        assert_eq!(
            reply.header("cache-control"),
            Some("no-store"),
            "pulls are never cached"
        );
        self.ratchet(reply.body["server_time"].as_i64());
        if !reply.body["reset"].is_null() {
            self.cursor = None;
            self.replacing = true;
            return reply;
        }
        self.apply_page(&reply.body);
        reply
    }

    /// The local transaction of a page: its changes and its cursor, together.
    pub fn apply_page(&mut self, page: &Value) {
        if self.replacing && self.cursor.is_none() {
            // A replacement sync starts from nothing but what is pending.
            self.base.clear();
        }
        for change in page["changes"].as_array().into_iter().flatten() {
            let key = (
                change["type"].as_str().unwrap().to_owned(),
                change["id"].as_str().unwrap().parse().unwrap(),
            );
            if change["op"] == "delete" {
                self.base.remove(&key);
            } else {
                let row = Row {
                    version: change["version"].as_i64().unwrap(),
                    data: change["data"].clone(),
                };
                self.base.insert(key, row);
            }
        }
        self.cursor = page["cursor"].as_str().map(str::to_owned);
        self.scopes = page["scopes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect();
        if page["has_more"] == false {
            self.replacing = false;
        }
    }

    /// Pulls until up to date; answers the last page. After a `reset` it pushes its pending
    /// changes first, then pulls everything again.
    pub async fn pull(&mut self, app: &TestApp, limit: Option<u32>) -> Reply {
        for _ in 0..10_000 {
            let reply = self.pull_page(app, limit).await;
            if reply.status != 200 {
                return reply;
            }
            if !reply.body["reset"].is_null() {
                if !self.outbox.is_empty() {
                    self.push(app).await;
                }
                continue;
            }
            if reply.body["has_more"] == false {
                self.verify_checksum(&reply.body);
                return reply;
            }
        }
        panic!("the pull never ended");
    }

    /// The client's integrity check: the server's checksum of what the device should hold
    /// against its synced base. On a mismatch the device starts a replacement sync.
    pub fn verify_checksum(&mut self, page: &Value) -> bool {
        let Some(expected) = page.get("checksum").filter(|c| !c.is_null()) else {
            return true;
        };
        let ours = checksum(&self.base);
        let same = expected["count"].as_u64() == Some(ours.0)
            && expected["sum"].as_str() == Some(ours.1.as_str());
        if !same {
            self.cursor = None;
            self.replacing = true;
        }
        same
    }

    /// Push, then pull until up to date.
    pub async fn sync(&mut self, app: &TestApp) -> Reply {
        let pushed = self.push(app).await;
        if pushed.status != 200 {
            return pushed;
        }
        self.pull(app, None).await
    }
}

/// `PUT /sync/v1/blobs/{sha256}` with PNG bytes.
pub async fn upload_blob(app: &TestApp, token: &str, sha256: &str, png: Vec<u8>) -> Reply {
    let response = app
        .client
        .put(format!("/sync/v1/blobs/{sha256}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await;
    TestApp::read(response).await
}

/// The mark id every device computes: UUIDv5 of (half-day, person).
pub fn mark_id(slot: Uuid, person: Uuid) -> Uuid {
    passerelle::attendance::model::mark_id(slot, person)
}

/// The protocol's checksum of a synced base: count, and the sum (mod 2⁶⁴) of the first 8 bytes
/// (little-endian) of SHA-256(`type:id:version`), as 16 hex digits.
pub fn checksum(base: &BTreeMap<(String, Uuid), Row>) -> (u64, String) {
    let mut sum = 0u64;
    for ((entity_type, id), row) in base {
        let digest = Sha256::digest(format!("{entity_type}:{id}:{}", row.version).as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        sum = sum.wrapping_add(u64::from_le_bytes(first));
    }
    (base.len() as u64, format!("{sum:016x}"))
}
