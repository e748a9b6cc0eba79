//! Valid Parquet with arbitrary schemas and values: the fuzz input is decoded (with
//! `arbitrary`) into a table of typed columns, written with the parquet crate under
//! varied writer settings, and loaded as one table of an otherwise valid dataset. Column
//! names are mostly the table's contract names and string values mostly words the
//! engine knows (ids of the template, enum values, codes), so that inputs reach the
//! row checks rather than stopping at the schema check.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use arbitrary::Arbitrary;
use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Date64Array, Decimal128Array, DictionaryArray,
    Float32Array, Float64Array, Int32Array, Int64Array, Int8Array, LargeStringArray,
    RecordBatch, StringArray, StringViewArray, TimestampMillisecondArray,
    TimestampNanosecondArray, TimestampSecondArray, UInt32Array,
};
use arrow::datatypes::Int32Type;
use libfuzzer_sys::fuzz_target;
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{WriterProperties, WriterVersion};

#[derive(Arbitrary, Debug)]
struct Input {
    table: u8,
    rows: u8,
    columns: Vec<Col>,
    compression: u8,
    dictionary: bool,
    arrow_metadata: bool,
    small_pages: bool,
    v2_pages: bool,
    row_group_rows: u8,
}

#[derive(Arbitrary, Debug)]
struct Col {
    name: Name,
    values: Values,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Contract(u8),
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Values {
    Words(Vec<Option<u16>>),
    Utf8(Vec<Option<String>>),
    LargeUtf8(Vec<Option<String>>),
    View(Vec<Option<String>>),
    DictWords(Vec<Option<u8>>),
    Int64(Vec<Option<i64>>),
    Int32(Vec<Option<i32>>),
    Int8(Vec<Option<i8>>),
    UInt32(Vec<Option<u32>>),
    Float64(Vec<Option<f64>>),
    Float32(Vec<Option<f32>>),
    Decimal(Vec<Option<i64>>, u8, i8),
    Bool(Vec<Option<bool>>),
    Date32(Vec<Option<i32>>),
    /// Days near 2020, so that most are plausible.
    Days(Vec<Option<i16>>),
    Date64(Vec<Option<i64>>),
    Timestamp(u8, Option<String>, Vec<Option<i64>>),
}

/// Words the engine knows: the template's ids, every enum value, codes, a few numbers.
fn words() -> &'static Vec<String> {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let loaded = kinsight::ingest::load(&common::template()).expect("template loads");
        let ds = loaded.dataset.expect("template is valid");
        let mut w: Vec<String> = Vec::new();
        w.extend(ds.families.ids.iter().map(String::from));
        w.extend(ds.children.ids.iter().map(String::from));
        w.extend(ds.episodes.ids.iter().map(String::from));
        w.extend(ds.families.programmes.iter().cloned());
        w.extend(ds.families.countries.iter().cloned());
        use kinsight::schema::*;
        for list in [
            ARMS,
            HOUSEHOLD_TYPES,
            RISK_LEVELS,
            REFERRAL_SOURCES,
            SEXES,
            SERVICE_MODELS,
            PREVENTION_LEVELS,
            EXIT_REASONS,
            SERVICE_TYPES,
            COST_CATEGORIES,
            PHASES,
            CONTACT_RESULTS,
            CARE_EVENTS,
            CARE_TYPES,
        ] {
            w.extend(list.iter().map(|s| s.to_string()));
        }
        w.extend(DOMAINS.iter().map(|s| s.to_string()));
        w.extend(["EUR", "ALL", "AMD", "USD", "", " ", "x"].map(String::from));
        w
    })
}

fn cycle<T: Clone>(v: &[Option<T>], n: usize) -> Vec<Option<T>> {
    if v.is_empty() {
        return vec![None; n];
    }
    (0..n).map(|i| v[i % v.len()].clone()).collect()
}

fn word(k: u16) -> String {
    let w = words();
    w[k as usize % w.len()].clone()
}

