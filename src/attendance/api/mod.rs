//! HTTP endpoints of attendance (placeholder until the views land).
