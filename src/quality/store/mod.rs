//! Quality's tables: rows built from domain inputs, rows turned into domain types. No rule.
