//! Signature images for the demo's signed half-days (and the tests' marks): a distinct PNG for
//! each seed, so that no two half-days carry byte-identical signatures (the attendance checks
//! flag a pasted one).

/// A distinct 120 × 40 signature for each `seed`: a dark stroke whose shape depends on it.
pub fn signature_png(seed: u32) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (120u32, 40u32);
    let mut pixels = vec![255u8; (width * height) as usize];
    for x in 0..width {
        let y = (x * (seed % 7 + 1) + seed * 3) % height;
        pixels[(y * width + x) as usize] = 20;
        pixels[(((y + 1) % height) * width + x) as usize] = 20;
    }
    // The seed's bits as dots along the top row: different seeds, different bytes.
    for bit in 0..32 {
        if seed >> bit & 1 == 1 {
            pixels[(bit * 3) as usize] = 0;
        }
    }
    encode(width, height, &pixels)
}

/// A grayscale PNG of these pixels.
pub fn encode(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}
