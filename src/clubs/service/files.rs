//! What a resource file may be: a safe name, an accepted type recognised from its bytes (not
//! from what the client claims), within the size limit.

use super::{ClubsError, Result};

/// A file type the clubs accept, as recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub media_type: &'static str,
    pub extensions: &'static [&'static str],
}

/// The accepted types: documents, spreadsheets, slides, images and plain text.
pub const ACCEPTED: &[FileType] = &[
    FileType {
        media_type: "application/pdf",
        extensions: &["pdf"],
    },
    FileType {
        media_type: "image/png",
        extensions: &["png"],
    },
    FileType {
        media_type: "image/jpeg",
        extensions: &["jpg", "jpeg"],
    },
    FileType {
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extensions: &["docx"],
    },
    FileType {
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extensions: &["xlsx"],
    },
    FileType {
        media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        extensions: &["pptx"],
    },
    FileType {
        media_type: "application/vnd.oasis.opendocument.text",
        extensions: &["odt"],
    },
    FileType {
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        extensions: &["ods"],
    },
    FileType {
        media_type: "application/vnd.oasis.opendocument.presentation",
        extensions: &["odp"],
    },
    FileType {
        media_type: "text/plain",
        extensions: &["txt", "md"],
    },
    FileType {
        media_type: "text/csv",
        extensions: &["csv"],
    },
];

/// Checks a client's file name: a plain name (no directory, no `..`, no control characters,
/// not hidden), at most 200 characters, with an extension. Returns it trimmed.
pub fn check_file_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ClubsError::BadFileName("it is empty"));
    }
    if name.chars().count() > 200 {
        return Err(ClubsError::BadFileName("it is longer than 200 characters"));
    }
    if name.contains(['/', '\\']) || name.contains("..") {
        return Err(ClubsError::BadFileName("it names a directory or a path"));
    }
    if name.chars().any(|c| c.is_control()) || name.contains(['"', '<', '>', '|', '*', '?', ':']) {
        return Err(ClubsError::BadFileName(
            "it holds a reserved or control character",
        ));
    }
    if name.starts_with('.') {
        return Err(ClubsError::BadFileName("it is a hidden file name"));
    }
    if !name.contains('.') {
        return Err(ClubsError::BadFileName("it has no extension"));
    }
    Ok(name.to_owned())
}

/// The type of `bytes` if it is accepted and its name's extension agrees with it.
pub fn check_file_type(name: &str, bytes: &[u8]) -> Result<FileType> {
    let extension = name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let sniffed = sniff(bytes, &extension).ok_or_else(|| {
        ClubsError::FileTypeNotAllowed(format!(
            "its content is none of PDF, PNG, JPEG, Office or OpenDocument, or UTF-8 text (.{extension})"
        ))
    })?;
    if !sniffed.extensions.contains(&extension.as_str()) {
        return Err(ClubsError::FileTypeNotAllowed(format!(
            "its content is {} but its name ends in .{extension}",
            sniffed.media_type
        )));
    }
    Ok(sniffed)
}

fn accepted(media_type: &str) -> Option<FileType> {
    ACCEPTED
        .iter()
        .copied()
        .find(|t| t.media_type == media_type)
}

/// Recognises the content: `infer` reads the magic numbers (and the parts of Office and
/// OpenDocument archives); text has none, so UTF-8 without NUL bytes is text, CSV when named so.
fn sniff(bytes: &[u8], extension: &str) -> Option<FileType> {
    if let Some(kind) = infer::get(bytes) {
        return accepted(kind.mime_type());
    }
    let text = !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok();
    match (text, extension) {
        (true, "csv") => accepted("text/csv"),
        (true, _) => accepted("text/plain"),
        (false, _) => None,
    }
}

/// Checks the size against the configured limit.
pub fn check_file_size(len: usize, limit: usize) -> Result<()> {
    if len > limit {
        Err(ClubsError::FileTooLarge(limit))
    } else if len == 0 {
        let mut errors = crate::validation::FieldErrors::default();
        errors.add("file", "is empty");
        Err(ClubsError::Invalid(errors))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_or_a_hidden_name_is_refused_and_a_plain_one_kept() {
        for bad in [
            "../etc/passwd",
            "a/b.pdf",
            "..\\x.pdf",
            ".env",
            "x",
            "a\u{0}.pdf",
            "c:x.pdf",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            check_file_name("  Budget 2026.xlsx ").unwrap(),
            "Budget 2026.xlsx"
        );
    }

    #[test]
    fn the_type_comes_from_the_bytes_and_must_agree_with_the_name() {
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
        assert_eq!(
            check_file_type("a.pdf", pdf).unwrap().media_type,
            "application/pdf"
        );
        assert!(check_file_type("a.png", pdf).is_err());
        assert!(check_file_type("a.exe", b"MZ\x90\x00\x03\x00\x00\x00").is_err());
        assert_eq!(
            check_file_type("notes.md", "Compte rendu".as_bytes())
                .unwrap()
                .media_type,
            "text/plain"
        );
        assert!(check_file_type("x.txt", &[0, 1, 2, 3]).is_err());
    }
}
