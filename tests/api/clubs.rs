//! Clubs: who may join (open, on request, the federation's members), who decides, who sees
//! what of a members-only club, and who may animate one.

use chrono::Duration;
use serde_json::json;

use crate::fixtures::{clubs_start, meeting_body};
use crate::harness::TestApp;
use crate::oracle::assert_every_synced_row_is_stamped;

/// The `person.id` of each item of a members list.
fn people(reply: &crate::harness::Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {}", reply.text))
        .iter()
        .map(|m| m["person"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn an_outsider_of_a_members_only_club_gets_404_on_its_meetings_minutes_resources_and_members(
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
            meeting_body("Budget review", clubs_start() + Duration::days(2), 2),
        )
        .await;
    app.post_minutes(&animator, meeting, json!({ "body": "# Decisions" }))
        .await
        .expect(201);
    app.post(
        &format!("/api/v1/meetings/{meeting}/resources"),
        Some(&animator.token),
        json!({ "title": "Slides", "url": "https://example.org/slides" }),
    )
    .await
    .expect(201);
    // What a member sees, so that the outsider's 404s are not about emptiness.
    let as_member = [
        format!("/api/v1/clubs/{club}/meetings"),
        format!("/api/v1/meetings/{meeting}"),
        format!("/api/v1/meetings/{meeting}/minutes"),
        format!("/api/v1/meetings/{meeting}/resources"),
        format!("/api/v1/clubs/{club}/members"),
    ];
    for path in &as_member {
        app.get(path, Some(&member.token)).await.expect(200);
    }

    let club_itself = app
        .get(&format!("/api/v1/clubs/{club}"), Some(&outsider.token))
        .await;
    let meetings = app
        .get(
            &format!("/api/v1/clubs/{club}/meetings"),
            Some(&outsider.token),
        )
        .await;
    let one = app.get_meeting(&outsider, meeting).await;
    let minutes = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&outsider.token),
        )
        .await;
    let resources = app
        .get(
            &format!("/api/v1/meetings/{meeting}/resources"),
            Some(&outsider.token),
        )
        .await;
    let members = app
        .get(
            &format!("/api/v1/clubs/{club}/members"),
            Some(&outsider.token),
        )
        .await;

    club_itself.expect(200);
    assert_eq!(club_itself.body["calendar_url"], json!(null));
    assert_eq!(club_itself.body["my_membership"], json!(null));
    meetings.expect_error(404, "clubs.club_not_found");
    one.expect_error(404, "clubs.meeting_not_found");
    minutes.expect_error(404, "clubs.meeting_not_found");
    resources.expect_error(404, "clubs.meeting_not_found");
    members.expect_error(404, "clubs.club_not_found");
    assert!(
        !members.text.contains(&member.id.to_string()),
        "no member named to an outsider"
    );
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(an_outsider_of_a_members_only_club_gets_404_on_its_meetings_minutes_resources_and_members);

async fn a_request_to_join_an_on_request_club_waits_for_its_own_animator_s_approval(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "on_request", "members").await;
    let (_other_club, other_animator) = app.club(&admin, "open", "members").await;
    let person = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let members_path = format!("/api/v1/clubs/{club}/members");

    let asked = app
        .post(
            &format!("/api/v1/clubs/{club}/join"),
            Some(&person.token),
            json!({ "message": "I run the budget of my association" }),
        )
        .await;
    let asked_again = app
        .post(
            &format!("/api/v1/clubs/{club}/join"),
            Some(&person.token),
            json!({}),
        )
        .await;
    let while_pending = app.get(&members_path, Some(&person.token)).await;
    let by_other_animator = app
        .post(
            &format!("/api/v1/clubs/{club}/members/{}/approve", person.id),
            Some(&other_animator.token),
            json!({}),
        )
        .await;
    let requests = app
        .get(
            &format!("{members_path}?status=pending"),
            Some(&animator.token),
        )
        .await;

    asked.expect(201);
    assert_eq!(asked.body["status"], "pending");
    assert_eq!(asked.body["message"], "I run the budget of my association");
    asked_again.expect(200);
    assert_eq!(asked_again.body["status"], "pending");
    assert_eq!(asked_again.body["id"], asked.body["id"]);
    while_pending.expect_error(404, "clubs.club_not_found");
    by_other_animator.expect_error(403, "clubs.forbidden");
    requests.expect(200);
    assert_eq!(
        people(&requests),
        vec![person.id.to_string()],
        "the request is still waiting after the other club's animator tried"
    );
    assert_eq!(requests.body["items"][0]["membership"]["status"], "pending");

    let approved = app
        .post(
            &format!("/api/v1/clubs/{club}/members/{}/approve", person.id),
            Some(&animator.token),
            json!({}),
        )
        .await;
    let approved_again = app
        .post(
            &format!("/api/v1/clubs/{club}/members/{}/approve", person.id),
            Some(&animator.token),
            json!({}),
        )
        .await;
    let members = app.get(&members_path, Some(&person.token)).await;
    let mine = app.get("/api/v1/me/clubs", Some(&person.token)).await;

    approved.expect(200);
    assert_eq!(approved.body["status"], "active");
    assert_eq!(approved.body["decided_by"], animator.id.to_string());
    approved_again.expect_error(409, "clubs.not_pending");
    members.expect(200);
    let listed = people(&members);
    assert!(listed.contains(&person.id.to_string()), "{}", members.text);
    assert!(
        listed.contains(&animator.id.to_string()),
        "{}",
        members.text
    );
    assert_eq!(listed.len(), 2);
    mine.expect(200);
    let clubs = mine.body["items"].as_array().unwrap();
    assert_eq!(clubs.len(), 1);
    assert_eq!(clubs[0]["id"], club.to_string());
    assert_eq!(clubs[0]["my_membership"]["status"], "active");
    assert_eq!(clubs[0]["member_count"], 2);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_request_to_join_an_on_request_club_waits_for_its_own_animator_s_approval);

