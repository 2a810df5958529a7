//! What each scope carries of a row: the table of `docs/sync-protocol.md` ("What each scope
//! carries"), read here, is what the server sends — checked field by field on a trainer's pull,
//! and against the synced tables' declared projections for every kind of scope it lists.

use std::collections::{BTreeMap, BTreeSet};

use passerelle::db::scope::ScopeKind;
use passerelle::db::synced::registry;
use serde_json::json;
use uuid::Uuid;

use super::device::Device;
use crate::fixtures::{Running, User};
use crate::harness::TestApp;

const PROTOCOL_DOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/docs/sync-protocol.md"
));

/// (row type, scope kind) → the fields the doc lists.
type Documented = BTreeMap<(String, String), BTreeSet<String>>;

/// The words between backticks in a table cell.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The doc's table of what each scope carries.
fn documented() -> Documented {
    let section = PROTOCOL_DOC
        .split("#### What each scope carries")
        .nth(1)
        .expect("the doc's section on what each scope carries");
    let mut table = Documented::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
        let [kind, scopes, fields] = cells[..] else {
            panic!("a row of three cells: {line}");
        };
        let Some(kind) = quoted(kind).pop() else {
            continue; // the header and its rule
        };
        let fields: BTreeSet<String> = quoted(fields).into_iter().collect();
        for scope in quoted(scopes) {
            let listed = table.insert((kind.clone(), scope.clone()), fields.clone());
            assert!(listed.is_none(), "{kind} in {scope} listed twice");
        }
    }
    assert!(table.len() >= 20, "only {} rows read", table.len());
    table
}

/// An enrolment with everything a trainer must not see: a price, a funding, the trainee's
/// needs and the administrator's idempotency key.
async fn enrol_with_everything(app: &TestApp, admin: &User, session: Uuid, person: Uuid) {
    let reply = TestApp::read(
        app.client
            .post(format!("/api/v1/sessions/{session}/enrolments"))
            .header("authorization", format!("Bearer {}", admin.token))
            .header("idempotency-key", "office-2027-03-001")
            .body_json(&json!({
                "person_id": person,
                "funding_source": "employer",
                "funding_amount_cents": 45000,
                "needs": "Step-free access; anxious about budgets",
            }))
            .send()
            .await,
    )
    .await;
    reply.expect(201);
}

/// A trainer's pull brings, of every row kind, exactly the fields the doc lists for the
/// scopes through which the trainer sees it: the roster holds names, statuses and ids — no
/// price, funding, needs or idempotency key.
async fn a_trainers_pull_carries_exactly_the_documented_fields_of_each_row(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 2).await;
    let slot = running.slots[0];
    let (first, second) = (running.trainees[0].id, running.trainees[1].id);
    let late = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    enrol_with_everything(&app, &admin, running.session, late.id).await;
    running.at_slot(0, 10);
    app.mark(&admin, slot, first, Running::present(3))
        .await
        .expect(201);
    app.mark(&admin, slot, second, json!({ "status": "excused" }))
        .await
        .expect(201);
    let mut device = Device::register(&app, &running.trainer).await;
    // Unseen by the device: the administrator's excuse stays, and a conflict is kept.
    device.set_mark(&app, slot, second, Some("absent"), None);
    let pushed = device.push(&app).await;
    pushed.expect(200);
    assert_eq!(
        pushed.body["results"][0]["status"], "conflict",
        "{}",
        pushed.text
    );
    app.countersign(&running.trainer, slot, 5).await.expect(200);
    device.pull(&app, None).await.expect(200);

    let doc = documented();
    let mut scopes_of: BTreeMap<(String, Uuid), Vec<String>> = BTreeMap::new();
    for table in registry() {
        for row in (table.rows)(app.db()).await.unwrap() {
            let kinds = row
                .scopes
                .iter()
                .filter(|s| device.scopes.contains(&s.key()))
                .map(|s| s.kind().name().to_owned())
                .collect();
            scopes_of.insert((table.entity_type.to_owned(), row.id), kinds);
        }
    }
    let mut kinds_received = BTreeSet::new();
    for ((kind, id), row) in &device.base {
        let through = &scopes_of[&(kind.clone(), *id)];
        assert!(!through.is_empty(), "{kind} {id} seen through no scope");
        let mut expected = BTreeSet::new();
        for scope in through {
            let listed = doc
                .get(&(kind.clone(), scope.clone()))
                .unwrap_or_else(|| panic!("the doc lists no fields of {kind} for {scope}"));
            expected.extend(listed.iter().cloned());
        }
        let got: BTreeSet<String> = row.data.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            got, expected,
            "{kind} {id} through {through:?}: got {got:?}, the doc lists {expected:?}"
        );
        kinds_received.insert(kind.as_str());
    }
    for kind in [
        "training",
        "room",
        "session",
        "slot",
        "enrolment",
        "attendance_mark",
        "slot_signoff",
        "sync_conflict",
        "person",
    ] {
        assert!(
            kinds_received.contains(kind),
            "the trainer received no {kind}: {kinds_received:?}"
        );
    }
    let roster: Vec<_> = device
        .base
        .iter()
        .filter(|((kind, _), _)| kind == "enrolment")
        .map(|(_, row)| &row.data)
        .collect();
    assert_eq!(roster.len(), 3, "the whole roster");
    for forbidden in [
        "price_kind",
        "price_cents",
        "price_currency",
        "funding_source",
        "funding_amount_cents",
        "needs",
        "idempotency_key",
    ] {
        for row in device.base.values() {
            assert!(
                row.data.get(forbidden).is_none(),
                "a trainer's pull holds {forbidden}: {}",
                row.data
            );
        }
    }
    let named = roster
        .iter()
        .find(|e| e["person_id"] == json!(late.id))
        .expect("the late enrolment on the roster");
    assert_eq!(named["status"], "confirmed");
    assert!(named["person_last_name"].is_string(), "{named}");
}
db_test!(a_trainers_pull_carries_exactly_the_documented_fields_of_each_row);

/// The doc's table is what the synced tables declare: for each row kind and scope it lists,
/// the columns that scope's readers receive (and the names the pull adds to rosters); and every
/// synced table is in it.
#[test]
fn the_documented_fields_of_each_scope_are_the_ones_the_tables_declare() {
    let doc = documented();
    let tables = registry();
    for ((kind, scope), listed) in &doc {
        let table = tables
            .iter()
            .find(|t| t.entity_type == kind)
            .unwrap_or_else(|| panic!("the doc lists {kind}, which is not synced"));
        let scope_kind = ScopeKind::ALL
            .into_iter()
            .find(|k| k.name() == scope)
            .unwrap_or_else(|| panic!("no scope kind {scope}"));
        let mut declared: BTreeSet<String> = table
            .carried(scope_kind)
            .into_iter()
            .map(str::to_owned)
            .collect();
        if passerelle::sync::service::named(kind) {
            declared.extend(passerelle::sync::service::NAME_FIELDS.map(str::to_owned));
        }
        assert_eq!(&declared, listed, "{kind} for {scope}");
    }
    for table in &tables {
        assert!(
            doc.keys().any(|(kind, _)| kind == table.entity_type),
            "{} is synced but the doc does not say what it carries",
            table.entity_type
        );
    }
}
