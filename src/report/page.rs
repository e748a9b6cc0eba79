//! `report.html` as a whole: the document head with the inline style sheet, the title
//! block with the contents, every section in page order (see [`super::section`]) and
//! the footer.
//!
//! The page is assembled here and nowhere else, so the order of the sections and the
//! contents that link to them cannot drift apart.

use crate::charts::labels::thousands;

use super::folder::RunFolder;
use super::html::{esc, STYLE};
use super::section::{
    adjustment, cost_of_care, headline, income, manifest, method, notes, outcomes, quality,
    reintegration, sensitivity, sroi, staying_together, whatif, SECTIONS,
};
use super::select::dataset_families;

pub use super::section::Rendered;

/// The document head and the title block: title, what the amounts are, the dataset's
/// size, and the contents (without the notes entry when there are none).
fn header(out: &mut String, run: &RunFolder, has_notes: bool) {
    let has_whatif = whatif::shown(run);
    let has_adjustment = adjustment::shown(run);
    let m = &run.manifest;
    let title = format!("Outcomes and social return: {}", m.dataset);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"kinsight {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&m.engine_version),
        esc(&title)
    ));
    out.push_str("<header class=\"top\">\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    let mut meta = vec![format!(
        "Amounts in {} at {} prices",
        run.summary.currency, run.summary.price_year
    )];
    if let Some(cut) = &m.data_cutoff {
        meta.push(format!("data to {cut}"));
    }
    meta.push(format!(
        "{} families",
        thousands(dataset_families(run) as f64)
    ));
    meta.push(format!("kinsight {}", m.engine_version));
    out.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        esc(&meta.join(" · "))
    ));
    out.push_str("<nav aria-label=\"Contents\"><ol>\n");
    for (id, heading) in SECTIONS {
        if (id == "notes" && !has_notes)
            || (id == "what-if" && !has_whatif)
            || (id == "adjustment" && !has_adjustment)
        {
            continue;
        }
        out.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            esc(heading)
        ));
    }
    out.push_str("</ol></nav>\n</header>\n");
}

/// The whole page.
pub fn page(run: &RunFolder, rendered: &Rendered, all_notes: &[String]) -> String {
    let mut out = String::with_capacity(1 << 20);
    header(&mut out, run, !all_notes.is_empty());
    headline::write(&mut out, run, rendered);
    outcomes::write(&mut out, run, rendered);
    staying_together::write(&mut out, run, rendered);
    reintegration::write(&mut out, run, rendered);
    income::write(&mut out, run, rendered);
    adjustment::write(&mut out, run, rendered);
    sroi::write(&mut out, run, rendered);
    sensitivity::write(&mut out, run, rendered);
    whatif::write(&mut out, run);
    cost_of_care::write(&mut out, run, rendered);
    method::write(&mut out, run);
    quality::write(&mut out, run);
    manifest::write(&mut out, run);
    notes::write(&mut out, all_notes);
    out.push_str(&format!(
        "<footer>Rendered by kinsight {} from the files in this output folder (manifest.json, quality.json, sroi/, tables/). Figures resting on fewer than {} families are withheld.</footer>\n",
        esc(env!("CARGO_PKG_VERSION")),
        run.min_cell
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;

    #[test]
    fn the_page_holds_every_section_in_order() {
        let mut r = run();
        r.manifest.data_cutoff = Some("2024-12-31".into());
        let html = page(&r, &Rendered::new(), &["a note".to_string()]);
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.contains("<title>Outcomes and social return: Test dataset</title>"));
        assert!(html.contains("<p class=\"meta\">Amounts in EUR at 2024 prices · data to 2024-12-31 · 0 families · kinsight 9.9.9</p>"));
        let positions = |pattern: &dyn Fn(&str) -> String| -> Vec<usize> {
            SECTIONS
                .iter()
                .filter(|(id, _)| *id != "what-if" && *id != "adjustment")
                .map(|(id, _)| html.find(&pattern(id)).expect(id))
                .collect()
        };
        let links = positions(&|id| format!("<li><a href=\"#{id}\">"));
        let sections = positions(&|id| format!("<section id=\"{id}\">"));
        assert!(links.windows(2).all(|w| w[0] < w[1]));
        assert!(sections.windows(2).all(|w| w[0] < w[1]));
        assert!(html.ends_with("are withheld.</footer>\n</main>\n</body>\n</html>\n"));
    }

    #[test]
    fn without_notes_there_is_no_notes_section_or_link() {
        let html = page(&run(), &Rendered::new(), &[]);
        assert!(!html.contains("#notes") && !html.contains("id=\"notes\""));
    }
}
