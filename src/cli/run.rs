//! `kinsight run`: the main job over a dataset, writing everything under `--out`.

use std::path::PathBuf;

use clap::Args;
use kinsight::ingest;
use kinsight::output::{self, Manifest};

use super::progress::Progress;
use super::{exit, fail, Common, Format};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Dataset folder (default: the bundled sample, data/sample).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// SROI model file (default: model.toml in the dataset folder).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Table formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
    /// Write into --out even if it is not a previous kinsight output.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: &RunArgs) -> i32 {
    let data = a.data.clone().unwrap_or_else(super::default_data);
    let progress = Progress::new(a.common.quiet);
    let result = (|| -> Result<Vec<String>, kinsight::Error> {
        let out = output::prepare_out_dir(&a.out, a.force)?;
        progress.step("reading and validating the dataset");
        let loaded = ingest::load(&data).map_err(|e| kinsight::Error::io(&data, e))?;
        output::write_json(&out.join("quality.json"), &loaded.quality)?;
        let Some(ds) = loaded.dataset else {
            return Err(kinsight::Error::InvalidDataset(loaded.problems));
        };
        let mut manifest = Manifest::new("run", &loaded.quality, &loaded.inputs);
        manifest.data_cutoff = Some(kinsight::dates::format(ds.meta.data_cutoff));
        manifest.reporting_currency = Some(ds.meta.reporting_currency.clone());
        manifest.price_year = Some(ds.meta.price_year);
        manifest.outputs = vec!["quality.json".into(), "manifest.json".into()];
        output::write_json(&out.join("manifest.json"), &manifest)?;
        let mut lines = vec![format!(
            "{}: {} families, {} children, {} episodes, {} assessment rows",
            ds.meta.name,
            ds.families.len(),
            ds.children.len(),
            ds.episodes.len(),
            ds.assessments.len()
        )];
        let set_aside: u64 = loaded
            .quality
            .tables
            .values()
            .map(|q| q.rows_set_aside)
            .sum();
        lines.push(format!(
            "rows set aside: {set_aside} (reasons in {})",
            out.join("quality.json").display()
        ));
        lines.push(format!("wrote {}", out.display()));
        Ok(lines)
    })();
    progress.finish();
    match result {
        Ok(lines) => {
            if !a.common.quiet {
                for l in lines {
                    println!("{l}");
                }
            }
            exit::OK
        }
        Err(e) => fail(&e),
    }
}
