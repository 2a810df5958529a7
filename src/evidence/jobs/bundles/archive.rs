//! The staging directory's files and the ZIP streamed from them, with the manifest.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::model::Entry;

/// The manifest's name in the archive.
pub const MANIFEST: &str = "manifeste.json";

/// Where a bundle's files are written before the archive.
pub fn staging(data_dir: &Path, id: uuid::Uuid) -> PathBuf {
    data_dir.join("bundles").join(id.to_string())
}

/// Where a finished bundle is.
pub fn archive(data_dir: &Path, id: uuid::Uuid) -> PathBuf {
    data_dir.join("bundles").join(format!("{id}.zip"))
}

/// The SHA-256 of some bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes a file of the plan atomically (a temporary name, then renamed).
pub fn put(staging: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let target = staging.join(path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let part = target.with_extension("part");
    std::fs::write(&part, bytes)?;
    std::fs::rename(part, target)
}

/// Whether a settled entry's file is still on disk (a wiped data directory redoes it).
pub fn present(staging: &Path, entry: &Entry) -> bool {
    entry.absent.is_some() || staging.join(&entry.path).is_file()
}

/// Streams the plan's files and the manifest into the archive; returns its size and SHA-256.
pub fn write(
    staging: &Path,
    target: &Path,
    plan: &[Entry],
    manifest: &serde_json::Value,
) -> io::Result<(u64, String)> {
    let part = target.with_extension("zip.part");
    let file = BufWriter::new(File::create(&part)?);
    let mut zip = zip::ZipWriter::new(file);
    let compressed = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for entry in plan.iter().filter(|e| e.sha256.is_some()) {
        let options = if entry.path.ends_with(".pdf") {
            stored
        } else {
            compressed
        };
        zip.start_file(entry.path.as_str(), options)
            .map_err(io::Error::other)?;
        let mut source = BufReader::new(File::open(staging.join(&entry.path))?);
        io::copy(&mut source, &mut zip)?;
    }
    zip.start_file(MANIFEST, compressed)
        .map_err(io::Error::other)?;
    zip.write_all(&serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?)?;
    let mut file = zip.finish().map_err(io::Error::other)?;
    file.flush()?;
    drop(file);
    let (bytes, sha) = hash_file(&part)?;
    std::fs::rename(&part, target)?;
    Ok((bytes, sha))
}

fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((total, hex::encode(hasher.finalize())))
}
