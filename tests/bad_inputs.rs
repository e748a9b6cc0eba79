//! The bad-input catalogue (issue 7): one case per class of broken or hostile input, each
//! asserting the exact problem reported (table, file, column, row, what to fix) or the
//! rows set aside. A panic anywhere is a failed test; so is a run killed for memory,
//! which the resource cases below would cause without the limits of `ingest`.
//!
//! Decisions recorded here (see also docs/data.md):
//! - unknown columns are accepted and ignored, with one warning per file naming them;
//! - text values longer than `MAX_VALUE_BYTES` set their row aside (`value_too_long`);
//! - timestamps with a UTC offset are read in their own zone, named zones are refused;
//! - files claiming more rows or bigger pages than bounded memory allows are fatal
//!   (`too_large`) before anything is decoded.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Date64Array, DictionaryArray, Int32Array, StringArray, TimestampSecondArray,
};
use arrow::datatypes::Int32Type;
use common::*;
use kinsight::dates;
use kinsight::ingest::{self, Loaded, Problem, Rule, Severity, MAX_VALUE_BYTES};
use kinsight::sroi::model::ModelFile;
use kinsight::sroi::SroiError;
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::{ParquetMetaDataReader, ParquetMetaDataWriter};
use parquet::file::properties::{EnabledStatistics, WriterProperties};

fn load(fx: &Fixture) -> (Loaded, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    fx.write(dir.path());
    (ingest::load(dir.path()).unwrap(), dir)
}

fn problems(l: &Loaded, rule: Rule) -> Vec<Problem> {
    l.problems
        .detailed()
        .into_iter()
        .filter(|p| p.rule == rule)
        .cloned()
        .collect()
}

fn find(l: &Loaded, rule: Rule) -> Problem {
    problems(l, rule)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {rule} among {:#?}", l.problems.detailed()))
}

/// Rows read = kept + set aside in every table.
fn assert_balanced(l: &Loaded) {
    for (t, q) in &l.quality.tables {
        assert!(q.balances(), "{t}: {q:?}");
    }
}

fn set_aside_count(l: &Loaded, table: &str, rule: Rule) -> Option<u64> {
    l.quality.tables[table]
        .set_aside_by_reason
        .get(rule.code())
        .copied()
}

fn day(text: &str) -> dates::Day {
    dates::parse(text).unwrap()
}

/// A fixture written to a fresh folder, with `edit` applied to the folder afterwards.
fn load_edited(fx: &Fixture, edit: impl FnOnce(&Path)) -> (Loaded, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    fx.write(dir.path());
    edit(dir.path());
    (ingest::load(dir.path()).unwrap(), dir)
}

fn assert_unreadable(l: &Loaded, table: &str, file: &str) -> Problem {
    let p = find(l, Rule::UnreadableFile);
    assert_eq!(p.severity, Severity::Fatal, "{p}");
    assert_eq!((p.table.as_str(), p.file.as_deref()), (table, Some(file)));
    assert!(
        p.message.starts_with("not a readable Parquet file ("),
        "{p}"
    );
    assert!(p.fix.starts_with("re-export the table as Parquet"), "{p}");
    assert!(l.dataset.is_none());
    assert!(!l.quality.usable);
    p
}

// ---------------------------------------------------------------- files and folders

#[test]
fn zero_byte_file() {
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        fs::write(d.join("income.parquet"), b"").unwrap();
    });
    assert_unreadable(&l, "income", "income.parquet");
}

#[test]
fn empty_file_holding_only_the_magic_bytes() {
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        fs::write(d.join("assessments.parquet"), b"PAR1PAR1").unwrap();
    });
    assert_unreadable(&l, "assessments", "assessments.parquet");
}

#[test]
fn empty_table_folder() {
    let fx = Fixture::valid().drop_table("episodes");
    let (l, _d) = load_edited(&fx, |d| fs::create_dir(d.join("episodes")).unwrap());
    let p = find(&l, Rule::EmptyTable);
    assert_eq!(
        (p.severity, p.table.as_str(), p.file.as_deref()),
        (Severity::Fatal, "episodes", Some("episodes"))
    );
    assert_eq!(p.message, "the table folder holds no Parquet files");
    assert_eq!(p.fix, "put the table's .parquet files in it");
    assert!(l.dataset.is_none());
}

