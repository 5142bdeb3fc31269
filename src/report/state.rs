//! The mergeable state of a run (`state.bin`): the whole [`Summary`], with
//! exact sums and sketch counts, so that `hashwatt merge` can combine shards
//! into exactly the result of one run.
//!
//! Format (all integers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 16 | the magic `HASHWATT-STATE-5` (the format's version) |
//! | 8 | `L`, the length of the body |
//! | `L` | the summary in `postcard` encoding |
//! | 32 | SHA-256 of everything before it |
//!
//! A file is read only if its length is exactly `16 + 8 + L + 32`, its
//! checksum matches and the body decodes to its last byte: a truncated,
//! extended or corrupted file is refused, never merged into a wrong result.

use std::io::{BufWriter, Write};

use sha2::{Digest, Sha256};

use crate::stats::Summary;

/// File name of the state inside a result directory.
pub const STATE_FILE: &str = "state.bin";

const MAGIC: &[u8; 16] = b"HASHWATT-STATE-5";
/// Magic bytes of earlier formats, to name them in the error.
const OLD_MAGIC: &[u8; 15] = b"HASHWATT-STATE-";
const LENGTH_BYTES: usize = 8;
const CHECKSUM_BYTES: usize = 32;
const HEADER_BYTES: usize = MAGIC.len() + LENGTH_BYTES;

/// Why a state file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// No state file where a result folder's should be: most likely the run
    /// was written with `--no-state`.
    #[error(
        "{path}: no state file: a result written with --no-state cannot be merged, resumed or \
         reported later; run it again without --no-state"
    )]
    Missing {
        /// The file.
        path: String,
    },
    /// Not a hashwatt state file, or one of another format version.
    #[error("{path}: not a hashwatt state file of this format (HASHWATT-STATE-5){hint}")]
    NotState {
        /// The file.
        path: String,
        /// What it looks like instead, if anything.
        hint: &'static str,
    },
    /// The file is damaged: truncated, extended, or its bytes changed.
    #[error("{path}: damaged state file: {message}")]
    Damaged {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// The bytes of the state file for `summary` (what [`write_state`]
/// writes).
pub fn state_bytes(summary: &Summary) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing plain types into a Vec cannot fail.
    write_state(summary, &mut bytes).unwrap_or_else(|_| bytes.clear());
    bytes
}

/// Writes the state file for `summary` to `out`, streaming: the state can
/// be tens of MB, and building it in memory first would add that much to
/// the run's peak. The body's length, which the header and the checksum
/// cover, is counted by a first serialising pass that writes nothing.
///
/// # Errors
/// Any error of `out`.
pub fn write_state(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let body = postcard::experimental::serialized_size(summary).map_err(std::io::Error::other)?;
    let mut hashed = Hashed {
        inner: out,
        hash: Sha256::new(),
        failed: None,
    };
    let written = {
        // postcard writes a few bytes at a time: gather them before they
        // are hashed and written.
        let mut buffered = BufWriter::with_capacity(1 << 16, &mut hashed);
        buffered
            .write_all(MAGIC)
            .and_then(|()| buffered.write_all(&(body as u64).to_le_bytes()))
            .and_then(|()| {
                postcard::to_io(summary, &mut buffered)
                    .map(drop)
                    .map_err(std::io::Error::other)
            })
            .and_then(|()| buffered.flush())
    };
    // postcard reports a failed write as its own "buffer full": name the
    // writer's error instead.
    if let Err(e) = written {
        return Err(hashed.failed.take().unwrap_or(e));
    }
    let checksum = hashed.hash.finalize();
    hashed.inner.write_all(&checksum)
}

/// A writer that hashes what passes through it, and keeps the first error
/// of the writer it wraps.
struct Hashed<'a> {
    inner: &'a mut dyn Write,
    hash: Sha256,
    failed: Option<std::io::Error>,
}

impl Write for Hashed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.inner.write(buf) {
            Ok(n) => {
                self.hash.update(&buf[..n]);
                Ok(n)
            }
            Err(e) => {
                let again = std::io::Error::new(e.kind(), e.to_string());
                self.failed.get_or_insert(e);
                Err(again)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Reads the state file at `path`.
///
/// # Errors
/// [`StateError`] when it cannot be read ([`StateError::Missing`] when a
/// result folder has none), is not a state file of this format, or is
/// damaged.
pub fn read_state(path: &std::path::Path) -> Result<Summary, StateError> {
    let name = path.display().to_string();
    let result_folder = path
        .parent()
        .is_some_and(|d| d.join("summary.json").is_file());
    let bytes = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound && result_folder {
            StateError::Missing { path: name.clone() }
        } else {
            StateError::Io {
                path: name.clone(),
                source,
            }
        }
    })?;
    decode_state(&bytes).map_err(|e| e.at(name))
}

/// Decodes the bytes of a state file (see the module's format).
///
/// # Errors
/// [`StateError::NotState`] or [`StateError::Damaged`], with an empty path.
pub fn decode_state(bytes: &[u8]) -> Result<Summary, StateError> {
    let damaged = |message: String| StateError::Damaged {
        path: String::new(),
        message,
    };
    if !bytes.starts_with(MAGIC) {
        let hint = if bytes.starts_with(OLD_MAGIC) {
            " but of an earlier version: run the shard again with this hashwatt"
        } else {
            ""
        };
        return Err(StateError::NotState {
            path: String::new(),
            hint,
        });
    }
    let Some(length) = bytes.get(MAGIC.len()..HEADER_BYTES) else {
        return Err(damaged(format!("truncated to {} bytes", bytes.len())));
    };
    let mut le = [0u8; LENGTH_BYTES];
    le.copy_from_slice(length);
    let body = u64::from_le_bytes(le);
    let expected = (HEADER_BYTES + CHECKSUM_BYTES) as u64 + body.min(u64::MAX / 2);
    if bytes.len() as u64 != expected {
        return Err(damaged(format!(
            "{} bytes, but its header says {expected} (truncated, or bytes added)",
            bytes.len()
        )));
    }
    let (content, checksum) = bytes.split_at(bytes.len() - CHECKSUM_BYTES);
    if Sha256::digest(content).as_slice() != checksum {
        return Err(damaged(
            "its SHA-256 checksum does not match its contents".into(),
        ));
    }
    let (summary, rest) = postcard::take_from_bytes::<Summary>(&content[HEADER_BYTES..])
        .map_err(|e| damaged(e.to_string()))?;
    if !rest.is_empty() {
        return Err(damaged(format!("{} bytes after the summary", rest.len())));
    }
    Ok(summary)
}

impl StateError {
    /// The same error, naming the file `path`.
    fn at(self, path: String) -> StateError {
        match self {
            StateError::NotState { hint, .. } => StateError::NotState { path, hint },
            StateError::Damaged { message, .. } => StateError::Damaged { path, message },
            other @ (StateError::Io { .. } | StateError::Missing { .. }) => other,
        }
    }
}
