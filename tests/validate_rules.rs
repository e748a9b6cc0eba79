//! One malformed-input fixture per validation rule, each asserting the rule and the exact
//! place reported, plus the row accounting (read = kept + set aside).

mod common;

use common::*;
use kinsight::ingest::{self, Loaded, Problem, Rule, Severity};

fn load(fx: &Fixture) -> (Loaded, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    fx.write(dir.path());
    (ingest::load(dir.path()).unwrap(), dir)
}

fn find(l: &Loaded, rule: Rule) -> Problem {
    l.problems
        .detailed()
        .into_iter()
        .find(|p| p.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("no {rule} among {:#?}", l.problems.detailed()))
}

fn assert_balanced(l: &Loaded) {
    for (t, q) in &l.quality.tables {
        assert!(q.balances(), "{t}: {q:?}");
    }
}

/// A set-aside rule: dataset still usable, the row counted under the rule.
fn set_aside(fx: Fixture, rule: Rule, table: &str, column: &str, row: u64) -> Loaded {
    let (l, _d) = load(&fx);
    let p = find(&l, rule);
    assert_eq!(p.severity, Severity::SetAside, "{p}");
    assert_eq!(p.table, table);
    assert!(
        p.file
            .as_deref()
            .unwrap()
            .ends_with(&format!("{table}.parquet")),
        "{p}"
    );
    assert_eq!(p.column.as_deref(), Some(column), "{p}");
    assert_eq!(p.row, Some(row), "{p}");
    assert!(
        l.dataset.is_some(),
        "a set-aside rule must leave the dataset usable: {p}"
    );
    assert_eq!(
        l.quality.tables[table]
            .set_aside_by_reason
            .get(rule.code())
            .copied(),
        Some(1)
    );
    assert_balanced(&l);
    l
}

/// A fatal rule: dataset unusable, the problem located.
fn fatal(fx: Fixture, rule: Rule, table: &str) -> Problem {
    let (l, _d) = load(&fx);
    let p = find(&l, rule);
    assert_eq!(p.severity, Severity::Fatal, "{p}");
    assert_eq!(p.table, table);
    assert!(l.dataset.is_none());
    assert!(!l.quality.usable);
    p
}

#[test]
fn the_valid_fixture_is_valid_and_balanced() {
    let (l, _d) = load(&Fixture::valid());
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
    let ds = l.dataset.as_ref().unwrap();
    assert_eq!(ds.families.len(), 2);
    assert_eq!(ds.assessments.len(), 4);
    // 25,000 lek in 2019 at 125/EUR = EUR 200, x 120/100 price change = EUR 240.
    assert!((ds.services.cost_real[0] - 240.0).abs() < 1e-9);
    // 37,500 lek in 2020 = EUR 300 x 120/101.
    assert!((ds.income.monthly_real[1] - 300.0 * 120.0 / 101.0).abs() < 1e-9);
    assert_eq!(l.quality.tables["assessments"].rows_read, 4);
    assert_eq!(l.inputs.len(), 12);
    assert!(l.inputs.iter().all(|i| i.sha256.len() == 64));
    assert_balanced(&l);
}

#[test]
fn missing_required_table() {
    let p = fatal(
        Fixture::valid().drop_table("episodes"),
        Rule::MissingTable,
        "episodes",
    );
    assert!(p.fix.contains("episodes.parquet"));
}

#[test]
fn missing_optional_table_is_fine() {
    let (l, _d) = load(&Fixture::valid().drop_table("income"));
    assert!(l.dataset.is_some());
    assert!(!l.dataset.unwrap().has("income"));
}

#[test]
fn missing_required_column() {
    let p = fatal(
        Fixture::valid().drop_column("families", "risk_level"),
        Rule::MissingColumn,
        "families",
    );
    assert_eq!(p.column.as_deref(), Some("risk_level"));
    assert_eq!(p.file.as_deref(), Some("families.parquet"));
}

#[test]
fn wrong_type() {
    let p = fatal(
        Fixture::valid().set("families", "children_count", s(&["one", "two"])),
        Rule::WrongType,
        "families",
    );
    assert_eq!(p.column.as_deref(), Some("children_count"));
    assert!(p.message.contains("Utf8"), "{p}");
}

#[test]
fn null_in_required_column() {
    set_aside(
        Fixture::valid().set("families", "country", so(&[Some("AL"), None])),
        Rule::NullRequired,
        "families",
        "country",
        2,
    );
}

