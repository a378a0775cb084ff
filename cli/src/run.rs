//! `ebpfvm run`: execute a program once or repeatedly and report r0, the
//! instruction count, timing, or the trap.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use ebpfvm::memory::SLOT_SHIFT;
use ebpfvm::{Config, ContextObject, EbpfVm, Executable, Prepared, RunOutcome};

use crate::interrupt::{self, RunContext};
use crate::load::{load, parse_hex_bytes, read_input, LoadArgs};
use crate::report::{Failure, Json, Stage, EXIT_INTERRUPTED, EXIT_OK, EXIT_TRAP};
use crate::EngineArg;

/// The default instruction budget of `run`: one million instructions (the
/// bpf_conformance plugin's budget too); `--max-instructions 0` lifts it.
pub const DEFAULT_MAX_INSTRUCTIONS: u64 = 1_000_000;

/// The largest input memory: one 4 GiB memory slot.
pub const MAX_INPUT_SIZE: u64 = 1 << SLOT_SHIFT;

/// Options of `ebpfvm run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// A file whose bytes are the input memory (r1 = its address, r2 = its length).
    #[arg(long, conflicts_with = "mem_hex")]
    mem: Option<PathBuf>,
    /// The input memory as hex bytes, e.g. "00 01 ff".
    #[arg(long)]
    mem_hex: Option<String>,
    /// Which engine executes the program.
    #[arg(long, value_enum, default_value = "interpreter")]
    engine: EngineArg,
    /// Instruction budget; the run traps when it is exhausted. 0 means
    /// unlimited (stop it with Ctrl-C).
    #[arg(long, default_value_t = DEFAULT_MAX_INSTRUCTIONS)]
    max_instructions: u64,
    /// Largest `--mem` file accepted, in bytes; larger files are refused
    /// before they are read (default and maximum: 4 GiB, the input region).
    #[arg(long, default_value_t = MAX_INPUT_SIZE)]
    max_input_size: u64,
    /// Maximum number of active call frames (1..=64).
    #[arg(long, default_value_t = Config::default().max_call_depth)]
    max_call_depth: usize,
    /// Run N times (fresh memory each time) and report time per run and MIPS.
    #[arg(long, default_value_t = 1)]
    repeat: u32,
}

/// Runs `exe` once on a fresh copy of `input` in `engine`. Fails only if the
/// input cannot be mapped.
pub fn run_once<C: ContextObject>(
    exe: &Executable<'_, C>,
    input: &[u8],
    context: &mut C,
    engine: &Prepared<'_, C>,
) -> Result<RunOutcome, Failure> {
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut data = exe.data_template().to_vec();
    let mut input = input.to_vec();
    let mapping = exe
        .standard_mapping(&mut stack, &mut data, &mut input)
        .map_err(|e| Failure::new(Stage::Input, format!("cannot map the input: {e}")))?;
    Ok(EbpfVm::new(exe, context, mapping).execute(engine))
}

/// `ebpfvm run`.
pub fn run(args: &RunArgs, json: bool) -> Result<u8, Failure> {
    if !(1..=ebpfvm::config::MAX_CALL_DEPTH).contains(&args.max_call_depth) {
        return Err(Failure::new(
            Stage::Usage,
            format!(
                "--max-call-depth {} is not between 1 and {}",
                args.max_call_depth,
                ebpfvm::config::MAX_CALL_DEPTH
            ),
        ));
    }
    let config = Config {
        version: args.load.isa,
        max_call_depth: args.max_call_depth,
        ..Config::default()
    };
    let exe = load(&args.load, config)?;
    let limit = args.max_input_size.min(MAX_INPUT_SIZE);
    let input = match (&args.mem, &args.mem_hex) {
        (Some(path), _) => read_input(path, limit)?,
        (None, Some(hex)) => parse_hex_bytes(hex)
            .map_err(|e| Failure::new(Stage::Input, format!("--mem-hex: {e}")))?,
        (None, None) => Vec::new(),
    };
    let engine = crate::engine::prepare(&exe, args.engine)?;
    let budget = match args.max_instructions {
        0 => u64::MAX,
        n => n,
    };
    let repeat = args.repeat.max(1);
    interrupt::install(json);
    let start = Instant::now();
    let mut outcome = run_once(&exe, &input, &mut RunContext::new(budget), &engine)?;
    let mut runs = 1;
    while runs < repeat && !interrupt::interrupted() {
        outcome = run_once(&exe, &input, &mut RunContext::new(budget), &engine)?;
        runs += 1;
    }
    let elapsed = start.elapsed();
    interrupt::finished();
    Ok(report(&outcome, json, runs, elapsed))
}

fn report(outcome: &RunOutcome, json: bool, runs: u32, elapsed: Duration) -> u8 {
    let per_run = elapsed / runs;
    let mips = if per_run.as_nanos() > 0 {
        outcome.instruction_count as f64 / per_run.as_nanos() as f64 * 1e3
    } else {
        0.0
    };
    let count = outcome.instruction_count;
    let mut out = Json::new();
    let status = match outcome.result {
        Err(trap) if interrupt::interrupted() => {
            if json {
                out.str("result", "interrupted")
                    .num("pc", trap.pc() as u64)
                    .num("instructions", count);
            } else {
                println!("interrupted at pc {}", trap.pc());
                println!("instructions = {count}");
            }
            EXIT_INTERRUPTED
        }
        Ok(r0) => {
            if json {
                out.str("result", "ok")
                    .str("r0", &format!("{r0:#x}"))
                    .num("instructions", count);
            } else {
                println!("r0 = {r0:#x} ({r0})");
                println!("instructions = {count}");
            }
            EXIT_OK
        }
        Err(trap) => {
            if json {
                out.str("result", "trap")
                    .str("error", &trap.to_string())
                    .num("pc", trap.pc() as u64)
                    .num("instructions", count);
            } else {
                println!("trap: {trap}");
                println!("instructions = {count}");
            }
            EXIT_TRAP
        }
    };
    if runs > 1 {
        if json {
            out.num("ns_per_run", per_run.as_nanos() as u64)
                .raw("mips", &format!("{mips:.1}"));
        } else {
            println!("time per run = {per_run:?} ({mips:.1} MIPS over {runs} runs)");
        }
    }
    if json {
        println!("{}", out.finish());
    }
    status
}
