//! The layers of `src/` import only downward, and no two top-level modules import each
//! other.
//!
//! Data flows one way: `ingest` -> `outcomes` / `costs` / `sroi` -> `quantities` (the
//! SROI's data quantities, the bridge between them) -> `charts` / `report`; `pipeline`
//! chains the stages and the binary only calls `pipeline`. This test reads every source
//! file, lists the top-level modules each one names through `crate::` (the binary:
//! `kinsight::`), code and tests alike but not comments, and fails on an edge the table
//! below does not allow or on any cycle. Run it alone with
//! `cargo test --test architecture -- --nocapture` to print the edges.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What each top-level module may import. `schema`, `dates`, `settings` and `stats` are
/// leaves; the stages sit above `ingest`; `report` reads the result types of the stages
/// it renders; only `pipeline` may import everything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("schema", &[]),
    ("dates", &[]),
    ("finite", &[]),
    ("settings", &[]),
    ("stats", &[]),
    ("ingest", &["schema", "dates"]),
    ("generate", &["schema", "dates", "stats"]),
    (
        "output",
        &["ingest", "settings", "schema", "dates", "finite"],
    ),
    (
        "outcomes",
        &["ingest", "stats", "settings", "schema", "dates"],
    ),
    ("costs", &["ingest", "stats", "settings", "schema", "dates"]),
    (
        "adjust",
        &["ingest", "outcomes", "stats", "settings", "schema", "dates"],
    ),
    ("sroi", &["stats", "settings", "schema", "dates", "finite"]),
    (
        "quantities",
        &[
            "outcomes", "costs", "adjust", "sroi", "ingest", "stats", "settings", "schema", "dates",
        ],
    ),
    ("charts", &["settings", "schema", "dates", "finite"]),
    (
        "report",
        &[
            "charts",
            "output",
            "outcomes",
            "costs",
            "adjust",
            "quantities",
            "sroi",
            "ingest",
            "settings",
            "schema",
            "dates",
            "finite",
        ],
    ),
    (
        "pipeline",
        &[
            "quantities",
            "outcomes",
            "costs",
            "adjust",
            "sroi",
            "charts",
            "report",
            "output",
            "ingest",
            "generate",
            "stats",
            "settings",
            "schema",
            "dates",
            "finite",
        ],
    ),
    // The binary (src/bin/kinsight) is glue over the pipeline.
    ("bin", &["pipeline"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`bin` for the binary), or `None` for the
/// crate roots.
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    match first.as_ref() {
        "lib.rs" | "main.rs" => None,
        "bin" => Some("bin".into()),
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// The source with comments, string and character literals blanked out, so only code
/// is searched.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            'r' if (c.get(i + 1) == Some(&'"') || c.get(i + 1) == Some(&'#'))
                && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= c.len() {
                        break;
                    }
                    if c[j] == '"' && (0..hashes).all(|h| c.get(j + 1 + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if c.get(i + 1) == Some(&'\\') => {
                // An escaped character literal such as '\n' or '\''.
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            '\'' if c.get(i + 2) == Some(&'\'') => {
                i += 3;
                out.push_str("' '");
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

fn ident_at(c: &[char], mut i: usize) -> (String, usize) {
    while i < c.len() && c[i].is_whitespace() {
        i += 1;
    }
    let start = i;
    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
        i += 1;
    }
    (c[start..i].iter().collect(), i)
}

/// The top-level modules named after `root::` (`crate` or `kinsight`), including each
/// first name of a `root::{a, b::c}` group.
fn imports(code: &str, root: &str) -> BTreeSet<String> {
    let c: Vec<char> = code.chars().collect();
    let pat: Vec<char> = format!("{root}::").chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i + pat.len() <= c.len() {
        let boundary = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if boundary && c[i..i + pat.len()] == pat[..] {
            let mut j = i + pat.len();
            while j < c.len() && c[j].is_whitespace() {
                j += 1;
            }
            if c.get(j) == Some(&'{') {
                // Names at depth 1 of the group: after `{` and after each `,`.
                let mut depth = 0;
                let mut expect = true;
                while j < c.len() {
                    match c[j] {
                        '{' => {
                            depth += 1;
                            expect = depth == 1;
                            j += 1;
                        }
                        '}' => {
                            depth -= 1;
                            j += 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        ',' => {
                            expect = depth == 1;
                            j += 1;
                        }
                        ch if ch.is_whitespace() => j += 1,
                        _ if expect => {
                            let (name, k) = ident_at(&c, j);
                            if !name.is_empty() {
                                found.insert(name);
                            }
                            expect = false;
                            j = k.max(j + 1);
                        }
                        _ => j += 1,
                    }
                }
                i = j;
            } else {
                let (name, k) = ident_at(&c, j);
                if !name.is_empty() {
                    found.insert(name);
                }
                i = k.max(i + 1);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Every edge `from -> to` between distinct top-level modules, with a file that makes it.
fn edges() -> BTreeMap<(String, String), String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut edges = BTreeMap::new();
    for f in files {
        let Some(from) = module_of(&f) else { continue };
        let text = fs::read_to_string(&f).expect("a source file is UTF-8");
        let code = code_only(&text);
        let root = if from == "bin" { "kinsight" } else { "crate" };
        for to in imports(&code, root) {
            if to != from {
                let rel = f.strip_prefix(src()).unwrap_or(&f).display().to_string();
                edges.entry((from.clone(), to)).or_insert(rel);
            }
        }
    }
    edges
}

#[test]
fn every_import_follows_the_layers() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for ((from, to), file) in edges() {
        println!("{from} -> {to} ({file})");
        match allowed.get(from.as_str()) {
            None => wrong.push(format!(
                "src/{file}: module `{from}` is not in tests/architecture.rs; add it to ALLOWED with the layers it may import"
            )),
            Some(ok) if !ok.contains(&to.as_str()) => wrong.push(format!(
                "src/{file}: `{from}` imports `{to}`, which its layer may not (allowed: {ok:?})"
            )),
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges().into_keys() {
        graph.entry(from).or_default().insert(to);
    }
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut cycle = path[at..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        let cycle = visit(n, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "import cycle: {}",
            cycle.unwrap_or_default().join(" -> ")
        );
    }
}

#[test]
fn the_scanner_sees_groups_and_skips_comments() {
    let code = code_only(
        "use crate::{ingest::Dataset, stats::{a, b}};\n// crate::pipeline\nlet s = \"crate::report\";\nuse crate::dates;",
    );
    let got: Vec<String> = imports(&code, "crate").into_iter().collect();
    assert_eq!(got, ["dates", "ingest", "stats"]);
}
