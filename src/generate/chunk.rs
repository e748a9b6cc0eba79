//! One chunk of families, simulated from its own pair of random streams.
//!
//! Chunk `c` holds families `c * CHUNK_FAMILIES + 1 ..` and draws from
//! `rng_for(seed, Stream::Generate, c)` (who the families are and what happens to them)
//! and `rng_for(seed, Stream::GenerateResponse, c)` (who is reached at follow-up). Chunks
//! are independent, so they can be simulated in any order on any number of threads and
//! the dataset is still the same.

use std::collections::BTreeMap;

use super::family;
use super::options::{Plan, CHUNK_FAMILIES};
use super::rows::{Chunk, EnrolmentDays};
use crate::stats::rng::{rng_for, Stream};

/// Simulate chunk `index` of the plan.
pub fn simulate(plan: &Plan, index: u64) -> Chunk {
    let first = index * CHUNK_FAMILIES;
    let count = CHUNK_FAMILIES.min(plan.families.saturating_sub(first));
    let mut g = rng_for(plan.seed, Stream::Generate, index);
    let mut r = rng_for(plan.seed, Stream::GenerateResponse, index);
    let mut chunk = Chunk::default();
    for i in 0..count {
        family::simulate(plan, first + i + 1, &mut g, &mut r, &mut chunk);
    }
    chunk.enrolment = merge_enrolment(&chunk.enrolment);
    chunk
}

/// Sum enrolment days per programme and year (sorted), so that a chunk carries one
/// entry per programme-year rather than one per family-year.
pub fn merge_enrolment(days: &[EnrolmentDays]) -> Vec<EnrolmentDays> {
    let mut sums: BTreeMap<(usize, i32), u64> = BTreeMap::new();
    for d in days {
        *sums.entry((d.programme, d.year)).or_default() += d.days;
    }
    sums.into_iter()
        .map(|((programme, year), days)| EnrolmentDays {
            programme,
            year,
            days,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::options::GenerateOptions;

    #[test]
    fn a_chunk_is_a_pure_function_of_seed_and_index() {
        let plan = GenerateOptions::new(1500, 11, "unused").check().unwrap();
        let a = simulate(&plan, 1);
        assert_eq!(a, simulate(&plan, 1));
        assert_eq!(a.families.len(), 1500 - 1024);
        assert_eq!(a.families[0].number, 1025);
        assert_ne!(simulate(&plan, 0).families[0], a.families[0]);
    }

    #[test]
    fn enrolment_is_merged_per_programme_year() {
        let d = |programme, year, days| EnrolmentDays {
            programme,
            year,
            days,
        };
        let merged = merge_enrolment(&[d(1, 2020, 10), d(0, 2021, 5), d(1, 2020, 7)]);
        assert_eq!(merged, vec![d(0, 2021, 5), d(1, 2020, 17)]);
    }
}
