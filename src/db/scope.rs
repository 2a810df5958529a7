//! Sync scopes: which devices see a row. A scope is typed here and written as a string key only
//! in the change index (`sync_change.scope_key`).

use std::fmt;

use uuid::Uuid;

/// A set of rows that one kind of device pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The published catalogue (everyone).
    Catalogue,
    /// One organisation's own record.
    Organisation(Uuid),
    /// One person's own record.
    Person(Uuid),
    /// One session, its half-days and what its trainers' devices need.
    Session(Uuid),
    /// One club as its animators' devices see it: meetings, memberships, RSVPs, attendance.
    Club(Uuid),
    /// One club as its members' devices see it: the club and its meetings.
    ClubMembers(Uuid),
}

impl Scope {
    /// The key stored in `sync_change.scope_key`: `catalogue`, `person:<id>`, …
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// Its kind: who reads it (a synced table says, per kind, which columns its readers get).
    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::Catalogue => ScopeKind::Catalogue,
            Scope::Organisation(_) => ScopeKind::Organisation,
            Scope::Person(_) => ScopeKind::Person,
            Scope::Session(_) => ScopeKind::Session,
            Scope::Club(_) => ScopeKind::Club,
            Scope::ClubMembers(_) => ScopeKind::ClubMembers,
        }
    }
}

/// A kind of scope, without its id: one kind of reader (everyone, a person, a session's
/// trainers, a club's animators, its members, an organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeKind {
    Catalogue,
    Organisation,
    Person,
    Session,
    Club,
    ClubMembers,
}

impl ScopeKind {
    /// Every kind.
    pub const ALL: [ScopeKind; 6] = [
        ScopeKind::Catalogue,
        ScopeKind::Organisation,
        ScopeKind::Person,
        ScopeKind::Session,
        ScopeKind::Club,
        ScopeKind::ClubMembers,
    ];

    /// The kind's name: the part of a scope key before `:` (`session`, `club_members`…).
    pub fn name(self) -> &'static str {
        match self {
            ScopeKind::Catalogue => "catalogue",
            ScopeKind::Organisation => "organisation",
            ScopeKind::Person => "person",
            ScopeKind::Session => "session",
            ScopeKind::Club => "club",
            ScopeKind::ClubMembers => "club_members",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Catalogue => f.write_str("catalogue"),
            Scope::Organisation(id) => write!(f, "organisation:{id}"),
            Scope::Person(id) => write!(f, "person:{id}"),
            Scope::Session(id) => write!(f, "session:{id}"),
            Scope::Club(id) => write!(f, "club:{id}"),
            Scope::ClubMembers(id) => write!(f, "club_members:{id}"),
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = ();

    /// Reads a key written by [`Scope::key`].
    fn from_str(key: &str) -> Result<Self, ()> {
        if key == "catalogue" {
            return Ok(Scope::Catalogue);
        }
        let (kind, id) = key.split_once(':').ok_or(())?;
        let id = Uuid::parse_str(id).map_err(|_| ())?;
        Ok(match kind {
            "organisation" => Scope::Organisation(id),
            "person" => Scope::Person(id),
            "session" => Scope::Session(id),
            "club" => Scope::Club(id),
            "club_members" => Scope::ClubMembers(id),
            _ => return Err(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_keys_keep_the_shape_devices_already_store() {
        let id = Uuid::nil();
        assert_eq!(Scope::Catalogue.key(), "catalogue");
        assert_eq!(
            Scope::Person(id).key(),
            "person:00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(Scope::Session(id).key(), format!("session:{id}"));
        assert_eq!(Scope::Organisation(id).key(), format!("organisation:{id}"));
        assert_eq!(Scope::Club(id).key(), format!("club:{id}"));
        assert_eq!(Scope::ClubMembers(id).key(), format!("club_members:{id}"));
        for scope in [Scope::Catalogue, Scope::Session(id), Scope::ClubMembers(id)] {
            assert_eq!(scope.key().parse(), Ok(scope));
        }
        assert_eq!("session:nope".parse::<Scope>(), Err(()));
        for scope in [
            Scope::Catalogue,
            Scope::Organisation(id),
            Scope::Person(id),
            Scope::Session(id),
            Scope::Club(id),
            Scope::ClubMembers(id),
        ] {
            let key = scope.key();
            let kind = key.split(':').next().unwrap();
            assert_eq!(scope.kind().name(), kind);
        }
    }
}
