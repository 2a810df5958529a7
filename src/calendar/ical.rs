//! iCalendar text that is correct by construction, on top of the `ics` crate.
//!
//! `ics` 0.5.8 builds the components and properties and writes them, but it leaves TEXT escaping
//! to the caller, never quotes parameter values and folds continuation lines to 76 octets
//! (../shared/research/ical.md §5.1). This module owns those duties:
//! - [`text`]: every TEXT value — control characters removed (CRLF and CR become a newline),
//!   then `\`, `;`, `,` and newline escaped;
//! - [`param`]: a parameter value without `"` or controls, quoted when it holds `:`, `;` or `,`;
//! - [`refold`]: `ics`'s output unfolded and folded again at ≤ 75 octets per physical line
//!   (continuations carry a space and at most 74 octets), never inside a UTF-8 character nor
//!   between a backslash and the character it escapes, CRLF everywhere including the last line.
//!
//! *Why wrap rather than patch `ics`:* its folding lives in a private function of its writer and it
//! is unmaintained since 2022; re-folding its output is exact because our values never contain
//! a line break (they are escaped), so unfolding restores each content line byte for byte.

use chrono::{DateTime, Utc};

/// The longest physical line, in octets (excluding CRLF).
pub const MAX_LINE_OCTETS: usize = 75;

/// A TEXT value (RFC 5545 §3.3.11): control characters removed, newlines kept as `\n`, and
/// `\ ; ,` escaped. Colons and quotes stay as they are.
pub fn text(value: &str) -> String {
    let normalised = value.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len() + 8);
    for c in normalised.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (RFC 5545 §3.2): no DQUOTE and no control character, and quoted when it
/// holds a COLON, SEMICOLON or COMMA.
pub fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A UTC DATE-TIME value: `20270308T080000Z`.
pub fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Appends what `ics` wrote (a component or a property, its lines folded its way) to `out`,
/// unfolded and folded again correctly. Feeds write their events one at a time through it, so
/// a large feed never holds more than one event's `ics` structure.
pub fn refold(written: &str, out: &mut String) {
    let mut line = String::new();
    for physical in written.split("\r\n") {
        if let Some(continued) = physical
            .strip_prefix(' ')
            .or_else(|| physical.strip_prefix('\t'))
        {
            line.push_str(continued);
            continue;
        }
        if !line.is_empty() {
            fold_into(&line, out);
        }
        line.clear();
        line.push_str(physical);
    }
    if !line.is_empty() {
        fold_into(&line, out);
    }
}

/// Appends one content line, folded, each physical line ending with CRLF.
fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let cut = cut_at(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The continuation's leading space counts towards its 75 octets.
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Where to cut `line` so that the first part has at most `limit` octets, ends on a character
/// boundary and does not end with the backslash of an escape.
fn cut_at(line: &str, limit: usize) -> usize {
    let mut cut = limit;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    // A backslash run of odd length before the cut means its last backslash escapes the next
    // character: cut before it instead.
    let backslashes = line.as_bytes()[..cut]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count();
    if backslashes % 2 == 1 {
        cut -= 1;
    }
    cut.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<&str> {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        assert!(text.ends_with("\r\n"), "ends with CRLF");
        text.trim_end_matches("\r\n").split("\r\n").collect()
    }

    fn calendar_with(summary: &str) -> Vec<u8> {
        let mut calendar = ics::ICalendar::new("2.0", "-//Passerelle//Test//FR");
        let mut event = ics::Event::new("slot-1@example.org", "20270101T000000Z");
        event.push(ics::properties::Summary::new(text(summary)));
        calendar.add_event(event);
        let mut out = String::new();
        refold(&calendar.to_string(), &mut out);
        out.into_bytes()
    }

    #[test]
    fn text_removes_controls_and_escapes_what_rfc_5545_escapes() {
        assert_eq!(
            text("a,b;c\\d\ne\r\nf\rg:h\"i\u{7}j\tk"),
            "a\\,b\\;c\\\\d\\ne\\nf\\ng:h\"ij k"
        );
    }

    #[test]
    fn parameter_values_lose_quotes_and_are_quoted_when_needed() {
        assert_eq!(
            param("Club \"Les Amis\", Paris: A"),
            "\"Club Les Amis, Paris: A\""
        );
        assert_eq!(param("Plain"), "Plain");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries_and_unfold_to_the_original() {
        for pad in 0..80 {
            let summary = format!("{}é😀\\,;\n{}", "x".repeat(pad), "Ω".repeat(90));
            let bytes = calendar_with(&summary);
            for line in lines(&bytes) {
                assert!(
                    line.len() <= MAX_LINE_OCTETS,
                    "{} octets: {line:?}",
                    line.len()
                );
                assert!(!line.contains('\r') && !line.contains('\n'));
            }
            let text = String::from_utf8(bytes).unwrap_or_default();
            let unfolded = text.replace("\r\n ", "");
            assert!(unfolded.contains(&format!("SUMMARY:{}", super::text(&summary))));
            for (physical, next) in text.split("\r\n").zip(text.split("\r\n").skip(1)) {
                if next.starts_with(' ') {
                    let trailing = physical.bytes().rev().take_while(|b| *b == b'\\').count();
                    assert_eq!(trailing % 2, 0, "a fold splits an escape: {physical:?}");
                }
            }
        }
    }
}