#[test]
fn truncated_file() {
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        let path = d.join("children.parquet");
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() - 20]).unwrap();
    });
    assert_unreadable(&l, "children", "children.parquet");
}

#[test]
fn wrong_magic_a_csv_renamed_to_parquet() {
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        fs::write(
            d.join("families.parquet"),
            b"family_id,programme_id\nF1,AL-TIR-FSP\n",
        )
        .unwrap();
    });
    let p = assert_unreadable(&l, "families", "families.parquet");
    assert!(
        p.message.contains("magic") || p.message.contains("footer"),
        "{p}"
    );
}

#[test]
fn zero_rows() {
    // A required table with its columns but no rows: nothing to analyse.
    let mut fx = Fixture::valid();
    for (_, a) in fx.tables.get_mut("families").unwrap().iter_mut() {
        *a = a.slice(0, 0);
    }
    let (l, _d) = load(&fx);
    let p = problems(&l, Rule::EmptyTable)
        .into_iter()
        .find(|p| p.table == "families")
        .unwrap();
    assert_eq!(p.severity, Severity::Fatal);
    assert_eq!(p.message, "no usable family rows");
    assert_eq!(l.quality.tables["families"].rows_read, 0);
    assert!(l.dataset.is_none());

    // An optional table with no rows is simply empty.
    let mut fx = Fixture::valid();
    for (_, a) in fx.tables.get_mut("income").unwrap().iter_mut() {
        *a = a.slice(0, 0);
    }
    let (l, _d) = load(&fx);
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
    let ds = l.dataset.unwrap();
    assert!(ds.has("income"));
    assert_eq!(ds.income.len(), 0);
}

#[test]
fn folder_of_mixed_schemas() {
    // families/ as three files: int64 counts, int32 counts (a compatible width) and
    // counts written as text (not compatible).
    let fx = Fixture::valid();
    let dir = tempfile::tempdir().unwrap();
    fx.clone().drop_table("families").write(dir.path());
    let fam = &fx.tables["families"];
    let part = |k: usize, counts: ArrayRef| -> Vec<(String, ArrayRef)> {
        fam.iter()
            .map(|(n, a)| {
                let col = if n == "children_count" {
                    counts.clone()
                } else {
                    a.slice(k, 1)
                };
                (n.clone(), col)
            })
            .collect()
    };
    write_parquet(
        &dir.path().join("families/part-0.parquet"),
        &part(0, i(&[1])),
    );
    let as_i32: ArrayRef = Arc::new(Int32Array::from(vec![1]));
    write_parquet(
        &dir.path().join("families/part-1.parquet"),
        &part(1, as_i32),
    );
    let l = ingest::load(dir.path()).unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
    assert_eq!(l.dataset.unwrap().families.children_count, vec![1, 1]);

    write_parquet(
        &dir.path().join("families/part-2.parquet"),
        &part(1, s(&["1"])),
    );
    let l = ingest::load(dir.path()).unwrap();
    let p = find(&l, Rule::MixedSchemas);
    assert_eq!(p.severity, Severity::Fatal);
    assert_eq!(p.file.as_deref(), Some("families/part-2.parquet"));
    assert_eq!(p.column.as_deref(), Some("children_count"));
    assert_eq!(
        p.message,
        "has type Utf8 but Int64 in families/part-0.parquet; expected an integer (int8..int64, uint8..uint32)"
    );
    assert!(l.dataset.is_none());
}

#[test]
fn unknown_columns_are_accepted_ignored_and_named() {
    let fx = Fixture::valid()
        .set("families", "caseworker_note", s(&["see file", "urgent"]))
        .set("services", "Cost", f(&[1.0, 2.0]));
    let (l, _d) = load(&fx);
    let w = problems(&l, Rule::UnknownColumn);
    assert_eq!(w.len(), 2);
    // An extra column of `families` is a candidate covariate of the propensity model.
    assert_eq!(
        (w[0].severity, w[0].table.as_str(), w[0].message.as_str()),
        (
            Severity::Warning,
            "families",
            "columns not in the contract are read as candidate baseline covariates, used only if [study.adjustment] covariates names them: caseworker_note"
        )
    );
    assert_eq!(
        w[1].message,
        "columns not in the contract are ignored: Cost"
    );
    // The contract's cost column is still the one used.
    let ds = l.dataset.unwrap();
    assert_eq!(ds.services.cost, vec![25_000.0, 1_250.0]);
}

