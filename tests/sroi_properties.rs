//! Invariants of the SROI arithmetic (docs/method.md section 5), checked on random models.
//!
//! More deadweight, displacement, attribution or drop-off never raises the ratio; a
//! higher discount rate never raises the present value of positive flows.

use kinsight::sroi::data::DataValues;
use kinsight::sroi::discount::{Discounting, Schedule};
use kinsight::sroi::impact::{evaluate, resolve};
use kinsight::sroi::model::{Field, ModelFile, ParamId};
use proptest::prelude::*;

fn model(
    q: f64,
    p: f64,
    d: u32,
    dw: f64,
    ds: f64,
    at: f64,
    dr: f64,
) -> kinsight::sroi::model::ValidModel {
    let text = format!(
        "[study]\nreporting_currency = \"EUR\"\nprice_year = 2023\n\
         [[outcome]]\nid = \"a\"\nstakeholder = \"state\"\nquantity = {q}\nproxy = {p}\nduration = {d}\n\
         deadweight = {dw}\ndisplacement = {ds}\nattribution = {at}\ndropoff = {dr}\n"
    );
    ModelFile::parse(&text, "prop.toml")
        .unwrap()
        .check()
        .unwrap()
}

proptest! {
    #[test]
    fn more_reduction_never_raises_the_ratio(
        q in 0.0f64..1000.0, p in 0.0f64..10_000.0, d in 1u32..40,
        dw in 0.0f64..0.99, ds in 0.0f64..0.99, at in 0.0f64..0.99, dr in 0.0f64..1.0,
        field in prop::sample::select(vec![Field::Deadweight, Field::Displacement, Field::Attribution, Field::Dropoff]),
        step in 0.0f64..1.0,
    ) {
        let m = model(q, p, d, dw, ds, at, dr);
        let base = resolve(&m, &DataValues::new()).unwrap();
        let id = ParamId { outcome: 0, field };
        let x = base.get(id);
        let hi = if field == Field::Dropoff { 1.0 } else { 0.999 };
        let more = x + (hi - x) * step;
        let r0 = evaluate(&m, &base, 1000.0).unwrap().ratio;
        let r1 = evaluate(&m, &base.with(id, more), 1000.0).unwrap().ratio;
        prop_assert!(r1 <= r0 * (1.0 + 1e-12) + 1e-12, "{field:?} {x} -> {more}: {r0} -> {r1}");
    }

    #[test]
    fn higher_discount_rate_never_raises_pv(
        flows in prop::collection::vec(0.0f64..1e6, 1..60),
        r in -0.5f64..0.5, dr in 0.0f64..0.5, year1 in any::<bool>(),
    ) {
        let a = Discounting { schedule: Schedule::Constant(r), discount_year1: year1 };
        let b = Discounting { schedule: Schedule::Constant(r + dr), discount_year1: year1 };
        let (pa, pb) = (a.present_value(&flows), b.present_value(&flows));
        prop_assert!(pb <= pa * (1.0 + 1e-12), "{pa} -> {pb}");
    }
}
