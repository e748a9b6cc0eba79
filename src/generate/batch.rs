//! Generated rows to Arrow record batches, typed as the contract says.
//!
//! The Arrow schema of each table is derived from `crate::schema`: ids and free text as
//! `Utf8`, closed (and open) enums as `Dictionary(Int32, Utf8)` over the full list of
//! allowed values, dates as `Date32`, money and floats as `Float64`, counts and years as
//! `Int32`, required columns non-nullable. Ids are numbered here, from offsets the writer
//! carries from chunk to chunk, so they run on without gaps whatever the chunk sizes.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, RecordBatch,
    StringArray, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};

use super::country::COUNTRIES;
use super::rows::Chunk;
use super::GenerateError;
use crate::schema::{self, Kind, Table, DOMAINS};

/// Arrow type written for a contract column kind.
pub fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Id | Kind::Text => DataType::Utf8,
        Kind::Enum(_) | Kind::OpenEnum(_) => {
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
        }
        Kind::Bool => DataType::Boolean,
        Kind::Int => DataType::Int32,
        Kind::Float | Kind::Money => DataType::Float64,
        Kind::Date => DataType::Date32,
    }
}

/// Arrow schema of a contract table, columns in contract order.
pub fn arrow_schema(table: &Table) -> SchemaRef {
    Arc::new(Schema::new(
        table
            .columns
            .iter()
            .map(|c| Field::new(c.name, data_type(c.kind), !c.required))
            .collect::<Vec<_>>(),
    ))
}

/// Running id numbers: the last child, service and sitting number used so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdBase {
    pub child: u64,
    pub service: u64,
    pub sitting: u64,
}

impl IdBase {
    /// The base after `chunk`.
    pub fn after(self, chunk: &Chunk) -> IdBase {
        IdBase {
            child: self.child + chunk.children.len() as u64,
            service: self.service + chunk.services.len() as u64,
            sitting: self.sitting + chunk.sittings.len() as u64,
        }
    }
}

/// A pseudonymous id: prefix and at least seven digits.
pub fn id(prefix: char, number: u64) -> String {
    format!("{prefix}{number:07}")
}

fn ids(prefix: char, numbers: impl ExactSizeIterator<Item = u64>) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(numbers.len(), numbers.len() * 8);
    for n in numbers {
        // Writing into the builder cannot fail; the value is closed by append_value("").
        let _ = write!(b, "{prefix}{n:07}");
        b.append_value("");
    }
    Arc::new(b.finish())
}

fn dict(
    table: &'static str,
    values: &'static [&'static str],
    codes: impl Iterator<Item = Option<u8>>,
) -> Result<ArrayRef, GenerateError> {
    let keys: Int32Array = codes.map(|c| c.map(i32::from)).collect();
    let values: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
    DictionaryArray::<Int32Type>::try_new(keys, values)
        .map(|a| Arc::new(a) as ArrayRef)
        .map_err(|source| GenerateError::Arrow { table, source })
}

fn text<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

fn batch(table: &Table, columns: Vec<ArrayRef>) -> Result<RecordBatch, GenerateError> {
    RecordBatch::try_new(arrow_schema(table), columns).map_err(|source| GenerateError::Arrow {
        table: table.name,
        source,
    })
}

/// The case-table batches of one chunk, in `CASE_TABLES` order.
///
/// # Errors
/// [`GenerateError::Arrow`] only on an internal inconsistency (a column that does not
/// match its table's schema).
pub fn chunk_batches(chunk: &Chunk, base: IdBase) -> Result<Vec<RecordBatch>, GenerateError> {
    Ok(vec![
        families(chunk)?,
        children(chunk, base)?,
        episodes(chunk)?,
        services(chunk, base)?,
        assessments(chunk, base)?,
        contacts(chunk)?,
        care_events(chunk, base)?,
        income(chunk)?,
    ])
}

/// The case tables a chunk fills, in the order of [`chunk_batches`].
pub const CASE_TABLES: [&Table; 8] = [
    &schema::FAMILIES,
    &schema::CHILDREN,
    &schema::EPISODES,
    &schema::SERVICES,
    &schema::ASSESSMENTS,
    &schema::FOLLOWUP_CONTACTS,
    &schema::CARE_EVENTS_TABLE,
    &schema::INCOME,
];

