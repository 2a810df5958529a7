//! Club meetings: answers (RSVPs) and their capacity, cancellation, who sees the online link
//! and the names, attendance and the year's activity, minutes versions, files and the Qualiopi
//! scope flag.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::fixtures::{User, clubs_start, meeting_body};
use crate::harness::{Reply, TestApp};
use crate::oracle::assert_every_synced_row_is_stamped;

/// The bytes of a small PDF.
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    while bytes.len() < len {
        bytes.extend_from_slice(b"% filler line of a test document\n");
    }
    bytes.truncate(len.max(9));
    bytes
}

fn counts(reply: &Reply) -> (i64, i64, i64) {
    let c = &reply.body["rsvp_counts"];
    (
        c["yes"].as_i64().unwrap(),
        c["no"].as_i64().unwrap(),
        c["maybe"].as_i64().unwrap(),
    )
}

/// The activity figures of `club` in an activity report.
fn figures_of(report: &Reply, club: uuid::Uuid) -> &Value {
    report.body["clubs"]
        .as_array()
        .unwrap_or_else(|| panic!("no clubs in {}", report.text))
        .iter()
        .find(|c| c["club_id"] == club.to_string())
        .unwrap_or_else(|| panic!("club {club} not in {}", report.text))
}

async fn a_member_of_an_open_club_answers_yes_is_recorded_present_and_the_meeting_counts_as_held_in_the_year_s_activity(
    mut app: TestApp,
) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let starts = clubs_start() + Duration::hours(1);
    let mut body = meeting_body("Cash-flow forecasts", starts, 2);
    body["place"] = json!("Maison des associations, Lyon");
    let meeting = app.meeting(&animator, club, body).await;

    let joined = app
        .post(
            &format!("/api/v1/clubs/{club}/join"),
            Some(&member.token),
            json!({}),
        )
        .await;
    let answered = app.rsvp(&member, meeting, "yes").await;
    let answered_again = app.rsvp(&member, meeting, "yes").await;
    clock.advance(Duration::minutes(65));
    let marked = app
        .meeting_mark(
            &animator,
            meeting,
            member.id,
            json!({ "status": "present" }),
        )
        .await;
    let seen = app.get_meeting(&member, meeting).await;
    let own_marks = app
        .get(
            &format!("/api/v1/meetings/{meeting}/attendance"),
            Some(&member.token),
        )
        .await;
    let all_marks = app
        .get(
            &format!("/api/v1/meetings/{meeting}/attendance"),
            Some(&animator.token),
        )
        .await;
    let report = app
        .get("/api/v1/clubs/activity?year=2026", Some(&admin.token))
        .await;
    let year_before = app
        .get("/api/v1/clubs/activity?year=2025", Some(&admin.token))
        .await;
    let by_member = app
        .get("/api/v1/clubs/activity?year=2026", Some(&member.token))
        .await;

    joined.expect(201);
    assert_eq!(joined.body["status"], "active");
    answered.expect(201);
    assert_eq!(answered.body["answer"], "yes");
    assert_eq!(answered.body["person_id"], member.id.to_string());
    answered_again.expect(200);
    marked.expect(201);
    assert_eq!(marked.body["meeting_id"], meeting.to_string());
    assert_eq!(marked.body["club_id"], club.to_string());
    assert_eq!(marked.body["person_id"], member.id.to_string());
    assert_eq!(marked.body["status"], "present");
    assert_eq!(marked.body["recorded_by"], animator.id.to_string());
    seen.expect(200);
    assert_eq!(seen.body["status"], "held");
    assert_eq!(seen.body["my_rsvp"], "yes");
    assert_eq!(counts(&seen), (1, 0, 0));
    own_marks.expect(200);
    let own = own_marks.body.as_array().unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["person_id"], member.id.to_string());
    assert_eq!(own[0]["status"], "present");
    assert_eq!(own[0]["id"], marked.body["id"]);
    all_marks.expect(200);
    assert_eq!(all_marks.body.as_array().unwrap().len(), 1);
    report.expect(200);
    assert_eq!(report.body["year"], 2026);
    let figures = figures_of(&report, club);
    assert_eq!(figures["meetings_held"], 1);
    assert_eq!(figures["meetings_planned"], 0);
    assert_eq!(figures["meetings_cancelled"], 0);
    assert_eq!(figures["attendances"], 1);
    assert_eq!(figures["average_attendance"], 1.0);
    assert_eq!(figures["distinct_attendees"], 1);
    assert_eq!(figures["active_members"], 2, "the animator and the member");
    assert_eq!(figures["joined_in_year"], 2);
    let trade = report.body["by_trade"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trade"] == "financial_management")
        .unwrap_or_else(|| panic!("no financial_management in {}", report.text));
    assert_eq!(trade["meetings_held"], 1);
    assert_eq!(trade["attendances"], 1);
    year_before.expect(200);
    let before = figures_of(&year_before, club);
    assert_eq!(before["meetings_held"], 0);
    assert_eq!(before["attendances"], 0);
    by_member.expect_error(403, "clubs.forbidden");
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(
    a_member_of_an_open_club_answers_yes_is_recorded_present_and_the_meeting_counts_as_held_in_the_year_s_activity
);

async fn a_cancelled_meeting_keeps_its_answers_shows_its_reason_and_takes_no_new_answer(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let [yes, no, maybe, late] = [
        app.club_member(club, &animator).await,
        app.club_member(club, &animator).await,
        app.club_member(club, &animator).await,
        app.club_member(club, &animator).await,
    ];
    let meeting = app
        .meeting(
            &animator,
            club,
            meeting_body("Grant applications", clubs_start() + Duration::days(7), 2),
        )
        .await;
    app.rsvp(&yes, meeting, "yes").await.expect(201);
    app.rsvp(&no, meeting, "no").await.expect(201);
    app.rsvp(&maybe, meeting, "maybe").await.expect(201);

    let by_member = app
        .post(
            &format!("/api/v1/meetings/{meeting}/cancel"),
            Some(&yes.token),
            json!({ "reason": "I cannot come" }),
        )
        .await;
    let cancelled = app
        .post(
            &format!("/api/v1/meetings/{meeting}/cancel"),
            Some(&animator.token),
            json!({ "reason": "The room is unavailable" }),
        )
        .await;
    let seen = app.get_meeting(&yes, meeting).await;
    let new_answer = app.rsvp(&late, meeting, "yes").await;
    let changed_answer = app.rsvp(&no, meeting, "yes").await;
    let cancelled_again = app
        .post(
            &format!("/api/v1/meetings/{meeting}/cancel"),
            Some(&animator.token),
            json!({ "reason": "Still unavailable" }),
        )
        .await;
    let names = app
        .get(
            &format!("/api/v1/meetings/{meeting}/rsvps"),
            Some(&animator.token),
        )
        .await;

    by_member.expect_error(403, "clubs.forbidden");
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancel_reason"], "The room is unavailable");
    assert_eq!(counts(&cancelled), (1, 1, 1));
    seen.expect(200);
    assert_eq!(seen.body["status"], "cancelled");
    assert_eq!(seen.body["cancel_reason"], "The room is unavailable");
    assert_eq!(counts(&seen), (1, 1, 1), "the answers are kept");
    assert_eq!(seen.body["my_rsvp"], "yes");
    new_answer.expect_error(409, "clubs.meeting_cancelled");
    changed_answer.expect_error(409, "clubs.meeting_cancelled");
    cancelled_again.expect_error(409, "clubs.meeting_cancelled");
    names.expect(200);
    assert_eq!(
        names.body["counts"],
        json!({ "yes": 1, "no": 1, "maybe": 1 })
    );
    assert_eq!(names.body["items"].as_array().unwrap().len(), 3);
    let no_answer = names.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["person"]["id"] == no.id.to_string())
        .unwrap();
    assert_eq!(
        no_answer["rsvp"]["answer"], "no",
        "the refused change left it"
    );
}
db_test!(a_cancelled_meeting_keeps_its_answers_shows_its_reason_and_takes_no_new_answer);

