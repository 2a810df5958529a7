//! Content negotiation for operations that answer in several formats (JSON, CSV, XLSX, PDF,
//! ZIP): the client's `Accept` header (poem's extractor, sorted by preference) picks the first
//! format the operation offers; anything else — no header, `*/*`, an unknown type — gets the
//! operation's first format. Each operation declares its formats as one
//! `#[derive(ResponseContent)]` enum, so the spec lists every media type it answers with.

use poem::web::Accept;

use crate::tables::Table;

/// A representation of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

/// The XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The CSV media type, as the answers send it.
pub const CSV: &str = "text/csv; charset=utf-8";

impl Format {
    fn matches(self, essence: &str) -> bool {
        match self {
            Self::Json => essence == "application/json",
            Self::Csv => essence == "text/csv",
            Self::Xlsx => essence == XLSX,
            Self::Pdf => essence == "application/pdf",
        }
    }

    /// The format of `offered` the client prefers (`offered[0]` when it names none of them).
    pub fn chosen(accept: &Accept, offered: &[Format]) -> Format {
        let first = offered.first().copied().unwrap_or(Format::Json);
        accept
            .0
            .iter()
            .find_map(|mime| {
                let essence = mime.essence_str();
                if essence == "*/*" {
                    return Some(first);
                }
                offered.iter().copied().find(|f| f.matches(essence))
            })
            .unwrap_or(first)
    }

    /// The file extension of a download in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }
}

/// `attachment; filename="…"` for a download named `stem` in `format`.
pub fn attachment(stem: &str, format: Format) -> String {
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("attachment; filename=\"{safe}.{}\"", format.extension())
}

/// A table in the spreadsheet format chosen (CSV or XLSX), or `None` for the others.
pub fn spreadsheet(table: &Table, format: Format) -> Option<Result<Vec<u8>, String>> {
    match format {
        Format::Csv => Some(Ok(table.to_csv())),
        Format::Xlsx => Some(table.to_xlsx().map_err(|e| e.to_string())),
        Format::Json | Format::Pdf => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(header: &str) -> Accept {
        let mut items: Vec<(mime::Mime, i32)> = header
            .split(',')
            .filter_map(|item| {
                let mime: mime::Mime = item.trim().parse().ok()?;
                let q = mime
                    .get_param("q")
                    .and_then(|v| v.as_str().parse::<f32>().ok())
                    .map_or(1000, |q| (q * 1000.0) as i32);
                Some((mime, q))
            })
            .collect();
        items.sort_by_key(|item| std::cmp::Reverse(item.1));
        Accept(items.into_iter().map(|(m, _)| m).collect())
    }

    const OFFERED: &[Format] = &[Format::Json, Format::Csv, Format::Xlsx];

    #[test]
    fn the_preferred_offered_format_wins() {
        assert_eq!(Format::chosen(&accept("text/csv"), OFFERED), Format::Csv);
        assert_eq!(
            Format::chosen(&accept("application/json;q=0.5, text/csv"), OFFERED),
            Format::Csv
        );
        assert_eq!(Format::chosen(&accept(XLSX), OFFERED), Format::Xlsx);
    }

    #[test]
    fn anything_else_gets_the_first_format() {
        assert_eq!(Format::chosen(&accept(""), OFFERED), Format::Json);
        assert_eq!(Format::chosen(&accept("*/*"), OFFERED), Format::Json);
        assert_eq!(Format::chosen(&accept("image/png"), OFFERED), Format::Json);
        assert_eq!(
            Format::chosen(&accept("application/pdf"), &[Format::Json]),
            Format::Json
        );
    }

    #[test]
    fn a_download_name_is_safe() {
        assert_eq!(
            attachment("bpf 2026/\"x\"", Format::Csv),
            "attachment; filename=\"bpf-2026--x-.csv\""
        );
    }
}
