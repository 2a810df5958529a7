//! `Text`: a JSON string that is only a string.
//!
//! poem-openapi's `String` accepts JSON numbers and booleans (`"name": 0.0` becomes `"0.0"`),
//! which the spec says is not a string. Request fields use `Text` so a value of the wrong type is
//! a 400, as the spec promises.

use std::fmt;

use poem_openapi::registry::MetaSchema;
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON};
use serde_json::Value;

use super::scalar::scalar_type;

/// A string field of a request body; a number or boolean is rejected.
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl Text {
    pub fn into_inner(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

scalar_type!(Text, "string", MetaSchema::new("string"));

impl ParseFromJSON for Text {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => Ok(Self(s)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for Text {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// An item of a list of short texts (a programme's objectives, prerequisites): a string of 1 to
/// 1000 characters, as its schema states.
#[derive(Clone, PartialEq, Eq, Default, Debug)]
pub struct ListItem(pub String);

impl ListItem {
    pub const MAX_CHARS: usize = 1000;

    pub fn into_inner(self) -> String {
        self.0
    }
}

scalar_type!(
    ListItem,
    "string(list-item)",
    MetaSchema {
        min_length: Some(1),
        max_length: Some(ListItem::MAX_CHARS),
        ..MetaSchema::new("string")
    }
);

impl ParseFromJSON for ListItem {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => {
                let chars = s.chars().count();
                if chars == 0 {
                    Err(ParseError::custom(
                        "verification failed. minLength(1): a list item is empty",
                    ))
                } else if chars > Self::MAX_CHARS {
                    Err(ParseError::custom(format!(
                        "verification failed. maxLength({}): a list item is too long",
                        Self::MAX_CHARS
                    )))
                } else {
                    Ok(Self(s))
                }
            }
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for ListItem {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// An e-mail address field of a request: a string the spec states as `format: email` (at most
/// 254 characters); the service still checks it and answers 422 naming the field when it is not
/// an address.
#[derive(Clone, PartialEq, Eq, Default, Debug)]
pub struct EmailText(pub String);

impl EmailText {
    pub const MAX_CHARS: usize = 254;

    pub fn into_inner(self) -> String {
        self.0
    }
}

scalar_type!(
    EmailText,
    "string_email",
    MetaSchema {
        max_length: Some(EmailText::MAX_CHARS),
        ..MetaSchema::new_with_format("string", "email")
    }
);

impl ParseFromJSON for EmailText {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) if s.chars().count() > Self::MAX_CHARS => {
                Err(ParseError::custom(format!(
                    "verification failed. maxLength({})",
                    Self::MAX_CHARS
                )))
            }
            Some(Value::String(s)) => Ok(Self(s)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for EmailText {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}
