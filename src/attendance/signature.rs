//! Signature images, checked on the server before anything is stored: PNG only, at most 64 KiB,
//! decoded in full (a truncated or corrupt file fails), of sane dimensions, and not blank. The
//! stored image is keyed by the SHA-256 of its bytes, so the same image is kept once and two
//! marks carrying byte-identical images are easy to see (a pasted signature).

use std::io::Cursor;

use sha2::{Digest, Sha256};

/// The largest signature accepted, in bytes.
pub const MAX_BYTES: usize = 64 * 1024;
/// Sides in pixels: at least this…
pub const MIN_SIDE: u32 = 16;
/// …and at most these.
pub const MAX_WIDTH: u32 = 2000;
pub const MAX_HEIGHT: u32 = 1000;
/// Pixels of ink (darker than light grey once drawn on white paper) a signature needs.
pub const MIN_INK_PIXELS: usize = 20;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A signature that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSignature {
    /// Lower-case hex SHA-256 of `png`.
    pub sha256: String,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The signature a write carries: an image checked in this request, or one a device uploaded
/// before (`PUT /sync/v1/blobs/{sha256}`, checked then), named by its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureSource {
    Checked(CheckedSignature),
    Stored(String),
}

impl SignatureSource {
    /// The lower-case hex SHA-256 of the image.
    pub fn sha256(&self) -> &str {
        match self {
            Self::Checked(checked) => &checked.sha256,
            Self::Stored(sha256) => sha256,
        }
    }
}

/// Why a signature image is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    #[error("the signature is larger than 64 KiB")]
    TooLarge,
    #[error("the signature is not a PNG image")]
    NotPng,
    #[error("the PNG image is truncated or corrupt")]
    Corrupt,
    #[error("the signature must be 16–2000 pixels wide and 16–1000 pixels high")]
    Dimensions,
    #[error("the signature is blank")]
    Blank,
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks a signature image (see the module's rules).
pub fn check(png: Vec<u8>) -> Result<CheckedSignature, SignatureProblem> {
    if png.len() > MAX_BYTES {
        return Err(SignatureProblem::TooLarge);
    }
    if !png.starts_with(PNG_MAGIC) {
        return Err(SignatureProblem::NotPng);
    }
    let (width, height, pixels) = decode(&png)?;
    if !(MIN_SIDE..=MAX_WIDTH).contains(&width) || !(MIN_SIDE..=MAX_HEIGHT).contains(&height) {
        return Err(SignatureProblem::Dimensions);
    }
    let ink = pixels.iter().filter(|&&shade| shade < 200).count();
    if ink < MIN_INK_PIXELS || ink == pixels.len() {
        return Err(SignatureProblem::Blank);
    }
    Ok(CheckedSignature {
        sha256: sha256_hex(&png),
        png,
        width,
        height,
    })
}

/// Decodes the whole image to one shade per pixel: its grey level once drawn on white paper.
fn decode(png: &[u8]) -> Result<(u32, u32, Vec<u8>), SignatureProblem> {
    let limits = png::Limits {
        bytes: 16 * 1024 * 1024,
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(png), limits);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|_| SignatureProblem::Corrupt)?;
    let (width, height) = reader.info().size();
    if width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(SignatureProblem::Dimensions);
    }
    let size = reader
        .output_buffer_size()
        .ok_or(SignatureProblem::Dimensions)?;
    let mut buffer = vec![0; size];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|_| SignatureProblem::Corrupt)?;
    reader.finish().map_err(|_| SignatureProblem::Corrupt)?;
    let channels = frame.color_type.samples();
    let shades = buffer[..frame.buffer_size()]
        .chunks_exact(frame.line_size)
        .flat_map(|line| line[..frame.width as usize * channels].chunks_exact(channels))
        .map(|px| on_white(px, frame.color_type))
        .collect();
    Ok((frame.width, frame.height, shades))
}

/// The grey level of one 8-bit pixel composited over white.
fn on_white(px: &[u8], color: png::ColorType) -> u8 {
    let (luma, alpha) = match (color, px) {
        (png::ColorType::Grayscale, [l]) => (u32::from(*l), 255),
        (png::ColorType::GrayscaleAlpha, [l, a]) => (u32::from(*l), u32::from(*a)),
        (png::ColorType::Rgb, [r, g, b]) => (luma(*r, *g, *b), 255),
        (png::ColorType::Rgba, [r, g, b, a]) => (luma(*r, *g, *b), u32::from(*a)),
        _ => (255, 0),
    };
    let shade = 255 - alpha * (255 - luma) / 255;
    u8::try_from(shade).unwrap_or(u8::MAX)
}

fn luma(r: u8, g: u8, b: u8) -> u32 {
    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A `width` × `height` RGBA image, transparent, with a dark diagonal stroke if `ink`.
    fn image(width: u32, height: u32, ink: bool) -> Vec<u8> {
        let mut pixels = vec![0u8; (width * height * 4) as usize];
        if ink {
            for x in 0..width.min(height) {
                let i = ((x * width + x) * 4) as usize;
                pixels[i..i + 4].copy_from_slice(&[10, 10, 60, 255]);
            }
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_drawn_signature_passes_and_is_keyed_by_its_hash() {
        let png = image(200, 80, true);
        let checked = check(png.clone()).unwrap();
        assert_eq!((checked.width, checked.height), (200, 80));
        assert_eq!(checked.sha256, sha256_hex(&png));
        assert_eq!(checked.sha256.len(), 64);
    }

    #[test]
    fn each_bad_image_has_its_own_problem() {
        assert_eq!(check(b"GIF89a...".to_vec()), Err(SignatureProblem::NotPng));
        assert_eq!(
            check(vec![0; MAX_BYTES + 1]),
            Err(SignatureProblem::TooLarge)
        );
        let whole = image(200, 80, true);
        let truncated = whole[..whole.len() - 30].to_vec();
        assert_eq!(check(truncated), Err(SignatureProblem::Corrupt));
        assert_eq!(check(image(200, 80, false)), Err(SignatureProblem::Blank));
        assert_eq!(check(image(8, 8, true)), Err(SignatureProblem::Dimensions));
        assert_eq!(
            check(image(3000, 80, true)),
            Err(SignatureProblem::Dimensions)
        );
    }
}
