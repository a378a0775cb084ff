//! The `ebpfvm` command-line tool: run, assemble, disassemble, verify and
//! analyse eBPF programs, and run or serve the bpf_conformance suite.
//!
//! Exit status (also in `--help` and the README): 0 success; 1 the program
//! trapped (or ran out of budget) or a conformance case failed; 2 usage
//! error; 3 the program or its input was rejected (unreadable, assembly,
//! ELF, verifier or JIT error, input too large); 4 output could not be
//! produced (file not writable, Graphviz missing); 130 interrupted (Ctrl-C).

mod cfg;
mod disasm;
mod engine;
mod host;
mod interrupt;
mod load;
mod plugin;
mod program;
mod report;
mod run;
mod suite;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use report::{finish, Failure, Stage};

const AFTER_HELP: &str = "\
Exit status:
  0    success
  1    the program trapped (a fault, or the instruction budget ran out),
       or a conformance case failed
  2    usage error
  3    the program or its input was rejected (unreadable file, assembly,
       ELF, verifier or JIT error, input larger than --max-input-size)
  4    output could not be produced (file not writable, Graphviz missing)
  130  interrupted (Ctrl-C)

With --json every command prints one JSON object on stdout, failures too:
  {\"result\":\"error\",\"stage\":\"verify\",\"pc\":3,\"message\":\"...\"}";

#[derive(Parser)]
#[command(
    name = "ebpfvm",
    version,
    about = "Run, assemble, disassemble, verify and analyse eBPF programs",
    after_help = AFTER_HELP
)]
struct Cli {
    /// Print one JSON object on one line (results and failures).
    #[arg(long, global = true)]
    json: bool,
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
    /// List any bytecode, verified or not: pc, labels, function and helper
    /// names; invalid instructions are marked.
    Disasm {
        /// The program.
        program: PathBuf,
        /// ELF: the entry function (default: the documented entry rule).
        #[arg(long)]
        entry: Option<String>,
        /// Print assembler input instead (assembles back to the same bytes;
        /// refuses instructions that do not decode).
        #[arg(long)]
        asm: bool,
    },
    /// Verify a program and report the first rule it breaks.
    Verify(load::LoadArgs),
    /// Control-flow graph: basic blocks, functions, loops; text, JSON or
    /// Graphviz DOT, or drawn to SVG/PNG.
    Cfg(cfg::CfgArgs),
    /// Run bpf_conformance `.data` files (or directories of them).
    Conformance(suite::SuiteArgs),
    /// Act as a bpf_conformance runner plugin (program as hex on stdin).
    ConformancePlugin(plugin::PluginArgs),
}

fn main() -> ExitCode {
    let argv = plugin::normalize_argv(std::env::args_os().collect());
    let json = argv.iter().any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            let message = e.to_string();
            let first = message
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            return ExitCode::from(Failure::new(Stage::Usage, first).report(true));
        }
        Err(e) => e.exit(),
    };
    let json = cli.json;
    let status = match cli.command {
        Command::Run(args) => finish(run::run(&args, json), json),
        Command::Asm { input, output } => {
            finish(load::assemble_file(&input, output.as_deref(), json), json)
        }
        Command::Disasm {
            program,
            entry,
            asm,
        } => finish(
            disasm::disassemble_file(&program, entry.as_deref(), asm, json),
            json,
        ),
        Command::Verify(args) => finish(load::verify_file(&args, json), json),
        Command::Cfg(args) => finish(cfg::cfg_command(&args, json), json),
        Command::Conformance(args) => finish(suite::run_suite(&args, json), json),
        Command::ConformancePlugin(args) => plugin::serve(&args),
    };
    ExitCode::from(status)
}