async fn an_online_link_is_shown_to_members_only_and_an_outsider_never_sees_who_answered(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "public").await;
    let member = app.club_member(club, &animator).await;
    let outsider = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let link = "https://meet.example.org/club-finances";
    let mut body = meeting_body("Online budget clinic", clubs_start() + Duration::days(3), 1);
    body["online_url"] = json!(link);
    let meeting = app.meeting(&animator, club, body).await;
    app.rsvp(&member, meeting, "yes").await.expect(201);

    let club_seen = app
        .get(&format!("/api/v1/clubs/{club}"), Some(&outsider.token))
        .await;
    let as_outsider = app.get_meeting(&outsider, meeting).await;
    let list_as_outsider = app
        .get(
            &format!("/api/v1/clubs/{club}/meetings"),
            Some(&outsider.token),
        )
        .await;
    let as_member = app.get_meeting(&member, meeting).await;
    let list_as_member = app
        .get(
            &format!("/api/v1/clubs/{club}/meetings"),
            Some(&member.token),
        )
        .await;
    let rsvps_path = format!("/api/v1/meetings/{meeting}/rsvps");
    let names_to_outsider = app.get(&rsvps_path, Some(&outsider.token)).await;
    let names_to_member = app.get(&rsvps_path, Some(&member.token)).await;
    let names_to_animator = app.get(&rsvps_path, Some(&animator.token)).await;
    let members_to_outsider = app
        .get(
            &format!("/api/v1/clubs/{club}/members"),
            Some(&outsider.token),
        )
        .await;

    club_seen.expect(200);
    assert!(
        club_seen.body["calendar_url"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/calendar/clubs/{club}.ics"))),
        "a public club gives its calendar: {}",
        club_seen.text
    );
    as_outsider.expect(200);
    assert_eq!(as_outsider.body["online"], true);
    assert_eq!(as_outsider.body["online_url"], json!(null));
    assert_eq!(counts(&as_outsider), (1, 0, 0), "counts, for everyone");
    assert_eq!(as_outsider.body["my_rsvp"], "none");
    list_as_outsider.expect(200);
    let listed = list_as_outsider.body["items"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["online"], true);
    assert_eq!(listed[0]["online_url"], json!(null));
    for reply in [&as_outsider, &list_as_outsider] {
        assert!(
            !reply.text.contains(link),
            "the link leaked: {}",
            reply.text
        );
        assert!(
            !reply.text.contains(&member.id.to_string()),
            "who answered leaked: {}",
            reply.text
        );
    }
    as_member.expect(200);
    assert_eq!(as_member.body["online"], true);
    assert_eq!(as_member.body["online_url"], link);
    assert_eq!(as_member.body["my_rsvp"], "yes");
    list_as_member.expect(200);
    assert_eq!(list_as_member.body["items"][0]["online_url"], link);
    names_to_outsider.expect_error(403, "clubs.forbidden");
    assert!(!names_to_outsider.text.contains(&member.id.to_string()));
    names_to_member.expect_error(403, "clubs.forbidden");
    names_to_animator.expect(200);
    let items = names_to_animator.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["person"]["id"], member.id.to_string());
    assert_eq!(items[0]["person"]["last_name"], "Person");
    assert_eq!(items[0]["rsvp"]["answer"], "yes");
    members_to_outsider.expect_error(404, "clubs.club_not_found");
}
db_test!(an_online_link_is_shown_to_members_only_and_an_outsider_never_sees_who_answered);

