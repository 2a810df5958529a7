//! Public links the API hands out.

/// The `webcal://` form of a feed URL (Apple Calendar, Outlook desktop subscribe to it).
pub fn webcal(public_url: &str, path: &str) -> String {
    let rest = public_url
        .strip_prefix("https://")
        .or_else(|| public_url.strip_prefix("http://"))
        .unwrap_or(public_url);
    format!("webcal://{}{path}", rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::webcal;

    #[test]
    fn a_feed_url_becomes_its_webcal_form_whatever_the_scheme() {
        assert_eq!(
            webcal("https://example.org/", "/calendar/x.ics"),
            "webcal://example.org/calendar/x.ics"
        );
        assert_eq!(
            webcal("http://127.0.0.1:8080", "/calendar/x.ics"),
            "webcal://127.0.0.1:8080/calendar/x.ics"
        );
    }
}
