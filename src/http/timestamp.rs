//! `Timestamp`: an instant written as RFC 3339 UTC with a `Z` and always milliseconds
//! (`2027-03-29T07:00:00.000Z`), the API's convention. (poem-openapi writes `DateTime<Utc>` as
//! `…+00:00` with as many decimals as the value has.)

use chrono::{DateTime, SecondsFormat, Utc};
use poem_openapi::registry::MetaSchema;
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON};
use serde_json::Value;

use super::scalar::scalar_type;

/// An instant in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value)
    }
}

scalar_type!(
    Timestamp,
    "string_date-time",
    MetaSchema::new_with_format("string", "date-time")
);

impl ToJSON for Timestamp {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(
            self.0.to_rfc3339_opts(SecondsFormat::Millis, true),
        ))
    }
}

impl ParseFromJSON for Timestamp {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(&s)
                .map(|t| Self(t.with_timezone(&Utc)))
                .map_err(|e| ParseError::custom(e.to_string())),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_is_written_with_a_z_and_always_milliseconds() {
        let cases = [
            ("2027-03-29T07:00:00+00:00", "2027-03-29T07:00:00.000Z"),
            (
                "2027-03-29T09:00:00.123456+02:00",
                "2027-03-29T07:00:00.123Z",
            ),
        ];
        for (given, written) in cases {
            let at: DateTime<Utc> = given.parse().unwrap();
            assert_eq!(Timestamp(at).to_json(), Some(Value::String(written.into())));
        }
    }
}
