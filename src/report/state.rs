//! The mergeable state of a run (`state.bin`): the whole [`Summary`], with
//! exact sums and sketch counts, so that `hashwatt merge` can combine shards
//! into exactly the result of one run.
//!
//! Format: the 16-byte magic `HASHWATT-STATE-1`, then the summary in
//! `postcard` encoding.

use crate::stats::Summary;

/// File name of the state inside a result directory.
pub const STATE_FILE: &str = "state.bin";

const MAGIC: &[u8; 16] = b"HASHWATT-STATE-1";

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
    /// Not a hashwatt state file, or from an incompatible version.
    #[error("{path}: not a hashwatt state file of this format (HASHWATT-STATE-1)")]
    NotState {
        /// The file.
        path: String,
    },
    /// The file is damaged.
    #[error("{path}: damaged state file: {message}")]
    Damaged {
        /// The file.
        path: String,
        /// What the decoder said.
        message: String,
    },
}

/// The bytes of the state file for `summary`.
pub fn state_bytes(summary: &Summary) -> Vec<u8> {
    // Straight after the magic bytes: the state can be tens of MB, and a
    // second buffer would copy it once more. Serialising into a Vec cannot
    // fail for these plain types.
    postcard::to_extend(summary, MAGIC.to_vec()).unwrap_or_else(|_| MAGIC.to_vec())
}

/// Reads the state file at `path`.
///
/// # Errors
/// [`StateError`] when it cannot be read or is not a state file.
pub fn read_state(path: &std::path::Path) -> Result<Summary, StateError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| StateError::Io {
        path: name.clone(),
        source,
    })?;
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| StateError::NotState { path: name.clone() })?;
    postcard::from_bytes(body).map_err(|e| StateError::Damaged {
        path: name,
        message: e.to_string(),
    })
}