fn families(c: &Chunk) -> Result<RecordBatch, GenerateError> {
    let f = &c.families;
    let t = "families";
    batch(
        &schema::FAMILIES,
        vec![
            ids('F', f.iter().map(|r| r.number)),
            text(f.iter().map(|r| r.programme)),
            text(f.iter().map(|r| COUNTRIES[r.country].code)),
            dict(t, schema::ARMS, f.iter().map(|r| Some(r.arm)))?,
            dict(
                t,
                schema::HOUSEHOLD_TYPES,
                f.iter().map(|r| Some(r.household)),
            )?,
            Arc::new(Int32Array::from_iter_values(
                f.iter().map(|r| r.children_count),
            )),
            dict(t, schema::RISK_LEVELS, f.iter().map(|r| Some(r.risk)))?,
            dict(
                t,
                schema::REFERRAL_SOURCES,
                f.iter().map(|r| Some(r.referral)),
            )?,
            Arc::new(f.iter().map(|r| r.minority).collect::<BooleanArray>()),
            Arc::new(f.iter().map(|r| r.disability).collect::<BooleanArray>()),
        ],
    )
}

fn children(c: &Chunk, base: IdBase) -> Result<RecordBatch, GenerateError> {
    let k = &c.children;
    batch(
        &schema::CHILDREN,
        vec![
            ids('C', (0..k.len()).map(|i| base.child + i as u64 + 1)),
            ids('F', k.iter().map(|r| r.family)),
            Arc::new(Date32Array::from_iter_values(k.iter().map(|r| r.birth))),
            dict("children", schema::SEXES, k.iter().map(|r| Some(r.sex)))?,
            Arc::new(k.iter().map(|r| r.disability).collect::<BooleanArray>()),
            Arc::new(
                k.iter()
                    .map(|r| Some(r.in_care_at_intake))
                    .collect::<BooleanArray>(),
            ),
        ],
    )
}

fn episodes(c: &Chunk) -> Result<RecordBatch, GenerateError> {
    let e = &c.episodes;
    let t = "episodes";
    batch(
        &schema::EPISODES,
        vec![
            ids('E', e.iter().map(|r| r.family)),
            ids('F', e.iter().map(|r| r.family)),
            dict(t, schema::SERVICE_MODELS, e.iter().map(|r| Some(r.model)))?,
            dict(
                t,
                schema::PREVENTION_LEVELS,
                e.iter().map(|r| Some(r.prevention)),
            )?,
            Arc::new(Date32Array::from_iter_values(e.iter().map(|r| r.intake))),
            Arc::new(e.iter().map(|r| r.exit).collect::<Date32Array>()),
            dict(t, schema::EXIT_REASONS, e.iter().map(|r| r.exit_reason))?,
            Arc::new(e.iter().map(|r| r.self_reliant).collect::<BooleanArray>()),
        ],
    )
}

fn services(c: &Chunk, base: IdBase) -> Result<RecordBatch, GenerateError> {
    let s = &c.services;
    batch(
        &schema::SERVICES,
        vec![
            ids('S', (0..s.len()).map(|i| base.service + i as u64 + 1)),
            ids('E', s.iter().map(|r| r.family)),
            dict(
                "services",
                schema::SERVICE_TYPES,
                s.iter().map(|r| Some(r.service_type)),
            )?,
            Arc::new(Date32Array::from_iter_values(s.iter().map(|r| r.start))),
            Arc::new(s.iter().map(|r| r.end).collect::<Date32Array>()),
            Arc::new(Float64Array::from_iter_values(s.iter().map(|r| r.units))),
            Arc::new(Float64Array::from_iter_values(s.iter().map(|r| r.cost))),
            text(s.iter().map(|r| r.currency)),
        ],
    )
}

fn assessments(c: &Chunk, base: IdBase) -> Result<RecordBatch, GenerateError> {
    let s = &c.sittings;
    let n = s.len() * DOMAINS.len();
    let per_row = |f: &dyn Fn(usize, usize) -> u64| -> Vec<u64> {
        (0..s.len())
            .flat_map(|i| (0..DOMAINS.len()).map(move |d| (i, d)))
            .map(|(i, d)| f(i, d))
            .collect()
    };
    let sitting_numbers = per_row(&|i, _| base.sitting + i as u64 + 1);
    let families = per_row(&|i, _| s[i].family);
    debug_assert_eq!(sitting_numbers.len(), n);
    batch(
        &schema::ASSESSMENTS,
        vec![
            ids('A', sitting_numbers.into_iter()),
            ids('F', families.into_iter()),
            Arc::new(Date32Array::from_iter_values(
                s.iter()
                    .flat_map(|r| std::iter::repeat_n(r.date, DOMAINS.len())),
            )),
            dict(
                "assessments",
                schema::PHASES,
                s.iter()
                    .flat_map(|r| std::iter::repeat_n(Some(r.phase), DOMAINS.len())),
            )?,
            dict(
                "assessments",
                &DOMAINS,
                s.iter().flat_map(|_| (0..DOMAINS.len() as u8).map(Some)),
            )?,
            Arc::new(Int32Array::from_iter_values(
                s.iter()
                    .flat_map(|r| r.scores.iter().map(|v| i32::from(*v))),
            )),
        ],
    )
}

