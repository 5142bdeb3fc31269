//! Errors of reading and checking a scenario.

use std::fmt;
use std::path::PathBuf;

use crate::model::ModelError;

/// A place in a scenario file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column (in characters), from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `source`.
    pub fn of_offset(source: &str, offset: usize) -> Position {
        let before = &source[..floor_char_boundary(source, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a scenario was refused.
///
/// Every variant names where the scenario came from (`origin`: a file path,
/// or `<string>`); syntax and type errors carry the line and column; checks
/// of values name the field (`farms[0].fleet[1].units`) and, where it can be
/// found, its position.
///
/// A value the model refused keeps the model's error
/// ([`ScenarioError::model_error`]), which is also what
/// [`std::error::Error::source`] returns.
#[derive(Debug)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text (or holds NUL bytes).
    NotText {
        /// Where the scenario came from.
        origin: String,
    },
    /// TOML syntax error, wrong type, unknown or missing key.
    Syntax {
        /// Where the scenario came from.
        origin: String,
        /// Where in the file.
        position: Position,
        /// What is wrong.
        message: String,
    },
    /// TOML error that carries no position (rare: e.g. an empty document).
    Format {
        /// Where the scenario came from.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// `extends` or `--set` could not be applied: a missing or circular
    /// base file, a path that does not lead to a field, a malformed override.
    Compose {
        /// The file or `--set` override concerned.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range or inconsistent with another.
    Invalid {
        /// Where the scenario came from.
        origin: String,
        /// Where in the file, when the field could be found.
        position: Option<Position>,
        /// The field, as a path (`farms[0].contract.price_usd_per_mwh`).
        field: String,
        /// What is wrong.
        message: String,
        /// The model's own error, when a model constructor refused the
        /// value (see [`ScenarioError::model_error`]); also what
        /// [`std::error::Error::source`] returns. Boxed: it is rare, and
        /// every `Result` carrying a `ScenarioError` stays small.
        source: Option<Box<ModelError>>,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Io { path, source } => {
                write!(f, "{}: cannot read the scenario: {source}", path.display())
            }
            ScenarioError::NotText { origin } => {
                write!(f, "{origin}: not a text file: a scenario is UTF-8 TOML")
            }
            ScenarioError::Syntax {
                origin,
                position,
                message,
            } => write!(f, "{origin}:{position}: {message}"),
            ScenarioError::Format { origin, message }
            | ScenarioError::Compose { origin, message } => {
                write!(f, "{origin}: {message}")
            }
            ScenarioError::Invalid {
                origin,
                position,
                field,
                message,
                ..
            } => {
                let at = position.map(|p| format!(":{p}")).unwrap_or_default();
                let field = field_unless_named(origin, field);
                write!(f, "{origin}{at}: {field}{message}")
            }
        }
    }
}

impl std::error::Error for ScenarioError {
    /// The I/O error of [`ScenarioError::Io`]; the model's error
    /// ([`ModelError`]) of a value the model refused.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScenarioError::Io { source, .. } => Some(source),
            ScenarioError::Invalid {
                source: Some(model),
                ..
            } => Some(model.as_ref()),
            _ => None,
        }
    }
}

/// `field: `, unless the origin (`--set field`) already says it.
fn field_unless_named(origin: &str, field: &str) -> String {
    if origin.strip_prefix("--set ") == Some(field) {
        String::new()
    } else {
        format!("{field}: ")
    }
}

impl ScenarioError {
    /// The offending field, for value errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The model's error behind a value error: what the model constructor
    /// that refused the value said, to match on (the message shown stays
    /// the scenario's, naming the field as the file does).
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::ModelError;
    /// use hashwatt::model::grid::StackError;
    /// use hashwatt::scenario::{Override, Scenario};
    /// let cap: Override = "regions[0].scarcity_cap_usd_per_mwh=100".parse()?;
    /// let err = Scenario::from_path_with("scenarios/ai-squeeze.toml", &[cap]).unwrap_err();
    /// assert_eq!(err.model_error(), Some(&ModelError::Stack(StackError::Cap)));
    /// let source = std::error::Error::source(&err).expect("the model's error");
    /// assert_eq!(source.to_string(), StackError::Cap.to_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn model_error(&self) -> Option<&ModelError> {
        match self {
            ScenarioError::Invalid { source, .. } => source.as_deref(),
            _ => None,
        }
    }
}