#[test]
fn unknown_enum_value() {
    let l = set_aside(
        Fixture::valid().set("families", "risk_level", s(&["high", "extreme"])),
        Rule::UnknownEnum,
        "families",
        "risk_level",
        2,
    );
    // The family's child and episode refer to a family that was set aside.
    let p = find(&l, Rule::ParentSetAside);
    assert_eq!(p.table, "children");
    assert_eq!(
        l.quality.tables["episodes"].set_aside_by_reason["parent_set_aside"],
        1
    );
}

#[test]
fn duplicate_family_id_is_fatal_and_names_both_rows() {
    let p = fatal(
        Fixture::valid().set("families", "family_id", s(&["F1", "F1"])),
        Rule::DuplicateId,
        "families",
    );
    assert!(
        p.message.contains("families.parquet row 1")
            && p.message.contains("families.parquet row 2"),
        "{p}"
    );
}

#[test]
fn duplicate_service_id_sets_the_later_row_aside() {
    set_aside(
        Fixture::valid().set("services", "service_id", s(&["S1", "S1"])),
        Rule::DuplicateId,
        "services",
        "service_id",
        2,
    );
}

#[test]
fn dangling_child_family() {
    set_aside(
        Fixture::valid().set("children", "family_id", s(&["F1", "F9"])),
        Rule::DanglingReference,
        "children",
        "family_id",
        2,
    );
}

#[test]
fn dangling_episode_family() {
    set_aside(
        Fixture::valid().set("episodes", "family_id", s(&["F7", "F2"])),
        Rule::DanglingReference,
        "episodes",
        "family_id",
        1,
    );
}

#[test]
fn dangling_service_episode() {
    set_aside(
        Fixture::valid().set("services", "episode_id", s(&["E1", "E3"])),
        Rule::DanglingReference,
        "services",
        "episode_id",
        2,
    );
}

#[test]
fn dangling_care_event_child() {
    set_aside(
        Fixture::valid().set("care_events", "child_id", s(&["C2", "C5"])),
        Rule::DanglingReference,
        "care_events",
        "child_id",
        2,
    );
}

#[test]
fn exit_before_intake() {
    set_aside(
        Fixture::valid().set(
            "episodes",
            "exit_date",
            dopt(&[Some("2018-06-30"), Some("2020-07-01")]),
        ),
        Rule::ExitBeforeIntake,
        "episodes",
        "exit_date",
        1,
    );
}

#[test]
fn date_after_cutoff() {
    set_aside(
        Fixture::valid().set(
            "assessments",
            "assessment_date",
            d(&["2019-01-10", "2020-06-30", "2026-07-01", "2019-02-01"]),
        ),
        Rule::DateAfterCutoff,
        "assessments",
        "assessment_date",
        3,
    );
}

#[test]
fn implausible_date_year_1() {
    let year1 = kinsight::dates::from_ymd(1, 1, 1).unwrap();
    set_aside(
        Fixture::valid().set("children", "birth_date", dd(&[year1, 16000])),
        Rule::ImplausibleDate,
        "children",
        "birth_date",
        1,
    );
}

#[test]
fn negative_or_non_finite_money() {
    set_aside(
        Fixture::valid().set("services", "cost", f(&[25_000.0, f64::NAN])),
        Rule::NegativeOrNonFinite,
        "services",
        "cost",
        2,
    );
    set_aside(
        Fixture::valid().set("income", "monthly_income", f(&[-5.0, 37_500.0])),
        Rule::NegativeOrNonFinite,
        "income",
        "monthly_income",
        1,
    );
    set_aside(
        Fixture::valid().set("programme_costs", "amount", f(&[f64::INFINITY, 1.0])),
        Rule::NegativeOrNonFinite,
        "programme_costs",
        "amount",
        1,
    );
}

#[test]
fn score_out_of_range() {
    set_aside(
        Fixture::valid().set("assessments", "score", i(&[2, 3, 5, 2])),
        Rule::ScoreOutOfRange,
        "assessments",
        "score",
        3,
    );
}

#[test]
fn end_before_start() {
    set_aside(
        Fixture::valid().set("services", "end_date", dopt(&[Some("2018-01-01"), None])),
        Rule::EndBeforeStart,
        "services",
        "end_date",
        1,
    );
}

#[test]
fn placement_without_care_type() {
    set_aside(
        Fixture::valid().set("care_events", "care_type", so(&[None, None])),
        Rule::MissingCareType,
        "care_events",
        "care_type",
        1,
    );
}

