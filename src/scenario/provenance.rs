//! Where a scenario's values come from: what a file sets over the files it
//! `extends`, and what `--set` changes after that. The report's table of
//! inputs shows it, so that a reader sees what makes this scenario differ
//! from its base.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use super::ScenarioError;
use super::compose::{self, Override};

/// One value a scenario file or an override sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetValue {
    /// Dotted field path, as `--set` takes it (`farms[0].pue`).
    pub field: String,
    /// The value in force, as TOML.
    pub value: String,
    /// The value before: what the extended files (or, for an override, the
    /// files) give it, as TOML; `None` when they do not set it.
    pub base: Option<String>,
    /// Where the value in force comes from: the file, or `--set`.
    pub origin: String,
}

/// What a scenario file changes over its bases, and what its overrides
/// change after that.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Provenance {
    /// The files it extends, nearest first.
    pub extends: Vec<String>,
    /// Every value the file sets that its bases do not set to the same
    /// value (every value of the file when it extends nothing), by field
    /// name, then every override in order.
    pub values: Vec<SetValue>,
}

/// The provenance of the scenario at `path` with `overrides` applied.
///
/// # Errors
/// The errors of reading and composing the files
/// ([`ScenarioError::Io`], [`ScenarioError::Syntax`],
/// [`ScenarioError::Compose`]).
pub fn provenance(path: &Path, overrides: &[Override]) -> Result<Provenance, ScenarioError> {
    let source = compose::read_source(path)?;
    let origin = source.origin.clone();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let composed = compose::compose(source.clone(), &dir)?;
    let extends: Vec<String> = composed.sources[1..]
        .iter()
        .map(|s| s.origin.clone())
        .collect();
    let own = compose::parse_table(&source)?;
    let base = if composed.sources.len() > 1 {
        let base_source = composed.sources[1].clone();
        let base_dir = Path::new(&base_source.origin)
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        leaves(&compose::compose(base_source, &base_dir)?.table)
    } else {
        BTreeMap::new()
    };
    let mut values: Vec<SetValue> = Vec::new();
    for (field, value) in ordered_leaves(&own) {
        if field == "extends" {
            continue;
        }
        let before = base.get(&field).cloned();
        if before.as_ref() != Some(&value) {
            values.push(SetValue {
                field,
                value,
                base: before,
                origin: origin.clone(),
            });
        }
    }
    let mut table = composed.table;
    for o in overrides {
        let before = leaves(&table).get(o.path()).cloned();
        compose::apply(&mut table, o)?;
        let after = leaves(&table).get(o.path()).cloned();
        values.push(SetValue {
            field: o.path().to_string(),
            value: after.unwrap_or_else(|| o.value().to_string()),
            base: before,
            origin: "--set".to_string(),
        });
    }
    Ok(Provenance { extends, values })
}

/// Every leaf value of `table` by dotted path, as TOML text.
fn leaves(table: &Table) -> BTreeMap<String, String> {
    ordered_leaves(table).into_iter().collect()
}

/// Every leaf value of `table` by dotted path, in key order; arrays
/// of tables are entered (`farms[0].pue`), other arrays are one value.
fn ordered_leaves(table: &Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    add_table(&mut out, "", table);
    out
}

fn add_table(out: &mut Vec<(String, String)>, prefix: &str, table: &Table) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        add_value(out, path, value);
    }
}

fn add_value(out: &mut Vec<(String, String)>, path: String, value: &Value) {
    match value {
        Value::Table(t) => add_table(out, &path, t),
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_table) => {
            for (i, item) in items.iter().enumerate() {
                add_value(out, format!("{path}[{i}]"), item);
            }
        }
        leaf => out.push((path, leaf.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn a_file_lists_what_it_changes_over_its_base_then_the_overrides() {
        let tmp = tempfile::tempdir().expect("tempdir");
        file(
            tmp.path(),
            "base.toml",
            "name = \"base\"\nx = 1\n[t]\na = 1.5\nb = \"s\"\n[[farms]]\npue = 1.1\n",
        );
        let child = file(
            tmp.path(),
            "child.toml",
            "extends = \"base.toml\"\nname = \"child\"\nx = 1\n[t]\na = 2.5\nc = [1, 2]\n",
        );
        let set: Override = "farms[0].pue=1.3".parse().expect("override");
        let p = provenance(&child, &[set]).expect("provenance");
        assert_eq!(p.extends.len(), 1);
        assert!(p.extends[0].ends_with("base.toml"));
        let rows: Vec<(&str, &str, Option<&str>, bool)> = p
            .values
            .iter()
            .map(|v| {
                let from_set = v.origin == "--set";
                (
                    v.field.as_str(),
                    v.value.as_str(),
                    v.base.as_deref(),
                    from_set,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("name", "\"child\"", Some("\"base\""), false),
                ("t.a", "2.5", Some("1.5"), false),
                ("t.c", "[1, 2]", None, false),
                ("farms[0].pue", "1.3", Some("1.1"), true),
            ]
        );
    }

    #[test]
    fn a_file_without_a_base_lists_all_its_values() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = file(tmp.path(), "s.toml", "name = \"s\"\n[t]\na = 1\n");
        let p = provenance(&path, &[]).expect("provenance");
        assert!(p.extends.is_empty());
        let fields: Vec<&str> = p.values.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["name", "t.a"]);
        assert!(p.values.iter().all(|v| v.base.is_none()));
    }
}
