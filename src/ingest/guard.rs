//! Resource limits, checked before anything is decoded.
//!
//! The parquet reader trusts what a file claims: it allocates the uncompressed size a
//! page header states and decompresses into it, and a run-length encoded page of a few
//! bytes can stand for billions of values. A crafted or broken file of a few kilobytes
//! could thus make the engine allocate gigabytes and be killed by the operating system,
//! taking the whole run with it. So before a row group is decoded, [`plan_row_group`]
//! walks the page headers of the columns to be read (a few bytes each, read with the small
//! Thrift decoder below) and refuses the row group (rule `too_large`) when
//!
//! - a page decompresses to more than [`MAX_PAGE_BYTES`],
//! - its pages claim more values than [`MAX_ROWS_PER_BYTE`] per byte of the file, or
//! - even a single row would take more than [`BATCH_BYTES`] to decode.
//!
//! Otherwise it returns the number of rows per batch that keeps every decoded batch
//! within [`BATCH_BYTES`]: the usual 65,536 for ordinary data, fewer for rows of very long
//! values. Strings are decoded as views into the page buffers (see `scan`), so a batch
//! holds at most the pages it spans, and a dictionary value shared by many rows is stored
//! once. [`check_row_counts`] applies the rows-per-byte rule to the footer's own row counts
//! before any page is touched.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};

/// Largest decompressed page accepted. Writers cut pages at about 1 MiB; a page this
/// large only comes from a single enormous value or a decompression bomb.
pub const MAX_PAGE_BYTES: u64 = 128 << 20;

/// Decoded bytes allowed in one batch of one row group (per reading thread).
pub const BATCH_BYTES: u64 = 512 << 20;

/// Most values a file may claim per byte of its size. Real case data needs at least a
/// few bits per row (ids, dates); 64 rows per byte leaves a wide margin and still stops a
/// small file from claiming billions of rows.
pub const MAX_ROWS_PER_BYTE: u64 = 64;

/// Rows a small file may always claim, whatever its size.
const ROWS_ALWAYS_ALLOWED: u64 = 1 << 16;

/// Rows per batch when nothing limits it.
pub const DEFAULT_BATCH_ROWS: usize = 65_536;

/// Decoded bytes counted per row and column whatever the encoding (a value of a
/// fixed-width type, or a string view, plus validity).
const FIXED_ROW_BYTES: u64 = 17;

/// Longest page header read (headers hold optional statistics, normally tiny).
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Deepest nesting of Thrift structs accepted in a page header.
const MAX_DEPTH: usize = 16;

/// Why a row group is not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The file contradicts itself (a page runs past its column chunk, a header cannot be
    /// read): it is damaged.
    Damaged(String),
    /// The file is consistent but claims more than can be read within bounded memory.
    TooLarge(String),
}

/// Most rows a file of `file_len` bytes may claim.
pub fn max_rows(file_len: u64) -> u64 {
    file_len
        .saturating_mul(MAX_ROWS_PER_BYTE)
        .saturating_add(ROWS_ALWAYS_ALLOWED)
}

/// Check the footer's row counts against the file size.
///
/// # Errors
/// A sentence saying how many rows are claimed in how many bytes.
pub fn check_row_counts(meta: &ParquetMetaData, file_len: u64) -> Result<(), String> {
    let mut total: u64 = 0;
    for (i, rg) in meta.row_groups().iter().enumerate() {
        let n = rg.num_rows();
        if n < 0 {
            return Err(format!("row group {i} claims a negative row count ({n})"));
        }
        total = total.saturating_add(n as u64);
    }
    if total > max_rows(file_len) {
        return Err(format!(
            "the file's metadata claims {total} rows in {file_len} bytes; at most {} are plausible ({MAX_ROWS_PER_BYTE} per byte)",
            max_rows(file_len)
        ));
    }
    Ok(())
}

/// Byte range `(start, length)` of a column chunk, as the reader will read it (from its
/// dictionary page if it has one). The parquet crate asserts, that is panics, on a
/// negative offset or length; here it is an error.
///
/// # Errors
/// A sentence naming the negative value.
pub fn chunk_range(c: &ColumnChunkMetaData) -> Result<(u64, u64), String> {
    let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
    let len = c.compressed_size();
    match (u64::try_from(start), u64::try_from(len)) {
        (Ok(s), Ok(l)) => Ok((s, l)),
        _ => Err(format!(
            "the column chunk claims to start at byte {start} with {len} bytes"
        )),
    }
}

/// Sizes of one column chunk's pages, from their headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChunkPages {
    /// Decoded bytes of the dictionary page (0 if none).
    pub dictionary: u64,
    /// Per data page: (rows, bytes).
    pub pages: Vec<(u64, u64)>,
}

