//! `ebpfvm conformance-plugin`: the bpf_conformance runner's plugin protocol.
//!
//! The runner starts `ebpfvm conformance-plugin [MEM-HEX] [OPTIONS]` with the
//! program as hex text on stdin; the plugin prints `r0` in hex and exits 0, or
//! prints a message and exits non-zero. Use it as
//! `bpf_conformance_runner --plugin_path ebpfvm --plugin_options "conformance-plugin --engine jit" ...`.

use std::io::Read;

use clap::Args;
use ebpfvm::conformance;
use ebpfvm::{Budget, Config, Executable};

use crate::run::{parse_hex_bytes, run_once};
use crate::EngineArg;

/// Options of `ebpfvm conformance-plugin`.
#[derive(Args, Debug)]
pub struct PluginArgs {
    /// The input memory as hex bytes ("00  01  ff  ").
    mem: Option<String>,
    /// Which engine executes the program.
    #[arg(long, value_enum, default_value = "interpreter")]
    engine: EngineArg,
    /// stdin holds an ELF object (function `main`) instead of bytecode.
    #[arg(long)]
    elf: bool,
    /// Instruction budget (default: one million).
    #[arg(long, default_value_t = 1_000_000)]
    max_instructions: u64,
}

/// Serves one plugin request.
pub fn serve(args: &PluginArgs) -> u8 {
    match respond(args) {
        Ok(r0) => {
            println!("{r0:x}");
            0
        }
        Err(message) => {
            println!("{message}");
            1
        }
    }
}

fn respond(args: &PluginArgs) -> Result<u64, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let program = parse_hex_bytes(&text)?;
    let input = match &args.mem {
        Some(hex) => parse_hex_bytes(hex)?,
        None => Vec::new(),
    };
    let config = Config::default();
    let runtime = conformance::runtime::<Budget>(config);
    let exe = if args.elf {
        load_elf(&program, &runtime)?
    } else {
        Executable::from_bytecode(&program, &runtime).map_err(|e| e.to_string())?
    };
    let engine = crate::engine::prepare(&exe, args.engine)?;
    run_once(&exe, &input, args.max_instructions, &engine)?
        .result
        .map_err(|trap| trap.to_string())
}

#[cfg(feature = "elf")]
fn load_elf<'r>(
    bytes: &[u8],
    runtime: &'r ebpfvm::Runtime<Budget>,
) -> Result<Executable<'r, Budget>, String> {
    Executable::from_elf_with_entry(bytes, runtime, "main").map_err(|e| e.to_string())
}

#[cfg(not(feature = "elf"))]
fn load_elf<'r>(
    _: &[u8],
    _: &'r ebpfvm::Runtime<Budget>,
) -> Result<Executable<'r, Budget>, String> {
    Err("ELF objects need the `elf` feature".into())
}
