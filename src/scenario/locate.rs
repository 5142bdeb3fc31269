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

/// The path of the deepest key whose key or value holds byte `offset`
/// (`network.height`, `farms[0].fleet[1].units`); `None` when the offset is
/// outside every key or the document does not parse.
pub(crate) fn field_at(source: &str, offset: usize) -> Option<String> {
    let doc = DeTable::parse(source).ok()?;
    find_in_table(doc.get_ref(), offset)
}

fn find_in_table(table: &DeTable<'_>, offset: usize) -> Option<String> {
    table.iter().find_map(|(key, value)| {
        let name: &str = key.get_ref();
        if key.span().contains(&offset) {
            return Some(name.to_string());
        }
        let inner = find_in_value(value.get_ref(), offset);
        match inner {
            Some(rest) if rest.starts_with('[') => Some(format!("{name}{rest}")),
            Some(rest) if rest.is_empty() => Some(name.to_string()),
            Some(rest) => Some(format!("{name}.{rest}")),
            None if value.span().contains(&offset) => Some(name.to_string()),
            None => None,
        }
    })
}

/// The path inside `value` (empty for the value itself) that holds `offset`.
fn find_in_value(value: &DeValue<'_>, offset: usize) -> Option<String> {
    match value {
        // A table's own span may be only its header: search its keys.
        DeValue::Table(t) => find_in_table(t, offset),
        DeValue::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| {
                match find_in_value(item.get_ref(), offset) {
                    Some(rest) if rest.is_empty() || rest.starts_with('[') => {
                        Some(format!("[{i}]{rest}"))
                    }
                    Some(rest) => Some(format!("[{i}].{rest}")),
                    None if item.span().contains(&offset) => Some(format!("[{i}]")),
                    None => None,
                }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_at_an_offset() {
        let src = "a = 1\n[b]\nc = \"x\"\nd = [ { e = 2 }, { f = 3 } ]\n";
        let at = |needle: &str| field_at(src, src.find(needle).unwrap());
        assert_eq!(at("1").as_deref(), Some("a"));
        assert_eq!(at("\"x\"").as_deref(), Some("b.c"));
        assert_eq!(at("3").as_deref(), Some("b.d[1].f"));
        assert_eq!(at("e =").as_deref(), Some("b.d[0].e"));
    }
}
