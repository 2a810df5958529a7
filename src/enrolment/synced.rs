//! What devices pull of enrolment: a person's devices their own enrolments; a session's trainers'
//! devices its roster.

use crate::db::scope::Scope;
use crate::synced;

synced!(enrolment, "enrolment", |row| vec![
    Scope::Person(row.person_id),
    Scope::Session(row.session_id)
]);
