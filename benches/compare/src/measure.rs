//! Fixed-repetition timing for the `report` binary.
//!
//! Cells (kernel × engine) are timed round-robin: each round runs every cell
//! once, in turn, so a change in machine load (the benchmark host is shared)
//! affects all cells alike instead of one kernel or engine. Both the fastest
//! and the median run are kept;
//! the report uses the fastest by default, the usual choice on a noisy host
//! (interference only ever slows a run down).

use std::time::{Duration, Instant};

use crate::engines::Runner;

/// Median and fastest time of one engine's runs.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Median run time.
    pub median: Duration,
    /// Fastest run.
    pub min: Duration,
}

/// Which run time a figure is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    /// The fastest run.
    Min,
    /// The median run.
    Median,
}

impl Timing {
    /// Millions of `instructions` per second at the chosen run time.
    pub fn mips(&self, instructions: u64, statistic: Statistic) -> f64 {
        let time = match statistic {
            Statistic::Min => self.min,
            Statistic::Median => self.median,
        };
        instructions as f64 / time.as_secs_f64() / 1e6
    }
}

/// One cell of a table: a runner and its own copy of the input.
pub struct Cell<'a> {
    /// The engine, ready to run.
    pub runner: Box<dyn Runner + 'a>,
    /// The input it runs on (each cell has its own: kernels may write it).
    pub input: Vec<u8>,
}

/// Runs every cell `runs` times, round-robin (one run of each cell per
/// round, so each cell's runs are spread over the whole measurement), and
/// returns each cell's timing, or the first run failure.
pub fn round_robin(cells: &mut [Cell<'_>], runs: usize) -> Result<Vec<Timing>, String> {
    let runs = runs.max(1);
    let mut times: Vec<Vec<Duration>> = cells.iter().map(|_| Vec::with_capacity(runs)).collect();
    for _ in 0..runs {
        for (cell, times) in cells.iter_mut().zip(&mut times) {
            let start = Instant::now();
            cell.runner.run(&mut cell.input)?;
            times.push(start.elapsed());
        }
    }
    Ok(times
        .into_iter()
        .map(|mut t| {
            t.sort_unstable();
            Timing {
                median: t[t.len() / 2],
                min: t[0],
            }
        })
        .collect())
}
