//! The quality records' domain types, one file per register.
