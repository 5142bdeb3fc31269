//! Scenario composition: `extends = "base.toml"` and `--set path=value`.
//!
//! A scenario may name a base file (relative to its own directory) whose
//! tables it overrides key by key: nested tables merge, every other value
//! (numbers, strings, arrays) replaces the base's. Bases may extend further
//! bases, up to [`MAX_DEPTH`], without cycles. Overrides then set single
//! fields (`fees.volatility=0.3`, `farms[0].contract.price_usd_per_mwh=60`),
//! so that a variant stays one line long.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use toml::{Table, Value};

use super::files::{MAX_SCENARIO_BYTES, read_bounded};
use super::{Position, ScenarioError, locate};

/// Deepest chain of `extends`.
pub const MAX_DEPTH: usize = 16;

/// One scenario file's text and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub origin: String,
    pub text: String,
}

/// A `--set path=value` override of one field.
///
/// The value is read as a TOML value (`0.3`, `"calm"`, `[1, 2]`,
/// `{ kind = "fixed", price_usd_per_mwh = 50.0 }`); anything that is not
/// valid TOML is taken as a string (`name=variant-b`).
///
/// # Example
/// ```
/// use hashwatt::scenario::Override;
/// let o: Override = "farms[0].contract.price_usd_per_mwh=60".parse().unwrap();
/// assert_eq!(o.path(), "farms[0].contract.price_usd_per_mwh");
/// assert!("no equals sign".parse::<Override>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    path: String,
    value: Value,
    pub(crate) text: String,
}

impl Override {
    /// The field's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The override as given, `PATH=VALUE`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value it sets.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl FromStr for Override {
    type Err = ScenarioError;

    fn from_str(s: &str) -> Result<Override, ScenarioError> {
        let bad = |message: &str| ScenarioError::Compose {
            origin: format!("--set {s}"),
            message: message.to_string(),
        };
        let (path, value) = split_assignment(s)
            .ok_or_else(|| bad("expected PATH=VALUE, e.g. fees.volatility=0.3"))?;
        let path = path.trim();
        if path.is_empty() || parse_selectors(path).is_none() {
            return Err(bad(
                "the path is not of the form a.b[0].c (or a[name=x].c for an entry by name)",
            ));
        }
        let value = value.trim();
        let value = format!("v = {value}")
            .parse::<Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| Value::String(value.to_string()));
        Ok(Override {
            path: path.to_string(),
            value,
            text: s.to_string(),
        })
    }
}

