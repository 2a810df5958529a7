//! Content negotiation for operations that answer in several formats (JSON, CSV, XLSX, PDF,
//! ZIP): the client's `Accept` header (poem's extractor, sorted by preference) picks the first
//! format the operation offers; anything else — no header, `*/*`, an unknown type — gets the
//! operation's first format. Each operation declares its formats as one
//! `#[derive(ResponseContent)]` enum, so the spec lists every media type it answers with.

use poem::web::Accept;

use crate::http::error::ApiError;
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

/// The formats of a list operation: a page of JSON, or every row its filters match as a
/// spreadsheet.
pub const LIST_FORMATS: &[Format] = &[Format::Json, Format::Csv, Format::Xlsx];

/// `table` in `format` (CSV or XLSX) with its `Content-Disposition`, named `stem`. (The error
/// is the handlers' own `ApiError`, large as it is, since it goes straight to them.)
#[allow(clippy::result_large_err)]
pub fn download(table: &Table, format: Format, stem: &str) -> Result<(Vec<u8>, String), ApiError> {
    match spreadsheet(table, format) {
        Some(Ok(bytes)) => Ok((bytes, attachment(stem, format))),
        Some(Err(error)) => Err(ApiError::internal(&format!(
            "writing a spreadsheet: {error}"
        ))),
        None => Err(ApiError::internal(
            "a spreadsheet asked in a format that is none",
        )),
    }
}

/// The answer of a list operation that also exports: `$name::Ok` carries a page in JSON
/// (`$content::Json`) or, when `Accept` asks for `text/csv` or the XLSX media type, every row
/// the filters match as a download (`$name::sheet`).
macro_rules! listed_response {
    ($name:ident, $content:ident, $body:ty, $doc:literal) => {
        $crate::http::formats::listed_response!(
            $name,
            $content,
            $body,
            $doc,
            "With `Accept: text/csv` (French dialect: UTF-8 BOM, `;`, decimal comma, dd/mm/yyyy) \
             or the XLSX media type: every row the filters match (`limit` and `cursor` \
             ignored), as a download with French headers and Paris times."
        );
    };
    ($name:ident, $content:ident, $body:ty, $doc:literal, $sheet_doc:literal) => {
        /// The answer in JSON, or as CSV or XLSX.
        #[derive(poem_openapi::ResponseContent)]
        pub enum $content {
            Json(poem_openapi::payload::Json<$body>),
            #[oai(content_type = "text/csv; charset=utf-8")]
            Csv(poem_openapi::payload::Binary<Vec<u8>>),
            #[oai(
                content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )]
            Xlsx(poem_openapi::payload::Binary<Vec<u8>>),
        }

        #[derive(poem_openapi::ApiResponse)]
        pub enum $name {
            #[doc = $doc]
            #[doc = ""]
            #[doc = $sheet_doc]
            #[oai(status = 200)]
            Ok(
                $content,
                #[oai(header = "Content-Disposition")] Option<String>,
            ),
        }

        impl $name {
            /// The answer in JSON.
            pub fn page(body: $body) -> Self {
                Self::Ok($content::Json(poem_openapi::payload::Json(body)), None)
            }

            /// `table` as the spreadsheet `format` asks for, named `stem`.
            #[allow(clippy::result_large_err)]
            pub fn sheet(
                table: &$crate::tables::Table,
                format: $crate::http::formats::Format,
                stem: &str,
            ) -> Result<Self, $crate::http::error::ApiError> {
                let (bytes, disposition) = $crate::http::formats::download(table, format, stem)?;
                let content = match format {
                    $crate::http::formats::Format::Xlsx => {
                        $content::Xlsx(poem_openapi::payload::Binary(bytes))
                    }
                    _ => $content::Csv(poem_openapi::payload::Binary(bytes)),
                };
                Ok(Self::Ok(content, Some(disposition)))
            }
        }
    };
}
pub(crate) use listed_response;

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
