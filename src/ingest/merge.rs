//! Concatenating a table's parsed chunks into one table.
//!
//! Batches are parsed in parallel, each into a [`Chunk`] with its own vocabularies for
//! the open-vocabulary columns. [`merge`] appends the chunks in chunk (file and row)
//! order and folds their vocabularies in that order, so rows and codes are the same
//! whatever the thread count. The pattern is written once here; what differs between
//! tables, their columns and which of them hold vocabulary codes, is listed once per
//! table in its [`Columns`] implementation at the end of this file.

use super::ids::Ids;
use super::intern::{remap, Interner};
use super::parse::Chunk;
use super::rows::Rejects;
use super::tables::*;
use crate::schema::DOMAINS;

/// A columnar table that parsed chunks are merged into.
pub trait Columns: Default {
    /// Codes the merged vocabularies start with, one entry per open-vocabulary column in
    /// [`Chunk::vocab`] order (the eight domains of assessments are codes 0..8).
    const PRESETS: &'static [&'static [&'static str]] = &[];

    /// Number of rows.
    fn len(&self) -> usize;

    /// Append `other`'s rows, whose codes are already in this table's vocabularies.
    fn append(&mut self, other: Self);

    /// Make room for `n` more rows exactly: a merged table is never grown again, and
    /// doubling would leave up to half of a large table's memory unused.
    fn reserve_exact(&mut self, n: usize);

    /// Keep only the rows whose flag in `keep` is true.
    fn retain(&mut self, keep: &[bool]);

    /// The code columns of the open vocabularies, in [`Chunk::vocab`] order.
    fn codes(&mut self) -> Vec<&mut Vec<u32>> {
        Vec::new()
    }

    /// Set the merged vocabularies, in [`Chunk::vocab`] order.
    fn set_vocabularies(&mut self, _values: Vec<Vec<String>>) {}
}

/// Concatenate chunks in order, merging vocabularies and rows set aside.
pub fn merge<T: Columns>(chunks: Vec<Chunk<T>>) -> (T, Rejects) {
    let mut all = T::default();
    all.reserve_exact(chunks.iter().map(|c| c.rows.len()).sum());
    let mut vocab: Vec<Interner> = T::PRESETS
        .iter()
        .map(|p| Interner::with_preset(p))
        .collect();
    let mut rej = Rejects::default();
    for mut c in chunks {
        for ((codes, local), merged) in c.rows.codes().into_iter().zip(&c.vocab).zip(&mut vocab) {
            remap(codes, &merged.absorb(local.values()));
        }
        all.append(c.rows);
        rej.merge(c.rejects);
    }
    if !vocab.is_empty() {
        all.set_vocabularies(vocab.into_iter().map(Interner::into_values).collect());
    }
    (all, rej)
}

/// One column of a table.
trait Column {
    fn append(&mut self, other: Self);
    fn reserve_exact(&mut self, n: usize);
    fn retain(&mut self, keep: &[bool]);
}

impl<T> Column for Vec<T> {
    fn append(&mut self, other: Self) {
        self.extend(other);
    }

    fn reserve_exact(&mut self, n: usize) {
        Vec::reserve_exact(self, n);
    }

    fn retain(&mut self, keep: &[bool]) {
        let mut flags = keep.iter();
        Vec::retain(self, |_| flags.next().copied().unwrap_or(false));
    }
}

impl Column for Ids {
    fn append(&mut self, other: Self) {
        Ids::append(self, &other);
    }

    fn reserve_exact(&mut self, n: usize) {
        Ids::reserve_exact(self, n);
    }

    fn retain(&mut self, keep: &[bool]) {
        *self = self
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(id, _)| id)
            .collect();
    }
}

/// Every chunk of `families` holds the same extra columns in the same order (the file
/// schemas were checked to agree before reading); the merged table starts without any.
impl Column for ExtraValues {
    fn append(&mut self, other: Self) {
        match (self, other) {
            (ExtraValues::Number(a), ExtraValues::Number(b)) => a.extend(b),
            (ExtraValues::Flag(a), ExtraValues::Flag(b)) => a.extend(b),
            (ExtraValues::Category(a), ExtraValues::Category(b)) => a.extend(b),
            // Kinds agree across files (checked when the schemas were read).
            _ => {}
        }
    }

    fn reserve_exact(&mut self, n: usize) {
        match self {
            ExtraValues::Number(v) => v.reserve_exact(n),
            ExtraValues::Flag(v) => v.reserve_exact(n),
            ExtraValues::Category(v) => v.reserve_exact(n),
        }
    }

    fn retain(&mut self, keep: &[bool]) {
        match self {
            ExtraValues::Number(v) => Column::retain(v, keep),
            ExtraValues::Flag(v) => Column::retain(v, keep),
            ExtraValues::Category(v) => Column::retain(v, keep),
        }
    }
}

impl Column for ExtraColumns {
    fn append(&mut self, other: Self) {
        if self.0.is_empty() {
            self.0 = other.0;
            return;
        }
        for (a, b) in self.0.iter_mut().zip(other.0) {
            a.values.append(b.values);
        }
    }

