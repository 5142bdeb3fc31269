//! Finding a field's line and column in the TOML source, so that value
//! errors point at the offending line like syntax errors do.

use toml::de::{DeTable, DeValue};

use super::Position;

/// Position of the value at `field` (`farms[0].fleet[1].units`), or of the
/// deepest enclosing item that exists; `None` when nothing of it is found.
pub(crate) fn field_position(source: &str, field: &str) -> Option<Position> {
    let doc = DeTable::parse(source).ok()?;
    let mut span = None;
    let mut table = doc.get_ref();
    let mut current: Option<&DeValue<'_>> = None;
    for segment in field.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        if let Some(DeValue::Table(t)) = current {
            table = t;
        } else if current.is_some() {
            break;
        }
        let Some((_, value)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            break;
        };
        span = Some(value.span());
        current = Some(value.get_ref());
        if let (Some(i), Some(DeValue::Array(items))) = (index, current) {
            let Some(item) = items.get(i) else { break };
            span = Some(item.span());
            current = Some(item.get_ref());
        }
    }
    span.map(|s| Position::of_offset(source, s.start))
}
