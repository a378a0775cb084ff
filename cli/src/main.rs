//! The `ebpfvm` command-line tool: run, assemble, disassemble and verify eBPF
//! programs, and run or serve the bpf_conformance suite.
//!
//! Exit status: 0 on success, 1 when the program trapped (or a conformance
//! case failed), 2 on bad input (unreadable file, assembly or verifier error).

mod engine;
mod host;
mod load;
mod plugin;
mod run;
mod suite;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status for bad input.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "ebpfvm",
    version,
    about = "Run, assemble, disassemble and verify eBPF programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Engine selection on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// The portable interpreter.
    Interpreter,
    /// The x86_64 JIT.
    Jit,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program: assembly (.s/.asm), an ELF object, or raw bytecode.
    Run(run::RunArgs),
    /// Assemble a text file into raw bytecode.
    Asm {
        /// The assembly source.
        input: PathBuf,
        /// Where to write the bytecode (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Disassemble raw bytecode or an ELF object.
    Disasm {
        /// The program.
        program: PathBuf,
        /// ELF: the entry function (default: the documented entry rule).
        #[arg(long)]
        entry: Option<String>,
    },
    /// Verify a program and report the first rule it breaks.
    Verify(load::LoadArgs),
    /// Run bpf_conformance `.data` files (or directories of them).
    Conformance(suite::SuiteArgs),
    /// Act as a bpf_conformance runner plugin (program as hex on stdin).
    ConformancePlugin(plugin::PluginArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Asm { input, output } => load::assemble_file(&input, output.as_deref()),
        Command::Disasm { program, entry } => load::disassemble_file(&program, entry.as_deref()),
        Command::Verify(args) => load::verify_file(&args),
        Command::Conformance(args) => suite::run_suite(&args),
        Command::ConformancePlugin(args) => plugin::serve(&args),
    };
    ExitCode::from(status)
}