async fn a_federation_members_club_refuses_a_non_member_organisation_s_person_and_takes_a_member_s_at_once(
    mut app: TestApp,
) {
    app.on_club_clock();
    let admin = app.admin().await;
    let member_org = app.organisation(&admin, "Adhérente", true).await;
    let other_org = app.organisation(&admin, "Non adhérente", false).await;
    let (club, _animator) = app.club(&admin, "federation_members", "members").await;
    let outsider = app.member_of(other_org).await;
    let insider = app.member_of(member_org).await;
    let join = format!("/api/v1/clubs/{club}/join");

    let refused = app.post(&join, Some(&outsider.token), json!({})).await;
    let joined = app.post(&join, Some(&insider.token), json!({})).await;
    let club_seen = app
        .get(&format!("/api/v1/clubs/{club}"), Some(&outsider.token))
        .await;
    let members = app
        .get(
            &format!("/api/v1/clubs/{club}/members"),
            Some(&insider.token),
        )
        .await;

    refused.expect_error(403, "clubs.federation_members_only");
    joined.expect(201);
    assert_eq!(joined.body["status"], "active");
    assert_eq!(joined.body["person_id"], insider.id.to_string());
    club_seen.expect(200);
    assert_eq!(
        club_seen.body["my_membership"],
        json!(null),
        "the refusal left no membership"
    );
    assert_eq!(club_seen.body["member_count"], 2);
    members.expect(200);
    assert!(people(&members).contains(&insider.id.to_string()));
    assert!(!people(&members).contains(&outsider.id.to_string()));
}
db_test!(
    a_federation_members_club_refuses_a_non_member_organisation_s_person_and_takes_a_member_s_at_once
);

async fn a_club_s_animators_must_hold_the_animator_role(mut app: TestApp) {
    app.on_club_clock();
    let admin = app.admin().await;
    let plain_member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let animator = app.animator().await;
    let body = |ids: Vec<uuid::Uuid>| {
        json!({
            "name": "Communication",
            "trade": "communication",
            "animator_ids": ids,
        })
    };

    let refused = app.create_club(&admin, body(vec![plain_member.id])).await;
    let unknown = app
        .create_club(&admin, body(vec![uuid::Uuid::now_v7()]))
        .await;
    let listed = app.get("/api/v1/clubs", Some(&admin.token)).await;
    let by_animator = app.create_club(&animator, body(vec![animator.id])).await;
    let created = app.create_club(&admin, body(vec![animator.id])).await;

    refused.expect_error(422, "clubs.invalid");
    assert!(
        refused.text.contains(&plain_member.id.to_string()),
        "the refusal names the person: {}",
        refused.text
    );
    unknown.expect_error(422, "clubs.invalid");
    listed.expect(200);
    assert_eq!(listed.body["items"], json!([]), "no club was created");
    by_animator.expect_error(403, "clubs.forbidden");
    created.expect(201);
    assert_eq!(created.body["membership_policy"], "federation_members");
    assert_eq!(created.body["calendar_visibility"], "members");
    assert_eq!(created.body["status"], "active");
    assert_eq!(created.body["calendar_url"], json!(null));
    let animators = created.body["animators"].as_array().unwrap();
    assert_eq!(animators.len(), 1);
    assert_eq!(animators[0]["id"], animator.id.to_string());
    assert_eq!(created.body["member_count"], 1);
    let left = app
        .post(
            &format!("/api/v1/clubs/{}/leave", created.id()),
            Some(&animator.token),
            json!({}),
        )
        .await;
    left.expect_error(409, "clubs.animator_cannot_leave");
}
db_test!(a_club_s_animators_must_hold_the_animator_role);