fn array(values: &Values, n: usize) -> Option<ArrayRef> {
    Some(match values {
        Values::Words(v) => Arc::new(StringArray::from(
            cycle(v, n).into_iter().map(|k| k.map(word)).collect::<Vec<_>>(),
        )),
        Values::Utf8(v) => Arc::new(StringArray::from(cycle(v, n))),
        Values::LargeUtf8(v) => Arc::new(LargeStringArray::from(cycle(v, n))),
        Values::View(v) => Arc::new(StringViewArray::from(cycle(v, n))),
        Values::DictWords(v) => {
            let keys = Int32Array::from(
                cycle(v, n)
                    .into_iter()
                    .map(|k| k.map(i32::from))
                    .collect::<Vec<_>>(),
            );
            let dict: Vec<String> = (0..256).map(|k| word(k as u16)).collect();
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(keys, Arc::new(StringArray::from(dict)))
                    .ok()?,
            )
        }
        Values::Int64(v) => Arc::new(Int64Array::from(cycle(v, n))),
        Values::Int32(v) => Arc::new(Int32Array::from(cycle(v, n))),
        Values::Int8(v) => Arc::new(Int8Array::from(cycle(v, n))),
        Values::UInt32(v) => Arc::new(UInt32Array::from(cycle(v, n))),
        Values::Float64(v) => Arc::new(Float64Array::from(cycle(v, n))),
        Values::Float32(v) => Arc::new(Float32Array::from(cycle(v, n))),
        Values::Decimal(v, p, s) => Arc::new(
            Decimal128Array::from(
                cycle(v, n)
                    .into_iter()
                    .map(|x| x.map(i128::from))
                    .collect::<Vec<_>>(),
            )
            .with_precision_and_scale(1 + p % 38, *s)
            .ok()?,
        ),
        Values::Bool(v) => Arc::new(BooleanArray::from(cycle(v, n))),
        Values::Date32(v) => Arc::new(Date32Array::from(cycle(v, n))),
        Values::Days(v) => Arc::new(Date32Array::from(
            cycle(v, n)
                .into_iter()
                .map(|d| d.map(|d| 18_000 + i32::from(d) / 8))
                .collect::<Vec<_>>(),
        )),
        Values::Date64(v) => Arc::new(Date64Array::from(cycle(v, n))),
        Values::Timestamp(unit, tz, v) => {
            let v = cycle(v, n);
            let a: ArrayRef = match unit % 3 {
                0 => Arc::new(TimestampSecondArray::from(v).with_timezone_opt(tz.clone())),
                1 => Arc::new(TimestampMillisecondArray::from(v).with_timezone_opt(tz.clone())),
                _ => Arc::new(TimestampNanosecondArray::from(v).with_timezone_opt(tz.clone())),
            };
            a
        }
    })
}

/// The Parquet bytes for an input, or `None` when the writer refuses it (not our code).
fn parquet_bytes(input: &Input, contract: &[&str]) -> Option<Vec<u8>> {
    let n = input.rows as usize;
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    for c in input.columns.iter().take(16) {
        let name = match &c.name {
            Name::Contract(k) => contract[*k as usize % contract.len()].to_string(),
            Name::Other(s) => s.clone(),
        };
        cols.push((name, array(&c.values, n)?));
    }
    if cols.is_empty() {
        return None;
    }
    let batch = RecordBatch::try_from_iter(cols).ok()?;
    let compression = match input.compression % 4 {
        0 => Compression::UNCOMPRESSED,
        1 => Compression::SNAPPY,
        2 => Compression::ZSTD(ZstdLevel::default()),
        _ => Compression::LZ4_RAW,
    };
    let mut props = WriterProperties::builder()
        .set_compression(compression)
        .set_dictionary_enabled(input.dictionary)
        .set_max_row_group_row_count(Some(1 + input.row_group_rows as usize))
        .set_writer_version(if input.v2_pages {
            WriterVersion::PARQUET_2_0
        } else {
            WriterVersion::PARQUET_1_0
        });
    if input.small_pages {
        props = props
            .set_data_page_size_limit(64)
            .set_write_batch_size(7)
            .set_dictionary_page_size_limit(64);
    }
    let opts = ArrowWriterOptions::new()
        .with_properties(props.build())
        .with_skip_arrow_metadata(!input.arrow_metadata);
    let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Vec::new();
        let mut w = ArrowWriter::try_new_with_options(&mut out, batch.schema(), opts).ok()?;
        w.write(&batch).ok()?;
        w.close().ok()?;
        Some(out)
    }));
    written.ok().flatten()
}

fuzz_target!(|input: Input| {
    let tables = common::tables();
    let table = &tables[input.table as usize % tables.len()];
    let name = table.rsplit('/').next().unwrap();
    let spec = kinsight::schema::TABLES
        .iter()
        .find(|t| t.name == name)
        .unwrap();
    let contract: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let Some(bytes) = parquet_bytes(&input, &contract) else {
        return;
    };
    if let Ok(path) = std::env::var("KINSIGHT_FUZZ_DUMP") {
        let _ = std::fs::write(format!("{path}.{}.parquet", table.replace('/', "_")), &bytes);
    }
    let loaded = common::load_with(table, &bytes);
    for (t, q) in &loaded.quality.tables {
        assert!(q.balances(), "{t}: {q:?}");
    }
});
