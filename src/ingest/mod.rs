//! Ingest: a dataset folder of Parquet case histories -> validated, typed columns.
//!
//! [`load`] reads `dataset.toml` and every table of the contract, checks every rule of
//! `validate`, sets aside the rows that break a row-level rule, converts money to real
//! terms, and returns the [`Dataset`] the analysis stages use together with every
//! [`Problem`] found and the row accounting that becomes `quality.json`. It never stops at
//! the first problem. A dataset with a fatal problem is returned without tables.

mod column;
mod files;
mod guard;
mod ids;
mod intern;
mod memory;
mod meta;
mod parse;
mod places;
mod problem;
mod quality;
mod reference;
mod rows;
mod scan;
mod tables;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use files::content_hash;
pub use memory::tune_allocator;
pub use meta::DatasetMeta;
pub use problem::{Problem, Problems, Rule, Severity, DETAIL_LIMIT};
pub use quality::{ProblemCount, Quality, TableQuality};
use reference::Converter;
pub use reference::{Missing, Money};
pub use rows::MAX_VALUE_BYTES;
pub use tables::*;

use files::{Located, TableFile};
use ids::IdIndex;
use parse::{Chunk, IdHashes, Parent, Refs};
use places::Places;
use rows::Rejects;
use scan::Scanned;

/// A reference-table parser: rows keyed by (code, year) with one value each.
type RefParser = fn(&scan::Batch) -> Chunk<Vec<((String, i32), f64)>>;

use crate::dates;
use crate::schema::{self, Table};

/// A validated dataset, ready for analysis.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub meta: DatasetMeta,
    pub families: Families,
    pub children: Children,
    pub episodes: Episodes,
    pub services: Services,
    pub programme_costs: ProgrammeCosts,
    pub assessments: Assessments,
    pub followup_contacts: FollowupContacts,
    pub care_events: CareEvents,
    pub income: Income,
    pub care_costs: Vec<CareCost>,
    pub money: Money,
    /// Names of the optional tables that were present.
    pub present: BTreeSet<String>,
}

impl Dataset {
    /// Whether an optional table was in the dataset.
    pub fn has(&self, table: &str) -> bool {
        self.present.contains(table)
    }
}

/// One input file, for the manifest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InputFile {
    pub table: String,
    pub path: String,
    pub sha256: String,
}

/// Everything validation found.
#[derive(Debug)]
pub struct Loaded {
    /// `None` when a fatal problem makes the dataset unusable.
    pub dataset: Option<Dataset>,
    pub problems: Problems,
    pub quality: Quality,
    pub inputs: Vec<InputFile>,
}

/// Read, check and type a dataset folder.
///
/// # Errors
/// Only when the folder itself cannot be read; every problem with its content is
/// reported in [`Loaded::problems`].
pub fn load(dir: &Path) -> std::io::Result<Loaded> {
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "dataset folder {} does not exist or is not a folder",
                dir.display()
            ),
        ));
    }
    Loader::new(dir).run()
}

struct Loader {
    root: PathBuf,
    problems: Problems,
    quality: BTreeMap<String, TableQuality>,
    inputs: Vec<InputFile>,
    cutoff: dates::Day,
    meta: Option<DatasetMeta>,
}

fn fatal(rule: Rule, table: &str, msg: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::new(Severity::Fatal, rule, table, msg, fix)
}

impl Loader {
    fn new(dir: &Path) -> Self {
        Loader {
            root: dir.to_path_buf(),
            problems: Problems::default(),
            quality: BTreeMap::new(),
            inputs: Vec::new(),
            cutoff: dates::Day::MAX,
            meta: None,
        }
    }

