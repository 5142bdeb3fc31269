//! What every HTML page of hashwatt shares (the run's report, the
//! comparison's and the sweep's pages): the rendered [`Report`] with its
//! chart files, the head with the inline CSS, the heading and the
//! navigation, the figure markup and HTML escaping. A page is one
//! self-contained file: inline SVG and CSS, no script, no font or address
//! to fetch.

use std::fmt::Write as _;

/// A rendered page: its HTML and each chart as its own SVG file.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The text of `report.html`.
    pub html: String,
    /// `(file stem, SVG text)` of each chart, written as
    /// `charts/<stem>.svg`.
    pub charts: Vec<(String, String)>,
}

impl Report {
    /// Every file of the page as `(relative path, bytes)`: `report.html`
    /// and `charts/<stem>.svg`, e.g. to add to a staged output directory.
    pub fn files(&self) -> Vec<(String, &[u8])> {
        let mut files = vec![(super::REPORT_FILE.to_string(), self.html.as_bytes())];
        for (name, svg) in &self.charts {
            files.push((format!("{}/{name}.svg", super::CHARTS_DIR), svg.as_bytes()));
        }
        files
    }

    /// [`Report::files`] as owned bytes.
    pub fn owned_files(&self) -> Vec<(String, Vec<u8>)> {
        self.files()
            .into_iter()
            .map(|(name, bytes)| (name, bytes.to_vec()))
            .collect()
    }
}

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "\
:root{color-scheme:light}\
body{margin:0;background:#f6f6f4;color:#1b1b1b;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
main{max-width:1000px;margin:0 auto;padding:24px 28px 60px;background:#fff}\
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:34px 0 6px;border-bottom:2px solid #ddd;padding-bottom:4px}\
h3{font-size:17px;margin:22px 0 6px}p{margin:6px 0}.lede{color:#444}\
nav{font-size:14px;margin:12px 0 0}nav a{margin-right:14px;color:#0b5d96;text-decoration:none}\
table{border-collapse:collapse;width:100%;margin:8px 0 6px;font-size:14px}\
th,td{padding:4px 8px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\
th{background:#f1f1ef;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
th.num{text-align:right}td.what{min-width:11em}\
tr.base td{background:#f4f8fb}\
td code,li code,p code,th code{font-size:13px}ul.words{margin:6px 0 0;padding-left:20px}\
.risk{font-weight:600}.note{color:#555;font-size:13px}\
.wide{overflow-x:auto}\
figure{margin:18px 0 8px;break-inside:avoid;page-break-inside:avoid}\
figure svg{display:block;width:100%;height:auto}\
figcaption{font-size:13px;color:#444;margin-top:2px}\
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}nav{display:none}\
h2{break-after:avoid;page-break-after:avoid}table{break-inside:avoid;page-break-inside:avoid}\
a{color:inherit;text-decoration:none}}";

/// Opens a page: the doctype, the head with `title` and the CSS, the
/// heading (the same `title`), the lede paragraph (`lede`, HTML already
/// escaped) and the navigation links `(anchor, text)`.
pub(super) fn open(page: &mut String, title: &str, lede: &str, nav: &[(&str, &str)]) {
    let title = escape(title);
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{CSS}</style></head><body><main>\
         <h1>{title}</h1><p class=\"lede\">{lede}</p><nav>"
    );
    for (anchor, text) in nav {
        let _ = write!(page, "<a href=\"#{anchor}\">{}</a>", escape(text));
    }
    page.push_str("</nav>\n");
}

/// Closes a page opened with [`open`].
pub(super) fn close(page: &mut String) {
    page.push_str("</main></body></html>\n");
}

/// A figure: the chart `svg` inline (anchor `fig-<name>`), its caption
/// (plain text, escaped here) and the name of its file under `charts/`.
pub(super) fn figure(page: &mut String, name: &str, caption: &str, svg: &str) {
    // Inline SVG in HTML needs no namespace declaration, and leaving it
    // out keeps the page free of any address.
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let _ = writeln!(
        page,
        "<figure id=\"fig-{name}\">{svg}<figcaption>{} <span class=\"note\">({}/{name}.svg)</span>\
         </figcaption></figure>",
        escape(caption),
        super::CHARTS_DIR,
    );
}