fn contacts(c: &Chunk) -> Result<RecordBatch, GenerateError> {
    let k = &c.contacts;
    batch(
        &schema::FOLLOWUP_CONTACTS,
        vec![
            ids('F', k.iter().map(|r| r.family)),
            Arc::new(Date32Array::from_iter_values(k.iter().map(|r| r.date))),
            dict(
                "followup_contacts",
                schema::CONTACT_RESULTS,
                k.iter().map(|r| Some(r.result)),
            )?,
        ],
    )
}

fn care_events(c: &Chunk, base: IdBase) -> Result<RecordBatch, GenerateError> {
    let e = &c.care_events;
    let t = "care_events";
    batch(
        &schema::CARE_EVENTS_TABLE,
        vec![
            ids('C', e.iter().map(|r| base.child + r.child as u64 + 1)),
            Arc::new(Date32Array::from_iter_values(e.iter().map(|r| r.date))),
            dict(t, schema::CARE_EVENTS, e.iter().map(|r| Some(r.event)))?,
            dict(t, schema::CARE_TYPES, e.iter().map(|r| r.care_type))?,
        ],
    )
}

fn income(c: &Chunk) -> Result<RecordBatch, GenerateError> {
    let i = &c.incomes;
    batch(
        &schema::INCOME,
        vec![
            ids('F', i.iter().map(|r| r.family)),
            Arc::new(Date32Array::from_iter_values(i.iter().map(|r| r.date))),
            dict(
                "income",
                schema::INCOME_PHASES,
                i.iter().map(|r| Some(r.phase)),
            )?,
            Arc::new(Float64Array::from_iter_values(
                i.iter().map(|r| r.monthly_income),
            )),
            text(i.iter().map(|r| r.currency)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::chunk;
    use crate::generate::options::GenerateOptions;
    use arrow::array::{Array, AsArray};

    #[test]
    fn ids_are_prefixed_and_zero_padded() {
        assert_eq!(id('F', 1), "F0000001");
        assert_eq!(id('A', 12_345_678), "A12345678");
        let a = ids('C', [7u64, 10_000_000].into_iter());
        let s = a.as_string::<i32>();
        assert_eq!(s.value(0), "C0000007");
        assert_eq!(s.value(1), "C10000000");
    }

    #[test]
    fn batches_follow_the_contract_and_offsets() {
        let plan = GenerateOptions::new(40, 5, "unused").check().unwrap();
        let c = chunk::simulate(&plan, 0);
        let base = IdBase {
            child: 100,
            service: 200,
            sitting: 300,
        };
        let batches = chunk_batches(&c, base).unwrap();
        for (b, t) in batches.iter().zip(CASE_TABLES) {
            assert_eq!(b.schema(), arrow_schema(t), "{}", t.name);
        }
        let children = &batches[1];
        assert_eq!(children.num_rows(), c.children.len());
        assert_eq!(children.column(0).as_string::<i32>().value(0), "C0000101");
        let assessments = &batches[4];
        assert_eq!(assessments.num_rows(), 8 * c.sittings.len());
        let aid = assessments.column(0).as_string::<i32>();
        assert_eq!(aid.value(0), "A0000301");
        assert_eq!(aid.value(7), "A0000301");
        assert_eq!(aid.value(8), "A0000302");
        let domains = assessments.column(4).as_dictionary::<Int32Type>();
        assert_eq!(domains.keys().value(1), 1);
        let after = base.after(&c);
        assert_eq!(after.child, 100 + c.children.len() as u64);
        // Exit dates are null for families still enrolled, and only for them.
        let exits = batches[2].column(5);
        assert_eq!(
            exits.null_count(),
            c.episodes.iter().filter(|e| e.exit.is_none()).count()
        );
    }
}