    /// Files of a table, registering presence, hashes and a missing-table problem.
    fn files(&mut self, table: &Table) -> Option<Vec<TableFile>> {
        let dir = if table.reference {
            self.root.join("reference")
        } else {
            self.root.clone()
        };
        let located = files::locate(&self.root, &dir, table.name);
        let q = self.quality.entry(table.name.to_string()).or_default();
        match located {
            Err(e) => {
                self.problems.push(fatal(
                    Rule::UnreadableFile,
                    table.name,
                    format!("cannot list files: {e}"),
                    "check permissions",
                ));
                None
            }
            Ok(Located::Missing) => {
                if table.required {
                    self.problems.push(fatal(
                        Rule::MissingTable,
                        table.name,
                        format!("required table {} is missing", table.name),
                        format!(
                            "add {0}.parquet or a folder {0}/ of Parquet files to the dataset",
                            table.name
                        ),
                    ));
                }
                None
            }
            Ok(Located::Files(f)) => {
                q.present = true;
                q.files = f.len() as u64;
                if f.is_empty() {
                    self.problems.push(
                        fatal(
                            Rule::EmptyTable,
                            table.name,
                            "the table folder holds no Parquet files",
                            "put the table's .parquet files in it",
                        )
                        .file(table.name),
                    );
                    return None;
                }
                for tf in &f {
                    match files::content_hash(&tf.path) {
                        Ok(h) => self.inputs.push(InputFile {
                            table: table.name.into(),
                            path: tf.display.clone(),
                            sha256: h,
                        }),
                        Err(e) => self.problems.push(
                            fatal(
                                Rule::UnreadableFile,
                                table.name,
                                format!("cannot read: {e}"),
                                "check the file",
                            )
                            .file(tf.display.clone()),
                        ),
                    }
                }
                Some(f)
            }
        }
    }

    /// Scan a table and account for its rows; `None` if absent or unreadable.
    fn read<T: Send>(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> T + Sync,
    ) -> Option<Scanned<T>> {
        let files = self.files(table)?;
        let cols: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let scanned = scan::scan(table, &files, &cols, &mut self.problems, parse)?;
        memory::release_free_memory();
        let q = self
            .quality
            .get_mut(table.name)
            .expect("registered by files()");
        q.rows_read = scanned.rows_read;
        Some(scanned)
    }

    fn account(&mut self, table: &str, kept: usize, rej: Rejects) {
        let q = self.quality.entry(table.to_string()).or_default();
        q.rows_kept = kept as u64;
        for (r, n) in &rej.by_rule {
            q.set_aside(r.code(), *n);
        }
        self.problems.extend(rej.problems);
    }

