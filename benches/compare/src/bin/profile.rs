//! Runs one kernel on one engine a fixed number of times, for instruction-level
//! profilers. Under callgrind, collect only the timed loop:
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='profile::timed_runs' \
//!     target/release/profile ENGINE KERNEL [RUNS]
//! ```
//!
//! Host instructions per eBPF instruction = collected `Ir` / (RUNS ×
//! instructions per run, printed on stdout). The figure does not depend on
//! machine load, unlike wall-clock MIPS. `ci/bench-profile.sh` runs it for
//! every interpreter and kernel.

use std::hint::black_box;
use std::process::ExitCode;

use ebpfvm_bench::c_kernels::{self, Cpu};
use ebpfvm_bench::engines::{EngineId, Runner, Workload};
use ebpfvm_bench::kernels;

#[inline(never)]
fn timed_runs(runner: &mut dyn Runner, input: &mut [u8], runs: u64) -> Result<(), String> {
    for _ in 0..runs {
        black_box(runner.run(input)?);
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let usage = "usage: profile ENGINE KERNEL [RUNS]";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (engine, kernel) = match args.as_slice() {
        [e, k] | [e, k, _] => (e, k),
        _ => return Err(usage.into()),
    };
    let engine = EngineId::from_cli_name(engine).ok_or_else(|| format!("no engine `{engine}`"))?;
    // An assembly kernel by name, or a C kernel as `name/v1` or `name/v3`.
    let c_kernel = kernel.split_once('/').and_then(|(name, cpu)| {
        let cpu = Cpu::ALL.into_iter().find(|c| c.label() == cpu)?;
        Some((c_kernels::by_name(name)?, cpu))
    });
    let runs = match args.get(2) {
        Some(n) => n.parse().map_err(|_| format!("bad run count `{n}`"))?,
        None => 1,
    };
    let workload = match (c_kernel, kernels::by_name(kernel)) {
        (Some((c, cpu)), _) => Workload::c(c, cpu)?,
        (None, Some(asm)) => Workload::new(asm)?,
        (None, None) => return Err(format!("no kernel `{kernel}`")),
    };
    let mut runner = workload.checked_runner(engine).map_err(|e| e.to_string())?;
    let mut input = workload.input.clone();
    timed_runs(&mut *runner, &mut input, runs)?;
    println!("{}", workload.instructions);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile: {e}");
            ExitCode::FAILURE
        }
    }
}
