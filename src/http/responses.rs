//! Success responses with their spec description, declared in one line each:
//! `ok_response!(PersonOk, PersonView, "The person.");` and
//! `created_response!(PersonCreated, PersonView, "The person was created.");` (201 + `Location`).

use poem_openapi::ApiResponse;

/// A 200 answer with a JSON body.
macro_rules! ok_response {
    ($name:ident, $body:ty, $doc:literal) => {
        #[derive(poem_openapi::ApiResponse)]
        pub enum $name {
            #[doc = $doc]
            #[oai(status = 200)]
            Ok(poem_openapi::payload::Json<$body>),
        }
    };
}

/// A 201 answer with a JSON body and the `Location` of the new object.
macro_rules! created_response {
    ($name:ident, $body:ty, $doc:literal) => {
        #[derive(poem_openapi::ApiResponse)]
        pub enum $name {
            #[doc = $doc]
            #[oai(status = 201)]
            Created(
                poem_openapi::payload::Json<$body>,
                #[oai(header = "Location")] String,
            ),
        }
    };
}

pub(crate) use {created_response, ok_response};

/// A 204 answer.
#[derive(ApiResponse)]
pub enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}
