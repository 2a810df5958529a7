//! Personal data (GDPR): a person's export holds every kind of record about them; an
//! administrator's erasure pseudonymises them, keeping what the law keeps (attendance,
//! certificates) and removing the rest; devices pull the pseudonym.

use serde_json::{Value, json};

use crate::documents::{
    attend_and_close, enrolment_of, rename, session_certificates, set_provider, signed,
};
use crate::fixtures::User;
use crate::fixtures::accounts::PASSWORD;
use crate::harness::TestApp;
use crate::sync::device::Device;

db_test!(a_trainee_exports_every_kind_of_record_held_about_them);
db_test!(no_one_but_the_person_and_administrators_reads_an_export);
db_test!(an_erased_trainee_cannot_log_in_and_is_found_by_no_search_while_their_certificate_verifies_under_the_pseudonym_and_their_marks_still_count);
db_test!(only_an_administrator_erases_a_person_never_their_own_account_and_only_once);
db_test!(a_trainers_device_pulls_the_pseudonym_of_an_erased_trainee);

/// A trainee named Karim Belkacem with a signed attendance, a certificate, an accommodation
/// request, a club membership and answer, a complaint and a device.
struct Story {
    admin: User,
    trainee: User,
    session: uuid::Uuid,
    code: String,
}

async fn story(app: &mut TestApp) -> (Story, crate::fixtures::attendance::Running) {
    let (admin, running) = app.running_session(1, 1).await;
    let trainee = running.trainees[0].clone();
    set_provider(app, &admin).await;
    rename(app, &admin, trainee.id, "Karim", "Belkacem").await;
    let enrolment = enrolment_of(app, &admin, running.session, trainee.id).await;
    app.post(
        &format!("/api/v1/enrolments/{enrolment}/accommodations"),
        Some(&trainee.token),
        json!({ "need": "Un fauteuil roulant : salle accessible" }),
    )
    .await
    .expect(201);
    attend_and_close(app, &admin, &running, signed).await;
    let issued = session_certificates(app, &admin, running.session, true).await;
    issued.expect(200);
    let code = issued.body[0]["code"].as_str().unwrap().to_owned();
    let (club, animator) = app.club(&admin, "open", "public").await;
    app.post(
        &format!("/api/v1/clubs/{club}/join"),
        Some(&trainee.token),
        json!({}),
    )
    .await
    .expect(201);
    let starts = running.clock.now() + chrono::Duration::days(10);
    let meeting = app
        .meeting(
            &animator,
            club,
            crate::fixtures::clubs::meeting_body("Budget", starts, 2),
        )
        .await;
    app.rsvp(&trainee, meeting, "yes").await.expect(201);
    app.post(
        "/api/v1/complaints",
        Some(&trainee.token),
        json!({ "channel": "form", "contact": "karim@example.test", "text": "Salle trop froide." }),
    )
    .await
    .expect(201);
    Device::register(app, &trainee).await;
    app.send_notifications().await;
    let story = Story {
        admin,
        trainee,
        session: running.session,
        code,
    };
    (story, running)
}

async fn export(app: &TestApp, person: uuid::Uuid, user: &User) -> crate::harness::Reply {
    app.get(
        &format!("/api/v1/people/{person}/export"),
        Some(&user.token),
    )
    .await
}

async fn erase(app: &TestApp, person: uuid::Uuid, user: &User) -> crate::harness::Reply {
    app.post(
        &format!("/api/v1/people/{person}/erasure"),
        Some(&user.token),
        json!({}),
    )
    .await
}

fn count(body: &Value, key: &str) -> usize {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
        .len()
}

async fn a_trainee_exports_every_kind_of_record_held_about_them(mut app: TestApp) {
    let (story, _running) = story(&mut app).await;

    let own = export(&app, story.trainee.id, &story.trainee).await;

    own.expect(200);
    let body = &own.body;
    assert_eq!(body["person"]["first_name"], "Karim");
    assert_eq!(body["person"]["email"], story.trainee.email.as_str());
    assert_eq!(count(body, "enrolments"), 1);
    assert_eq!(
        body["enrolments"][0]["session_id"],
        story.session.to_string()
    );
    assert_eq!(count(body, "accommodation_requests"), 1);
    assert_eq!(
        body["accommodation_requests"][0]["need"],
        "Un fauteuil roulant : salle accessible"
    );
    assert_eq!(count(body, "attendance_marks"), 2, "one per half-day");
    assert_eq!(count(body, "certificates"), 1);
    assert_eq!(body["certificates"][0]["code"], story.code.as_str());
    assert_eq!(count(body, "complaints"), 1);
    assert_eq!(body["complaints"][0]["text"], "Salle trop froide.");
    assert_eq!(count(body, "club_memberships"), 1);
    assert_eq!(count(body, "meeting_rsvps"), 1);
    assert_eq!(count(body, "devices"), 1);
    assert!(
        count(body, "messages") >= 1,
        "the enrolment's e-mails: {body}"
    );
    assert!(body["notification_preferences"].is_object());
    // The signature images are links the person can follow with their token.
    let url = body["attendance_marks"][0]["signature_url"]
        .as_str()
        .expect("signed");
    let path = &url[url.find("/api/").unwrap()..];
    let image = app.download(&story.trainee, path).await;
    assert_eq!(image.status, 200);
    assert!(image.bytes.starts_with(b"\x89PNG"), "a PNG image");
}

