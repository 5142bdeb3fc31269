//! `hashwatt report`: write the HTML report of a result directory.

use std::path::Path;

use anyhow::Result;

/// Writes `DIR/report.html` and `DIR/charts/` from `DIR/state.bin` and
/// prints the report's path.
pub fn report(dir: &Path) -> Result<()> {
    let path = hashwatt::report::write_report(dir)?;
    println!("{}", path.display());
    Ok(())
}
