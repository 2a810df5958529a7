//! The fonts inside the binary, and the rule for characters none of them can show.
//!
//! PDF/A refuses a character that no embedded font can draw, so every string a document prints
//! goes through [`Coverage::printable`] first: a character no font covers becomes U+FFFD (�),
//! which Noto Sans draws. Noto Sans covers Latin (with Vietnamese), Greek and Cyrillic; Noto
//! Sans Arabic, Arabic; Symbola, emoji and symbols. Joiners and variation selectors (the glue of
//! emoji sequences) are dropped: they draw nothing and no font maps them.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// `(file name, bytes)` of every embedded font; licences in `templates/fonts/LICENSES.md`.
pub const FONTS: &[(&str, &[u8])] = &[
    (
        "NotoSans-Regular.ttf",
        include_bytes!("../../../templates/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold.ttf",
        include_bytes!("../../../templates/fonts/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSansArabic-Regular.ttf",
        include_bytes!("../../../templates/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "NotoSansArabic-Bold.ttf",
        include_bytes!("../../../templates/fonts/NotoSansArabic-Bold.ttf"),
    ),
    (
        "Symbola.ttf",
        include_bytes!("../../../templates/fonts/Symbola.ttf"),
    ),
];

/// Every embedded font, parsed once per process (fonts are cheap to clone: shared bytes).
pub fn fonts() -> Vec<Font> {
    static PARSED: LazyLock<Vec<Font>> = LazyLock::new(|| {
        FONTS
            .iter()
            .flat_map(|(_, bytes)| Font::iter(Bytes::new(*bytes)))
            .collect()
    });
    PARSED.clone()
}

/// What the embedded fonts can draw.
pub struct Coverage {
    fonts: Vec<Font>,
    replacement: char,
}

impl Coverage {
    pub fn new(fonts: &[Font]) -> Self {
        let mut coverage = Self {
            fonts: fonts.to_vec(),
            replacement: '?',
        };
        if coverage.covers('\u{FFFD}') {
            coverage.replacement = '\u{FFFD}';
        }
        coverage
    }

    fn covers(&self, c: char) -> bool {
        self.fonts
            .iter()
            .any(|font| font.info().coverage.contains(c as u32))
    }

    /// `text` as the documents print it: characters no font covers replaced by U+FFFD, emoji
    /// glue and control characters dropped, spaces kept.
    pub fn printable(&self, text: &str) -> String {
        text.chars()
            .filter(|c| !is_glue(*c) && (!c.is_control() || *c == '\n'))
            .map(|c| {
                if c.is_whitespace() || self.covers(c) {
                    c
                } else {
                    self.replacement
                }
            })
            .collect()
    }
}

/// Zero-width joiners and variation selectors: they shape emoji sequences and draw nothing.
fn is_glue(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_vietnamese_arabic_and_emoji_are_covered_and_the_rest_is_replaced() {
        let coverage = Coverage::new(&fonts());
        assert_eq!(coverage.printable("Zoë Nguyễn"), "Zoë Nguyễn");
        assert_eq!(coverage.printable("محمد"), "محمد");
        assert_eq!(coverage.printable("😀"), "😀");
        assert_eq!(coverage.printable("👩\u{200D}💻❤\u{FE0F}"), "👩💻❤");
        // CJK is in none of the fonts: replaced, not dropped.
        assert_eq!(coverage.printable("李"), "\u{FFFD}");
    }
}
