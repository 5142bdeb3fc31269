//! Reading the files a scenario names (itself, the files it `extends`,
//! replayed CSVs) with a size bound, and only if they are regular files: a
//! device (`/dev/zero`), a FIFO without a writer or a huge file is refused
//! with its name instead of filling memory or blocking forever.

use std::io::{self, Read};
use std::path::Path;

/// Largest scenario file (TOML) read.
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;

/// Largest replayed CSV file read.
pub const MAX_REPLAY_BYTES: u64 = 256 << 20;

/// The bytes of the regular file at `path`, if it holds at most `limit`.
///
/// # Errors
/// [`io::ErrorKind::InvalidInput`] for something that is not a regular file
/// or is larger than `limit`; any error of reading it.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    // stat before open: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("larger than the {} MiB a file may have", limit >> 20),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after the stat: read one byte past the limit at most.
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}
