//! The closing section listing what is not shown and why (charts left out, optional
//! tables missing), so a reader of the page alone learns what a run lacked. It is left
//! out, with its entry in the contents, when there is nothing to say.

use super::super::html::esc;
use super::section_start;

/// Writes the notes section, or nothing when there are no notes.
pub fn write(out: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    section_start(out, "notes");
    out.push_str("<ul>\n");
    for n in notes {
        out.push_str(&format!("<li>{}</li>\n", esc(n)));
    }
    out.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_listed_escaped_or_not_at_all() {
        let mut out = String::new();
        write(&mut out, &[]);
        assert!(out.is_empty());
        write(&mut out, &["Chart tornado not drawn: a < b.".to_string()]);
        assert_eq!(
            out,
            "<section id=\"notes\">\n<h2>What is not shown</h2>\n<ul>\n<li>Chart tornado not drawn: a &lt; b.</li>\n</ul>\n</section>\n"
        );
    }
}
