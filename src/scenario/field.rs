//! A field's value in a scenario's composed document: the TOML after
//! `extends` and `--set`, before it is checked. `hashwatt sweep` reads
//! the value a `--vary` starts from here, and its type (an integer field
//! takes integer values).

use std::path::Path;

use toml::{Table, Value};

use super::ScenarioError;
use super::compose::{self, Override};

/// A scenario file composed with the files it `extends` and with
/// `--set` overrides applied, as a TOML document.
///
/// # Example
/// ```
/// use hashwatt::scenario::{Document, FieldValue, Override};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let set: Override = "farms[0].contract.price_usd_per_mwh=40.5".parse()?;
/// let doc = Document::read(path, &[set])?;
/// let price = doc.field("farms[0].contract.price_usd_per_mwh");
/// assert_eq!(price, Some(FieldValue::Float(40.5)));
/// assert_eq!(doc.field("no.such.field"), None);
/// # Ok::<(), hashwatt::ScenarioError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    table: Table,
}

/// What a document holds at a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue {
    /// A TOML integer (`units = 250`).
    Integer(i64),
    /// A TOML float (`price_usd_per_mwh = 55.0`).
    Float(f64),
    /// Something else; the TOML type's name (`string`, `boolean`,
    /// `table`, `array`, `datetime`).
    Other(&'static str),
}

impl Document {
    /// Reads the scenario file at `path`, the files it extends, and applies
    /// `overrides` in order (as [`Scenario::from_path_with`] does, without
    /// checking the result).
    ///
    /// [`Scenario::from_path_with`]: super::Scenario::from_path_with
    ///
    /// # Errors
    /// [`ScenarioError::Io`], [`ScenarioError::Syntax`] and
    /// [`ScenarioError::Compose`] as [`Scenario::from_path_with`] gives them.
    pub fn read(path: impl AsRef<Path>, overrides: &[Override]) -> Result<Document, ScenarioError> {
        let path = path.as_ref();
        let source = compose::read_source(path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut table = compose::compose(source, dir)?.table;
        for o in overrides {
            let o = o.resolved(&table)?;
            compose::apply(&mut table, &o)?;
        }
        Ok(Document { table })
    }

    /// The document as one TOML file: every value the file, its bases and
    /// the overrides write (values left at their defaults are not shown).
    /// Read back, it gives the same scenario; relative file names in it
    /// (a replay's `file`) are those of the files that wrote them.
    pub fn to_toml(&self) -> String {
        // A table of TOML values always serialises.
        toml::to_string(&self.table).unwrap_or_default()
    }

    /// The value at `field` (`fees.volatility`,
    /// `farms[0].fleet[1].units`), or `None` when the document does not
    /// write it (a malformed path, a missing key or index, or a key the
    /// scenario leaves at its default).
    pub fn field(&self, field: &str) -> Option<FieldValue> {
        let segments = compose::parse_path(field)?;
        let mut current: Option<&Value> = None;
        let mut table = Some(&self.table);
        for (key, index) in segments {
            let value = table?.get(key)?;
            let value = match index {
                None => value,
                Some(i) => value.as_array()?.get(i)?,
            };
            table = value.as_table();
            current = Some(value);
        }
        current.map(FieldValue::of)
    }
}

/// Whether `path` is of the form of `--set`'s paths (`a.b[0].c`).
pub(crate) fn is_field_path(path: &str) -> bool {
    compose::parse_path(path).is_some()
}

impl FieldValue {
    fn of(value: &Value) -> FieldValue {
        match value {
            Value::Integer(i) => FieldValue::Integer(*i),
            Value::Float(x) => FieldValue::Float(*x),
            other => FieldValue::Other(other.type_str()),
        }
    }

    /// The value as a number, if it is one.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            FieldValue::Integer(i) => Some(i as f64),
            FieldValue::Float(x) => Some(x),
            FieldValue::Other(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document {
            table: text.parse().unwrap(),
        }
    }

    #[test]
    fn fields_are_found_through_tables_and_arrays() {
        let d = doc("a = 1\n[t]\nx = 2.5\ns = \"v\"\n[[farms]]\nfleet = [ { units = 3 } ]\n");
        assert_eq!(d.field("a"), Some(FieldValue::Integer(1)));
        assert_eq!(d.field("t.x"), Some(FieldValue::Float(2.5)));
        assert_eq!(d.field("t.s"), Some(FieldValue::Other("string")));
        assert_eq!(d.field("t"), Some(FieldValue::Other("table")));
        assert_eq!(
            d.field("farms[0].fleet[0].units"),
            Some(FieldValue::Integer(3))
        );
        for missing in ["b", "t.y", "farms[1].fleet", "a.x", "t[0]", "farms..x", ""] {
            assert_eq!(d.field(missing), None, "{missing}");
        }
    }
}
