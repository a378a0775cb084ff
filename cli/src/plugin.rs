//! `ebpfvm conformance-plugin`: the bpf_conformance runner's plugin protocol.
//!
//! The official runner starts `<plugin_path> [MEM-HEX] <plugin_options...>
//! [--elf]` with the program as hex text on stdin, so used as
//! `bpf_conformance_runner --plugin_path ebpfvm --plugin_options
//! "conformance-plugin --engine jit" ...` the tool sees
//! `ebpfvm "00  2a  " conformance-plugin --engine jit`: the memory comes
//! *before* the subcommand. [`normalize_argv`] moves it behind. The plugin
//! prints `r0` in hex and exits 0, or prints a message and exits 1.

use std::ffi::OsString;
use std::io::Read;

use clap::Args;
use ebpfvm::conformance;
use ebpfvm::{Budget, Config, Executable};

use crate::load::parse_hex_bytes;
use crate::run::run_once;
use crate::EngineArg;

/// The subcommand's name.
pub const NAME: &str = "conformance-plugin";

/// Options of `ebpfvm conformance-plugin`.
#[derive(Args, Debug)]
pub struct PluginArgs {
    /// The input memory as hex bytes ("00  01  ff  "); the runner puts it
    /// before the subcommand, which is accepted too.
    mem: Option<String>,
    /// The input memory as hex bytes (same as the positional MEM).
    #[arg(long, conflicts_with = "mem")]
    mem_hex: Option<String>,
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

/// Rewrites the runner's `ebpfvm MEM-HEX conformance-plugin OPTIONS...` to
/// `ebpfvm conformance-plugin --mem-hex MEM-HEX OPTIONS...`; any other
/// command line is returned unchanged.
pub fn normalize_argv(mut argv: Vec<OsString>) -> Vec<OsString> {
    let is_hex = |s: &OsString| {
        s.to_str().is_some_and(|s| {
            !s.trim().is_empty() && parse_hex_bytes(s).is_ok() && !s.starts_with('-')
        })
    };
    if argv.len() >= 3 && argv[2] == NAME && is_hex(&argv[1]) {
        let mem = argv.remove(1);
        argv.splice(2..2, [OsString::from("--mem-hex"), mem]);
    }
    argv
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
    let input = match args.mem.as_ref().or(args.mem_hex.as_ref()) {
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
    let engine = crate::engine::prepare(&exe, args.engine).map_err(|f| f.message)?;
    let mut budget = Budget::new(args.max_instructions);
    run_once(&exe, &input, &mut budget, &engine)
        .map_err(|f| f.message)?
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
    Err("ELF objects need the `elf` feature of ebpfvm-cli".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn runner_order_is_normalized() {
        assert_eq!(
            normalize_argv(argv(&[
                "ebpfvm", "00  2a  ", NAME, "--engine", "jit", "--elf"
            ])),
            argv(&[
                "ebpfvm",
                NAME,
                "--mem-hex",
                "00  2a  ",
                "--engine",
                "jit",
                "--elf"
            ])
        );
        // Without memory the runner passes only the options.
        let plain = argv(&["ebpfvm", NAME, "--engine", "jit"]);
        assert_eq!(normalize_argv(plain.clone()), plain);
        // Other commands are left alone, including a subcommand named like hex.
        let run = argv(&["ebpfvm", "run", "x.s"]);
        assert_eq!(normalize_argv(run.clone()), run);
        let odd = argv(&["ebpfvm", "cfg", NAME]);
        assert_eq!(normalize_argv(odd.clone()), odd);
    }
}