async fn no_one_but_the_person_and_administrators_reads_an_export(mut app: TestApp) {
    let (story, running) = story(&mut app).await;
    let stranger = app
        .user_with(&[passerelle::accounts::model::Role::Member], None)
        .await;

    let by_admin = export(&app, story.trainee.id, &story.admin).await;
    let by_stranger = export(&app, story.trainee.id, &stranger).await;
    let by_trainer = export(&app, story.trainee.id, &running.trainer).await;
    let unknown = export(&app, uuid::Uuid::now_v7(), &story.admin).await;
    let anonymous = app
        .get(&format!("/api/v1/people/{}/export", story.trainee.id), None)
        .await;

    by_admin.expect(200);
    assert_eq!(by_admin.body["person"]["id"], story.trainee.id.to_string());
    by_stranger.expect_error(404, "privacy.not_found");
    by_trainer.expect_error(404, "privacy.not_found");
    unknown.expect_error(404, "privacy.not_found");
    assert_eq!(anonymous.status, 401);
}

async fn an_erased_trainee_cannot_log_in_and_is_found_by_no_search_while_their_certificate_verifies_under_the_pseudonym_and_their_marks_still_count(
    mut app: TestApp,
) {
    let (story, _running) = story(&mut app).await;
    let sheet_path = format!("/api/v1/sessions/{}/attendance", story.session);
    let sheet_before = app.get(&sheet_path, Some(&story.admin.token)).await;
    let bpf_before = app
        .get("/api/v1/evidence/bpf?year=2027", Some(&story.admin.token))
        .await;
    bpf_before.expect(200);

    let erased = erase(&app, story.trainee.id, &story.admin).await;

    erased.expect(200);
    let person = &erased.body["person"];
    let pseudonym = format!(
        "{} {}",
        person["first_name"].as_str().unwrap(),
        person["last_name"].as_str().unwrap()
    );
    assert!(pseudonym.starts_with("Personne effacée "), "{pseudonym}");
    assert!(!erased.text.contains("Karim") && !erased.text.contains(&story.trainee.email));
    assert_eq!(person["active"], false);
    assert!(person["erased_at"].is_string());
    let records: Vec<(String, String, u64)> = erased.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["record"].as_str().unwrap().to_owned(),
                r["treatment"].as_str().unwrap().to_owned(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let of = |record: &str| {
        records
            .iter()
            .find(|r| r.0 == record)
            .cloned()
            .unwrap_or_else(|| panic!("{record} in {records:?}"))
    };
    assert_eq!(
        of("attendance_mark"),
        ("attendance_mark".into(), "retained".into(), 2)
    );
    assert_eq!(
        of("certificate"),
        ("certificate".into(), "pseudonymised".into(), 1)
    );
    assert_eq!(of("accommodation_request").1, "removed");
    assert_eq!(of("accommodation_request").2, 1);
    assert_eq!(of("club_membership").2, 1);
    assert_eq!(
        of("complaint"),
        ("complaint".into(), "pseudonymised".into(), 1)
    );

    // They cannot log in, and their old token is dead.
    app.login(&story.trainee.email, PASSWORD)
        .await
        .expect_error(401, "auth.invalid_credentials");
    assert_eq!(
        app.get("/api/v1/me", Some(&story.trainee.token))
            .await
            .status,
        401
    );
    // No list shows their name or address.
    let people = app
        .all_pages("/api/v1/people", Some(&story.admin.token))
        .await;
    let listed = serde_json::to_string(&people).unwrap();
    assert!(
        !listed.contains("Karim")
            && !listed.contains("Belkacem")
            && !listed.contains(&story.trainee.email)
    );
    assert!(
        listed.contains(person["last_name"].as_str().unwrap()),
        "listed by the pseudonym"
    );
    // Their certificate still verifies, under the pseudonym, and its file says so.
    let verified = app
        .get(&format!("/api/v1/certificates/verify/{}", story.code), None)
        .await;
    verified.expect(200);
    assert_eq!(verified.body["status"], "valid");
    assert_eq!(verified.body["trainee"], pseudonym.as_str());
    let certificate = crate::documents::pdf(
        &app,
        &story.admin,
        &format!(
            "/api/v1/certificates/{}",
            verified_certificate_id(&app, &story).await
        ),
    )
    .await;
    certificate.assert_says(&pseudonym);
    assert!(
        !certificate.text.contains("Belkacem"),
        "the file no longer names them"
    );
    // Their marks still count: the sheet and the BPF are what they were.
    let sheet_after = app.get(&sheet_path, Some(&story.admin.token)).await;
    sheet_after.expect(200);
    let (row_before, row_after) = (
        &sheet_before.body["trainees"][0],
        &sheet_after.body["trainees"][0],
    );
    assert_eq!(row_before["attended_minutes"], 420);
    assert_eq!(row_after["attended_minutes"], 420);
    assert_eq!(row_after["cells"], row_before["cells"]);
    assert_eq!(
        row_after["last_name"], person["last_name"],
        "the sheet names the pseudonym"
    );
    let bpf_after = app
        .get("/api/v1/evidence/bpf?year=2027", Some(&story.admin.token))
        .await;
    assert_eq!(bpf_before.body["trainees"], 1);
    for figure in ["trainees", "minutes", "f1", "f3", "c"] {
        assert_eq!(
            bpf_after.body[figure], bpf_before.body[figure],
            "BPF {figure}"
        );
    }
    // Their export is the pseudonym with what the law keeps.
    let after = export(&app, story.trainee.id, &story.admin).await;
    after.expect(200);
    assert!(!after.text.contains("Karim") && !after.text.contains("karim@example.test"));
    assert_eq!(
        count(&after.body, "complaints"),
        0,
        "the register keeps it, without them"
    );
    assert_eq!(count(&after.body, "attendance_marks"), 2);
    assert_eq!(count(&after.body, "accommodation_requests"), 0);
    assert_eq!(count(&after.body, "club_memberships"), 0);
    assert_eq!(count(&after.body, "messages"), 0);
    assert_eq!(after.body["enrolments"][0]["needs"], "");
}

async fn verified_certificate_id(app: &TestApp, story: &Story) -> String {
    let listed = session_certificates(app, &story.admin, story.session, false).await;
    listed.body[0]["id"].as_str().unwrap().to_owned()
}

async fn only_an_administrator_erases_a_person_never_their_own_account_and_only_once(app: TestApp) {
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Association Lumière", true).await;
    let member = app.member_of(organisation).await;
    let manager = app.manager_of(organisation).await;

    let by_member = erase(&app, member.id, &member).await;
    let by_manager = erase(&app, member.id, &manager).await;
    let own = erase(&app, admin.id, &admin).await;
    let unknown = erase(&app, uuid::Uuid::now_v7(), &admin).await;
    let first = erase(&app, member.id, &admin).await;
    let again = erase(&app, member.id, &admin).await;
    let changed = app
        .patch(
            &format!("/api/v1/people/{}", member.id),
            Some(&admin.token),
            json!({ "active": true }),
        )
        .await;

    by_member.expect_error(403, "privacy.forbidden");
    by_manager.expect_error(403, "privacy.forbidden");
    own.expect_error(409, "privacy.own_account");
    unknown.expect_error(404, "privacy.not_found");
    first.expect(200);
    again.expect_error(409, "privacy.already_erased");
    changed.expect_error(409, "accounts.person_erased");
    // The address is free again: a new account may use it.
    app.post(
        "/api/v1/people",
        Some(&admin.token),
        json!({ "email": member.email, "first_name": "Nouvelle", "last_name": "Personne" }),
    )
    .await
    .expect(201);
}

async fn a_trainers_device_pulls_the_pseudonym_of_an_erased_trainee(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let trainee = running.trainees[0].clone();
    rename(&app, &admin, trainee.id, "Karim", "Belkacem").await;
    let enrolment = enrolment_of(&app, &admin, running.session, trainee.id).await;
    let mut tablet = Device::register(&app, &running.trainer).await;
    tablet.sync(&app).await.expect(200);
    let before = tablet.view("enrolment", enrolment).expect("the roster");

    erase(&app, trainee.id, &admin).await.expect(200);
    tablet.sync(&app).await.expect(200);

    assert_eq!(before["person_last_name"], "Belkacem");
    let after = tablet
        .view("enrolment", enrolment)
        .expect("the trainer's device still has the trainee on the roster");
    assert_eq!(after["person_first_name"], "Personne");
    assert!(
        after["person_last_name"]
            .as_str()
            .unwrap()
            .starts_with("effacée "),
        "{after}"
    );
    assert!(!after.to_string().contains("Belkacem"));
}