/// `PATH=VALUE` split at the first `=` outside brackets (a path may hold
/// `[name=x]`).
fn split_assignment(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

/// Which entry of an array a path segment picks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Selector<'a> {
    /// `[3]`: by position, from 0.
    Position(usize),
    /// `[name=operator]`: the entry whose `name` is this.
    Name(&'a str),
}

/// The segments of a path whose entries may be picked by name.
fn parse_selectors(path: &str) -> Option<Vec<(&str, Option<Selector<'_>>)>> {
    path.split('.')
        .map(|segment| match segment.split_once('[') {
            Some((key, rest)) => {
                let inside = rest.strip_suffix(']')?;
                let selector = match inside.strip_prefix("name=") {
                    Some(name) if !name.is_empty() => Selector::Name(name),
                    Some(_) => return None,
                    None => Selector::Position(inside.parse().ok()?),
                };
                (!key.is_empty()).then_some((key, Some(selector)))
            }
            None => (!segment.is_empty()).then_some((segment, None)),
        })
        .collect()
}

impl Override {
    /// This override with every entry picked by name (`farms[name=x]`)
    /// picked by its position in `table` instead (`farms[0]`), so that
    /// errors name the same field as the file's.
    ///
    /// # Errors
    /// [`ScenarioError::Compose`] when no entry, or more than one, has
    /// the name.
    pub(crate) fn resolved(&self, table: &Table) -> Result<Override, ScenarioError> {
        let fail = |message: String| ScenarioError::Compose {
            origin: format!("--set {}", self.text),
            message,
        };
        let segments = parse_selectors(&self.path).ok_or_else(|| fail("malformed path".into()))?;
        if segments
            .iter()
            .all(|(_, s)| !matches!(s, Some(Selector::Name(_))))
        {
            return Ok(self.clone());
        }
        let mut parts = Vec::with_capacity(segments.len());
        let mut current = Some(table);
        for (key, selector) in segments {
            let value = current.and_then(|t| t.get(key));
            let (index, entry) = match selector {
                None => {
                    parts.push(key.to_string());
                    current = value.and_then(Value::as_table);
                    continue;
                }
                Some(Selector::Position(i)) => {
                    let entry = value.and_then(Value::as_array).and_then(|a| a.get(i));
                    (i, entry)
                }
                Some(Selector::Name(name)) => {
                    let items = value.and_then(Value::as_array).ok_or_else(|| {
                        fail(format!("`{key}` is not a list of entries with names"))
                    })?;
                    let named = |v: &&Value| v.get("name").and_then(Value::as_str) == Some(name);
                    let mut found = items.iter().enumerate().filter(|(_, v)| named(v));
                    let Some((i, entry)) = found.next() else {
                        let names: Vec<&str> = items
                            .iter()
                            .filter_map(|v| v.get("name").and_then(Value::as_str))
                            .collect();
                        return Err(fail(format!(
                            "no entry of `{key}` is named `{name}` (there are: {})",
                            names.join(", ")
                        )));
                    };
                    if found.next().is_some() {
                        return Err(fail(format!(
                            "more than one entry of `{key}` is named `{name}`"
                        )));
                    }
                    (i, Some(entry))
                }
            };
            parts.push(format!("{key}[{index}]"));
            current = entry.and_then(Value::as_table);
        }
        let path = parts.join(".");
        Ok(Override {
            path,
            value: self.value.clone(),
            text: self.text.clone(),
        })
    }
}

/// A path segment: a key, optionally indexing into an array.
pub(crate) fn parse_path(path: &str) -> Option<Vec<(&str, Option<usize>)>> {
    parse_selectors(path)?
        .into_iter()
        .map(|(key, selector)| match selector {
            None => Some((key, None)),
            Some(Selector::Position(i)) => Some((key, Some(i))),
            Some(Selector::Name(_)) => None,
        })
        .collect()
}

/// The merged document of a scenario file and its bases, child first.
pub(crate) struct Composed {
    pub table: Table,
    pub sources: Vec<Source>,
}

/// Reads `source` (found at `path`, or in the current directory for text)
/// and the chain of files it extends.
pub(crate) fn compose(source: Source, dir: &Path) -> Result<Composed, ScenarioError> {
    compose_chain(source, dir, &mut Vec::new())
}

fn compose_chain(
    source: Source,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
) -> Result<Composed, ScenarioError> {
    let mut table = parse_table(&source)?;
    let Some(extends) = table.remove("extends") else {
        return Ok(Composed {
            table,
            sources: vec![source],
        });
    };
    let fail = |message: String| ScenarioError::Compose {
        origin: source.origin.clone(),
        message,
    };
    let Value::String(base) = extends else {
        return Err(fail("extends: must be a file name (a string)".into()));
    };
    if chain.len() >= MAX_DEPTH {
        return Err(fail(format!("extends: more than {MAX_DEPTH} levels")));
    }
    let path = dir.join(&base);
    let canonical = path
        .canonicalize()
        .map_err(|e| fail(format!("extends: cannot read `{}`: {e}", path.display())))?;
    if chain.contains(&canonical) {
        return Err(fail(format!("extends: `{base}` is extended in a circle")));
    }
    chain.push(canonical);
    let base_source = read_source(&path)?;
    let base_dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut composed = compose_chain(base_source, &base_dir, chain)?;
    merge(&mut composed.table, table);
    composed.sources.insert(0, source);
    Ok(composed)
}

/// Reads a file as UTF-8 text without NUL bytes.
pub(crate) fn read_source(path: &Path) -> Result<Source, ScenarioError> {
    let bytes = read_bounded(path, MAX_SCENARIO_BYTES).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let origin = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(Source { origin, text }),
        _ => Err(ScenarioError::NotText { origin }),
    }
}

