//! The `kinsight` command: parse arguments, call the library, print, set the exit code.

fn main() {
    return_freed_memory();
    std::process::exit(kinsight_cli::main());
}

/// Make glibc's allocator give large freed blocks back to the system.
///
/// Reading a table builds it in per-row-group chunks, then concatenates them; glibc's
/// default (a mmap threshold that rises to the size of the largest block freed) keeps the
/// freed chunk memory in the heap, where the later, larger tables cannot reuse it. With a
/// fixed threshold of 128 KiB the peak memory of `kinsight validate` on a million
/// families fell from 1.86 GB to 1.35 GB at the same CPU time (benches/README.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory() {
    const M_MMAP_THRESHOLD: i32 = -3;
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // SAFETY: mallopt only changes allocator tuning; it is called before any thread starts.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory() {}

#[path = "cli/mod.rs"]
mod kinsight_cli;