// ---------------------------------------------------------------------- values

#[test]
fn huge_strings_set_their_rows_aside() {
    let huge = "P".repeat(1_000_000);
    let fx = Fixture::valid().set("families", "programme_id", s(&["AL-TIR-FSP", &huge]));
    let (l, _d) = load(&fx);
    let p = find(&l, Rule::ValueTooLong);
    assert_eq!(
        (
            p.severity,
            p.table.as_str(),
            p.file.as_deref(),
            p.row,
            p.column.as_deref(),
            p.id.as_deref()
        ),
        (
            Severity::SetAside,
            "families",
            Some("families.parquet"),
            Some(2),
            Some("programme_id"),
            Some("F2")
        )
    );
    assert_eq!(
        p.message,
        format!("value of 1000000 bytes is longer than the {MAX_VALUE_BYTES} allowed")
    );
    // Rows of the set-aside family follow it, counted as such.
    assert_eq!(set_aside_count(&l, "families", Rule::ValueTooLong), Some(1));
    assert_eq!(
        set_aside_count(&l, "children", Rule::ParentSetAside),
        Some(1)
    );
    assert_eq!(
        set_aside_count(&l, "episodes", Rule::ParentSetAside),
        Some(1)
    );
    assert_balanced(&l);
    // No message carries the value.
    assert!(l
        .problems
        .detailed()
        .iter()
        .all(|p| p.to_string().len() < 1_000));

    // A huge id: shown shortened.
    let huge_id = "F".repeat(300);
    let fx = Fixture::valid().set("families", "family_id", s(&["F1", &huge_id]));
    let (l, _d) = load(&fx);
    let p = find(&l, Rule::ValueTooLong);
    assert_eq!(p.column.as_deref(), Some("family_id"));
    assert_eq!(
        p.id.as_deref(),
        Some(format!("{}... (300 bytes)", "F".repeat(60)).as_str())
    );
}

#[test]
fn nan_infinite_and_negative_money() {
    let fx = Fixture::valid()
        .set("services", "cost", f(&[f64::NAN, -5.0]))
        .set("income", "monthly_income", f(&[f64::INFINITY, 100.0]))
        .set(
            "reference/exchange_rates",
            "per_reporting_unit",
            f(&[125.0, 125.0, f64::NEG_INFINITY]),
        );
    let (l, _d) = load(&fx);
    let rows: Vec<(String, Option<u64>, Option<String>, String)> =
        problems(&l, Rule::NegativeOrNonFinite)
            .into_iter()
            .map(|p| (p.table, p.row, p.column, p.message))
            .collect();
    assert_eq!(
        rows,
        vec![
            (
                "services".into(),
                Some(1),
                Some("cost".into()),
                "amount NaN is negative or not a finite number".into()
            ),
            (
                "services".into(),
                Some(2),
                Some("cost".into()),
                "amount -5 is negative or not a finite number".into()
            ),
            (
                "income".into(),
                Some(1),
                Some("monthly_income".into()),
                "amount inf is negative or not a finite number".into()
            ),
            (
                "exchange_rates".into(),
                Some(3),
                Some("per_reporting_unit".into()),
                "amount -inf is negative or not a finite number".into()
            ),
        ]
    );
    assert_balanced(&l);
    // Without the 2024 rate the care costs (in EUR, needing no rate) still convert; the
    // services had no rows left, the income row left is dated 2020 (rate present).
    assert!(l.dataset.is_some(), "{:#?}", l.problems.detailed());
}