async fn an_outsider_who_sees_a_public_meeting_is_refused_an_answer_with_403(mut app: TestApp) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "public").await;
    let outsider = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let meeting = app
        .meeting(
            &animator,
            club,
            meeting_body("Open evening", clubs_start() + Duration::days(3), 1),
        )
        .await;

    let seen = app.get_meeting(&outsider, meeting).await;
    let answered = app.rsvp(&outsider, meeting, "yes").await;
    let after = app.get_meeting(&animator, meeting).await;

    seen.expect(200);
    answered.expect_error(403, "clubs.forbidden");
    assert_eq!(counts(&after), (0, 0, 0));
}
db_test!(an_outsider_who_sees_a_public_meeting_is_refused_an_answer_with_403);

async fn a_wrong_type_an_oversized_file_and_a_path_are_refused_and_a_pdf_downloads_byte_identical(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let member = app.club_member(club, &animator).await;
    let outsider = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let meeting = app
        .meeting(
            &animator,
            club,
            meeting_body("Payroll software", clubs_start() + Duration::days(1), 2),
        )
        .await;
    let list_path = format!("/api/v1/meetings/{meeting}/resources");
    let small = pdf(2000);
    let mut executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    executable.resize(512, 0);

    let exe = app
        .upload(&animator, meeting, None, "setup.exe", &executable)
        .await;
    let pdf_named_png = app
        .upload(&animator, meeting, None, "scan.png", &small)
        .await;
    let oversized = app
        .upload(&animator, meeting, None, "big.pdf", &pdf(64 * 1024 + 1))
        .await;
    let traversal = app
        .upload(&animator, meeting, None, "../../etc/passwd.pdf", &small)
        .await;
    let with_directory = app
        .upload(&animator, meeting, None, "a/b.pdf", &small)
        .await;
    let by_member = app
        .upload(&member, meeting, None, "minutes.pdf", &small)
        .await;
    let after_refusals = app.get(&list_path, Some(&member.token)).await;

    exe.expect_error(422, "clubs.file_type_not_allowed");
    pdf_named_png.expect_error(422, "clubs.file_type_not_allowed");
    oversized.expect_error(413, "clubs.file_too_large");
    traversal.expect_error(422, "clubs.bad_file_name");
    with_directory.expect_error(422, "clubs.bad_file_name");
    by_member.expect_error(403, "clubs.forbidden");
    after_refusals.expect(200);
    assert_eq!(after_refusals.body, json!([]), "nothing was stored");

    let document = pdf(64 * 1024);
    let uploaded = app
        .upload(
            &animator,
            meeting,
            Some("Budget 2026"),
            "Budget 2026.pdf",
            &document,
        )
        .await;
    uploaded.expect(201);
    assert_eq!(uploaded.body["kind"], "file");
    assert_eq!(uploaded.body["title"], "Budget 2026");
    assert_eq!(uploaded.body["file_name"], "Budget 2026.pdf");
    assert_eq!(uploaded.body["content_type"], "application/pdf");
    assert_eq!(uploaded.body["size_bytes"], document.len());
    assert_eq!(
        uploaded.body["sha256"],
        hex::encode(Sha256::digest(&document))
    );
    let listed = app.get(&list_path, Some(&member.token)).await;
    listed.expect(200);
    let items = listed.body.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], uploaded.body["id"]);
    assert_eq!(items[0]["content_type"], "application/pdf");
    let path = uploaded.body["download_path"].as_str().unwrap().to_owned();
    let downloaded = app.download(&member, &path).await;
    assert_eq!(downloaded.status, 200);
    assert!(
        downloaded.bytes == document,
        "the download differs from the upload ({} bytes, {} expected)",
        downloaded.bytes.len(),
        document.len()
    );
    let disposition = downloaded.content_disposition.unwrap_or_default();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename=\"Budget 2026.pdf\""),
        "{disposition}"
    );
    let to_outsider = app.download(&outsider, &path).await;
    assert_eq!(to_outsider.status, 404);
    assert!(to_outsider.bytes != document);

    let deleted = app
        .call(
            poem::http::Method::DELETE,
            &format!("{list_path}/{}", uploaded.id()),
            Some(&animator.token),
            None,
        )
        .await;
    deleted.expect(204);
    let after_delete = app.get(&list_path, Some(&member.token)).await;
    assert_eq!(after_delete.body, json!([]));
    assert_eq!(app.download(&member, &path).await.status, 404);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_wrong_type_an_oversized_file_and_a_path_are_refused_and_a_pdf_downloads_byte_identical);

