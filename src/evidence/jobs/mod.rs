//! The evidence context's background jobs. A job is an entry point like a handler: started by
//! the api room or at start-up, it sees the assembled state, begins and commits its own
//! transactions, and calls the services.

pub mod bundles;