#[test]
fn two_placements_in_a_row() {
    let fx = Fixture::valid()
        .set("care_events", "event", s(&["placement", "placement"]))
        .set(
            "care_events",
            "care_type",
            so(&[Some("residential"), Some("foster")]),
        );
    let (l, _d) = load(&fx);
    let p = find(&l, Rule::CareHistoryContradictory);
    assert_eq!(
        (p.file.as_deref(), p.row, p.id.as_deref()),
        (Some("care_events.parquet"), Some(2), Some("C2"))
    );
    assert!(p.message.contains("two placements in a row"), "{p}");
    let ds = l.dataset.unwrap();
    assert_eq!(ds.care_events.len(), 0);
    assert!(!ds.children.care_history_valid[1]);
    assert_eq!(
        l.quality.tables["care_events"].set_aside_by_reason["care_history_contradictory"],
        2
    );
}

#[test]
fn care_events_out_of_file_order_are_sorted_not_rejected() {
    let fx = Fixture::valid()
        .set(
            "care_events",
            "event_date",
            d(&["2022-03-01", "2021-03-01"]),
        )
        .set("care_events", "event", s(&["return_home", "placement"]));
    let fx = fx.set("care_events", "care_type", so(&[None, Some("residential")]));
    let (l, _d) = load(&fx);
    let ds = l.dataset.unwrap();
    assert_eq!(ds.care_events.event, vec![0, 1]);
}

#[test]
fn currency_without_exchange_rate() {
    let p = fatal(
        Fixture::valid().set("services", "currency", s(&["ALL", "USD"])),
        Rule::NoExchangeRate,
        "services",
    );
    assert!(
        p.message.contains("USD") && p.message.contains("2019"),
        "{p}"
    );
}

#[test]
fn country_year_without_price_index() {
    let fx = Fixture::valid().set(
        "reference/price_index",
        "year",
        i(&[2018, 2020, 2021, 2022, 2023, 2024]),
    );
    let (l, _d) = load(&fx);
    assert!(l.dataset.is_none());
    let tables: Vec<_> = l
        .problems
        .detailed()
        .into_iter()
        .filter(|p| p.rule == Rule::NoPriceIndex)
        .map(|p| p.table.clone())
        .collect();
    // Every table with 2019 amounts in Albania is named.
    assert_eq!(tables, vec!["income", "programme_costs", "services"]);
    let p = find(&l, Rule::NoPriceIndex);
    assert_eq!(p.severity, Severity::Fatal);
    assert!(
        p.message.contains("AL") && p.message.contains("2019"),
        "{p}"
    );
}

#[test]
fn truncated_parquet_file() {
    let dir = tempfile::tempdir().unwrap();
    Fixture::valid().write(dir.path());
    let path = dir.path().join("assessments.parquet");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let l = ingest::load(dir.path()).unwrap();
    let p = find(&l, Rule::UnreadableFile);
    assert_eq!(
        (p.table.as_str(), p.file.as_deref()),
        ("assessments", Some("assessments.parquet"))
    );
    assert!(l.dataset.is_none());
}

#[test]
fn zero_byte_and_wrong_magic_files() {
    let dir = tempfile::tempdir().unwrap();
    Fixture::valid().write(dir.path());
    std::fs::write(dir.path().join("income.parquet"), b"").unwrap();
    std::fs::write(
        dir.path().join("children.parquet"),
        b"family_id,child_id\nF1,C1\n",
    )
    .unwrap();
    let l = ingest::load(dir.path()).unwrap();
    let files: Vec<_> = l
        .problems
        .detailed()
        .into_iter()
        .filter(|p| p.rule == Rule::UnreadableFile)
        .map(|p| p.file.clone().unwrap())
        .collect();
    assert_eq!(files, vec!["children.parquet", "income.parquet"]);
}

#[test]
fn dataset_toml_missing_or_bad() {
    let dir = tempfile::tempdir().unwrap();
    Fixture::valid().write(dir.path());
    std::fs::remove_file(dir.path().join("dataset.toml")).unwrap();
    let l = ingest::load(dir.path()).unwrap();
    assert_eq!(
        find(&l, Rule::MissingDatasetToml).file.as_deref(),
        Some("dataset.toml")
    );
    let mut fx = Fixture::valid();
    fx.toml = "name = \"x\"\ndata_cutoff = 2025-12-31\nreporting_currency = \"EUR\"\nprice_year = \"next\"\n".into();
    let (l, _d) = load(&fx);
    assert!(find(&l, Rule::BadDatasetToml)
        .message
        .contains("price_year"));
}

