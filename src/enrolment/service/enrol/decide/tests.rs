//! The decide phase, request by request, without a database.

use chrono::{Duration, TimeZone};

use super::*;
use crate::catalogue::model::{Money, SessionStatus, TrainingStatus};
use crate::enrolment::model::{EnrolRequest, FundingSource, TraineeType};
use crate::enrolment::service::PreparedEnrolment;
use crate::principal::Principal;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn session(capacity: i32, seats_taken: i32) -> SeatsView {
    SeatsView {
        id: Uuid::from_u128(1),
        status: SessionStatus::Published,
        training_status: TrainingStatus::Published,
        enrolment_deadline: None,
        starts_at: Some(now() + Duration::days(7)),
        member_price: Money {
            amount_cents: 30_000,
            currency: None,
        },
        non_member_price: Money {
            amount_cents: 45_000,
            currency: None,
        },
        capacity,
        seats_taken,
    }
}

fn job(person: u128, key: Option<&str>) -> EnrolJob {
    EnrolJob {
        principal: Principal::system(),
        prepared: PreparedEnrolment {
            request: EnrolRequest {
                session_id: Uuid::from_u128(1),
                person_id: Some(Uuid::from_u128(person)),
                trainee_type: TraineeType::Employee,
                funding_source: FundingSource::Employer,
                funding_amount_cents: None,
                needs: String::new(),
                idempotency_key: key.map(str::to_owned),
            },
            late: Default::default(),
        },
    }
}

fn standings(people: &[u128]) -> HashMap<Uuid, Standing> {
    people
        .iter()
        .map(|&p| {
            let person_id = Uuid::from_u128(p);
            let standing = Standing {
                person_id,
                organisation_id: None,
                active: true,
                member: p % 2 == 0,
            };
            (person_id, standing)
        })
        .collect()
}

fn run(session: &SeatsView, jobs: &[EnrolJob], enrolled: &[u128]) -> Plan {
    let people: Vec<u128> = (10..20).collect();
    let facts = Facts {
        session,
        standings: &standings(&people),
        earlier: &HashMap::new(),
        enrolled: enrolled.iter().map(|&p| Uuid::from_u128(p)).collect(),
        now: now(),
        late: None,
    };
    decide(jobs, facts)
}

fn outcome(plan: &Plan) -> Vec<String> {
    plan.decisions
        .iter()
        .map(|d| match d {
            Decision::Refused(e) => format!("refused {e:?}"),
            Decision::Replay(_) => "replay".to_owned(),
            Decision::New { index, replayed } => match plan.new[*index].waits {
                None => format!("seat #{index} replayed={replayed}"),
                Some(n) => format!("waits {n} #{index} replayed={replayed}"),
            },
        })
        .collect()
}

#[test]
fn the_free_seats_go_in_arrival_order_and_the_others_wait_in_line() {
    let session = session(3, 1);
    let jobs = [job(10, None), job(11, None), job(12, None), job(13, None)];

    let plan = run(&session, &jobs, &[]);

    assert_eq!(
        outcome(&plan),
        [
            "seat #0 replayed=false",
            "seat #1 replayed=false",
            "waits 0 #2 replayed=false",
            "waits 1 #3 replayed=false",
        ]
    );
    assert_eq!(plan.confirmed, 2);
}

#[test]
fn members_pay_the_member_price_and_others_the_non_member_price() {
    let session = session(5, 0);

    let plan = run(&session, &[job(10, None), job(11, None)], &[]);

    let prices: Vec<i64> = plan.new.iter().map(|p| p.row.price_cents).collect();
    assert_eq!(prices, [30_000, 45_000]);
}

#[test]
fn a_key_repeated_in_the_group_gives_the_same_enrolment_and_is_refused_for_another_person() {
    let session = session(5, 0);
    let jobs = [job(10, Some("k")), job(10, Some("k")), job(11, Some("k"))];

    let plan = run(&session, &jobs, &[]);

    assert_eq!(
        outcome(&plan),
        [
            "seat #0 replayed=false",
            "seat #0 replayed=true",
            "refused IdempotencyKeyReused",
        ]
    );
    assert_eq!(plan.confirmed, 1);
}

#[test]
fn a_person_already_enrolled_is_refused_without_taking_a_seat() {
    let session = session(1, 0);

    let plan = run(&session, &[job(10, None), job(11, None)], &[10]);

    assert_eq!(
        outcome(&plan),
        ["refused AlreadyEnrolled", "seat #0 replayed=false"]
    );
}

#[test]
fn after_the_deadline_every_request_is_refused() {
    let mut session = session(5, 0);
    session.enrolment_deadline = Some(now() - Duration::hours(1));

    let plan = run(&session, &[job(10, None), job(11, None)], &[]);

    assert_eq!(
        outcome(&plan),
        ["refused DeadlinePassed", "refused DeadlinePassed"]
    );
    assert!(plan.new.is_empty());
}
