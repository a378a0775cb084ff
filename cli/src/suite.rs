//! `ebpfvm conformance`: runs bpf_conformance `.data` files on one or all
//! engines and prints `run / passed / failed / skipped` per engine.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use ebpfvm::conformance::{parse, run_case, Verdict};
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Config, Engine};

use crate::report::{array, Failure, Json, Stage, EXIT_OK, EXIT_TRAP};

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

/// The `.data` files `paths` name; a path that does not exist, or a
/// selection with no case at all, is an error (never a green run of nothing).
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let cannot = |path: &Path, e: std::io::Error| {
        Failure::new(Stage::Read, format!("cannot read {}: {e}", path.display()))
    };
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| cannot(path, e))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| cannot(path, e))?;
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
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::new(
            Stage::Read,
            format!("no .data files in {}", names.join(", ")),
        ));
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
pub fn run_suite(args: &SuiteArgs, json: bool) -> Result<u8, Failure> {
    let files = collect(&args.paths)?;
    let mut summaries = Vec::new();
    let mut failures = Vec::new();
    let config = Config {
        version: IsaVersion::V4,
        ..Config::default()
    };
    let mut any_failed = false;
    for engine in engines(args.engine) {
        let (mut passed, mut failed, mut skipped) = (0u64, 0u64, 0u64);
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
                    if args.verbose && !json {
                        println!("PASS {engine:?} {name}");
                    }
                }
                Verdict::Failed(why) => {
                    failed += 1;
                    if json {
                        failures.push(
                            Json::new()
                                .str("engine", &format!("{engine:?}"))
                                .str("case", &name)
                                .str("message", &why.to_string())
                                .finish(),
                        );
                    } else {
                        println!("FAIL {engine:?} {name}: {why}");
                    }
                }
                Verdict::Skipped(why) => {
                    skipped += 1;
                    if !json {
                        println!("SKIP {engine:?} {name}: {why}");
                    }
                }
            }
        }
        if json {
            summaries.push(
                Json::new()
                    .str("engine", &format!("{engine:?}"))
                    .num("run", passed + failed)
                    .num("passed", passed)
                    .num("failed", failed)
                    .num("skipped", skipped)
                    .finish(),
            );
        } else {
            println!(
                "{engine:?}: {} run, {passed} passed, {failed} failed, {skipped} skipped",
                passed + failed
            );
        }
        any_failed |= failed > 0;
    }
    if json {
        let result = if any_failed { "failed" } else { "ok" };
        println!(
            "{}",
            Json::new()
                .str("result", result)
                .raw("engines", &array(summaries))
                .raw("failures", &array(failures))
                .finish()
        );
    }
    Ok(if any_failed { EXIT_TRAP } else { EXIT_OK })
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
