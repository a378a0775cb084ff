//! Fixed-repetition timing for the `report` binary.
//!
//! Engines are timed round-robin: each round runs every engine once, in turn,
//! so a change in machine load (the benchmark host is shared) affects all
//! engines of a kernel alike. Both the fastest and the median run are kept;
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

/// Runs every runner `runs` times (round-robin) on its own copy of `input`
/// and returns each runner's timing, or the first run failure.
pub fn round_robin(
    runners: &mut [&mut dyn Runner],
    input: &[u8],
    runs: usize,
) -> Result<Vec<Timing>, String> {
    let runs = runs.max(1);
    let mut inputs: Vec<Vec<u8>> = runners.iter().map(|_| input.to_vec()).collect();
    let mut times: Vec<Vec<Duration>> = runners.iter().map(|_| Vec::with_capacity(runs)).collect();
    for _ in 0..runs {
        for ((runner, input), times) in runners.iter_mut().zip(&mut inputs).zip(&mut times) {
            let start = Instant::now();
            runner.run(input)?;
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
