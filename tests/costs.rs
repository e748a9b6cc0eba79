//! Programme inputs and the cost-of-care comparison on the hand-checkable fixture.

mod common;

use common::{b, bo, d, s, Fixture};
use kinsight::costs;

fn dataset() -> kinsight::ingest::Dataset {
    let dir = tempfile::tempdir().unwrap();
    Fixture::valid().write(dir.path());
    kinsight::ingest::load(dir.path()).unwrap().dataset.unwrap()
}

#[test]
fn inputs_are_programme_arm_costs_in_real_terms() {
    let ds = dataset();
    let i = costs::inputs(&ds);
    // Lek at 125/EUR in 2019, prices x 120/100 to 2024:
    // services 25,000 + 1,250 lek -> 240 + 12; programme costs 12,500 + 2,500 (in kind) -> 120 + 24.
    assert!((i.services - 252.0).abs() < 1e-9);
    assert!((i.programme_costs - 144.0).abs() < 1e-9);
    assert!((i.in_kind - 24.0).abs() < 1e-9);
    assert!((i.total - 396.0).abs() < 1e-9);
    assert_eq!(i.by_year.keys().copied().collect::<Vec<_>>(), vec![2019]);
    assert!((i.by_country["AL"] - 396.0).abs() < 1e-9);
}

#[test]
fn cost_of_care_by_country_with_disclosure_control() {
    let ds = dataset();
    let i = costs::inputs(&ds);
    let avoided = kinsight::quantities::avoided_by_country(&ds, 5.0);
    let rows = costs::cost_of_care(&ds, &i, &avoided, 1, 5.0);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    // One programme family, enrolled 2019-01-10 .. 2020-06-30 = 537 days.
    let fy = 537.0 / 365.25;
    assert_eq!(r.families, Some(1));
    assert!((r.family_years.unwrap() - fy).abs() < 1e-12);
    assert!((r.cost_per_family_year.unwrap() - 396.0 / fy).abs() < 1e-9);
    assert_eq!(r.residential_per_child_year, Some(6000.0));
    assert_eq!(r.foster_per_child_year, Some(1500.0));
    // One child: a child-year of support is a family-year.
    assert!((r.cost_per_child_year.unwrap() - 396.0 / fy).abs() < 1e-9);
    assert!((r.residential_to_support.unwrap() - 6000.0 / (396.0 / fy)).abs() < 1e-9);
    let hidden = &costs::cost_of_care(&ds, &i, &avoided, 10, 5.0)[0];
    assert!(hidden.suppressed);
    assert_eq!(
        (
            hidden.families,
            hidden.programme_cost,
            hidden.cost_per_family_year
        ),
        (None, None, None)
    );
    assert_eq!(hidden.residential_per_child_year, Some(6000.0));
}

/// The cost-of-care rows (published and suppressed) read back from CSV and Parquet as
/// written, the empty note as an empty cell.
#[test]
fn cost_of_care_table_reads_back_as_written() {
    use kinsight::costs::CostOfCareRow;
    use kinsight::output::{read_rows, Published};
    let ds = dataset();
    let i = costs::inputs(&ds);
    let avoided = kinsight::quantities::avoided_by_country(&ds, 5.0);
    let mut rows = costs::cost_of_care(&ds, &i, &avoided, 1, 5.0);
    rows.extend(costs::cost_of_care(&ds, &i, &avoided, 10, 5.0));
    assert!(rows
        .iter()
        .any(|r| r.suppressed && r.avoided_note.is_empty()));
    let d = tempfile::tempdir().unwrap();
    let files = kinsight::pipeline::write_cost_of_care(&rows, d.path(), true, true).unwrap();
    assert_eq!(files, ["cost_of_care.csv", "cost_of_care.parquet"]);
    for f in files {
        let back: Vec<CostOfCareRow> = read_rows(&d.path().join(&f)).unwrap();
        assert_eq!(back, rows, "{f}");
    }
    assert_eq!(CostOfCareRow::TABLE, "cost_of_care");
}

/// Like for like (issue 20): with two children in the programme family, a family-year of
/// support is two child-years, so the cost per child-year halves and the residential care
/// multiple doubles; the per-family-year figure does not move.
#[test]
fn support_per_child_year_counts_each_child_of_the_family() {
    let dir = tempfile::tempdir().unwrap();
    Fixture::valid()
        .set("children", "child_id", s(&["C1", "C2", "C3"]))
        .set("children", "family_id", s(&["F1", "F2", "F1"]))
        .set(
            "children",
            "birth_date",
            d(&["2012-04-01", "2015-09-30", "2014-01-15"]),
        )
        .set("children", "sex", s(&["female", "male", "male"]))
        .set("children", "disability", bo(&[None, Some(false), None]))
        .set("children", "in_care_at_intake", b(&[false, false, false]))
        .write(dir.path());
    let ds = kinsight::ingest::load(dir.path()).unwrap().dataset.unwrap();
    let i = costs::inputs(&ds);
    let avoided = kinsight::quantities::avoided_by_country(&ds, 5.0);
    let r = &costs::cost_of_care(&ds, &i, &avoided, 1, 5.0)[0];
    let fy = 537.0 / 365.25;
    assert!((r.cost_per_family_year.unwrap() - 396.0 / fy).abs() < 1e-9);
    assert!((r.cost_per_child_year.unwrap() - 396.0 / (2.0 * fy)).abs() < 1e-9);
    assert!((r.residential_to_support.unwrap() - 6000.0 / (396.0 / (2.0 * fy))).abs() < 1e-9);
}
