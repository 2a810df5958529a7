//! HTTP endpoints of the quality records, their views and the mapping of their errors. No SQL,
//! no rules.

/// Quality's operations, in spec order.
pub type Apis = ();
