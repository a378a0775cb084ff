//! Prints the README's performance tables: every kernel on every engine, in
//! one process, timed round-robin over a fixed number of runs.
//!
//! ```text
//! cargo run --release -p ebpfvm-bench --bin report [-- --runs N] [--median] [--kernel NAME]... [--suite asm|c|all]
//! ```
//!
//! Two suites: the hand-written assembly kernels (MIPS tables, as before)
//! and the clang-compiled C kernels (`c/`, at `-mcpu=v1` and `v3`): time per
//! run as a multiple of the same C compiled for the host (× native; lower
//! is better), per engine, with geometric means. A peer that cannot run a
//! kernel (an instruction it lacks, or a different dialect's result, e.g.
//! solana_rbpf's sign-extending 32-bit ALU) shows n/a, and its geometric
//! mean is over the kernels it runs.
//!
//! MIPS = the kernel's instruction count (from ebpfvm, cross-checked against
//! solana_rbpf's meter) / the fastest run's time (`--median`: the median run's). For native code the same count is
//! used: "eBPF instructions' worth of work per second".

use std::process::ExitCode;

use ebpfvm_bench::c_kernels::{self, CKernel, Cpu, C_KERNELS};
use ebpfvm_bench::engines::{EngineId, SetupError, Workload};
use ebpfvm_bench::kernels::{self, Kernel, KERNELS};
use ebpfvm_bench::measure::{round_robin, Cell, Statistic};

const USAGE: &str = "usage: report [--runs N] [--median] [--kernel NAME]... [--suite asm|c|all]";

