//! Writing HTML safely: escaping, tables and figures, and the page's inline style.
//!
//! Every piece of text from the data (dataset names, parameter sources, model text)
//! passes through [`esc`], so a `<` in a source note cannot break or script the page.
//! The style sheet is inline and uses only system fonts: the page loads nothing.

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell: text, right-aligned number, or a cell marked as withheld.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Plain text (escaped when written).
    Text(String),
    /// A formatted number (right-aligned, tabular figures).
    Num(String),
    /// A suppressed or missing value, written as the given mark.
    Blank(&'static str),
    /// Pre-built, already-escaped HTML.
    Html(String),
}

/// The mark for a cell withheld by disclosure control.
pub const SUPPRESSED: &str = "suppressed";

/// A number cell, or a dash when there is none.
pub fn num(v: Option<String>) -> Cell {
    v.map_or(Cell::Blank("–"), Cell::Num)
}

/// Tables with at least this many columns are set smaller (`table.wide`), so they fit
/// a desktop screen.
const WIDE: usize = 10;

/// Writes a table with a caption, a header row and rows; wrapped so it scrolls
/// sideways in its own box on a narrow screen (first column kept in view) instead of
/// widening the page.
pub fn table(out: &mut String, caption: &str, header: &[&str], rows: &[Vec<Cell>]) {
    out.push_str(if header.len() >= WIDE {
        "<div class=\"scroll\"><table class=\"wide\">\n<caption>"
    } else {
        "<div class=\"scroll\"><table>\n<caption>"
    });
    out.push_str(&esc(caption));
    out.push_str("</caption>\n<thead><tr>");
    for h in header {
        out.push_str("<th scope=\"col\">");
        out.push_str(&esc(h));
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            match cell {
                Cell::Text(t) => out.push_str(&format!("<{tag}>{}</{close}>", esc(t))),
                Cell::Num(t) => out.push_str(&format!("<{tag} class=\"num\">{}</{close}>", esc(t))),
                Cell::Blank(mark) => {
                    out.push_str(&format!("<{tag} class=\"blank\">{}</{close}>", esc(mark)))
                }
                Cell::Html(h) => out.push_str(&format!("<{tag}>{h}</{close}>")),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A paragraph of escaped text.
pub fn para(out: &mut String, text: &str) {
    out.push_str("<p>");
    out.push_str(&esc(text));
    out.push_str("</p>\n");
}

/// A visible note where a chart or section is left out.
pub fn note(out: &mut String, text: &str) {
    out.push_str("<p class=\"note\" role=\"note\"><strong>Not shown:</strong> ");
    out.push_str(&esc(text));
    out.push_str("</p>\n");
}

/// Prepares a chart's SVG document for inlining: drops an XML declaration or doctype
/// and marks the element as an image (its `<title>` is its accessible name).
pub fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    body.replacen("<svg", "<svg role=\"img\" focusable=\"false\"", 1)
}

/// A figure holding an inlined chart and a caption naming the chart files.
pub fn figure(out: &mut String, name: &str, svg: &str, caption: &str) {
    out.push_str(&format!(
        "<figure id=\"chart-{}\">\n<div class=\"chart\">",
        esc(name)
    ));
    out.push_str(&inline_svg(svg));
    out.push_str("</div>\n<figcaption>");
    out.push_str(&esc(caption));
    out.push_str(&format!(
        " <span class=\"files\">Print files: <a href=\"charts/{0}.png\">charts/{0}.png</a>, <a href=\"charts/{0}.svg\">charts/{0}.svg</a></span></figcaption>\n</figure>\n",
        esc(name)
    ));
}

/// The page's style sheet: readable on a phone (charts scale to the width, wide tables
/// scroll in their own box with the first column kept in view, nothing widens the
/// page), printable (A4, sections flow on without near-empty pages, figures and table
/// rows never split, the collapsed model file printed in full).
pub const STYLE: &str = r#"
:root { --ink: #212121; --muted: #5f5f5f; --rule: #d9d9d9; --accent: #0072B2; --warn: #D55E00; --soft: #f4f7fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
header.top { border-bottom: 4px solid var(--accent); padding-bottom: .75rem; margin-bottom: 1rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: .5rem 0; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p { margin: .5rem 0 .9rem; }
.meta { color: var(--muted); font-size: .95rem; margin: 0; }
nav ol { columns: 2 12rem; padding-left: 1.25rem; margin: .5rem 0; }
nav a { color: var(--accent); }
.headline { background: var(--soft); border-left: 6px solid var(--accent); padding: 1rem 1.25rem; margin: 1rem 0; }
.headline .lead { font-size: 1.35rem; line-height: 1.35; font-weight: 600; margin: 0 0 .5rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
.figures li { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .75rem; }
.figures .value { display: block; font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.figures .label { display: block; color: var(--muted); font-size: .85rem; }
figure { margin: 1.25rem 0; }
.chart { overflow-x: auto; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .35rem; }
figcaption .files { display: block; font-size: .8rem; }
.scroll { overflow-x: auto; margin: .75rem 0 1.25rem; scrollbar-width: thin; scrollbar-color: #9a9a9a #eee; }
.scroll tbody th, .scroll thead th:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
table.wide { font-size: .8rem; }
table.wide th, table.wide td { padding: .3rem .3rem; }
.print-only { display: none; }
@media (max-width: 600px) { #chart-headline .chart { display: none; } }
.whatif input[type=number] { width: 7.5rem; font: inherit; padding: .15rem .25rem; }
.whatif .study { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
.whatif button { font: inherit; padding: .25rem .9rem; }
figcaption .files a { color: inherit; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .25rem 0 .5rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
tbody th { font-weight: 500; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.blank { color: var(--muted); text-align: right; font-style: italic; }
tr.assumed { background: #fff4e5; }
.flag { color: var(--warn); font-weight: 700; white-space: nowrap; }
.note { border-left: 4px solid var(--warn); background: #fff8f0; padding: .5rem .75rem; }
dl.indicators { margin: 0 0 1.25rem; font-size: .9rem; }
dl.indicators dt { font-weight: 600; }
dl.indicators dd { margin: 0 0 .4rem 1rem; color: var(--muted); }
.warnings li { margin-bottom: .35rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f7; padding: .75rem; border: 1px solid var(--rule); }
td.hash { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .78rem; word-break: break-all; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: .75rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.45rem; }
  .headline .lead { font-size: 1.15rem; }
  main { padding: .75rem .6rem 2rem; }
  /* Charts scale to the screen: the page never scrolls sideways. */
  .chart { overflow-x: visible; }
  th, td { padding: .3rem .35rem; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { margin: 1.2rem 0 .5rem; padding-top: .4rem; }
  h2, h3, caption, summary { break-after: avoid; }
  figure, .headline, .figures, tr, dl.indicators dt { break-inside: avoid; }
  p, li { orphans: 3; widows: 3; }
  .scroll, .chart { overflow: visible; }
  .scroll tbody th, .scroll thead th:first-child { position: static; }
  figure svg { max-height: 115mm; }
  table, table.wide { font-size: 8pt; }
  thead { display: table-header-group; }
  th, td { padding: .15rem .25rem; }
  a { color: inherit; text-decoration: none; }
  details { display: none; }
  #what-if { display: none; }
  .print-only { display: block; }
  .print-only pre { font-size: 7.5pt; }
  footer { display: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn tables_escape_cells_and_mark_blanks() {
        let mut s = String::new();
        table(
            &mut s,
            "Caption <1>",
            &["a", "b"],
            &[
                vec![Cell::Text("x<y".into()), Cell::Blank(SUPPRESSED)],
                vec![Cell::Text("z".into()), num(Some("1.5".into()))],
            ],
        );
        assert!(s.contains("<caption>Caption &lt;1&gt;</caption>"));
        assert!(s.contains("<th scope=\"row\">x&lt;y</th><td class=\"blank\">suppressed</td>"));
        assert!(s.contains("<td class=\"num\">1.5</td>"));
    }

    #[test]
    fn inline_svg_drops_the_declaration() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\"><title>T</title></svg>";
        assert_eq!(
            inline_svg(svg),
            "<svg role=\"img\" focusable=\"false\" width=\"10\"><title>T</title></svg>"
        );
    }
}
