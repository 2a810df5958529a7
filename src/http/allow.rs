//! The `Allow` header of a 405 (RFC 9110 requires it; poem does not send it): the methods the
//! spec lists for the path template that matches the request.

use std::collections::BTreeSet;

/// Path templates of the spec with their methods.
#[derive(Debug, Clone, Default)]
pub struct AllowIndex {
    routes: Vec<(Vec<Option<String>>, String)>,
}

impl AllowIndex {
    /// Reads `paths` of an OpenAPI document; `extra` adds plain GET routes (metrics, docs).
    pub fn from_spec(spec: &serde_json::Value, extra: &[&str]) -> Self {
        let mut routes = Vec::new();
        if let Some(paths) = spec["paths"].as_object() {
            for (template, item) in paths {
                let methods: BTreeSet<String> = item
                    .as_object()
                    .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                    .unwrap_or_default();
                routes.push((
                    segments(template),
                    methods.into_iter().collect::<Vec<_>>().join(", "),
                ));
            }
        }
        for path in extra {
            routes.push((segments(path), "GET".to_owned()));
        }
        Self { routes }
    }

    /// The methods allowed on `path`, if a route matches it.
    pub fn allow(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes.iter().find_map(|(template, methods)| {
            let matches = template.len() == parts.len()
                && template
                    .iter()
                    .zip(&parts)
                    .all(|(t, p)| t.as_deref().is_none_or(|t| t == *p));
            matches.then_some(methods.as_str())
        })
    }
}

/// `/api/v1/people/{id}` → `[Some("api"), Some("v1"), Some("people"), None]`.
fn segments(template: &str) -> Vec<Option<String>> {
    template
        .trim_matches('/')
        .split('/')
        .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_methods_of_the_matching_template_are_listed() {
        let spec = serde_json::json!({ "paths": {
            "/api/v1/people": { "get": {}, "post": {} },
            "/api/v1/people/{id}": { "get": {}, "patch": {} }
        }});
        let index = AllowIndex::from_spec(&spec, &["/metrics"]);
        assert_eq!(index.allow("/api/v1/people"), Some("GET, POST"));
        assert_eq!(index.allow("/api/v1/people/0193"), Some("GET, PATCH"));
        assert_eq!(index.allow("/metrics"), Some("GET"));
        assert_eq!(index.allow("/nowhere"), None);
    }
}
