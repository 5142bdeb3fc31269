//! An output directory that appears complete or not at all, and that never
//! deletes a file hashwatt did not write.
//!
//! Files are written into a hidden staging directory beside the target,
//! `.hashwatt-staging-<target>-<pid>-<random>`, with a manifest
//! ([`MANIFEST_FILE`]) listing them; at the end the staging directory takes
//! the target's place. On Linux the two are swapped in one `renameat2`
//! (`RENAME_EXCHANGE`), so the target is never absent; elsewhere the old
//! result is renamed aside first.
//!
//! An existing target is replaced only if it is empty or holds nothing but
//! what hashwatt wrote there: the files its manifest lists (or, for results
//! of versions without a manifest, hashwatt's own file names). A staging
//! directory left by a process that no longer runs (a killed run) is removed
//! by the next run for the same target, which says so
//! ([`OutputDir::removed_leftovers`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// The list of files hashwatt wrote into a result directory, one relative
/// path a line after a header line.
pub const MANIFEST_FILE: &str = ".hashwatt-manifest";

const MANIFEST_HEADER: &str =
    "# files written by hashwatt; the folder is replaced only if it holds nothing else";

/// Names of a result written before manifests existed.
const LEGACY_MARKERS: [&str; 2] = ["summary.json", "state.bin"];

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
    /// The target is a hashwatt result, but holds files hashwatt did not
    /// write; replacing it would delete them.
    #[error(
        "{dir}: holds files hashwatt did not write ({}); move them away or choose another --out",
        list(.files)
    )]
    ForeignFiles {
        /// The directory.
        dir: String,
        /// Some of the files (relative paths), sorted.
        files: Vec<String>,
    },
    /// A table could not be formatted.
    #[error("writing a CSV table: {0}")]
    Csv(String),
}

/// The first few of `files`, comma-separated.
fn list(files: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = files
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > SHOWN {
        text.push_str(&format!(" and {} more", files.len() - SHOWN));
    }
    text
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
/// [`OutputDir::commit`]. Dropped without a commit, it removes its files.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: TempDir,
    written: BTreeSet<String>,
    removed_leftovers: Vec<PathBuf>,
}

impl OutputDir {
    /// Stages results for `target`, first removing staging directories of
    /// `target` left by processes that no longer run.
    ///
    /// # Errors
    /// [`OutputError::NotResultDir`] or [`OutputError::ForeignFiles`] when
    /// `target` exists and holds something else than a hashwatt result;
    /// [`OutputError::Io`] when the staging directory cannot be created.
    pub fn stage(target: &Path) -> Result<OutputDir, OutputError> {
        check_replaceable(target)?;
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(|e| OutputError::io(&parent, e))?;
        let prefix = staging_prefix(target);
        let removed_leftovers = remove_leftovers(&parent, &prefix);
        let staging = tempfile::Builder::new()
            .prefix(&format!("{prefix}{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| OutputError::io(&parent, e))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
            written: BTreeSet::new(),
            removed_leftovers,
        })
    }

    /// Staging directories of an interrupted earlier run that
    /// [`OutputDir::stage`] removed.
    pub fn removed_leftovers(&self) -> &[PathBuf] {
        &self.removed_leftovers
    }

    /// Writes `bytes` to `name` (a relative path) inside the staged directory.
    ///
    /// # Errors
    /// [`OutputError::Io`] on any file system error.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_with(name, |w| w.write_all(bytes))
    }

    /// Writes what `fill` writes to `name` (a relative path) inside the
    /// staged directory, through a buffer: for files too large to build in
    /// memory first.
    ///
    /// # Errors
    /// [`OutputError::Io`] on any file system error, or any error of `fill`.
    pub fn write_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let path = self.staging.path().join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))?;
        }
        let file = fs::File::create(&path).map_err(|e| OutputError::io(&path, e))?;
        let mut out = BufWriter::new(file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| OutputError::io(&path, e))?;
        self.written.insert(name.to_string());
        Ok(())
    }

    /// Moves the staged directory to the target, replacing an earlier result.
    ///
    /// # Errors
    /// [`OutputError`] when the target changed meanwhile or a rename fails;
    /// the staged files are then removed and the target left as it was.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let manifest = manifest_text(&self.written);
        let path = self.staging.path().join(MANIFEST_FILE);
        fs::write(&path, manifest).map_err(|e| OutputError::io(&path, e))?;
        check_replaceable(&self.target)?;
        if self.target.exists() {
            swap_into_place(self.staging.path(), &self.target)
                .map_err(|e| OutputError::io(&self.target, e))?;
            // The staging path now holds the earlier result; dropping the
            // TempDir removes it.
            self.written.clear();
            Ok(())
        } else {
            let staged = self.staging.keep();
            fs::rename(&staged, &self.target).map_err(|e| {
                let _ = fs::remove_dir_all(&staged);
                OutputError::io(&self.target, e)
            })
        }
    }
}

