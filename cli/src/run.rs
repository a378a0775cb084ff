//! `ebpfvm run`: execute a program once or repeatedly and report r0, the
//! instruction count, timing, or the trap.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use ebpfvm::{Budget, Config, EbpfVm, Executable, Prepared, RunOutcome};

use crate::load::{bad_input, load, read, LoadArgs};
use crate::EngineArg;

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
    /// Instruction budget; the run traps when it is exhausted (default: unlimited).
    #[arg(long)]
    max_instructions: Option<u64>,
    /// Maximum number of active call frames (1..=64).
    #[arg(long, default_value_t = Config::default().max_call_depth)]
    max_call_depth: usize,
    /// Run N times (fresh memory each time) and report time per run and MIPS.
    #[arg(long, default_value_t = 1)]
    repeat: u32,
    /// Print one JSON object on one line.
    #[arg(long)]
    json: bool,
}

/// Parses whitespace-separated hex bytes.
pub fn parse_hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    text.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).map_err(|_| format!("bad hex byte `{b}`")))
        .collect()
}

/// Runs `exe` once on a fresh copy of `input` in `engine`. Fails only if the
/// input cannot be mapped (larger than a 4 GiB region).
pub fn run_once(
    exe: &Executable<Budget>,
    input: &[u8],
    budget: u64,
    engine: &Prepared<'_, Budget>,
) -> Result<RunOutcome, String> {
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut data = exe.data_template().to_vec();
    let mut input = input.to_vec();
    let mut context = Budget::new(budget);
    let mapping = exe
        .standard_mapping(&mut stack, &mut data, &mut input)
        .map_err(|e| format!("cannot map the input: {e}"))?;
    Ok(EbpfVm::new(exe, &mut context, mapping).execute(engine))
}

/// `ebpfvm run`.
pub fn run(args: &RunArgs) -> u8 {
    if !(1..=ebpfvm::config::MAX_CALL_DEPTH).contains(&args.max_call_depth) {
        return bad_input(&format!(
            "--max-call-depth must be between 1 and {}",
            ebpfvm::config::MAX_CALL_DEPTH
        ));
    }
    let config = Config {
        version: args.load.isa,
        max_call_depth: args.max_call_depth,
        ..Config::default()
    };
    let exe = match load(&args.load, config) {
        Ok(exe) => exe,
        Err(e) => return bad_input(&e),
    };
    let input = match (&args.mem, &args.mem_hex) {
        (Some(path), _) => read(path),
        (None, Some(hex)) => parse_hex_bytes(hex),
        (None, None) => Ok(Vec::new()),
    };
    let input = match input {
        Ok(input) => input,
        Err(e) => return bad_input(&e),
    };
    let engine = match crate::engine::prepare(&exe, args.engine) {
        Ok(engine) => engine,
        Err(e) => return bad_input(&e),
    };
    let budget = args.max_instructions.unwrap_or(u64::MAX);
    let repeat = args.repeat.max(1);
    let start = Instant::now();
    let mut outcome = match run_once(&exe, &input, budget, &engine) {
        Ok(outcome) => outcome,
        Err(e) => return bad_input(&e),
    };
    for _ in 1..repeat {
        match run_once(&exe, &input, budget, &engine) {
            Ok(next) => outcome = next,
            Err(e) => return bad_input(&e),
        }
    }
    let elapsed = start.elapsed();
    report(&outcome, args, repeat, elapsed)
}

fn report(outcome: &RunOutcome, args: &RunArgs, repeat: u32, elapsed: std::time::Duration) -> u8 {
    let per_run = elapsed / repeat;
    let mips = if per_run.as_nanos() > 0 {
        outcome.instruction_count as f64 / per_run.as_nanos() as f64 * 1e3
    } else {
        0.0
    };
    match (&outcome.result, args.json) {
        (Ok(r0), true) => {
            let timing = if args.repeat > 1 {
                format!(",\"ns_per_run\":{},\"mips\":{mips:.1}", per_run.as_nanos())
            } else {
                String::new()
            };
            println!(
                "{{\"result\":\"ok\",\"r0\":\"{r0:#x}\",\"instructions\":{}{timing}}}",
                outcome.instruction_count
            );
            0
        }
        (Ok(r0), false) => {
            println!("r0 = {r0:#x} ({r0})");
            println!("instructions = {}", outcome.instruction_count);
            if args.repeat > 1 {
                println!("time per run = {per_run:?} ({mips:.1} MIPS over {repeat} runs)");
            }
            0
        }
        (Err(trap), true) => {
            println!(
                "{{\"result\":\"trap\",\"error\":\"{}\",\"pc\":{},\"instructions\":{}}}",
                json_escape(&trap.to_string()),
                trap.pc(),
                outcome.instruction_count
            );
            1
        }
        (Err(trap), false) => {
            println!("trap: {trap}");
            println!("instructions = {}", outcome.instruction_count);
            1
        }
    }
}

/// Escapes a string for a JSON string literal.
fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_bytes_and_json_escaping() {
        assert_eq!(parse_hex_bytes("00 ff 1a"), Ok(vec![0, 0xff, 0x1a]));
        assert!(parse_hex_bytes("0g").is_err());
        assert_eq!(json_escape("a\"b\\c\n"), "a\\\"b\\\\c\\u000a");
    }
}