impl ChunkPages {
    fn rows(&self) -> u64 {
        self.pages.iter().map(|p| p.0).sum()
    }

    /// Most page bytes any window of `rows` consecutive rows can overlap.
    fn window_bytes(&self, rows: u64) -> u64 {
        let mut start = Vec::with_capacity(self.pages.len() + 1);
        let mut at = 0u64;
        for (r, _) in &self.pages {
            start.push(at);
            at = at.saturating_add(*r);
        }
        start.push(at);
        let mut best = 0u64;
        let mut sum = 0u64;
        let mut j = 0;
        for i in 0..self.pages.len() {
            if j < i {
                j = i;
                sum = 0;
            }
            // A window starting in page i (at its last row at the latest) reaches every
            // page that starts before that row + `rows`.
            let last_start = start[i + 1].saturating_sub(1).max(start[i]);
            let reach = last_start.saturating_add(rows);
            while j < self.pages.len() && start[j] < reach {
                sum = sum.saturating_add(self.pages[j].1);
                j += 1;
            }
            best = best.max(sum);
            if j > i {
                sum -= self.pages[i].1;
            }
        }
        best
    }
}

/// The rows per batch that keep a row group's decoded batches within [`BATCH_BYTES`].
///
/// `chunks` are the byte ranges `(start, length)` of the column chunks to be read, with
/// their column names for messages.
///
/// # Errors
/// [`Refusal`] naming the column and the claim that is out of bounds.
pub fn plan_row_group(
    file: &File,
    file_len: u64,
    chunks: &[(String, u64, u64)],
) -> Result<usize, Refusal> {
    let mut columns = Vec::with_capacity(chunks.len());
    for (name, start, len) in chunks {
        let (start, len) = (*start, *len);
        let pages = read_chunk_pages(file, file_len, start, len).map_err(|r| match r {
            Refusal::Damaged(m) => Refusal::Damaged(format!("column {name}: {m}")),
            Refusal::TooLarge(m) => Refusal::TooLarge(format!("column {name}: {m}")),
        })?;
        let rows = pages.rows();
        if rows > max_rows(file_len) {
            return Err(Refusal::TooLarge(format!(
                "column {name}: pages claim {rows} values in a file of {file_len} bytes; at most {} are plausible",
                max_rows(file_len)
            )));
        }
        columns.push(pages);
    }
    let cost = |rows: u64| -> u64 {
        columns.iter().fold(0u64, |acc, c| {
            acc.saturating_add(c.dictionary)
                .saturating_add(c.window_bytes(rows))
                .saturating_add(rows.saturating_mul(FIXED_ROW_BYTES))
        })
    };
    let mut rows = DEFAULT_BATCH_ROWS as u64;
    while rows > 1 && cost(rows) > BATCH_BYTES {
        rows /= 2;
    }
    let c = cost(rows);
    if c > BATCH_BYTES {
        return Err(Refusal::TooLarge(format!(
            "a single row needs {c} bytes to decode, more than the {BATCH_BYTES} allowed"
        )));
    }
    Ok(rows as usize)
}

/// Walk the page headers of the column chunk at `start..start + len`.
fn read_chunk_pages(
    file: &File,
    file_len: u64,
    start: u64,
    len: u64,
) -> Result<ChunkPages, Refusal> {
    let end = start
        .checked_add(len)
        .filter(|e| *e <= file_len)
        .ok_or_else(|| {
            Refusal::Damaged(format!(
                "the column chunk claims bytes {start}..{} but the file has {file_len}",
                start.saturating_add(len)
            ))
        })?;
    let mut reader = BufReader::with_capacity(8 << 10, file);
    let mut out = ChunkPages::default();
    let mut pos = start;
    while pos < end {
        reader
            .seek(SeekFrom::Start(pos))
            .map_err(|e| Refusal::Damaged(format!("cannot seek to byte {pos}: {e}")))?;
        let limit = (end - pos).min(MAX_HEADER_BYTES);
        let mut input = Input {
            reader: &mut reader,
            used: 0,
            limit,
        };
        let h = read_page_header(&mut input)
            .map_err(|e| Refusal::Damaged(format!("page header at byte {pos}: {e}")))?;
        let body_start = pos + input.used;
        if h.compressed < 0 || h.uncompressed < 0 || body_start + h.compressed as u64 > end {
            return Err(Refusal::Damaged(format!(
                "the page at byte {pos} claims {} bytes, past the end of its column chunk",
                h.compressed
            )));
        }
        let bytes = h.compressed.max(h.uncompressed) as u64;
        if bytes > MAX_PAGE_BYTES {
            return Err(Refusal::TooLarge(format!(
                "the page at byte {pos} decompresses to {bytes} bytes, more than the {MAX_PAGE_BYTES} allowed"
            )));
        }
        match h.kind {
            PAGE_DICTIONARY => out.dictionary = out.dictionary.saturating_add(bytes),
            PAGE_DATA | PAGE_DATA_V2 => out.pages.push((h.rows.max(0) as u64, bytes)),
            _ => {}
        }
        pos = body_start + h.compressed as u64;
    }
    Ok(out)
}

