//! What the page tests share (`tests/report.rs`, `tests/pages.rs`):
//! reading the data a chart's SVG draws, checking that every figure of a
//! page has its chart file with data inside its plot, and rendering a page
//! in headless Chromium.

// Each test file uses only some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Points of the data elements (polygons, polylines, circles, rects
/// that are not white) of an SVG: what plotters draws for bands, lines,
/// dots and bars. Grid and axis lines are `<line>` or plain polylines of
/// two points, which this leaves out.
pub fn data_points(svg: &str) -> Vec<(f64, f64)> {
    let attr = |el: &str, name: &str| -> Option<f64> {
        el.split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    let mut out = Vec::new();
    for el in svg.split('<').skip(1) {
        if el.starts_with("polygon") || el.starts_with("polyline") {
            let Some(points) = el
                .split("points=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
            else {
                continue;
            };
            let pts: Vec<(f64, f64)> = points
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            if pts.len() > 2 || el.starts_with("polygon") {
                out.extend(pts);
            }
        } else if el.starts_with("circle") {
            out.extend(attr(el, "cx").zip(attr(el, "cy")));
        } else if el.starts_with("rect")
            && !el.contains("fill=\"#FFFFFF\"")
            && let (Some(x), Some(y), Some(w), Some(h)) = (
                attr(el, "x"),
                attr(el, "y"),
                attr(el, "width"),
                attr(el, "height"),
            )
        {
            out.extend([(x, y), (x + w, y + h)]);
        }
    }
    out
}

/// The SVG's canvas size from its `viewBox`.
pub fn canvas(svg: &str) -> (f64, f64) {
    let vb = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("viewBox");
    let n: Vec<f64> = vb.split(' ').map(|x| x.parse().expect("number")).collect();
    (n[2], n[3])
}

/// The data points of `svg` inside its plot: below the header (title and
/// legend) and inside the canvas, right of the y labels.
pub fn inside_plot(svg: &str) -> Vec<(f64, f64)> {
    let (w, h) = canvas(svg);
    data_points(svg)
        .into_iter()
        .filter(|(x, y)| *x > 60.0 && *x < w && *y > 40.0 && *y < h)
        .collect()
}

/// Checks that `chart` (a file stem under `dir/charts/`) is drawn with
/// data: at least `min_points` data points inside its plot, spread over
/// more than a tenth of its width when `spread`.
pub fn assert_drawn(dir: &Path, chart: &str, min_points: usize, spread: bool) {
    let svg = std::fs::read_to_string(dir.join(format!("charts/{chart}.svg")))
        .unwrap_or_else(|e| panic!("charts/{chart}.svg: {e}"));
    assert!(!svg.contains("No data"), "{chart} has no data");
    let inside = inside_plot(&svg);
    assert!(
        inside.len() >= min_points,
        "{chart}: {} data points inside the plot",
        inside.len()
    );
    if spread {
        let (w, _) = canvas(&svg);
        let (lo, hi) = inside
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
                (lo.min(*x), hi.max(*x))
            });
        assert!(
            hi - lo > w / 10.0,
            "{chart}: data spans {lo}..{hi} of {w} px"
        );
    }
}

/// The figures of a page, by their anchors `fig-<name>`.
pub fn figures(html: &str) -> Vec<String> {
    html.split("<figure id=\"fig-")
        .skip(1)
        .filter_map(|f| f.split('"').next().map(str::to_string))
        .collect()
}

/// Checks that `html` is one whole page that fetches nothing: no script,
/// no address, no stylesheet, image or font to load.
pub fn assert_nothing_to_fetch(html: &str) {
    let lower = html.to_lowercase();
    for banned in [
        "<script",
        "http:",
        "https:",
        "url(",
        "@import",
        "<link",
        "<img",
        "@font-face",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned}");
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
}

/// Checks that the page `dir/report.html` is self-contained (no script,
/// no address, no image to fetch, every chart inline) and that its figures
/// and the files of `dir/charts/` are the same set; returns its figures.
pub fn assert_self_contained(dir: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    assert_nothing_to_fetch(&html);
    let shown = figures(&html);
    for name in &shown {
        assert!(
            html.contains(&format!("<figure id=\"fig-{name}\"><svg")),
            "{name} is not drawn inline"
        );
        assert!(
            html.contains(&format!("(charts/{name}.svg)")),
            "{name}'s file is not named"
        );
    }
    let mut files: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .expect("charts/")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            name.strip_suffix(".svg").expect("an SVG file").to_string()
        })
        .collect();
    files.sort();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(
        files, sorted,
        "each figure is a file, and each file a figure"
    );
    shown
}

/// The Chromium binary on PATH; `None` (and the test is skipped, with a
/// message) when there is none, except under CI, where it must be there.
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and chromium is not on PATH"
        );
        eprintln!("skipped: chromium is not on PATH");
    }
    found
}

/// Renders `page` in headless Chromium (`height` px tall): checks that it
/// loads with no console error and that the screenshot is not blank (more
/// than `min_png` bytes), and returns the rendered DOM.
pub fn render(chromium: &str, page: &Path, scratch: &Path, height: u32, min_png: usize) -> String {
    let url = format!("file://{}", page.display());
    let shot = scratch.join("shot.png");
    let profile = scratch.join("profile");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let user_dir = format!("--user-data-dir={}", profile.display());
    let run = Command::new(chromium)
        .args(common)
        .arg(&user_dir)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size=1280,{height}"))
        .arg(&url)
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "chromium failed: {log}");
    for bad in [
        "CONSOLE",
        "Uncaught",
        "Failed to load resource",
        "ERR_FILE_NOT_FOUND",
    ] {
        let hits: Vec<&str> = log.lines().filter(|l| l.contains(bad)).collect();
        assert!(hits.is_empty(), "console: {hits:?}");
    }
    let png = std::fs::read(&shot).expect("screenshot");
    assert_eq!(&png[1..4], b"PNG");
    assert!(
        png.len() > min_png,
        "screenshot of {} bytes looks blank",
        png.len()
    );
    let dom = Command::new(chromium)
        .args(common)
        .arg(&user_dir)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

/// Checks in a rendered DOM that every figure of `expected` is there with
/// its SVG drawing area (a `<svg>` with a non-zero viewBox and drawn
/// elements), and no other figure.
pub fn assert_rendered_figures(dom: &str, expected: &[String]) {
    let shown = figures(dom);
    assert_eq!(shown, expected, "figures in the rendered page");
    for part in dom.split("<figure id=\"fig-").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        let svg = part
            .split("<svg")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no svg in the rendered figure"));
        let svg = svg.split("</svg>").next().unwrap_or("");
        let (w, h) = canvas(&format!("<svg{svg}"));
        assert!(w > 0.0 && h > 0.0, "{name}: empty drawing area");
        assert!(
            data_points(svg).len() >= 2,
            "{name}: nothing drawn in the rendered chart"
        );
    }
}