#[test]
fn dates_in_year_1_or_9999() {
    let fx = Fixture::valid()
        .set(
            "episodes",
            "intake_date",
            dd(&[day("0001-01-01"), day("2019-02-01")]),
        )
        .set(
            "assessments",
            "assessment_date",
            dd(&[
                day("2019-01-10"),
                day("2020-06-30"),
                day("9999-12-31"),
                day("2019-02-01"),
            ]),
        )
        // A date64 far beyond any calendar.
        .set(
            "followup_contacts",
            "contact_date",
            Arc::new(Date64Array::from(vec![i64::MAX, 1_625_097_600_000])),
        );
    let (l, _d) = load(&fx);
    let p = find(&l, Rule::ImplausibleDate);
    assert_eq!(
        (
            p.table.as_str(),
            p.row,
            p.column.as_deref(),
            p.message.as_str()
        ),
        (
            "episodes",
            Some(1),
            Some("intake_date"),
            "date 0001-01-01 is before 1900"
        )
    );
    assert_eq!(
        p.fix,
        "correct the date; an empty date must be null, not year 1"
    );
    let late = problems(&l, Rule::DateAfterCutoff);
    assert_eq!(
        late.iter()
            .map(|p| (p.table.as_str(), p.row, p.message.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (
                "assessments",
                Some(3),
                "date 9999-12-31 is after data_cutoff 2025-12-31"
            ),
            (
                "followup_contacts",
                Some(1),
                "date day 2147483647 (out of range) is after data_cutoff 2025-12-31"
            ),
        ]
    );
    assert_balanced(&l);
    let ds = l.dataset.unwrap();
    assert_eq!(ds.followup_contacts.date, vec![day("2021-07-01")]);
}

#[test]
fn timestamps_with_time_zones() {
    // 2021-06-30T22:00:00Z: 1 July at +05:00, 30 June in UTC and naive.
    let t = 1_625_090_400;
    let zoned = |tz: Option<&str>| -> ArrayRef {
        let a = TimestampSecondArray::from(vec![t, t]);
        Arc::new(match tz {
            Some(tz) => a.with_timezone(tz),
            None => a,
        })
    };
    for (tz, expected) in [
        (Some("+05:00"), "2021-07-01"),
        (Some("UTC"), "2021-06-30"),
        (Some("-03:30"), "2021-06-30"),
        (None, "2021-06-30"),
    ] {
        let fx = Fixture::valid().set("followup_contacts", "contact_date", zoned(tz));
        let (l, _d) = load(&fx);
        assert!(
            l.problems.is_empty(),
            "{tz:?}: {:#?}",
            l.problems.detailed()
        );
        let ds = l.dataset.unwrap();
        assert_eq!(ds.followup_contacts.date, vec![day(expected); 2], "{tz:?}");
    }
    // A named zone needs a zone database: refused, not silently read as UTC.
    let fx = Fixture::valid().set(
        "followup_contacts",
        "contact_date",
        zoned(Some("Europe/Tirane")),
    );
    let (l, _d) = load(&fx);
    let p = find(&l, Rule::WrongType);
    assert_eq!(
        (p.table.as_str(), p.column.as_deref(), p.severity),
        ("followup_contacts", Some("contact_date"), Severity::Fatal)
    );
    assert!(
        p.message
            .starts_with("has type Timestamp(s, \"Europe/Tirane\"), expected a date"),
        "{p}"
    );
    assert!(p
        .message
        .contains("named zones such as Europe/Tirane are not supported"));
}

#[test]
fn duplicated_ids_across_files_of_one_table() {
    let fx = Fixture::valid();
    let dir = tempfile::tempdir().unwrap();
    fx.clone().drop_table("families").write(dir.path());
    let fam = &fx.tables["families"];
    write_parquet(&dir.path().join("families/a.parquet"), fam);
    let second: Vec<(String, ArrayRef)> = fam
        .iter()
        .map(|(n, a)| (n.clone(), a.slice(1, 1)))
        .collect();
    write_parquet(&dir.path().join("families/b.parquet"), &second);
    let l = ingest::load(dir.path()).unwrap();
    let p = find(&l, Rule::DuplicateId);
    assert_eq!(
        (
            p.severity,
            p.table.as_str(),
            p.column.as_deref(),
            p.id.as_deref()
        ),
        (Severity::Fatal, "families", Some("family_id"), Some("F2"))
    );
    assert_eq!(
        p.message,
        "family_id \"F2\" occurs more than once (families/a.parquet row 2, families/b.parquet row 1)"
    );
    assert!(l.dataset.is_none());
}

#[test]
fn cyclic_or_contradictory_care_events() {
    // C2: placed twice without a return in between; C1: returned home on the day it was
    // placed, the return listed first (a cycle with no order to resolve it).
    let fx = Fixture::valid()
        .set(
            "care_events",
            "child_id",
            s(&["C2", "C2", "C2", "C1", "C1"]),
        )
        .set(
            "care_events",
            "event_date",
            d(&[
                "2021-03-01",
                "2021-06-01",
                "2022-03-01",
                "2021-05-05",
                "2021-05-05",
            ]),
        )
        .set(
            "care_events",
            "event",
            s(&[
                "placement",
                "placement",
                "return_home",
                "return_home",
                "placement",
            ]),
        )
        .set(
            "care_events",
            "care_type",
            so(&[
                Some("residential"),
                Some("foster"),
                None,
                None,
                Some("formal_kinship"),
            ]),
        );
    let (l, _d) = load(&fx);
    let ps = problems(&l, Rule::CareHistoryContradictory);
    let got: Vec<_> = ps
        .iter()
        .map(|p| (p.id.as_deref(), p.row, p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("C1"),
                Some(4),
                "a return_home while the child is at home on 2021-05-05; all 2 events of this child are set aside and the child is left out of survival analysis"
            ),
            (
                Some("C2"),
                Some(2),
                "a placement while the child is already in care (two placements in a row) on 2021-06-01; all 3 events of this child are set aside and the child is left out of survival analysis"
            ),
        ]
    );
    assert_eq!(
        set_aside_count(&l, "care_events", Rule::CareHistoryContradictory),
        Some(5)
    );
    assert_balanced(&l);
    let ds = l.dataset.unwrap();
    assert_eq!(ds.care_events.len(), 0);
    assert_eq!(ds.children.care_history_valid, vec![false, false]);
}