    fn reserve_exact(&mut self, n: usize) {
        for c in &mut self.0 {
            c.values.reserve_exact(n);
        }
    }

    fn retain(&mut self, keep: &[bool]) {
        for c in &mut self.0 {
            c.values.retain(keep);
        }
    }
}

/// Reference tables are plain rows: one column of records.
impl<T> Columns for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn append(&mut self, other: Self) {
        Column::append(self, other);
    }

    fn reserve_exact(&mut self, n: usize) {
        Column::reserve_exact(self, n);
    }

    fn retain(&mut self, keep: &[bool]) {
        Column::retain(self, keep);
    }
}

/// Implement [`Columns`] for a table from the list of its parsed columns and of its
/// open-vocabulary `codes => values` pairs with their presets. Columns filled after
/// merging (the `_real` amounts) are not listed.
macro_rules! columns {
    ($table:ty, [$($col:ident),+ $(,)?] $(, vocab [$($codes:ident => $values:ident: $preset:expr),+ $(,)?])?) => {
        impl Columns for $table {
            $(const PRESETS: &'static [&'static [&'static str]] = &[$($preset),+];)?

            fn len(&self) -> usize {
                <$table>::len(self)
            }

            fn append(&mut self, other: Self) {
                $(Column::append(&mut self.$col, other.$col);)+
            }

            fn reserve_exact(&mut self, n: usize) {
                $(Column::reserve_exact(&mut self.$col, n);)+
            }

            fn retain(&mut self, keep: &[bool]) {
                $(Column::retain(&mut self.$col, keep);)+
            }

            $(
            fn codes(&mut self) -> Vec<&mut Vec<u32>> {
                vec![$(&mut self.$codes),+]
            }

            fn set_vocabularies(&mut self, values: Vec<Vec<String>>) {
                let mut values = values.into_iter();
                $(self.$values = values.next().unwrap_or_default();)+
            }
            )?
        }
    };
}

columns!(
    Families,
    [
        ids,
        programme,
        country,
        arm,
        household_type,
        children_count,
        risk_level,
        referral_source,
        minority,
        disability,
        extra,
    ],
    vocab [programme => programmes: &[], country => countries: &[]]
);
columns!(
    Children,
    [
        ids,
        family,
        birth_date,
        sex,
        disability,
        in_care_at_intake,
        care_history_valid,
    ]
);
columns!(
    Episodes,
    [
        ids,
        family,
        service_model,
        prevention_level,
        intake,
        exit,
        exit_reason,
        self_reliant,
    ]
);
columns!(
    Services,
    [episode, service_type, start, end, units, cost, currency],
    vocab [currency => currencies: &[]]
);
columns!(
    ProgrammeCosts,
    [
        programme,
        period_start,
        period_end,
        category,
        amount,
        currency,
        in_kind,
    ],
    vocab [currency => currencies: &[]]
);
columns!(
    Assessments,
    [family, date, phase, domain, score],
    vocab [domain => domains: &DOMAINS]
);
columns!(FollowupContacts, [family, date, result]);
columns!(CareEvents, [child, date, event, care_type]);
columns!(
    Income,
    [family, date, phase, monthly, currency],
    vocab [currency => currencies: &[]]
);

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(currencies: &[&str], codes: Vec<u32>) -> Chunk<Income> {
        let mut vocab = Interner::default();
        for c in currencies {
            vocab.code(c);
        }
        Chunk {
            rows: Income {
                family: (0..codes.len() as u32).collect(),
                date: vec![0; codes.len()],
                phase: vec![0; codes.len()],
                monthly: vec![1.0; codes.len()],
                currency: codes,
                ..Income::default()
            },
            vocab: vec![vocab],
            rejects: Rejects::default(),
        }
    }

    #[test]
    fn chunks_append_in_order_with_codes_into_the_merged_vocabulary() {
        let (all, _) = merge(vec![
            chunk(&["ALL", "EUR"], vec![1, 0]),
            chunk(&["USD", "ALL"], vec![0, 1, 0]),
        ]);
        assert_eq!(all.family, vec![0, 1, 0, 1, 2]);
        assert_eq!(all.currencies, vec!["ALL", "EUR", "USD"]);
        assert_eq!(all.currency, vec![1, 0, 2, 0, 2]);
        // A table without chunks keeps its presets: domain codes never move.
        let (none, _) = merge::<Assessments>(Vec::new());
        assert_eq!(none.domains, DOMAINS);
    }

    #[test]
    fn retain_drops_the_same_rows_of_every_column() {
        let mut f = Families {
            ids: ["F1", "F2", "F3"].into_iter().collect(),
            arm: vec![0, 1, 2],
            minority: vec![None, Some(true), Some(false)],
            ..Families::default()
        };
        Columns::retain(&mut f, &[true, false, true]);
        assert_eq!(f.ids.iter().collect::<Vec<_>>(), ["F1", "F3"]);
        assert_eq!((f.arm, f.minority), (vec![0, 2], vec![None, Some(false)]));
    }
}