async fn minutes_keep_every_version_in_order_and_a_stale_edit_is_refused(mut app: TestApp) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let member = app.club_member(club, &animator).await;
    let meeting = app
        .meeting(
            &animator,
            club,
            meeting_body("Year-end closing", clubs_start() - Duration::days(1), 2),
        )
        .await;
    let minutes_path = format!("/api/v1/meetings/{meeting}/minutes");

    let none_yet = app.get(&minutes_path, Some(&member.token)).await;
    let first = app
        .post_minutes(&animator, meeting, json!({ "body": "# Closing\n\nDraft." }))
        .await;
    let second = app
        .post_minutes(
            &animator,
            meeting,
            json!({ "body": "# Closing\n\nDraft, reviewed.", "based_on": 1 }),
        )
        .await;
    let stale = app
        .post_minutes(
            &admin,
            meeting,
            json!({ "body": "# Closing\n\nAnother edit of the draft.", "based_on": 1 }),
        )
        .await;
    let by_member = app
        .post_minutes(&member, meeting, json!({ "body": "My own minutes" }))
        .await;
    let read = app.get(&minutes_path, Some(&member.token)).await;

    none_yet.expect_error(404, "clubs.minutes_not_found");
    first.expect(201);
    assert_eq!(first.body["number"], 1);
    assert_eq!(first.body["author_id"], animator.id.to_string());
    second.expect(201);
    assert_eq!(second.body["number"], 2);
    stale.expect_error(409, "clubs.minutes_changed");
    by_member.expect_error(403, "clubs.forbidden");
    read.expect(200);
    assert_eq!(read.body["meeting_id"], meeting.to_string());
    assert_eq!(read.body["current"]["number"], 2);
    assert_eq!(
        read.body["current"]["body"],
        "# Closing\n\nDraft, reviewed."
    );
    let versions: Vec<(i64, &str)> = read.body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["number"].as_i64().unwrap(), v["body"].as_str().unwrap()))
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, "# Closing\n\nDraft."),
            (2, "# Closing\n\nDraft, reviewed.")
        ]
    );
}
db_test!(minutes_keep_every_version_in_order_and_a_stale_edit_is_refused);