#[test]
fn extra_family_columns_are_read_as_covariates() {
    use kinsight::ingest::ExtraValues;
    let date: arrow::array::ArrayRef =
        std::sync::Arc::new(arrow::array::Date32Array::from(vec![1, 2]));
    let fx = Fixture::valid()
        .set("families", "deprivation", f(&[0.5, f64::NAN]))
        .set("families", "urban", bo(&[Some(true), None]))
        .set("families", "caste", so(&[Some("a"), None]))
        .set("families", "screened_on", date);
    let (l, _d) = load(&fx);
    let ds = l.dataset.as_ref().unwrap();
    let extra = &ds.families.extra;
    assert_eq!(extra.names(), ["deprivation", "urban", "caste"]);
    // A non-finite number is a null.
    assert_eq!(
        extra.get("deprivation").unwrap().values,
        ExtraValues::Number(vec![Some(0.5), None])
    );
    assert_eq!(
        extra.get("urban").unwrap().values,
        ExtraValues::Flag(vec![Some(true), None])
    );
    assert_eq!(
        extra.get("caste").unwrap().values,
        ExtraValues::Category(vec![Some("a".to_string()), None])
    );
    // The date column cannot be a covariate: a warning names it and its type.
    let w: Vec<&Problem> = l
        .problems
        .detailed()
        .into_iter()
        .filter(|p| p.rule == Rule::UnknownColumn)
        .collect();
    assert!(
        w.iter().any(|p| p.message == "column screened_on has type Date32 and cannot be a baseline covariate; it is ignored"),
        "{w:#?}"
    );
    assert!(w
        .iter()
        .any(|p| p.message.ends_with("names them: deprivation, urban, caste")));
}

#[test]
fn unknown_columns_are_a_warning() {
    let (l, _d) = load(&Fixture::valid().set("families", "caseworker_note", s(&["a", "b"])));
    let p = find(&l, Rule::UnknownColumn);
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("caseworker_note"));
    assert!(l.dataset.is_some());
}

#[test]
fn folder_tables_with_hive_partitions_and_dictionary_strings() {
    use arrow::array::{ArrayRef, DictionaryArray};
    use arrow::datatypes::Int32Type;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::valid();
    fx.clone().drop_table("families").write(dir.path());
    // families as two files under country=AL/, without the country column, risk as dictionary.
    let fam = &fx.tables["families"];
    for (k, part) in [(0usize, "part-0.parquet"), (1, "part-1.parquet")] {
        let cols: Vec<(String, ArrayRef)> = fam
            .iter()
            .filter(|(n, _)| n != "country")
            .map(|(n, a)| {
                let one = a.slice(k, 1);
                if n == "risk_level" {
                    let v: DictionaryArray<Int32Type> =
                        vec![["high", "medium"][k]].into_iter().collect();
                    (n.clone(), Arc::new(v) as ArrayRef)
                } else {
                    (n.clone(), one)
                }
            })
            .collect();
        write_parquet(&dir.path().join("families/country=AL").join(part), &cols);
    }
    let l = ingest::load(dir.path()).unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
    let ds = l.dataset.unwrap();
    assert_eq!(ds.families.countries, vec!["AL"]);
    assert_eq!(ds.families.risk_level, vec![2, 1]);
    assert_eq!(l.quality.tables["families"].files, 2);
}

#[test]
fn child_in_care_at_intake_with_or_without_its_original_placement() {
    // With the original placement recorded before intake, then a return home.
    let fx = Fixture::valid()
        .set("children", "in_care_at_intake", b(&[false, true]))
        .set(
            "care_events",
            "event_date",
            d(&["2018-05-01", "2019-06-01"]),
        );
    let (l, _d) = load(&fx);
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
    // Without it: the history starts in care, so a return home comes first.
    let fx = Fixture::valid()
        .set("children", "in_care_at_intake", b(&[false, true]))
        .set("care_events", "child_id", s(&["C2"]))
        .set("care_events", "event_date", d(&["2019-06-01"]))
        .set("care_events", "event", s(&["return_home"]))
        .set("care_events", "care_type", so(&[None]));
    let (l, _d) = load(&fx);
    assert!(l.problems.is_empty(), "{:#?}", l.problems.detailed());
}
