//! `ebpfvm conformance`: runs bpf_conformance `.data` files on one or all
//! engines and prints `run / passed / failed / skipped` per engine.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use ebpfvm::conformance::{parse, run_case, Verdict};
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Config, Engine};

use crate::load::bad_input;

/// Which engines to run the suite on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SuiteEngine {
    /// The interpreter only.
    Interpreter,
    /// The JIT only.
    Jit,
    /// Every engine this build has.
    All,
}

/// Options of `ebpfvm conformance`.
#[derive(Args, Debug)]
pub struct SuiteArgs {
    /// `.data` files, or directories holding them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Which engines to run.
    #[arg(long, value_enum, default_value = "all")]
    engine: SuiteEngine,
    /// Print every case, not just failures.
    #[arg(short, long)]
    verbose: bool,
}

fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "data") {
                    files.push(p);
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    Ok(files)
}

fn engines(choice: SuiteEngine) -> Vec<Engine> {
    match choice {
        SuiteEngine::Interpreter => vec![Engine::Interpreter],
        SuiteEngine::Jit => vec![Engine::Jit],
        SuiteEngine::All => Engine::available().to_vec(),
    }
}

/// `ebpfvm conformance`.
pub fn run_suite(args: &SuiteArgs) -> u8 {
    let files = match collect(&args.paths) {
        Ok(files) => files,
        Err(e) => return bad_input(&e),
    };
    let config = Config {
        version: IsaVersion::V4,
        ..Config::default()
    };
    let mut any_failed = false;
    for engine in engines(args.engine) {
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for file in &files {
            let verdict = match std::fs::read_to_string(file) {
                Ok(text) => match parse(&text) {
                    Ok(case) => run_case(&case, config, engine, 1_000_000),
                    Err(_) => Verdict::Skipped("unknown directive"),
                },
                Err(_) => Verdict::Skipped("unreadable"),
            };
            let name = display_name(file);
            match verdict {
                Verdict::Passed => {
                    passed += 1;
                    if args.verbose {
                        println!("PASS {engine:?} {name}");
                    }
                }
                Verdict::Failed(why) => {
                    failed += 1;
                    println!("FAIL {engine:?} {name}: {why}");
                }
                Verdict::Skipped(why) => {
                    skipped += 1;
                    println!("SKIP {engine:?} {name}: {why}");
                }
            }
        }
        println!(
            "{engine:?}: {} run, {passed} passed, {failed} failed, {skipped} skipped",
            passed + failed
        );
        any_failed |= failed > 0;
    }
    u8::from(any_failed)
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
