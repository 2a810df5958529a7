//! Request types whose schema states the whole rule: a calendar date (`YYYY-MM-DD`, nothing
//! shorter) and an IANA time zone name (the enumeration of the zone database the server carries).
//!
//! With `format: date` alone, `""` is schema-valid (in OpenAPI 3.0 a format is an annotation), and a
//! free string for a zone lets a client send one the server refuses; both are found by
//! schemathesis as "schema-valid request rejected". The schemas below leave no such gap.

use std::borrow::Cow;

use chrono::NaiveDate;
use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

use super::scalar::scalar_type;

/// A calendar date of a request, `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DateText(pub NaiveDate);

impl DateText {
    /// Months 01–12 and days 01–31; the calendar (30 February) is still checked when parsed.
    pub const PATTERN: &'static str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

    pub fn into_inner(self) -> NaiveDate {
        self.0
    }
}

scalar_type!(
    DateText,
    "string_date",
    MetaSchema {
        min_length: Some(10),
        max_length: Some(10),
        pattern: Some(DateText::PATTERN.to_owned()),
        ..MetaSchema::new_with_format("string", "date")
    }
);

impl ParseFromJSON for DateText {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .ok()
                .filter(|_| s.len() == 10)
                .map(Self)
                .ok_or_else(|| ParseError::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for DateText {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.format("%Y-%m-%d").to_string()))
    }
}

/// An IANA time zone name of a request (`Europe/Paris`, `Africa/Lome`): one of the names the
/// spec's `TimeZoneName` schema enumerates.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ZoneName(pub String);

impl ZoneName {
    pub fn into_inner(self) -> String {
        self.0
    }

    /// Adds `x-enum-varnames` to the `TimeZoneName` schema of a rendered spec: generated clients
    /// otherwise derive member names from the values, and `GMT-0`, `GMT+0` and `GMT0` collide.
    pub fn name_members(spec: &mut Value) {
        let schema = &mut spec["components"]["schemas"]["TimeZoneName"];
        let Some(values) = schema["enum"].as_array() else {
            return;
        };
        let names: Vec<Value> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|zone| Value::String(member_name(zone)))
            .collect();
        schema["x-enum-varnames"] = Value::Array(names);
    }
}

/// `Etc/GMT+1` → `ETC_GMT_PLUS_1`, `America/Port-au-Prince` → `AMERICA_PORT_AU_PRINCE`.
fn member_name(zone: &str) -> String {
    let mut name = String::with_capacity(zone.len() + 8);
    let mut chars = zone.chars().peekable();
    while let Some(c) = chars.next() {
        let signed = chars.peek().is_some_and(char::is_ascii_digit);
        match c {
            '+' if signed => name.push_str("_PLUS_"),
            '-' if signed => name.push_str("_MINUS_"),
            '/' | '-' | '+' => name.push('_'),
            c => name.extend(c.to_uppercase()),
        }
    }
    name
}

impl Type for ZoneName {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "TimeZoneName".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference(Self::name().into_owned())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<Self, _>(Self::name().into_owned(), |_| MetaSchema {
            description: Some("An IANA time zone name, from the zone database the server carries."),
            enum_items: chrono_tz::TZ_VARIANTS
                .iter()
                .map(|tz| Value::String(tz.name().to_owned()))
                .collect(),
            ..MetaSchema::new("string")
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for ZoneName {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) if s.parse::<chrono_tz::Tz>().is_ok() => Ok(Self(s)),
            Some(Value::String(s)) => Err(ParseError::custom(format!(
                "{s:?} is not an IANA time zone (e.g. Europe/Paris, Africa/Lome)"
            ))),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for ZoneName {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_ten_characters_of_a_real_day() {
        let parse = |s: &str| DateText::parse_from_json(Some(Value::String(s.into())));
        assert_eq!(
            parse("2027-02-28").unwrap().0,
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
        for bad in [
            "",
            "2027-2-28",
            "2027-02-30",
            "27-02-28",
            "2027-02-28T00:00",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_zone_is_one_the_schema_enumerates() {
        let parse = |s: &str| ZoneName::parse_from_json(Some(Value::String(s.into())));
        assert!(parse("Africa/Lome").is_ok());
        assert!(parse("Mars/Olympus").is_err());
        assert!(parse("").is_err());
        let mut registry = Registry::new();
        ZoneName::register(&mut registry);
        let schema = &registry.schemas["TimeZoneName"];
        assert!(
            schema
                .enum_items
                .contains(&Value::String("Europe/Paris".into()))
        );
        assert!(
            schema
                .enum_items
                .iter()
                .all(|v| v.as_str().unwrap().parse::<chrono_tz::Tz>().is_ok())
        );
    }

    #[test]
    fn every_zone_gets_its_own_member_name() {
        let names: std::collections::BTreeSet<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| member_name(tz.name()))
            .collect();
        assert_eq!(names.len(), chrono_tz::TZ_VARIANTS.len());
        assert_eq!(member_name("Etc/GMT+1"), "ETC_GMT_PLUS_1");
        assert_eq!(member_name("GMT-0"), "GMT_MINUS_0");
        assert_eq!(
            member_name("America/Port-au-Prince"),
            "AMERICA_PORT_AU_PRINCE"
        );
    }
}
