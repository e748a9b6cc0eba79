//! Id checks: every id unique, every reference pointing at a row that exists.
//!
//! A duplicated family, child or episode id is fatal, because references to it would be
//! ambiguous; it is reported with every file and row where it occurs. A repeated service
//! id sets the later row aside. A reference to an id that does not exist is dangling; one
//! to a row that was itself set aside is reported as such, so the fix points at the
//! parent's own problem.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use rayon::prelude::*;

use super::fatal;
use super::files::{self, Located};
use super::ids::{IdIndex, Ids};
use super::places::{BatchPlaces, Places};
use super::problem::{Problem, Problems, Rule, Severity, DETAIL_LIMIT};
use super::rows::{self, Reject, Rejects};
use super::scan;
use crate::dates::Day;
use crate::schema::Table;

/// A referenced table: its ids in row order, the id -> position map, and the ids of its
/// rows that were set aside.
#[derive(Clone, Copy)]
pub struct Parent<'a> {
    pub ids: &'a Ids,
    pub map: &'a IdIndex<'a>,
    pub aside: &'a HashSet<String>,
}

impl Parent<'static> {
    /// A table not read yet: no ids, so every reference to it dangles.
    pub fn none() -> Self {
        static NO_IDS: Ids = Ids::new();
        static NO_INDEX: IdIndex<'static> = IdIndex::Sorted(&NO_IDS);
        static NO_ASIDE: LazyLock<HashSet<String>> = LazyLock::new(HashSet::new);
        Parent {
            ids: &NO_IDS,
            map: &NO_INDEX,
            aside: &NO_ASIDE,
        }
    }
}

/// Lookups shared by the parsers of tables that refer to other tables.
pub struct Refs<'a> {
    pub cutoff: Day,
    pub families: Parent<'a>,
    pub children: Parent<'a>,
    pub episodes: Parent<'a>,
    pub programmes: &'a HashMap<&'a str, u32>,
}

/// Resolves one reference column to positions without a hash lookup for most rows.
///
/// Case histories are usually exported in the order of their parent table: the rows of a
/// family or episode come together (eight domain rows a sitting, a family's sittings in
/// date order), and the next family's rows follow. So the resolver first compares with
/// the last id, then with the parent's next two ids (sequential memory), and only then
/// looks the id up in the map: on a million families the map's random probes cost
/// two cache misses each, most of the time a reference took.
pub struct Resolver<'m, 'b> {
    parent: Parent<'m>,
    column: &'static str,
    parent_name: &'static str,
    last: Option<(&'b str, u32)>,
}

impl<'m, 'b> Resolver<'m, 'b> {
    pub fn new(parent: Parent<'m>, column: &'static str, parent_name: &'static str) -> Self {
        Resolver {
            parent,
            column,
            parent_name,
            last: None,
        }
    }

    pub fn get(&mut self, id: &'b str) -> Result<u32, Reject> {
        if let Some((last, pos)) = self.last {
            if last == id {
                return Ok(pos);
            }
            let ids = self.parent.ids;
            for next in pos as usize + 1..(pos as usize + 3).min(ids.len()) {
                // A duplicated parent id is fatal for the dataset, so which of its
                // positions this finds does not matter.
                if ids.get(next) == id {
                    self.last = Some((id, next as u32));
                    return Ok(next as u32);
                }
            }
        }
        let pos = resolve(self.parent, id, self.column, self.parent_name)?;
        self.last = Some((id, pos));
        Ok(pos)
    }
}

fn resolve(p: Parent, id: &str, column: &'static str, parent: &str) -> Result<u32, Reject> {
    if let Some(i) = p.map.get(id) {
        return Ok(i);
    }
    let shown: String = id.chars().take(60).collect();
    if p.aside.contains(id) {
        Err(Reject {
            rule: Rule::ParentSetAside,
            column,
            message: format!("refers to {parent} {shown:?}, which was itself set aside"),
            fix: "fix the referenced row (see its own problem)",
        })
    } else {
        Err(Reject {
            rule: Rule::DanglingReference,
            column,
            message: format!("{shown:?} does not exist in {parent}"),
            fix: "add the missing row to the referenced table or correct the id",
        })
    }
}

/// Index id -> position; duplicated ids are fatal (references to them would be
/// ambiguous) and are reported with every file and row where they occur.
pub fn unique_ids<'a>(
    root: &Path,
    problems: &mut Problems,
    table: &Table,
    column: &str,
    ids: &'a Ids,
) -> IdIndex<'a> {
    if ids.strictly_ascending() {
        return IdIndex::Sorted(ids);
    }
    let mut map: HashMap<&str, u32> = HashMap::with_capacity(ids.len());
    let mut dups: BTreeSet<&str> = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        if map.insert(id, i as u32).is_some() {
            dups.insert(id);
        }
    }
    if !dups.is_empty() {
        let places = locate_ids(root, table, column, &dups);
        for id in dups.iter().take(DETAIL_LIMIT) {
            let at = places.get(*id).map(|v| v.join(", ")).unwrap_or_default();
            problems.push(
                fatal(
                    Rule::DuplicateId,
                    table.name,
                    format!("{column} {id:?} occurs more than once ({at})"),
                    format!(
                        "give every {} row its own {column}; rows in other tables refer to it",
                        table.name
                    ),
                )
                .column(column)
                .id(*id),
            );
        }
        if dups.len() > DETAIL_LIMIT {
            problems.push(
                fatal(
                    Rule::DuplicateId,
                    table.name,
                    format!(
                        "{} more duplicated {column} values",
                        dups.len() - DETAIL_LIMIT
                    ),
                    "deduplicate the table",
                )
                .column(column),
            );
        }
    }
    IdIndex::Hashed(map)
}

