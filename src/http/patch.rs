//! `Patch<T>`: an optional field of a PATCH body where absent means "leave it as it is" (or of a
//! create body where absent means the default). The spec states it optional and **not** nullable, and the server holds to that: an explicit `null`
//! is a 400 (poem-openapi's `Option<T>` would quietly read it as absent). Fields that `null`
//! clears use `MaybeUndefined` and are nullable.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

/// A change to a field, or none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Patch<T>(Option<T>);

impl<T> Patch<T> {
    /// The new value, or `None` to leave the field as it is.
    pub fn get(self) -> Option<T> {
        self.0
    }
}

/// A value to send in a response that leaves the field out when there is none (a field that
/// is optional in both directions, such as a programme's BPF classification).
impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        Self(value)
    }
}

impl<T: Type> Type for Patch<T> {
    const IS_REQUIRED: bool = false;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("optional_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        raw_value(&self.0)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        raw_elements(&self.0)
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Patch<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            None => Ok(Self(None)),
            Some(Value::Null) => Err(ParseError::custom(
                "null is not a value here; omit the field to leave it unchanged",
            )),
            some => T::parse_from_json(some)
                .map(|v| Self(Some(v)))
                .map_err(ParseError::propagate),
        }
    }
}

impl<T: ToJSON> ToJSON for Patch<T> {
    fn to_json(&self) -> Option<Value> {
        self.0.as_ref().and_then(ToJSON::to_json)
    }
}

/// The raw value validators see in an optional wrapper (shared with `nullable::Nullable`).
pub(super) fn raw_value<T: Type>(value: &Option<T>) -> Option<&T::RawValueType> {
    value.as_ref().and_then(T::as_raw_value)
}

/// The raw elements validators see in an optional wrapper (shared with `nullable::Nullable`).
pub(super) fn raw_elements<'a, T: Type>(
    value: &'a Option<T>,
) -> Box<dyn Iterator<Item = &'a T::RawElementValueType> + 'a> {
    match value {
        Some(value) => value.raw_element_iter(),
        None => Box::new(std::iter::empty()),
    }
}

/// A field that `null` clears, as a service reads it: `None` leave it, `Some(None)` clear it,
/// `Some(Some(v))` set it.
pub fn clearable<T>(value: poem_openapi::types::MaybeUndefined<T>) -> Option<Option<T>> {
    use poem_openapi::types::MaybeUndefined;
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
