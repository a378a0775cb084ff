//! Prints the README's performance tables: every kernel on every engine, in
//! one process, timed round-robin over a fixed number of runs.
//!
//! ```text
//! cargo run --release -p ebpfvm-bench --bin report [-- --runs N] [--median] [--kernel NAME]...
//! ```
//!
//! MIPS = the kernel's instruction count (from ebpfvm, cross-checked against
//! solana_rbpf's meter) / the fastest run's time (`--median`: the median run's). For native code the same count is
//! used: "eBPF instructions' worth of work per second".

use std::process::ExitCode;

use ebpfvm_bench::engines::{EngineId, SetupError, Workload};
use ebpfvm_bench::kernels::{self, Kernel, KERNELS};
use ebpfvm_bench::measure::{round_robin, Cell, Statistic};

const USAGE: &str = "usage: report [--runs N] [--median] [--kernel NAME]...";

struct Args {
    runs: usize,
    statistic: Statistic,
    kernels: Vec<&'static Kernel>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        runs: 25,
        statistic: Statistic::Min,
        kernels: Vec::new(),
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
                let kernel =
                    kernels::by_name(&name).ok_or_else(|| format!("no kernel named `{name}`"))?;
                args.kernels.push(kernel);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    if args.kernels.is_empty() {
        args.kernels = KERNELS.iter().collect();
    }
    Ok(args)
}

/// One table row: a kernel's MIPS per engine (`None`: engine unavailable).
struct Row {
    kernel: &'static str,
    instructions: u64,
    mips: Vec<Option<f64>>,
}

/// Times `engines` on every workload, all cells round-robin; unavailable
/// engines get `None`.
fn measure(
    workloads: &[Workload],
    engines: &[EngineId],
    args: &Args,
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
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    let timings = round_robin(&mut cells, args.runs)?;
    Ok(workloads
        .iter()
        .zip(slots.chunks(engines.len()))
        .map(|(workload, slots)| Row {
            kernel: workload.kernel.name,
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
        .map(|k| Workload::new(k))
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

    println!("\n**Interpreters** (MIPS; higher is better)\n");
    let interp = EngineId::INTERPRETERS;
    let rows = measure(&workloads, &interp, &args, &mut notes)?;
    print_table(
        &interp,
        &rows,
        &[("ebpfvm / rbpf", 0, 1), ("ebpfvm / solana_rbpf", 0, 2)],
    );

    println!(
        "\n**JITs and native code** (MIPS; native: eBPF instructions' worth of work per second)\n"
    );
    let compiled = EngineId::COMPILED;
    let rows = measure(&workloads, &compiled, &args, &mut notes)?;
    print_table(
        &compiled,
        &rows,
        &[
            ("ebpfvm / solana_rbpf JIT", 0, 1),
            ("ebpfvm / rbpf JIT", 0, 2),
            ("native / ebpfvm JIT", 3, 0),
        ],
    );
    for note in &notes {
        println!("\n{note}");
    }
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