const PAGE_DATA: i32 = 0;
const PAGE_DICTIONARY: i32 = 2;
const PAGE_DATA_V2: i32 = 3;

/// The fields of a Parquet `PageHeader` the limits need.
#[derive(Debug, Default, PartialEq, Eq)]
struct PageHeader {
    kind: i32,
    uncompressed: i32,
    compressed: i32,
    /// Rows of a data page (`num_rows` of a v2 header, `num_values` of a v1 header: the
    /// same for the flat columns of the contract).
    rows: i64,
}

/// A byte source with a budget, for the Thrift compact protocol.
struct Input<'a, R: Read> {
    reader: &'a mut R,
    used: u64,
    limit: u64,
}

impl<R: Read> Input<'_, R> {
    fn byte(&mut self) -> Result<u8, String> {
        if self.used >= self.limit {
            return Err("header runs past the end of its column chunk".into());
        }
        let mut b = [0u8; 1];
        self.reader
            .read_exact(&mut b)
            .map_err(|e| format!("cannot read: {e}"))?;
        self.used += 1;
        Ok(b[0])
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        if self.used.saturating_add(n) > self.limit {
            return Err("header runs past the end of its column chunk".into());
        }
        let copied = std::io::copy(&mut self.reader.by_ref().take(n), &mut std::io::sink())
            .map_err(|e| format!("cannot read: {e}"))?;
        if copied != n {
            return Err("file ends inside a page header".into());
        }
        self.used += n;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err("integer too long".into());
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("integer too long".into())
    }

    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn i32(&mut self) -> Result<i32, String> {
        i32::try_from(self.zigzag()?).map_err(|_| "i32 field out of range".to_string())
    }

    /// Skip one value of compact type `t`.
    fn skip_value(&mut self, t: u8, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        match t {
            1 | 2 => Ok(()),
            3 => self.skip(1),
            4..=6 => self.zigzag().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let h = self.byte()?;
                let n = match h >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                let et = h & 0x0f;
                for _ in 0..n {
                    // Booleans in lists take a byte each.
                    if et == 1 || et == 2 {
                        self.skip(1)?;
                    } else {
                        self.skip_value(et, depth + 1)?;
                    }
                }
                Ok(())
            }
            11 => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let kv = self.byte()?;
                for _ in 0..n {
                    for t in [kv >> 4, kv & 0x0f] {
                        if t == 1 || t == 2 {
                            self.skip(1)?;
                        } else {
                            self.skip_value(t, depth + 1)?;
                        }
                    }
                }
                Ok(())
            }
            12 => self.walk_struct(depth + 1, &mut |_, _, _| Ok(false)),
            13 => self.skip(16),
            _ => Err(format!("unknown Thrift type {t}")),
        }
    }

    /// Walk a struct's fields; `field(input, id, type)` reads the fields it wants and
    /// returns true, or false to have the field skipped.
    fn walk_struct(
        &mut self,
        depth: usize,
        field: &mut dyn FnMut(&mut Self, i16, u8) -> Result<bool, String>,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        let mut last: i16 = 0;
        loop {
            let h = self.byte()?;
            let t = h & 0x0f;
            if t == 0 {
                return Ok(());
            }
            let id = match h >> 4 {
                0 => i16::try_from(self.zigzag()?).map_err(|_| "bad field id".to_string())?,
                d => last.wrapping_add(i16::from(d)),
            };
            last = id;
            if !field(self, id, t)? {
                self.skip_value(t, depth)?;
            }
        }
    }
}

