//! Ingest: a dataset folder of Parquet case histories -> validated, typed columns.
//!
//! [`load`] reads `dataset.toml` and every table of the contract, checks every rule of
//! `validate`, sets aside the rows that break a row-level rule, converts money to real
//! terms, and returns the [`Dataset`] the analysis stages use together with every
//! [`Problem`] found and the row accounting that becomes `quality.json`. It never stops at
//! the first problem. A dataset with a fatal problem is returned without tables.
//!
//! This module runs the steps in order; each step's rules live in their own file:
//! [`parse`] (row rules), [`merge`] (concatenating parsed chunks), [`id_checks`] (unique
//! ids, references that resolve), [`care_history`], [`reference`] and [`money`]
//! (reference tables, real terms).

mod care_history;
mod column;
mod files;
mod guard;
mod id_checks;
mod ids;
mod intern;
mod memory;
mod merge;
mod meta;
mod money;
mod parse;
mod places;
mod plausible;
mod problem;
mod quality;
mod reference;
mod rows;
mod scan;
mod tables;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use files::content_hash;
pub use memory::tune_allocator;
pub use meta::DatasetMeta;
pub use money::{Missing, Money};
pub use plausible::{EXTREME_FACTOR, EXTREME_MIN_ROWS, MAX_REAL_AMOUNT, RATE_RANGE};
pub use problem::{Problem, Problems, Rule, Severity, DETAIL_LIMIT};
pub use quality::{ProblemCount, Quality, TableQuality};
pub use rows::MAX_VALUE_BYTES;
pub use tables::*;

