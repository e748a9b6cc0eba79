//! Plausibility at ingest (issue 22, item 1): an amount beyond the bound after
//! conversion to real reporting currency sets its row aside as `implausible_amount`, a
//! rate or index that would make conversion overflow too; an extreme but plausible
//! amount is a warning (`extreme_amount`) and is kept.

mod common;
use common::{f, s, Fixture};

use kinsight::pipeline::validate;

fn load(fx: &Fixture) -> kinsight::pipeline::Loaded {
    let dir = tempfile::tempdir().unwrap();
    fx.write(dir.path());
    validate(dir.path()).unwrap()
}

fn messages(l: &kinsight::pipeline::Loaded) -> Vec<String> {
    l.problems
        .detailed()
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn an_income_of_1e308_is_set_aside_with_its_own_reason() {
    // Finite and non-negative, so validation accepts it; x 12 it is infinite.
    let fx = Fixture::valid().set("income", "monthly_income", f(&[25_000.0, 1e308]));
    let l = load(&fx);
    assert!(l.dataset.is_some(), "{:?}", messages(&l));
    let q = &l.quality.tables["income"];
    assert_eq!((q.rows_read, q.rows_kept, q.rows_set_aside), (2, 1, 1));
    assert_eq!(q.set_aside_by_reason["implausible_amount"], 1);
    assert!(q.balances());
    assert_eq!(
        messages(&l),
        vec!["set aside [implausible_amount] income column monthly_income (id F1): an annual income (monthly × 12) of 1.141e307 EUR in real terms is beyond the plausibility bound of 1e12 Fix: check the amount, its currency and the exchange rate and price index of its year (a misplaced decimal point or a wrong unit)"]
    );
    assert_eq!(l.dataset.unwrap().income.len(), 1);
}

#[test]
fn a_finite_amount_beyond_the_bound_is_set_aside() {
    // 2e13 lek at 125 per euro, reflated: about 1.9e11 EUR is within the bound; 2e15 is not.
    let fx = Fixture::valid().set("services", "cost", f(&[2e13, 2e15]));
    let l = load(&fx);
    let q = &l.quality.tables["services"];
    assert_eq!((q.rows_kept, q.rows_set_aside), (1, 1));
    assert_eq!(q.set_aside_by_reason["implausible_amount"], 1);
    let m = messages(&l);
    assert!(
        m[0].starts_with(
            "set aside [implausible_amount] services column cost (id E1): a service cost of 1.9"
        ),
        "{m:?}"
    );
}

#[test]
fn a_rate_or_index_that_would_overflow_is_set_aside() {
    let fx = Fixture::valid().set(
        "reference/exchange_rates",
        "per_reporting_unit",
        f(&[125.0, 1e-300, 100.0]),
    );
    let l = load(&fx);
    let q = &l.quality.tables["exchange_rates"];
    assert_eq!(q.set_aside_by_reason["implausible_amount"], 1);
    let m = messages(&l);
    // The 2020 rate is gone, so the 2020 amounts cannot be converted: that is fatal.
    assert!(l.dataset.is_none());
    assert!(
        m.iter().any(|m| m.contains("[implausible_amount] exchange_rates reference/exchange_rates.parquet row 2 column per_reporting_unit: 1e-300 is outside the plausible range 1e-6..1e9 of a rate or index; converting with it could overflow")),
        "{m:?}"
    );
    let fx = Fixture::valid().set(
        "reference/price_index",
        "index",
        f(&[100.0, 101.0, 103.0, 110.0, 115.0, 1e300]),
    );
    let l = load(&fx);
    assert_eq!(
        l.quality.tables["price_index"].set_aside_by_reason["implausible_amount"],
        1
    );
}

#[test]
fn an_extreme_but_plausible_amount_is_a_warning_and_kept() {
    let fx = Fixture::valid()
        .set(
            "income",
            "family_id",
            s(&["F1", "F1", "F1", "F1", "F1", "F1"]),
        )
        .set(
            "income",
            "observed_date",
            common::d(&[
                "2019-01-10",
                "2019-03-10",
                "2019-05-10",
                "2019-07-10",
                "2019-09-10",
                "2020-06-30",
            ]),
        )
        .set(
            "income",
            "phase",
            s(&["intake", "review", "review", "review", "review", "exit"]),
        )
        .set(
            "income",
            "monthly_income",
            f(&[
                25_000.0,
                25_000.0,
                25_000.0,
                25_000.0,
                25_000.0,
                2_500_000.0,
            ]),
        )
        .set("income", "currency", s(&["ALL"; 6]));
    let l = load(&fx);
    assert!(l.dataset.is_some());
    let q = &l.quality.tables["income"];
    assert_eq!((q.rows_kept, q.rows_set_aside), (6, 0));
    let warn = l
        .quality
        .problems
        .iter()
        .find(|p| p.rule == "extreme_amount")
        .expect("a warning");
    assert_eq!((warn.severity.as_str(), warn.count), ("warning", 1));
    assert_eq!(
        messages(&l),
        vec!["warning [extreme_amount] income column monthly_income (id F1): an annual income (monthly × 12) of 285149 EUR in real terms is more than 50 times the median in AL (2880); it is kept Fix: check it is not a typo (cents for units, a missing decimal point)"]
    );
}