/// The file as a TOML table; syntax errors carry their position.
pub(crate) fn parse_table(source: &Source) -> Result<Table, ScenarioError> {
    source
        .text
        .parse::<Table>()
        .map_err(|e| syntax_error(source, &e))
}

/// A TOML error located in `source`, naming the field where it can.
pub(crate) fn syntax_error(source: &Source, e: &toml::de::Error) -> ScenarioError {
    let message = e.message().trim();
    match e.span() {
        Some(span) => ScenarioError::Syntax {
            origin: source.origin.clone(),
            position: Position::of_offset(&source.text, span.start),
            message: match locate::field_at(&source.text, span.start) {
                Some(field) => format!("{field}: {message}"),
                None => message.to_string(),
            },
        },
        None => ScenarioError::Format {
            origin: source.origin.clone(),
            message: message.to_string(),
        },
    }
}

/// Overrides `base` with `over`: tables merge key by key, everything else
/// replaces.
fn merge(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Applies one override to the document.
pub(crate) fn apply(table: &mut Table, o: &Override) -> Result<(), ScenarioError> {
    let fail = |message: String| ScenarioError::Compose {
        origin: format!("--set {}", o.text),
        message,
    };
    let segments = parse_path(&o.path).ok_or_else(|| fail("malformed path".into()))?;
    let mut current = table;
    for (n, &(key, index)) in segments.iter().enumerate() {
        let last = n + 1 == segments.len();
        if last && index.is_none() {
            current.insert(key.to_string(), o.value.clone());
            return Ok(());
        }
        let entry = current
            .entry(key.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        let entry = match index {
            None => entry,
            Some(i) => match entry {
                Value::Array(items) => {
                    let len = items.len();
                    items.get_mut(i).ok_or_else(|| {
                        fail(format!("`{key}` has {len} entries, there is no [{i}]"))
                    })?
                }
                _ => return Err(fail(format!("`{key}` is not an array"))),
            },
        };
        if last {
            *entry = o.value.clone();
            return Ok(());
        }
        current = match entry {
            Value::Table(t) => t,
            _ => return Err(fail(format!("`{key}` is a value, not a table"))),
        };
    }
    Ok(())
}

/// Where `field` is written: the first source (child first) that has it.
pub(crate) fn locate_field(sources: &[Source], field: &str) -> Option<(String, Position)> {
    sources
        .iter()
        .find_map(|s| locate::field_position(&s.text, field).map(|p| (s.origin.clone(), p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap()
    }

    #[test]
    fn tables_merge_and_values_replace() {
        let mut base = table("a = 1\n[t]\nx = 1\ny = [1, 2]\n");
        merge(&mut base, table("[t]\ny = [3]\nz = 2\n"));
        assert_eq!(base, table("a = 1\n[t]\nx = 1\ny = [3]\nz = 2\n"));
    }

    #[test]
    fn overrides_reach_into_arrays_of_tables() {
        let mut doc = table("[[farms]]\nname = \"a\"\n[farms.contract]\nprice = 1.0\n");
        apply(&mut doc, &"farms[0].contract.price=60".parse().unwrap()).unwrap();
        apply(&mut doc, &"name=variant-b".parse().unwrap()).unwrap();
        assert_eq!(doc["farms"][0]["contract"]["price"], Value::Integer(60));
        assert_eq!(doc["name"], Value::String("variant-b".into()));
        let err = apply(&mut doc, &"farms[3].name=x".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("no [3]"), "{err}");
        let err = apply(&mut doc, &"name.x=1".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("not a table"), "{err}");
    }

    #[test]
    fn malformed_overrides_are_refused() {
        for bad in ["x", "=1", "a..b=1", "a[x]=1", "a[1=1"] {
            assert!(bad.parse::<Override>().is_err(), "{bad}");
        }
    }
}