use files::{Located, TableFile};
use id_checks::{Parent, Refs};
use ids::IdIndex;
use merge::{merge, Columns};
use parse::Chunk;
use rows::Rejects;
use scan::Scanned;

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
    /// Extra baseline columns of `families` to decode.
    extra: Vec<String>,
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
            extra: Vec::new(),
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

    /// The columns of a table beyond the contract that are read as baseline covariates
    /// (see [`scan::extra_columns`]); remembered so that [`Self::read`] decodes them.
    fn extra_columns(&mut self, table: &Table) -> Vec<(String, ExtraKind)> {
        let Some(files) = files::locate(&self.root, &self.root, table.name)
            .ok()
            .and_then(|l| match l {
                Located::Files(f) => Some(f),
                Located::Missing => None,
            })
        else {
            return Vec::new();
        };
        let extra = scan::extra_columns(table, &files, &mut self.problems);
        self.extra = extra.iter().map(|(n, _)| n.clone()).collect();
        extra
    }

    /// Scan a table and account for its rows; `None` if absent or unreadable.
    fn read<T: Send>(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> T + Sync,
    ) -> Option<Scanned<T>> {
        let files = self.files(table)?;
        let mut cols: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        if table.name == schema::FAMILIES.name {
            cols.extend(self.extra.iter().map(String::as_str));
        }
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
        self.read_meta();
        // Families first: every other table refers to them.
        let extra = self.extra_columns(&schema::FAMILIES);
        let (families, families_aside) =
            self.load_parent(&schema::FAMILIES, |b| parse::families(b, &extra));
        let family_index = self.unique_ids(&schema::FAMILIES, "family_id", &families.ids);
        let programmes = programme_codes(&families);
        let refs = Refs {
            cutoff: self.cutoff,
            families: Parent {
                ids: &families.ids,
                map: &family_index,
                aside: &families_aside,
            },
            children: Parent::none(),
            episodes: Parent::none(),
            programmes: &programmes,
        };
        let (mut children, children_aside) =
            self.load_parent(&schema::CHILDREN, |b| parse::children(b, &refs));
        let (episodes, episodes_aside) =
            self.load_parent(&schema::EPISODES, |b| parse::episodes(b, &refs));
        let child_index = self.unique_ids(&schema::CHILDREN, "child_id", &children.ids);
        let episode_index = self.unique_ids(&schema::EPISODES, "episode_id", &episodes.ids);
        let refs = Refs {
            children: Parent {
                ids: &children.ids,
                map: &child_index,
                aside: &children_aside,
            },
            episodes: Parent {
                ids: &episodes.ids,
                map: &episode_index,
                aside: &episodes_aside,
            },
            ..refs
        };

        let mut services = self.load_services(&refs);
        let mut programme_costs = self.load(&schema::PROGRAMME_COSTS, |b| {
            parse::programme_costs(b, &refs)
        });
        let assessments = self.load(&schema::ASSESSMENTS, |b| parse::assessments(b, &refs));
        let followup_contacts = self.load(&schema::FOLLOWUP_CONTACTS, |b| {
            parse::followup_contacts(b, &refs)
        });
        let (care_events, invalid_histories) = self.load_care_events(&refs, &children);
        let mut income = self.load(&schema::INCOME, |b| parse::income(b, &refs));
        for c in invalid_histories {
            children.care_history_valid[c as usize] = false;
        }

        // Reference tables, then every amount in real terms.
        let mut care_costs = self.load(&schema::CARE_COSTS, reference::care_costs);
        let money = self.load_money();
        let unconvertible = money::convert_money(
            &families,
            &episodes,
            &mut services,
            &mut programme_costs,
            &mut income,
            &mut care_costs,
            &money,
        );
        if unconvertible.is_empty() {
            let currency = money.reporting_currency.clone();
            let aside = plausible::check_amounts(
                &families,
                &episodes,
                &mut services,
                &mut programme_costs,
                &mut income,
                &mut care_costs,
                &currency,
                &mut self.problems,
            );
            for (table, n) in aside {
                let q = self.quality.entry(table.to_string()).or_default();
                q.rows_kept -= n;
                q.set_aside(Rule::ImplausibleAmount.code(), n);
            }
        }
        for p in unconvertible {
            self.problems.push(p);
        }
        self.require_families(&families);

        Ok(self.finish(|meta, present| Dataset {
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
        }))
    }

    /// `dataset.toml`: name, data cutoff, reporting currency and price year; a missing or
    /// unreadable file is fatal.
    fn read_meta(&mut self) {
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
                    fatal(rule, "dataset.toml", e, "write dataset.toml with name, data_cutoff, reporting_currency and price_year (see docs/data.md)")
                        .file("dataset.toml"),
                );
            }
        }
    }

    /// Read, parse and merge a table and account for its rows (empty when absent).
    fn load<T: Columns + Send>(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> Chunk<T> + Sync,
    ) -> T {
        self.load_rows(table, parse).0
    }

    /// [`Self::load`] a table other tables refer to: also the ids of its rows set aside,
    /// so that references to them are reported as `parent_set_aside`, not as dangling.
    fn load_parent<T: Columns + Send>(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> Chunk<T> + Sync,
    ) -> (T, HashSet<String>) {
        let (rows, aside) = self.load_rows(table, parse);
        (rows, aside.into_iter().collect())
    }

    fn load_rows<T: Columns + Send>(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> Chunk<T> + Sync,
    ) -> (T, Vec<String>) {
        let Some(scanned) = self.read(table, parse) else {
            return (T::default(), Vec::new());
        };
        let (rows, mut rej) = merge(scanned.chunks);
        let aside = std::mem::take(&mut rej.ids);
        self.account(table.name, rows.len(), rej);
        (rows, aside)
    }

    /// Index a table's ids by position; duplicates are fatal (see [`id_checks::unique_ids`]).
    fn unique_ids<'a>(&mut self, table: &Table, column: &str, ids: &'a Ids) -> IdIndex<'a> {
        id_checks::unique_ids(&self.root, &mut self.problems, table, column, ids)
    }

    /// Services; a repeated service id sets the later row aside.
    fn load_services(&mut self, refs: &Refs) -> Services {
        let Some(scanned) = self.read(&schema::SERVICES, |b| parse::services(b, refs)) else {
            return Services::default();
        };
        let (chunks, ids): (Vec<_>, Vec<_>) = scanned.chunks.into_iter().unzip();
        let (mut services, mut rej) = merge(chunks);
        let keep = id_checks::duplicate_hashes(ids, "services", "service_id", &mut rej);
        if keep.iter().any(|k| !k) {
            services.retain(&keep);
        }
        self.account("services", services.len(), rej);
        services
    }

    /// Care events whose child's history holds together, and the children whose history
    /// does not (see [`care_history`]).
    fn load_care_events(&mut self, refs: &Refs, children: &Children) -> (CareEvents, Vec<u32>) {
        let scanned = self.read(&schema::CARE_EVENTS_TABLE, |b| parse::care_events(b, refs));
        let Some(scanned) = scanned else {
            return Default::default();
        };
        let (events, rej, invalid) = care_history::check(scanned.chunks, children);
        self.account("care_events", events.len(), rej);
        (events, invalid)
    }

    /// Exchange rates and price indices, for the reporting currency and price year of
    /// `dataset.toml`.
    fn load_money(&mut self) -> Money {
        let mut money = Money::default();
        if let Some(m) = &self.meta {
            money.reporting_currency = m.reporting_currency.clone();
            money.price_year = m.price_year;
        }
        money.rates = self.load_keyed(&schema::EXCHANGE_RATES, reference::exchange_rates);
        money.index = self.load_keyed(&schema::PRICE_INDEX, reference::price_index);
        money
    }

    /// A money reference table as a map; a key with two different values is fatal.
    fn load_keyed(
        &mut self,
        table: &Table,
        parse: impl Fn(&scan::Batch) -> Chunk<Vec<((String, i32), f64)>> + Sync,
    ) -> HashMap<(String, i32), f64> {
        let Some(scanned) = self.read(table, parse) else {
            return HashMap::new();
        };
        let (rows, rej) = merge(scanned.chunks);
        let kept = rows.len();
        let map = money::keyed(table.name, rows, &mut self.problems);
        self.account(table.name, kept, rej);
        map
    }

    /// The analysis needs at least one family.
    fn require_families(&mut self, families: &Families) {
        if families.is_empty() && self.quality.get("families").is_some_and(|q| q.present) {
            self.problems.push(fatal(
                Rule::EmptyTable,
                "families",
                "no usable family rows",
                "the analysis needs at least one family",
            ));
        }
    }

    /// The row accounting and, when no problem is fatal, the dataset `build` makes from
    /// `dataset.toml` and the names of the tables present.
    fn finish(self, build: impl FnOnce(DatasetMeta, BTreeSet<String>) -> Dataset) -> Loaded {
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
            (true, Some(meta)) => Some(build(meta, present)),
            _ => None,
        };
        Loaded {
            dataset,
            problems: self.problems,
            quality,
            inputs: self.inputs,
        }
    }
}

/// Programme id -> code in [`Families::programmes`], for programme costs.
fn programme_codes(families: &Families) -> HashMap<&str, u32> {
    families
        .programmes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i as u32))
        .collect()
}