/// Adds `names` (relative paths hashwatt has just written into `dir`) to
/// the directory's manifest, so that a later run may replace them.
///
/// # Errors
/// [`OutputError::Io`] when the manifest cannot be read or written.
pub fn record_written(dir: &Path, names: &[String]) -> Result<(), OutputError> {
    let path = dir.join(MANIFEST_FILE);
    let mut files = match fs::read_to_string(&path) {
        Ok(text) => manifest_files(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeSet::new(),
        Err(e) => return Err(OutputError::io(&path, e)),
    };
    files.extend(names.iter().cloned());
    // Written beside and renamed: the manifest is never half written.
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| OutputError::io(dir, e))?;
    fs::write(tmp.path(), manifest_text(&files)).map_err(|e| OutputError::io(tmp.path(), e))?;
    tmp.persist(&path)
        .map_err(|e| OutputError::io(&path, e.error))?;
    Ok(())
}

fn manifest_text(files: &BTreeSet<String>) -> String {
    let mut text = format!("{MANIFEST_HEADER}\n");
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

fn manifest_files(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.hashwatt-staging-<target's name>-`: staging directories of one target.
fn staging_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    format!(".hashwatt-staging-{name}-")
}

/// Removes the staging directories in `parent` whose names start with
/// `prefix` and whose process no longer runs; returns them.
fn remove_leftovers(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !process_ended(pid) {
            continue;
        }
        let path = entry.path();
        if fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// Whether process `pid` has certainly ended (only Linux can tell; elsewhere
/// leftovers are kept).
fn process_ended(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && pid != std::process::id()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

/// Puts the directory `staged` at `target` (which exists), leaving the
/// earlier `target` at `staged`.
#[cfg(target_os = "linux")]
fn swap_into_place(staged: &Path, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Puts the directory `staged` at `target` (which exists), leaving the
/// earlier `target` at `staged`: without an atomic exchange, through a
/// third name that the next run's leftover cleaning recognises.
#[cfg(not(target_os = "linux"))]
fn swap_into_place(staged: &Path, target: &Path) -> std::io::Result<()> {
    let aside = staged.with_extension("old");
    fs::rename(target, &aside)?;
    if let Err(e) = fs::rename(staged, target) {
        let _ = fs::rename(&aside, target);
        return Err(e);
    }
    fs::rename(&aside, staged)
}

fn check_replaceable(target: &Path) -> Result<(), OutputError> {
    if !target.exists() {
        return Ok(());
    }
    let not_ours = || OutputError::NotResultDir(target.display().to_string());
    if !target.is_dir() {
        return Err(not_ours());
    }
    let present = files_under(target).map_err(|e| OutputError::io(target, e))?;
    if present.is_empty() {
        return Ok(());
    }
    let ours = match fs::read_to_string(target.join(MANIFEST_FILE)) {
        Ok(text) => manifest_files(&text),
        Err(_) if LEGACY_MARKERS.iter().any(|m| present.contains(*m)) => {
            present.iter().filter(|f| legacy_name(f)).cloned().collect()
        }
        Err(_) => return Err(not_ours()),
    };
    let foreign: Vec<String> = present
        .iter()
        .filter(|f| *f != MANIFEST_FILE && !ours.contains(*f))
        .cloned()
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(OutputError::ForeignFiles {
            dir: target.display().to_string(),
            files: foreign,
        })
    }
}

/// The names results of versions without a manifest wrote.
fn legacy_name(file: &str) -> bool {
    matches!(
        file,
        "summary.json" | "state.bin" | "run.json" | "farms.csv"
    ) || file
        .strip_prefix("series/")
        .is_some_and(|f| !f.contains('/') && f.ends_with(".csv"))
}

/// Every file (and symbolic link, and empty directory) under `dir`, as
/// relative paths with `/`.
fn files_under(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        let mut empty = true;
        for entry in fs::read_dir(&path)? {
            let entry = entry?;
            empty = false;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                pending.push((entry.path(), format!("{name}/")));
            } else {
                out.insert(name);
            }
        }
        if empty && !prefix.is_empty() {
            out.insert(prefix);
        }
    }
    Ok(out)
}
