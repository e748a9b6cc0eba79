//! glibc allocator tuning for reading large tables (Linux with glibc only; no-ops
//! elsewhere).
//!
//! Reading a table decodes it in per-row-group chunks and then concatenates them, so
//! every table leaves its chunk buffers free just before the next, larger one is read.
//! glibc's default mmap threshold rises to the size of the largest block freed, and the
//! freed chunk memory then stays in the per-thread heaps: on a million families the peak
//! memory of `kinsight validate` was 1.86 GB. Forcing every block over 128 KiB through
//! mmap brought it to 1.35 GB, but each decoded page then cost fresh page faults: 40 % of
//! the CPU time was the kernel's. A 4 MiB threshold keeps batch buffers in the heap, where
//! they are reused, and [`release_free_memory`] hands the heaps' free memory back after
//! each table: 1.36 GB and a third of the time (benches/README.md).
//!
//! The threshold is a trade of time for memory: at 128 KiB the peak of every stage is
//! 15-20 % lower and its time 5-40 % longer. glibc's own `MALLOC_MMAP_THRESHOLD_`
//! environment variable therefore wins over the built-in value, so a run that is short of
//! memory can choose the other side without a rebuild.

/// Fix glibc's mmap threshold at 4 MiB, unless `MALLOC_MMAP_THRESHOLD_` sets it. Call
/// once, before any thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune_allocator() {
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_some() {
        return;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // SAFETY: mallopt only changes allocator tuning; the caller runs it before any
    // thread starts.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
    }
}

/// Return the free memory of glibc's heaps to the system (after a table is read).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_free_memory() {
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim is thread-safe and only releases memory that is free.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune_allocator() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_memory() {}
