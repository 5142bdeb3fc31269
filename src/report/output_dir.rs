//! An output directory that appears complete or not at all.
//!
//! Files are written into a hidden staging directory beside the target and
//! the staging directory is renamed into place at the end. An existing
//! target is replaced only if it is empty or an earlier hashwatt result.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// Files that mark a directory as a hashwatt result.
const MARKERS: [&str; 3] = ["summary.json", "state.bin", "compare.json"];

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The target exists and is not a hashwatt result directory.
    #[error("{0}: exists and is not a hashwatt result directory; choose another --out")]
    NotResultDir(String),
    /// A table could not be formatted.
    #[error("writing a CSV table: {0}")]
    Csv(String),
}

impl OutputError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn csv(e: csv::Error) -> Self {
        OutputError::Csv(e.to_string())
    }
}

/// A staged output directory; nothing is visible at the target until
/// [`OutputDir::commit`].
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: TempDir,
}

impl OutputDir {
    /// Stages results for `target`.
    ///
    /// # Errors
    /// [`OutputError::NotResultDir`] when `target` exists and holds something
    /// else than a hashwatt result; [`OutputError::Io`] when the staging
    /// directory cannot be created.
    pub fn stage(target: &Path) -> Result<OutputDir, OutputError> {
        check_replaceable(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| OutputError::io(&parent, e))?;
        let staging = tempfile::Builder::new()
            .prefix(".hashwatt-staging-")
            .tempdir_in(&parent)
            .map_err(|e| OutputError::io(&parent, e))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Writes `bytes` to `name` (a relative path) inside the staged directory.
    ///
    /// # Errors
    /// [`OutputError::Io`] on any file system error.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.staging.path().join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
    }

    /// Moves the staged directory to the target, replacing an earlier result.
    ///
    /// # Errors
    /// [`OutputError`] when the target changed meanwhile or a rename fails;
    /// the staged files are then removed and the target left as it was.
    pub fn commit(self) -> Result<(), OutputError> {
        check_replaceable(&self.target)?;
        let staged = self.staging.keep();
        let target = &self.target;
        let result = if target.exists() {
            // Move the earlier result aside, put the new one in place, and
            // put the earlier one back if that fails.
            let old = staged.with_extension("old");
            fs::rename(target, &old).and_then(|()| match fs::rename(&staged, target) {
                Ok(()) => fs::remove_dir_all(&old),
                Err(e) => {
                    let _ = fs::rename(&old, target);
                    Err(e)
                }
            })
        } else {
            fs::rename(&staged, target)
        };
        result.map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            OutputError::io(target, e)
        })
    }
}

fn check_replaceable(target: &Path) -> Result<(), OutputError> {
    if !target.exists() {
        return Ok(());
    }
    let not_ours = || OutputError::NotResultDir(target.display().to_string());
    if !target.is_dir() {
        return Err(not_ours());
    }
    let mut entries = fs::read_dir(target).map_err(|e| OutputError::io(target, e))?;
    let empty = entries.next().is_none();
    if empty || MARKERS.iter().any(|m| target.join(m).is_file()) {
        Ok(())
    } else {
        Err(not_ours())
    }
}
