//! What devices pull of clubs: a club's animators' devices see everything of it (`Club`); its
//! members' devices see the club and its meetings (`ClubMembers`; a meeting without who created
//! it and the administrator's quality flag); a person sees their own membership and RSVPs
//! (`Person`).

use crate::db::scope::Scope;
use crate::synced;

synced!(club, "club", |row| vec![
    Scope::Club(row.id),
    Scope::ClubMembers(row.id)
]);

synced!(club_membership, "club_membership", |row| vec![
    Scope::Club(row.club_id),
    Scope::Person(row.person_id)
]);

synced!(
    meeting,
    "meeting",
    fields {
        ClubMembers => [
            "id",
            "club_id",
            "title",
            "agenda",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "capacity",
            "status",
            "cancel_reason",
            "sequence",
            "updated_at",
            "version",
        ],
    },
    |row| vec![Scope::Club(row.club_id), Scope::ClubMembers(row.club_id)]
);

synced!(meeting_rsvp, "meeting_rsvp", |row| vec![
    Scope::Club(row.club_id),
    Scope::Person(row.person_id)
]);