// ----------------------------------------------------------------- model file

const STUDY: &str = "[study]\nreporting_currency = \"EUR\"\nprice_year = 2024\n";

fn model_problems(text: &str) -> Vec<String> {
    match ModelFile::parse(text, "model.toml").and_then(|m| m.check()) {
        Err(SroiError::InvalidModel { problems, path }) => {
            assert_eq!(path, "model.toml");
            problems
        }
        other => panic!("expected an invalid model, got {other:?}"),
    }
}

#[test]
fn model_with_impossible_distribution_parameters() {
    let text = format!(
        "{STUDY}
[[outcome]]
id = \"care\"
stakeholder = \"state\"
quantity = {{ dist = \"normal\", mean = 10, sd = -2 }}
proxy = {{ dist = \"uniform\", min = 5000, max = 1000 }}
duration = 3
attribution = {{ dist = \"beta_mean_sd\", mean = 1.5, sd = 0.1 }}
deadweight = {{ dist = \"beta\", alpha = 0, beta = 2 }}
dropoff = {{ dist = \"pert\", min = 0.3, mode = 0.1, max = 0.2 }}
"
    );
    let got = model_problems(&text);
    assert_eq!(
        got,
        vec![
            "outcome[0].quantity.sd = -2 is out of range: it must be greater than 0".to_string(),
            "outcome[0].proxy (dist = \"uniform\") needs min < max (here min = 5000, max = 1000)"
                .to_string(),
            "outcome[0].deadweight.alpha = 0 is out of range: it must be greater than 0".to_string(),
            "outcome[0].attribution (dist = \"beta_mean_sd\") beta by mean/sd needs 0 < mean < 1 and sd^2 < mean*(1-mean) (here mean = 1.5, sd = 0.1: sd must be below 0.000000)".to_string(),
            "outcome[0].dropoff (dist = \"pert\") needs min < mode < max (here min = 0.3, mode = 0.1, max = 0.2)".to_string(),
        ]
    );
}

#[test]
fn model_with_a_discount_rate_of_minus_100_percent() {
    let text = format!(
        "{STUDY}discount_rate = -1.0
[[outcome]]
id = \"care\"
stakeholder = \"state\"
quantity = 10
proxy = 3800
duration = 3
"
    );
    assert_eq!(
        model_problems(&text),
        vec!["study.discount_rate = -1.0 makes every present value infinite or undefined; use a value above -1, e.g. 0.035".to_string()]
    );
}

// ------------------------------------------------------------ resource safety

/// Rewrite a Parquet file's footer after `edit` changed its metadata; `extra` is
/// appended to the data before the new footer.
fn refooter(
    path: &Path,
    extra: &[u8],
    edit: impl FnOnce(
        parquet::file::metadata::ParquetMetaData,
        u64,
    ) -> parquet::file::metadata::ParquetMetaData,
) {
    let bytes = fs::read(path).unwrap();
    let meta = ParquetMetaDataReader::new()
        .parse_and_finish(&fs::File::open(path).unwrap())
        .unwrap();
    let n = bytes.len();
    let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
    let mut out = bytes[..n - 8 - footer].to_vec();
    let extra_at = out.len() as u64;
    out.extend_from_slice(extra);
    let meta = edit(meta, extra_at);
    ParquetMetaDataWriter::new(&mut out, &meta)
        .finish()
        .unwrap();
    fs::write(path, out).unwrap();
}

#[test]
fn footer_claiming_billions_of_rows() {
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        refooter(&d.join("assessments.parquet"), &[], |meta, _| {
            let groups = meta
                .row_groups()
                .iter()
                .map(|rg| {
                    rg.clone()
                        .into_builder()
                        .set_num_rows(3_000_000_000)
                        .build()
                        .unwrap()
                })
                .collect();
            meta.into_builder().set_row_groups(groups).build()
        });
    });
    let p = find(&l, Rule::TooLarge);
    assert_eq!(
        (p.severity, p.table.as_str(), p.file.as_deref()),
        (Severity::Fatal, "assessments", Some("assessments.parquet"))
    );
    assert!(
        p.message
            .starts_with("the file's metadata claims 3000000000 rows in "),
        "{p}"
    );
    assert!(l.dataset.is_none());
}

/// Compact-Thrift bytes of a v1 data page header (PLAIN values, RLE levels).
fn page_header(uncompressed: i32, compressed: i32, values: i32) -> Vec<u8> {
    fn zz(v: i32) -> Vec<u8> {
        let mut u = ((v << 1) ^ (v >> 31)) as u32;
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
    let mut h = vec![0x15];
    h.extend(zz(0)); // type DATA_PAGE
    h.push(0x15);
    h.extend(zz(uncompressed));
    h.push(0x15);
    h.extend(zz(compressed));
    h.push(0x2c); // field 5: data_page_header
    for v in [values, 0, 3, 3] {
        h.push(0x15);
        h.extend(zz(v));
    }
    h.push(0x00);
    h.push(0x00);
    h
}

#[test]
fn page_claiming_a_gigabyte_of_string_values() {
    // The family_id column chunk is replaced by one page whose header says it holds a
    // gigabyte once decompressed: the reader would allocate it before looking further.
    let (l, _d) = load_edited(&Fixture::valid(), |d| {
        let path = d.join("families.parquet");
        let props = WriterProperties::builder()
            .set_statistics_enabled(EnabledStatistics::None)
            .set_offset_index_disabled(true)
            .build();
        let fam = &Fixture::valid().tables["families"];
        let batch = arrow::array::RecordBatch::try_from_iter(
            fam.iter().map(|(n, a)| (n.as_str(), a.clone())),
        )
        .unwrap();
        let mut w = ArrowWriter::try_new(
            fs::File::create(&path).unwrap(),
            batch.schema(),
            Some(props),
        )
        .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let mut chunk = page_header(1 << 30, 64, 2);
        chunk.extend([0u8; 64]);
        let len = chunk.len() as i64;
        refooter(&path, &chunk, |meta, at| {
            let rg = meta.row_group(0).clone();
            let cols = rg
                .columns()
                .iter()
                .map(|c| {
                    if c.column_path().string() == "family_id" {
                        c.clone()
                            .into_builder()
                            .set_dictionary_page_offset(None)
                            .set_data_page_offset(at as i64)
                            .set_total_compressed_size(len)
                            .build()
                            .unwrap()
                    } else {
                        c.clone()
                    }
                })
                .collect();
            let rg = rg.into_builder().set_column_metadata(cols).build().unwrap();
            meta.into_builder().set_row_groups(vec![rg]).build()
        });
    });
    let p = find(&l, Rule::TooLarge);
    assert_eq!(
        (p.severity, p.table.as_str(), p.file.as_deref()),
        (Severity::Fatal, "families", Some("families.parquet"))
    );
    assert!(
        p.message
            .starts_with("row group 0: column family_id: the page at byte ")
            && p.message
                .ends_with("decompresses to 1073741824 bytes, more than the 134217728 allowed"),
        "{p}"
    );
    assert!(l.dataset.is_none());
}

#[test]
fn dictionary_of_long_strings_is_read_in_bounded_memory() {
    // 300,000 rows all referring to one 64 KiB dictionary value: decoded naively (a copy
    // per row) that is 20 GB; decoded as views it is the page itself. Every row is then
    // set aside for its too-long value. (The writer hashes every row's value, so a longer
    // value would only make this test slow.)
    let n = 300_000;
    let big = "x".repeat(64 << 10);
    let ids: ArrayRef = Arc::new(StringArray::from(
        (0..n).map(|k| format!("A{k}")).collect::<Vec<_>>(),
    ));
    let domain: DictionaryArray<Int32Type> = DictionaryArray::try_new(
        Int32Array::from(vec![0; n]),
        Arc::new(StringArray::from(vec![big.as_str()])),
    )
    .unwrap();
    let fx = Fixture::valid();
    let cols: Vec<(String, ArrayRef)> = vec![
        ("assessment_id".into(), ids),
        ("family_id".into(), s(&vec!["F1"; n])),
        ("assessment_date".into(), d(&vec!["2019-01-10"; n])),
        ("phase".into(), s(&vec!["intake"; n])),
        ("domain".into(), Arc::new(domain) as ArrayRef),
        ("score".into(), i(&vec![2; n])),
    ];
    let (l, _d) = load_edited(&fx.drop_table("assessments"), |dir| {
        let batch = arrow::array::RecordBatch::try_from_iter(
            cols.iter().map(|(n, a)| (n.as_str(), a.clone())),
        )
        .unwrap();
        let props = WriterProperties::builder()
            .set_dictionary_page_size_limit(4 << 20)
            .build();
        // Without the embedded Arrow schema the column reads as plain text, not as a
        // dictionary, which is the case that would copy the value into every row.
        let opts = ArrowWriterOptions::new()
            .with_properties(props)
            .with_skip_arrow_metadata(true);
        let file = fs::File::create(dir.join("assessments.parquet")).unwrap();
        let mut w = ArrowWriter::try_new_with_options(file, batch.schema(), opts).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    });
    let q = &l.quality.tables["assessments"];
    assert_eq!(q.rows_read, n as u64);
    assert_eq!(
        set_aside_count(&l, "assessments", Rule::ValueTooLong),
        Some(n as u64)
    );
    assert_balanced(&l);
}

// -------------------------------------------------------------- fuzz regressions

#[test]
fn fuzz_regressions_replay_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let list = |dir: &Path| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = match fs::read_dir(dir) {
            Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        v
    };
    let mut replayed = 0;
    let tables = list(&root.join("parquet"));
    for dir in tables {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let table = match name.strip_prefix("reference_") {
            Some(t) => format!("reference/{t}"),
            None => name.clone(),
        };
        for case in list(&dir) {
            let bytes = fs::read(&case).unwrap();
            let fx = Fixture::valid().drop_table(&table);
            let (l, _d) = load_edited(&fx, |d| {
                fs::write(d.join(format!("{table}.parquet")), &bytes).unwrap();
            });
            assert_balanced(&l);
            let file = format!("{table}.parquet");
            if l.dataset.is_none() {
                assert!(
                    l.problems
                        .detailed()
                        .iter()
                        .any(|p| p.severity == Severity::Fatal),
                    "{}: unusable without a fatal problem",
                    case.display()
                );
            }
            for p in l.problems.detailed() {
                if p.rule == Rule::UnreadableFile || p.rule == Rule::TooLarge {
                    assert_eq!(
                        p.file.as_deref(),
                        Some(file.as_str()),
                        "{}: {p}",
                        case.display()
                    );
                }
            }
            replayed += 1;
        }
    }
    for case in list(&root.join("model_file")) {
        let text = fs::read_to_string(&case).unwrap();
        let _ = ModelFile::parse(&text, "model.toml").and_then(|m| m.check());
        replayed += 1;
    }
    assert_eq!(
        replayed,
        list(&root.join("parquet"))
            .iter()
            .map(|d| list(d).len())
            .sum::<usize>()
            + list(&root.join("model_file")).len()
    );
}
