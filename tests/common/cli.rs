//! Running the built `kinsight` binary from end-to-end tests.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kinsight");

/// Run the binary from the repository root (so `data/sample` resolves) and collect its
/// output.
pub fn kinsight(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the kinsight binary runs")
}

/// Run the binary and require success, showing its output when it fails.
pub fn ok(args: &[&str]) -> Output {
    let o = kinsight(args);
    assert!(
        o.status.success(),
        "kinsight {args:?} failed ({:?}):\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Exit code and standard error of a failing command.
pub fn fails(args: &[&str]) -> (i32, String) {
    let o = kinsight(args);
    (
        o.status.code().expect("an exit code, not a signal"),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A path as a command-line argument.
pub fn p(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