struct Args {
    runs: usize,
    statistic: Statistic,
    kernels: Vec<&'static Kernel>,
    c_kernels: Vec<&'static CKernel>,
    asm: bool,
    c: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        runs: 25,
        statistic: Statistic::Min,
        kernels: Vec::new(),
        c_kernels: Vec::new(),
        asm: true,
        c: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => {
                let n = it.next().ok_or("--runs needs a number")?;
                args.runs = n.parse().map_err(|_| format!("bad --runs value `{n}`"))?;
            }
            "--median" => args.statistic = Statistic::Median,
            "--kernel" => {
                let name = it.next().ok_or("--kernel needs a name")?;
                match (kernels::by_name(&name), c_kernels::by_name(&name)) {
                    (None, None) => return Err(format!("no kernel named `{name}`")),
                    (asm, c) => {
                        args.kernels.extend(asm);
                        args.c_kernels.extend(c);
                    }
                }
            }
            "--suite" => {
                let suite = it.next().ok_or("--suite needs asm, c or all")?;
                (args.asm, args.c) = match suite.as_str() {
                    "asm" => (true, false),
                    "c" => (false, true),
                    "all" => (true, true),
                    _ => return Err(format!("bad --suite `{suite}`\n{USAGE}")),
                };
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    if args.kernels.is_empty() && args.c_kernels.is_empty() {
        args.kernels = KERNELS.iter().collect();
        args.c_kernels = C_KERNELS.iter().collect();
    }
    Ok(args)
}

/// One table row: a kernel's MIPS per engine (`None`: engine unavailable).
struct Row {
    kernel: String,
    instructions: u64,
    mips: Vec<Option<f64>>,
}

/// Times `engines` on every workload, all cells round-robin; unavailable
/// engines get `None`, and so do peers that fail a workload when `lenient`
/// (ebpfvm failing is always an error).
fn measure(
    workloads: &[Workload],
    engines: &[EngineId],
    args: &Args,
    lenient: bool,
    notes: &mut Vec<String>,
) -> Result<Vec<Row>, String> {
    let mut cells = Vec::new();
    let mut slots = Vec::new(); // per (workload, engine): index into `cells`
    for workload in workloads {
        for &engine in engines {
            match workload.checked_runner(engine) {
                Ok(runner) => {
                    slots.push(Some(cells.len()));
                    cells.push(Cell {
                        runner,
                        input: workload.input.clone(),
                    });
                }
                Err(SetupError::Unavailable(why)) => {
                    let note = format!("{}: n/a ({why})", engine.label());
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    slots.push(None);
                }
                Err(SetupError::Failed(why))
                    if lenient
                        && !matches!(engine, EngineId::EbpfvmInterpreter | EngineId::EbpfvmJit) =>
                {
                    notes.push(format!(
                        "{} n/a on {}: {why}",
                        engine.label(),
                        workload.name
                    ));
                    slots.push(None);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    let timings = round_robin(&mut cells, args.runs)?;
    Ok(workloads
        .iter()
        .zip(slots.chunks(engines.len()))
        .map(|(workload, slots)| Row {
            kernel: workload.name.clone(),
            instructions: workload.instructions,
            mips: slots
                .iter()
                .map(|slot| slot.map(|i| timings[i].mips(workload.instructions, args.statistic)))
                .collect(),
        })
        .collect())
}

fn cell(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
        None => "n/a".into(),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

fn ratio_cell(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.2}×"))
}

fn geomean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let values: Option<Vec<f64>> = values.collect();
    let values = values?;
    if values.is_empty() {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

/// Prints a table: kernel, instructions, one MIPS column per engine, then
/// the ratio columns `(label, numerator index, denominator index)`.
fn print_table(engines: &[EngineId], rows: &[Row], ratios: &[(&str, usize, usize)]) {
    print!("| kernel | instructions/run |");
    for e in engines {
        print!(" {} |", e.label());
    }
    for (label, _, _) in ratios {
        print!(" {label} |");
    }
    println!();
    print!("|---|--:|");
    for _ in 0..engines.len() + ratios.len() {
        print!("--:|");
    }
    println!();
    for row in rows {
        print!("| {} | {} |", row.kernel, row.instructions);
        for &v in &row.mips {
            print!(" {} |", cell(v));
        }
        for &(_, a, b) in ratios {
            print!(" {} |", ratio_cell(ratio(row.mips[a], row.mips[b])));
        }
        println!();
    }
    print!("| **geometric mean** | |");
    for i in 0..engines.len() {
        print!(" {} |", cell(geomean(rows.iter().map(|r| r.mips[i]))));
    }
    for &(_, a, b) in ratios {
        let g = geomean(rows.iter().map(|r| ratio(r.mips[a], r.mips[b])));
        print!(" {} |", ratio_cell(g));
    }
    println!();
}

/// The geometric mean of the values present, and how many there are.
fn geomean_present(values: impl Iterator<Item = Option<f64>>) -> (Option<f64>, usize, usize) {
    let all: Vec<Option<f64>> = values.collect();
    let present: Vec<f64> = all.iter().flatten().copied().collect();
    let mean = geomean(present.iter().map(|&v| Some(v)));
    (mean, present.len(), all.len())
}

/// The C suite's table: each engine's time per run as a multiple of native
/// (`native` is the index of the native column in `engines`).
fn print_native_table(engines: &[EngineId], rows: &[Row], native: usize) {
    print!("| kernel | instructions/run |");
    for (i, e) in engines.iter().enumerate() {
        if i != native {
            print!(" {} |", e.label());
        }
    }
    println!();
    print!("|---|--:|");
    for _ in 1..engines.len() {
        print!("--:|");
    }
    println!();
    let times_native = |row: &Row, i: usize| ratio(row.mips[native], row.mips[i]);
    for row in rows {
        print!("| {} | {} |", row.kernel, row.instructions);
        for i in (0..engines.len()).filter(|&i| i != native) {
            print!(" {} |", ratio_cell(times_native(row, i)));
        }
        println!();
    }
    print!("| **geometric mean** | |");
    for i in (0..engines.len()).filter(|&i| i != native) {
        let (mean, n, of) = geomean_present(rows.iter().map(|r| times_native(r, i)));
        if n == of {
            print!(" **{}** |", ratio_cell(mean));
        } else {
            print!(" {} ({n} of {of}) |", ratio_cell(mean));
        }
    }
    println!();
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let workloads: Vec<Workload> = args
        .kernels
        .iter()
        .filter(|_| args.asm)
        .map(|k| Workload::new(k))
        .collect::<Result<_, _>>()?;
    let c_workloads: Vec<Workload> = args
        .c_kernels
        .iter()
        .filter(|_| args.c)
        .flat_map(|k| Cpu::ALL.map(|cpu| Workload::c(k, cpu)))
        .collect::<Result<_, _>>()?;
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    let statistic = match args.statistic {
        Statistic::Min => "fastest run",
        Statistic::Median => "median run",
    };
    println!(
        "<!-- {} runs per cell, round-robin, {statistic}; {}, {threads} hardware threads -->",
        args.runs,
        cpu_model()
    );
    let mut notes = Vec::new();
    if !workloads.is_empty() {
        asm_tables(&workloads, &args, &mut notes)?;
    }
    if !c_workloads.is_empty() {
        println!(
            "\n**clang-compiled C kernels** (time per run × native `-O2` C; lower is better)\n"
        );
        let engines = [
            EngineId::EbpfvmInterpreter,
            EngineId::EbpfvmJit,
            EngineId::RbpfInterpreter,
            EngineId::RbpfJit,
            EngineId::SolanaInterpreter,
            EngineId::SolanaJit,
            EngineId::Native,
        ];
        let rows = measure(&c_workloads, &engines, &args, true, &mut notes)?;
        print_native_table(&engines, &rows, engines.len() - 1);
    }
    for note in &notes {
        println!("\n{note}");
    }
    Ok(())
}

/// The assembly suite's MIPS tables.
fn asm_tables(workloads: &[Workload], args: &Args, notes: &mut Vec<String>) -> Result<(), String> {
    println!("\n**Interpreters** (MIPS; higher is better)\n");
    let interp = EngineId::INTERPRETERS;
    let rows = measure(workloads, &interp, args, false, notes)?;
    print_table(
        &interp,
        &rows,
        &[("ebpfvm / rbpf", 0, 1), ("ebpfvm / solana_rbpf", 0, 2)],
    );

    println!(
        "\n**JITs and native code** (MIPS; native: eBPF instructions' worth of work per second)\n"
    );
    let compiled = EngineId::COMPILED;
    let rows = measure(workloads, &compiled, args, false, notes)?;
    print_table(
        &compiled,
        &rows,
        &[
            ("ebpfvm / solana_rbpf JIT", 0, 1),
            ("ebpfvm / rbpf JIT", 0, 2),
            ("native / ebpfvm JIT", 3, 0),
        ],
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("report: {e}");
            ExitCode::FAILURE
        }
    }
}
