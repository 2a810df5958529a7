//! A calendar date in a query (`?from=2027-01-01`): `YYYY-MM-DD`, as the schema states.

use chrono::NaiveDate;
use poem_openapi::registry::MetaSchema;
use poem_openapi::types::{ParseError, ParseFromParameter, ParseResult};

use crate::http::dates::DateText;
use crate::http::scalar::scalar_type;

/// A date of a query parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DayParam(pub NaiveDate);

scalar_type!(
    DayParam,
    "string_date(query)",
    MetaSchema {
        min_length: Some(10),
        max_length: Some(10),
        pattern: Some(DateText::PATTERN.to_owned()),
        ..MetaSchema::new_with_format("string", "date")
    }
);

impl ParseFromParameter for DayParam {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .ok()
            .filter(|_| value.len() == 10)
            .map(Self)
            .ok_or_else(|| ParseError::custom(format!("{value:?} is not a date (YYYY-MM-DD)")))
    }
}