/// Re-read one id column to find where the given ids occur (only on error).
fn locate_ids(
    root: &Path,
    table: &Table,
    column: &str,
    ids: &BTreeSet<&str>,
) -> HashMap<String, Vec<String>> {
    let Ok(Located::Files(files)) = files::locate(root, root, table.name) else {
        return HashMap::new();
    };
    let mut scratch = Problems::default();
    let found = scan::scan(table, &files, &[column], &mut scratch, |b| {
        let s = rows::strings(b, column);
        (0..b.len())
            .filter_map(|i| {
                s.get(i).filter(|v| ids.contains(v)).map(|v| {
                    (
                        v.to_string(),
                        format!("{} row {}", b.file.display, b.row_no(i)),
                    )
                })
            })
            .collect::<Vec<_>>()
    });
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (id, place) in found
        .map(|s| s.chunks)
        .unwrap_or_default()
        .into_iter()
        .flatten()
    {
        out.entry(id).or_default().push(place);
    }
    out
}

/// The kept service ids of one batch as 128-bit hashes (exact strings for tens of millions
/// of services would cost gigabytes), and where those rows are, for the duplicate check.
pub struct IdHashes {
    pub hashes: Vec<u128>,
    pub places: BatchPlaces,
}

/// A 128-bit hash of an id (two independent 64-bit SipHashes), for duplicate checks.
pub fn id_hash(id: &str) -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut a =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    a.write(id.as_bytes());
    let mut b2 =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    b2.write_u8(0x5a);
    b2.write(id.as_bytes());
    ((a.finish() as u128) << 64) | b2.finish() as u128
}

/// Set aside later rows whose id hash repeats an earlier one.
pub fn duplicate_hashes(
    ids: Vec<IdHashes>,
    table: &str,
    column: &str,
    rej: &mut Rejects,
) -> Vec<bool> {
    let n = ids.iter().map(|c| c.hashes.len()).sum();
    let (hashes, batches): (Vec<_>, Vec<_>) = ids.into_iter().map(|c| (c.hashes, c.places)).unzip();
    // Each batch's hashes are freed as they are consumed.
    let repeats = repeated_hashes(hashes.into_iter().flatten(), n);
    let places = Places::new(batches);
    let mut keep = vec![true; n];
    for (later, first) in repeats {
        keep[later as usize] = false;
        let (first_file, first_row) = places.locate(first as usize);
        let (file, row) = places.locate(later as usize);
        *rej.by_rule.entry(Rule::DuplicateId).or_insert(0) += 1;
        rej.problems.push(
            Problem::new(
                Severity::SetAside,
                Rule::DuplicateId,
                table,
                format!(
                    "{column} repeats the one at {first_file} row {first_row}; the later row is set aside"
                ),
                format!("give every row its own {column}"),
            )
            .file(file.to_string())
            .row(row)
            .column(column),
        );
    }
    keep
}

/// (later row, first row with the same hash) for every repeated hash, in row order.
///
/// Sorts contiguous (high 64 bits of the hash, row) pairs, 24 bytes a row with the low
/// halves kept aside: sorting row indices through an indirection took longer than
/// reading the table, and a hash map from hash to first row would need about twice the
/// memory. Rows whose high halves tie (all repeats, and by chance about one pair in
/// 10^7 at this size) are then compared on the whole hash. `n` is the number of hashes.
fn repeated_hashes(hashes: impl Iterator<Item = u128>, n: usize) -> Vec<(u32, u32)> {
    let mut order: Vec<(u64, u32)> = Vec::with_capacity(n);
    let mut low: Vec<u64> = Vec::with_capacity(n);
    for (h, i) in hashes.zip(0..) {
        order.push(((h >> 64) as u64, i));
        low.push(h as u64);
    }
    order.par_sort_unstable();
    let mut repeats = Vec::new();
    for tie in order.chunk_by(|a, b| a.0 == b.0).filter(|t| t.len() > 1) {
        let mut rows: Vec<(u64, u32)> = tie.iter().map(|&(_, i)| (low[i as usize], i)).collect();
        rows.sort_unstable();
        for run in rows.chunk_by(|a, b| a.0 == b.0) {
            repeats.extend(run[1..].iter().map(|&(_, later)| (later, run[0].1)));
        }
    }
    repeats.sort_unstable();
    repeats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_point_at_the_first_row_with_the_whole_hash() {
        let h = |hi: u64, lo: u64| (u128::from(hi) << 64) | u128::from(lo);
        let hashes = [
            h(7, 1), // 0
            h(7, 2), // 1: same high half as row 0, a different id
            h(3, 9), // 2
            h(7, 1), // 3: repeats row 0
            h(7, 2), // 4: repeats row 1
            h(3, 9), // 5: repeats row 2
            h(7, 1), // 6: repeats row 0 again
            h(1, 1), // 7: same low half as rows 0, 3 and 6, a different id
        ];
        assert_eq!(
            repeated_hashes(hashes.into_iter(), hashes.len()),
            vec![(3, 0), (4, 1), (5, 2), (6, 0)]
        );
        assert!(repeated_hashes([h(1, 2), h(2, 1)].into_iter(), 2).is_empty());
        assert!(repeated_hashes(std::iter::empty(), 0).is_empty());
    }
}