    fn run(mut self) -> std::io::Result<Loaded> {
        match meta::read(&self.root) {
            Ok(m) => {
                self.cutoff = m.data_cutoff;
                self.meta = Some(m);
            }
            Err(e) => {
                let rule = if self.root.join("dataset.toml").is_file() {
                    Rule::BadDatasetToml
                } else {
                    Rule::MissingDatasetToml
                };
                self.problems.push(
                    fatal(rule, "dataset.toml", e, "write dataset.toml with name, data_cutoff, reporting_currency and price_year (see schema.md)")
                        .file("dataset.toml"),
                );
            }
        }
        let cutoff = self.cutoff;

        // Families first: every other table refers to them.
        let fam = self.read(&schema::FAMILIES, parse::families);
        let (families, fam_rej) = fam
            .map(|s| parse::merge_families(s.chunks))
            .unwrap_or_default();
        let families_aside: HashSet<String> = fam_rej.ids.iter().cloned().collect();
        if self.quality.get("families").is_some_and(|q| q.present) {
            self.account("families", families.len(), fam_rej);
        }
        let fam_map = self.unique_ids(&schema::FAMILIES, "family_id", &families.ids);
        let prog_map: HashMap<&str, u32> = families
            .programmes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u32))
            .collect();

        let empty_ids = ids::Ids::new();
        let empty_map = IdIndex::Sorted(&empty_ids);
        let empty_set: HashSet<String> = HashSet::new();
        let none = Parent {
            ids: &empty_ids,
            map: &empty_map,
            aside: &empty_set,
        };
        let refs = Refs {
            cutoff,
            families: Parent {
                ids: &families.ids,
                map: &fam_map,
                aside: &families_aside,
            },
            children: none,
            episodes: none,
            programmes: &prog_map,
        };

        let ch = self.read(&schema::CHILDREN, |b| parse::children(b, &refs));
        let (mut children, ch_rej) = ch
            .map(|s| parse::merge_children(s.chunks))
            .unwrap_or_default();
        let children_aside: HashSet<String> = ch_rej.ids.iter().cloned().collect();
        if self.quality.get("children").is_some_and(|q| q.present) {
            self.account("children", children.len(), ch_rej);
        }
        let ep = self.read(&schema::EPISODES, |b| parse::episodes(b, &refs));
        let (episodes, ep_rej) = ep
            .map(|s| parse::merge_episodes(s.chunks))
            .unwrap_or_default();
        let episodes_aside: HashSet<String> = ep_rej.ids.iter().cloned().collect();
        if self.quality.get("episodes").is_some_and(|q| q.present) {
            self.account("episodes", episodes.len(), ep_rej);
        }
        let child_map = self.unique_ids(&schema::CHILDREN, "child_id", &children.ids);
        let ep_map = self.unique_ids(&schema::EPISODES, "episode_id", &episodes.ids);
        let refs = Refs {
            children: Parent {
                ids: &children.ids,
                map: &child_map,
                aside: &children_aside,
            },
            episodes: Parent {
                ids: &episodes.ids,
                map: &ep_map,
                aside: &episodes_aside,
            },
            ..refs
        };

        let sv = self.read(&schema::SERVICES, |b| parse::services(b, &refs));
        let mut services = Services::default();
        if let Some(s) = sv {
            let (chunks, ids): (Vec<_>, Vec<_>) = s.chunks.into_iter().unzip();
            let (mut sv, mut rej) = parse::merge_services(chunks);
            let keep = duplicate_hashes(ids, "services", "service_id", &mut rej);
            if keep.iter().any(|k| !k) {
                parse::filter(&mut sv.episode, &keep);
                parse::filter(&mut sv.service_type, &keep);
                parse::filter(&mut sv.start, &keep);
                parse::filter(&mut sv.end, &keep);
                parse::filter(&mut sv.units, &keep);
                parse::filter(&mut sv.cost, &keep);
                parse::filter(&mut sv.currency, &keep);
            }
            self.account("services", sv.len(), rej);
            services = sv;
        }

        let pc = self.read(&schema::PROGRAMME_COSTS, |b| {
            parse::programme_costs(b, &refs)
        });
        let (programme_costs, rej) = pc
            .map(|s| parse::merge_programme_costs(s.chunks))
            .unwrap_or_default();
        if self
            .quality
            .get("programme_costs")
            .is_some_and(|q| q.present)
        {
            self.account("programme_costs", programme_costs.len(), rej);
        }

        let asm = self.read(&schema::ASSESSMENTS, |b| parse::assessments(b, &refs));
        let (assessments, rej) = asm
            .map(|s| parse::merge_assessments(s.chunks))
            .unwrap_or_default();
        if self.quality.get("assessments").is_some_and(|q| q.present) {
            self.account("assessments", assessments.len(), rej);
        }

        let fc = self.read(&schema::FOLLOWUP_CONTACTS, |b| {
            parse::followup_contacts(b, &refs)
        });
        let (followup_contacts, rej) = fc
            .map(|s| parse::merge_followup_contacts(s.chunks))
            .unwrap_or_default();
        if self
            .quality
            .get("followup_contacts")
            .is_some_and(|q| q.present)
        {
            self.account("followup_contacts", followup_contacts.len(), rej);
        }

        let ce = self.read(&schema::CARE_EVENTS_TABLE, |b| parse::care_events(b, &refs));
        let mut care_events = CareEvents::default();
        let mut invalid_children = Vec::new();
        if let Some(s) = ce {
            let (chunks, places): (Vec<_>, Vec<_>) = s.chunks.into_iter().unzip();
            let mut rej = Rejects::default();
            let mut ev = CareEvents::default();
            for c in chunks {
                ev.child.extend(c.rows.child);
                ev.date.extend(c.rows.date);
                ev.event.extend(c.rows.event);
                ev.care_type.extend(c.rows.care_type);
                rej.merge(c.rejects);
            }
            let places = Places::new(places);
            let (kept, invalid) = check_care_histories(ev, &places, &children, &mut rej);
            care_events = kept;
            invalid_children = invalid;
            self.account("care_events", care_events.len(), rej);
        }

        let inc = self.read(&schema::INCOME, |b| parse::income(b, &refs));
        let (mut income, rej) = inc
            .map(|s| parse::merge_income(s.chunks))
            .unwrap_or_default();
        if self.quality.get("income").is_some_and(|q| q.present) {
            self.account("income", income.len(), rej);
        }

        for c in invalid_children {
            children.care_history_valid[c as usize] = false;
        }

        // Reference tables.
        let cc = self.read(&schema::CARE_COSTS, reference::care_costs);
        let mut care_costs = Vec::new();
        if let Some(s) = cc {
            let mut rej = Rejects::default();
            for c in s.chunks {
                care_costs.extend(c.rows);
                rej.merge(c.rejects);
            }
            self.account("care_costs", care_costs.len(), rej);
        }
        let mut money = Money::default();
        if let Some(m) = &self.meta {
            money.reporting_currency = m.reporting_currency.clone();
            money.price_year = m.price_year;
        }
        for (table, target) in [(&schema::EXCHANGE_RATES, 0), (&schema::PRICE_INDEX, 1)] {
            let parser: RefParser = if target == 0 {
                reference::exchange_rates
            } else {
                reference::price_index
            };
            if let Some(s) = self.read(table, parser) {
                let mut rej = Rejects::default();
                let mut kept = 0;
                for c in s.chunks {
                    for (k, v) in c.rows {
                        let map = if target == 0 {
                            &mut money.rates
                        } else {
                            &mut money.index
                        };
                        kept += 1;
                        if map.insert(k.clone(), v).is_some_and(|old| old != v) {
                            self.problems.push(fatal(
                                Rule::DuplicateId,
                                table.name,
                                format!("{} {} has two different values", k.0, k.1),
                                "keep one value per key and year",
                            ));
                        }
                    }
                    rej.merge(c.rejects);
                }
                self.account(table.name, kept, rej);
            }
        }

        let mut programme_costs = programme_costs;
        self.convert_money(
            &families,
            &episodes,
            &mut services,
            &mut programme_costs,
            &mut income,
            &mut care_costs,
            &money,
        );

        if families.is_empty() && self.quality.get("families").is_some_and(|q| q.present) {
            self.problems.push(fatal(
                Rule::EmptyTable,
                "families",
                "no usable family rows",
                "the analysis needs at least one family",
            ));
        }

        let present: BTreeSet<String> = self
            .quality
            .iter()
            .filter(|(_, q)| q.present)
            .map(|(t, _)| t.clone())
            .collect();
        let usable = !self.problems.has_fatal();
        let name = self
            .meta
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let quality = Quality {
            dataset: name,
            usable,
            tables: self.quality.clone(),
            problems: self
                .problems
                .counts()
                .map(|(t, r, s, n)| ProblemCount {
                    table: t.to_string(),
                    rule: r.code().to_string(),
                    severity: match s {
                        Severity::Fatal => "fatal",
                        Severity::SetAside => "set_aside",
                        Severity::Warning => "warning",
                    }
                    .to_string(),
                    count: n,
                })
                .collect(),
        };
        let dataset = match (usable, self.meta.clone()) {
            (true, Some(meta)) => Some(Dataset {
                meta,
                families,
                children,
                episodes,
                services,
                programme_costs,
                assessments,
                followup_contacts,
                care_events,
                income,
                care_costs,
                money,
                present,
            }),
            _ => None,
        };
        Ok(Loaded {
            dataset,
            problems: self.problems,
            quality,
            inputs: self.inputs,
        })
    }

    /// Index id -> position; duplicated ids are fatal (references to them would be
    /// ambiguous) and are reported with every file and row where they occur.
    fn unique_ids<'a>(&mut self, table: &Table, column: &str, ids: &'a Ids) -> IdIndex<'a> {
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
            let places = self.locate_ids(table, column, &dups);
            for id in dups.iter().take(DETAIL_LIMIT) {
                let at = places.get(*id).map(|v| v.join(", ")).unwrap_or_default();
                self.problems.push(
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
                self.problems.push(
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
        &mut self,
        table: &Table,
        column: &str,
        ids: &BTreeSet<&str>,
    ) -> HashMap<String, Vec<String>> {
        let Ok(Located::Files(files)) = files::locate(&self.root, &self.root, table.name) else {
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

    /// Convert every amount to real reporting-currency terms; a missing rate or index is a
    /// fatal problem naming the currency or country and year, with the rows affected.
    #[allow(clippy::too_many_arguments)]
    fn convert_money(
        &mut self,
        families: &Families,
        episodes: &Episodes,
        services: &mut Services,
        costs: &mut ProgrammeCosts,
        income: &mut Income,
        care_costs: &mut [CareCost],
        money: &Money,
    ) {
        let mut missing: BTreeMap<(&str, Missing), u64> = BTreeMap::new();
        let country_of_family =
            |f: u32| families.countries[families.country[f as usize] as usize].as_str();
        // Programme -> country: a programme runs in one country (its first family's).
        let mut prog_country: Vec<Option<&str>> = vec![None; families.programmes.len()];
        for f in 0..families.len() {
            let p = families.programme[f] as usize;
            if prog_country[p].is_none() {
                prog_country[p] = Some(country_of_family(f as u32));
            }
        }
        let country_of = |f: u32| (country_of_family(f), families.country[f as usize]);
        let mut conv = Converter::new(money);
        services.cost_real = (0..services.len())
            .map(|i| {
                let fam = episodes.family[services.episode[i] as usize];
                let c = services.currency[i];
                let year = dates::year_of(services.start[i]);
                let currency = (services.currencies[c as usize].as_str(), c);
                conv.real(services.cost[i], currency, year, country_of(fam))
            })
            .collect();
        missing.extend(conv.missing.into_iter().map(|(m, n)| (("services", m), n)));
        let mut conv = Converter::new(money);
        costs.amount_real = (0..costs.len())
            .map(|i| {
                let p = costs.programme[i];
                let country = (prog_country[p as usize].unwrap_or(""), p);
                let c = costs.currency[i];
                let year = dates::year_of(costs.period_start[i]);
                let currency = (costs.currencies[c as usize].as_str(), c);
                conv.real(costs.amount[i], currency, year, country)
            })
            .collect();
        missing.extend(
            conv.missing
                .into_iter()
                .map(|(m, n)| (("programme_costs", m), n)),
        );
        let mut conv = Converter::new(money);
        income.monthly_real = (0..income.len())
            .map(|i| {
                let c = income.currency[i];
                let year = dates::year_of(income.date[i]);
                let currency = (income.currencies[c as usize].as_str(), c);
                conv.real(
                    income.monthly[i],
                    currency,
                    year,
                    country_of(income.family[i]),
                )
            })
            .collect();
        missing.extend(conv.missing.into_iter().map(|(m, n)| (("income", m), n)));
        let mut conv = Converter::new(money);
        for (i, c) in care_costs.iter_mut().enumerate() {
            // Each row is its own key: care costs are a few hundred rows.
            let key = i as u32;
            let year = c.year;
            c.cost_real = conv.real(
                c.cost_per_child_year,
                (&c.currency, key),
                year,
                (&c.country, key),
            );
        }
        missing.extend(
            conv.missing
                .into_iter()
                .map(|(m, n)| (("care_costs", m), n)),
        );
        for ((table, m), n) in missing {
            let p = match m {
                Missing::Rate { currency, year } => fatal(
                    Rule::NoExchangeRate,
                    table,
                    format!("{n} amounts in {currency} dated {year} have no exchange rate"),
                    format!(
                        "add {currency} {year} (units per {}) to reference/exchange_rates",
                        money.reporting_currency
                    ),
                )
                .column("currency"),
                Missing::Index { country, year } => fatal(
                    Rule::NoPriceIndex,
                    table,
                    format!("{n} amounts in {country} need a price index for {year}"),
                    format!("add {country} {year} to reference/price_index"),
                ),
            };
            self.problems.push(p);
        }
    }
}

/// Set aside later rows whose id hash repeats an earlier one.
fn duplicate_hashes(ids: Vec<IdHashes>, table: &str, column: &str, rej: &mut Rejects) -> Vec<bool> {
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

/// Sort care events by child and date and check each child's history: no placement while
/// already in care, no return home or care change while at home. A contradictory history
/// sets aside all that child's events and marks the child so survival analysis leaves it
/// out instead of counting it as never placed.
fn check_care_histories(
    ev: CareEvents,
    places: &Places,
    children: &Children,
    rej: &mut Rejects,
) -> (CareEvents, Vec<u32>) {
    let mut invalid = Vec::new();
    let mut order: Vec<usize> = (0..ev.len()).collect();
    order.par_sort_by_key(|&i| (ev.child[i], ev.date[i], i));
    let mut keep = vec![true; ev.len()];
    let mut start = 0;
    while start < order.len() {
        let child = ev.child[order[start]];
        let mut end = start;
        while end < order.len() && ev.child[order[end]] == child {
            end += 1;
        }
        // A child in care at intake may have its original placement recorded (dated
        // before intake) or not; in the latter case its history starts in care.
        let mut in_care = children.in_care_at_intake[child as usize] && ev.event[order[start]] != 0;
        let mut bad: Option<(usize, String)> = None;
        for &i in &order[start..end] {
            let e = ev.event[i];
            let problem = match (e, in_care) {
                (0, true) => {
                    Some("a placement while the child is already in care (two placements in a row)")
                }
                (1, false) => Some("a return_home while the child is at home"),
                (2, false) => Some("a care_change while the child is at home"),
                _ => None,
            };
            if let Some(p) = problem {
                bad = Some((i, format!("{p} on {}", dates::format(ev.date[i]))));
                break;
            }
            in_care = e != 1;
        }
        if let Some((i, msg)) = bad {
            let (file, row) = places.locate(i);
            let n = (end - start) as u64;
            for &j in &order[start..end] {
                keep[j] = false;
            }
            *rej.by_rule
                .entry(Rule::CareHistoryContradictory)
                .or_insert(0) += n;
            invalid.push(child);
            rej.problems.push(
                Problem::new(
                    Severity::SetAside,
                    Rule::CareHistoryContradictory,
                    "care_events",
                    format!("{msg}; all {n} events of this child are set aside and the child is left out of survival analysis"),
                    "correct the child's care history: events in date order, a return_home or care_change between two placements",
                )
                .file(file.to_string())
                .row(row)
                .column("event")
                .id(children.ids.get(child as usize)),
            );
        }
        start = end;
    }
    let mut out = CareEvents::default();
    for &i in &order {
        if keep[i] {
            out.child.push(ev.child[i]);
            out.date.push(ev.date[i]);
            out.event.push(ev.event[i]);
            out.care_type.push(ev.care_type[i]);
        }
    }
    (out, invalid)
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