async fn ten_members_answering_yes_at_once_to_a_three_place_meeting_get_three_places_and_seven_409(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let mut members: Vec<User> = Vec::new();
    for _ in 0..10 {
        members.push(app.club_member(club, &animator).await);
    }
    let mut body = meeting_body("Small workshop", clubs_start() + Duration::days(5), 3);
    body["capacity"] = json!(3);
    let meeting = app.meeting(&animator, club, body).await;
    let app = Arc::new(app);

    let calls: Vec<_> = members
        .iter()
        .cloned()
        .map(|member| {
            let app = app.clone();
            tokio::spawn(async move { app.rsvp(&member, meeting, "yes").await })
        })
        .collect();
    let mut replies = Vec::new();
    for call in calls {
        replies.push(call.await.unwrap());
    }

    let accepted = replies.iter().filter(|r| r.status == 201).count();
    let full: Vec<&Reply> = replies.iter().filter(|r| r.status != 201).collect();
    assert_eq!(accepted, 3, "exactly the capacity answered yes");
    assert_eq!(full.len(), 7);
    for reply in full {
        reply.expect_error(409, "clubs.meeting_full");
    }
    let seen = app.get_meeting(&animator, meeting).await;
    seen.expect(200);
    assert_eq!(counts(&seen), (3, 0, 0));
    let names = app
        .get(
            &format!("/api/v1/meetings/{meeting}/rsvps"),
            Some(&animator.token),
        )
        .await;
    names.expect(200);
    assert_eq!(names.body["items"].as_array().unwrap().len(), 3);
    let refused = members
        .iter()
        .zip(&replies)
        .find(|(_, r)| r.status == 409)
        .map(|(m, _)| m)
        .unwrap();
    app.rsvp(refused, meeting, "maybe").await.expect(201);
    assert_eq!(
        counts(&app.get_meeting(&animator, meeting).await),
        (3, 0, 1)
    );
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(ten_members_answering_yes_at_once_to_a_three_place_meeting_get_three_places_and_seven_409);

async fn a_meeting_is_outside_the_qualiopi_scope_unless_an_administrator_puts_it_in(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let member = app.club_member(club, &animator).await;
    let starts = clubs_start() + Duration::days(10);

    let planned = app
        .plan_meeting(&animator, club, meeting_body("Monthly", starts, 2))
        .await;
    let mut flagged = meeting_body("Monthly, flagged", starts, 2);
    flagged["quality_scope"] = json!(true);
    let flagged_by_animator = app.plan_meeting(&animator, club, flagged.clone()).await;
    let meeting = planned.id();
    let path = format!("/api/v1/meetings/{meeting}");
    let patched_by_animator = app
        .patch(
            &path,
            Some(&animator.token),
            json!({ "quality_scope": true }),
        )
        .await;
    let after_refusal = app.get_meeting(&member, meeting).await;
    let patched_by_admin = app
        .patch(&path, Some(&admin.token), json!({ "quality_scope": true }))
        .await;
    let read_back = app.get_meeting(&member, meeting).await;
    let flagged_by_admin = app.plan_meeting(&admin, club, flagged).await;

    planned.expect(201);
    assert_eq!(planned.body["quality_scope"], false);
    assert_eq!(planned.body["status"], "planned");
    flagged_by_animator.expect_error(403, "clubs.forbidden");
    patched_by_animator.expect_error(403, "clubs.forbidden");
    assert_eq!(after_refusal.body["quality_scope"], false);
    patched_by_admin.expect(200);
    assert_eq!(patched_by_admin.body["quality_scope"], true);
    read_back.expect(200);
    assert_eq!(read_back.body["quality_scope"], true);
    flagged_by_admin.expect(201);
    assert_eq!(flagged_by_admin.body["quality_scope"], true);
    let listed = app
        .get(
            &format!("/api/v1/clubs/{club}/meetings"),
            Some(&member.token),
        )
        .await;
    listed.expect(200);
    assert_eq!(
        listed.body["items"].as_array().unwrap().len(),
        2,
        "the refused meeting was not planned"
    );
}
db_test!(a_meeting_is_outside_the_qualiopi_scope_unless_an_administrator_puts_it_in);

async fn attendance_opens_30_minutes_before_the_meeting_and_only_for_the_club_s_members(
    mut app: TestApp,
) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let first = app.club_member(club, &animator).await;
    let second = app.club_member(club, &animator).await;
    let stranger = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let starts = clubs_start() + Duration::hours(2);
    let meeting = app
        .meeting(&animator, club, meeting_body("Hiring", starts, 2))
        .await;
    let cancelled = app
        .meeting(&animator, club, meeting_body("Hiring, again", starts, 2))
        .await;
    app.post(
        &format!("/api/v1/meetings/{cancelled}/cancel"),
        Some(&animator.token),
        json!({ "reason": "Merged with the other meeting" }),
    )
    .await
    .expect(200);
    let present = json!({ "status": "present" });

    let two_hours_before = app
        .meeting_mark(&animator, meeting, first.id, present.clone())
        .await;
    clock.advance(Duration::minutes(89));
    let thirty_one_minutes_before = app
        .meeting_mark(&animator, meeting, first.id, present.clone())
        .await;
    clock.advance(Duration::minutes(1));
    let absent = app
        .meeting_mark(&animator, meeting, second.id, json!({ "status": "absent" }))
        .await;
    let after_absence = app.get_meeting(&first, meeting).await;
    let thirty_minutes_before = app
        .meeting_mark(&animator, meeting, first.id, present.clone())
        .await;
    let after_presence = app.get_meeting(&first, meeting).await;
    let not_a_member = app
        .meeting_mark(&animator, meeting, stranger.id, present.clone())
        .await;
    let by_member = app
        .meeting_mark(&first, meeting, second.id, present.clone())
        .await;
    let at_cancelled = app
        .meeting_mark(&animator, cancelled, first.id, present.clone())
        .await;
    let marks = app
        .get(
            &format!("/api/v1/meetings/{meeting}/attendance"),
            Some(&animator.token),
        )
        .await;

    two_hours_before.expect_error(409, "clubs.meeting_not_started");
    thirty_one_minutes_before.expect_error(409, "clubs.meeting_not_started");
    absent.expect(201);
    assert_eq!(
        after_absence.body["status"], "planned",
        "an absence does not hold a meeting"
    );
    thirty_minutes_before.expect(201);
    assert_eq!(after_presence.body["status"], "held");
    not_a_member.expect_error(404, "clubs.member_not_found");
    by_member.expect_error(403, "clubs.forbidden");
    at_cancelled.expect_error(409, "clubs.meeting_cancelled");
    marks.expect(200);
    let mut recorded: Vec<(String, String)> = marks
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["person_id"].as_str().unwrap().to_owned(),
                m["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    recorded.sort();
    let mut expected = vec![
        (first.id.to_string(), "present".to_owned()),
        (second.id.to_string(), "absent".to_owned()),
    ];
    expected.sort();
    assert_eq!(recorded, expected, "nothing recorded for the stranger");
}
db_test!(attendance_opens_30_minutes_before_the_meeting_and_only_for_the_club_s_members);
