//! Values validated in more than one place, as newtypes: once parsed, a value is known good.
//! Each parses from what a client typed and says what is wrong in the words a field error uses;
//! [`crate::validation::FieldErrors::parse`] records that against a field.

use std::fmt;

use chrono_tz::Tz;
use validator::ValidateEmail;

/// A value parsed from client text.
pub trait Parse: Sized {
    /// The value, or what is wrong with the text.
    fn parse(raw: &str) -> Result<Self, String>;
}

/// An e-mail address (trimmed, at most 254 characters). [`Email::normalized`] is the form
/// uniqueness is decided on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Lower-cased: `Awa@Example.org` and `awa@example.org` are one account.
    pub fn normalized(&self) -> String {
        normalize_email(&self.0)
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The form an e-mail is looked up by.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Parse for Email {
    fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim();
        if email.validate_email() && email.chars().count() <= 254 {
            Ok(Self(email.to_owned()))
        } else {
            Err("must be a valid e-mail address".into())
        }
    }
}

/// A country, ISO 3166-1 alpha-2, upper case (`FR`, `TG`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country(String);

impl Country {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl Parse for Country {
    fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_uppercase();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err("must be an ISO 3166-1 alpha-2 code such as FR or TG".into())
        }
    }
}

/// An IANA time zone (`Europe/Paris`, `Africa/Lome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    pub fn tz(self) -> Tz {
        self.0
    }
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl Parse for TimeZone {
    fn parse(raw: &str) -> Result<Self, String> {
        raw.trim().parse::<Tz>().map(Self).map_err(|_| {
            format!("{raw:?} is not an IANA time zone (e.g. Europe/Paris, Africa/Lome)")
        })
    }
}

/// An absolute `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl Parse for HttpUrl {
    fn parse(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => {
                Ok(Self(url.to_owned()))
            }
            _ => Err("must be an http(s) link".into()),
        }
    }
}

macro_rules! display_as_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_str!(Email, Country, HttpUrl);

/// What a context did with one kind of a person's records when their personal data was erased
/// (GDPR Art. 17): the erasure's report lists one per kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The kind of record, e.g. `enrolment.needs`.
    pub record: &'static str,
    pub treatment: Treatment,
    /// How many records.
    pub count: u64,
}

/// What erasure does to a kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Deleted.
    Removed,
    /// Kept, with what named the person replaced or emptied.
    Pseudonymised,
    /// Kept as it is: the law requires it (Art. 17(3)(b)) and it names no one but by the
    /// pseudonym.
    Retained,
}

impl Erasure {
    pub fn new(record: &'static str, treatment: Treatment, count: usize) -> Self {
        Self {
            record,
            treatment,
            count: count as u64,
        }
    }
}

/// How many records of a kind a retention purge removes (or, in a dry run, would remove).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    /// The kind of record, e.g. `notification`.
    pub record: &'static str,
    pub count: u64,
}

impl Purged {
    pub fn new(record: &'static str, count: u64) -> Self {
        Self { record, count }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_accept_what_users_type_and_refuse_the_rest() {
        assert_eq!(
            Email::parse(" Awa@Example.org ").map(|e| e.normalized()),
            Ok("awa@example.org".to_owned())
        );
        assert!(Email::parse("not an address").is_err());
        assert_eq!(
            Country::parse("tg").map(Country::into_inner),
            Ok("TG".into())
        );
        assert!(Country::parse("FRA").is_err());
        assert_eq!(
            TimeZone::parse("Africa/Lome").map(TimeZone::name),
            Ok("Africa/Lome")
        );
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert!(HttpUrl::parse("https://meet.example.org/x").is_ok());
        assert!(HttpUrl::parse("ftp://example.org").is_err());
        assert!(HttpUrl::parse("https://").is_err());
    }
}
