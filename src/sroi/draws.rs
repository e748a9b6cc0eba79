//! `sroi/draws.parquet`: every Monte Carlo draw, for users who want to redo the analysis.
//!
//! One row per draw: `draw` (index, so a row can be regenerated from the seed), every
//! parameter's value in a column named `outcome_id.field`, then `pv`, `inputs`, `ratio`
//! and `npv` (docs/outputs.md). Written with arrow + parquet so Python, R and Excel load it
//! without conversion.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, UInt64Array};
use arrow::datatypes::{DataType, Field as ArrowField, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::monte_carlo::Draws;
use super::SroiError;

/// The draws as one Arrow record batch.
///
/// # Errors
/// [`SroiError::Parquet`] if the columns are inconsistent (cannot happen for [`Draws`]
/// built by `simulate`).
pub fn to_record_batch(draws: &Draws) -> Result<RecordBatch, SroiError> {
    let n = draws.ratio.len();
    let mut fields = vec![ArrowField::new("draw", DataType::UInt64, false)];
    let mut cols: Vec<ArrayRef> = vec![Arc::new(UInt64Array::from_iter_values(0..n as u64))];
    let named = draws
        .names
        .iter()
        .map(String::as_str)
        .zip(draws.values.iter())
        .chain([
            ("pv", &draws.pv),
            ("inputs", &draws.inputs),
            ("ratio", &draws.ratio),
            ("npv", &draws.npv),
        ]);
    for (name, values) in named {
        fields.push(ArrowField::new(name, DataType::Float64, false));
        cols.push(Arc::new(Float64Array::from(values.clone())));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(|e| SroiError::Parquet {
        path: "draws.parquet".to_string(),
        message: e.to_string(),
    })
}

/// The draws as the bytes of a Parquet file (zstd-compressed).
///
/// # Errors
/// [`SroiError::Parquet`] if encoding fails.
pub fn to_parquet(draws: &Draws) -> Result<Vec<u8>, SroiError> {
    let perr = |e: parquet::errors::ParquetError| SroiError::Parquet {
        path: "draws.parquet".to_string(),
        message: e.to_string(),
    };
    let batch = to_record_batch(draws)?;
    let mut buf = Vec::new();
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let mut writer = ArrowWriter::try_new(&mut buf, batch.schema(), Some(props)).map_err(perr)?;
    writer.write(&batch).map_err(perr)?;
    writer.close().map_err(perr)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::data::DataValues;
    use crate::sroi::impact::resolve;
    use crate::sroi::impact::tests::two_outcomes;
    use crate::sroi::monte_carlo::simulate;
    use arrow::array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use std::fs::File;

    #[test]
    fn written_draws_read_back_identically() {
        let m = two_outcomes();
        let base = resolve(&m, &DataValues::new()).unwrap();
        let d = simulate(&m, &base, &[], 50_000.0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draws.parquet");
        std::fs::write(&path, to_parquet(&d).unwrap()).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 2000);
        let schema = batches[0].schema();
        assert_eq!(schema.field(1).name(), "care.quantity");
        assert_eq!(schema.field(schema.fields().len() - 2).name(), "ratio");
        assert_eq!(schema.fields().len(), 1 + 14 + 4);
        let mut ratio = Vec::new();
        let mut proxy = Vec::new();
        for b in &batches {
            let r = b
                .column_by_name("ratio")
                .unwrap()
                .as_any()
                .downcast_ref::<Float64Array>()
                .unwrap();
            ratio.extend(r.values().iter().copied());
            let p = b
                .column_by_name("income.proxy")
                .unwrap()
                .as_any()
                .downcast_ref::<Float64Array>()
                .unwrap();
            assert_eq!(p.null_count(), 0);
            proxy.extend(p.values().iter().copied());
        }
        assert_eq!(ratio, d.ratio);
        assert_eq!(
            proxy,
            d.column(&m, m.find_param("income.proxy").unwrap()).unwrap()
        );
    }
}