fn read_page_header<R: Read>(input: &mut Input<R>) -> Result<PageHeader, String> {
    let mut h = PageHeader {
        kind: -1,
        uncompressed: -1,
        compressed: -1,
        rows: 0,
    };
    input.walk_struct(0, &mut |inp, id, t| {
        Ok(match (id, t) {
            (1, 5) => {
                h.kind = inp.i32()?;
                true
            }
            (2, 5) => {
                h.uncompressed = inp.i32()?;
                true
            }
            (3, 5) => {
                h.compressed = inp.i32()?;
                true
            }
            // DataPageHeader (5): num_values is field 1; DataPageHeaderV2 (8): num_rows
            // is field 3.
            (5 | 8, 12) => {
                let rows_field = if id == 5 { 1 } else { 3 };
                inp.walk_struct(1, &mut |inp, id, t| {
                    if (id, t) == (rows_field, 5) {
                        h.rows = i64::from(inp.i32()?);
                        return Ok(true);
                    }
                    Ok(false)
                })?;
                true
            }
            _ => false,
        })
    })?;
    if h.kind < 0 || h.uncompressed < 0 || h.compressed < 0 {
        return Err("a required field (type or sizes) is missing or negative".into());
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact-protocol bytes of a page header.
    fn header(kind: i32, uncompressed: i32, compressed: i32, rows: i32) -> Vec<u8> {
        fn zz(v: i64) -> Vec<u8> {
            let mut u = ((v << 1) ^ (v >> 63)) as u64;
            let mut out = Vec::new();
            loop {
                let b = (u & 0x7f) as u8;
                u >>= 7;
                if u == 0 {
                    out.push(b);
                    return out;
                }
                out.push(b | 0x80);
            }
        }
        let mut v = vec![0x15];
        v.extend(zz(kind.into()));
        v.push(0x15);
        v.extend(zz(uncompressed.into()));
        v.push(0x15);
        v.extend(zz(compressed.into()));
        // crc (field 4, i32), then the data page header (field 5, struct) with
        // num_values, encoding and a statistics struct holding a binary max value.
        v.push(0x15);
        v.extend(zz(12345));
        v.push(0x1c);
        v.push(0x15);
        v.extend(zz(rows.into()));
        v.push(0x15);
        v.extend(zz(0));
        v.push(0x3c); // field 5: statistics
        v.push(0x18); // field 1: binary
        v.push(3);
        v.extend(b"abc");
        v.push(0x00);
        v.push(0x00);
        v.push(0x00);
        v
    }

    fn parse(bytes: &[u8]) -> Result<(PageHeader, u64), String> {
        let mut r = bytes;
        let mut input = Input {
            reader: &mut r,
            used: 0,
            limit: bytes.len() as u64,
        };
        let h = read_page_header(&mut input)?;
        Ok((h, input.used))
    }

    #[test]
    fn reads_the_sizes_and_rows_of_a_page_header() {
        let b = header(0, 4096, 1000, 700);
        let (h, used) = parse(&b).unwrap();
        assert_eq!(
            h,
            PageHeader {
                kind: 0,
                uncompressed: 4096,
                compressed: 1000,
                rows: 700
            }
        );
        assert_eq!(used, b.len() as u64);
    }

    #[test]
    fn truncated_or_hostile_headers_are_errors_not_panics() {
        let b = header(0, 4096, 1000, 700);
        for cut in 0..b.len() {
            assert!(parse(&b[..cut]).is_err(), "cut at {cut}");
        }
        // Structs nested without end.
        let deep = vec![0x1c; 64];
        assert_eq!(parse(&deep).unwrap_err(), "nested too deeply");
        // A list claiming 2^60 elements runs out of bytes, not memory.
        let list = vec![0x19, 0xf5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert!(parse(&list).is_err());
        // An over-long varint.
        let long = [vec![0x15], vec![0xff; 11]].concat();
        assert_eq!(parse(&long).unwrap_err(), "integer too long");
    }

    #[test]
    fn windows_count_every_page_a_batch_can_touch() {
        let c = ChunkPages {
            dictionary: 0,
            pages: vec![(10, 100), (10, 1), (10, 1000), (10, 1)],
        };
        // One row touches one page; the worst is the 1000-byte page.
        assert_eq!(c.window_bytes(1), 1000);
        // Two rows can straddle pages 2 and 3.
        assert_eq!(c.window_bytes(2), 1001);
        // Eleven rows starting at the last row of page 1 reach page 3.
        assert_eq!(c.window_bytes(11), 1001);
        assert_eq!(c.window_bytes(12), 1101);
        assert_eq!(c.window_bytes(1_000), 1102);
        assert_eq!(ChunkPages::default().window_bytes(5), 0);
    }

    #[test]
    fn row_claims_are_bounded_by_file_size() {
        assert_eq!(max_rows(0), ROWS_ALWAYS_ALLOWED);
        assert_eq!(max_rows(1_000), 64_000 + ROWS_ALWAYS_ALLOWED);
        assert_eq!(max_rows(u64::MAX), u64::MAX);
    }
}
