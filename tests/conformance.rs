//! Data-driven conformance: every `.data` file of the project's own cases
//! (`tests/conformance/`) and, when present, of the public bpf_conformance
//! suite (`../shared/conformance/bpf_conformance/tests`, or the directory in
//! `EBPFVM_CONFORMANCE_DIR`), at ISA v4 with the callx group, on every engine.
//!
//! Prints `run / passed / failed / skipped` per engine and suite. A case listed
//! in `tests/conformance/known-failures.txt` (`<engine> <file> <reason>`) is
//! reported but does not fail the test; an unlisted failure, or a listed case
//! that now passes, does.

use std::collections::BTreeSet;
use std::path::Path;

mod common;

use common::corpus::{data_files, own_cases, shared_suite, shared_suite_is_default};
use ebpfvm::conformance::{parse, run_case, Verdict};
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Config, Engine};

fn known_failures() -> BTreeSet<(String, String)> {
    let path = own_cases().join("known-failures.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
        })
        .collect()
}

/// Runs every file of `dir` on every engine; returns the unexpected outcomes.
fn run_dir(label: &str, dir: &Path, expected_files: Option<usize>) -> Vec<String> {
    let files = data_files(dir);
    if let Some(n) = expected_files {
        assert_eq!(
            files.len(),
            n,
            "{label}: expected {n} .data files in {}",
            dir.display()
        );
    }
    assert!(
        !files.is_empty(),
        "{label}: no .data files in {}",
        dir.display()
    );
    let config = Config {
        version: IsaVersion::V4,
        ..Config::default()
    };
    let known = known_failures();
    let mut problems = Vec::new();
    for &engine in Engine::available() {
        let engine_name = engine.name().to_string();
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for file in &files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(file).expect("readable .data file");
            let verdict = match parse(&text) {
                Ok(case) => run_case(&case, config, engine, 1_000_000),
                Err(e) => Verdict::Skipped(
                    if matches!(e, ebpfvm::conformance::ParseError::UnknownDirective { .. }) {
                        "unknown directive"
                    } else {
                        "malformed file"
                    },
                ),
            };
            let listed = known.contains(&(engine_name.clone(), name.clone()));
            match verdict {
                Verdict::Passed => {
                    passed += 1;
                    if listed {
                        problems.push(format!(
                            "{engine_name} {name}: listed as known failure but passes"
                        ));
                    }
                }
                Verdict::Failed(why) => {
                    failed += 1;
                    println!("FAIL [{label}] {engine_name} {name}: {why}");
                    if !listed {
                        problems.push(format!("{engine_name} {name}: {why}"));
                    }
                }
                Verdict::Skipped(why) => {
                    skipped += 1;
                    println!("SKIP [{label}] {engine_name} {name}: {why}");
                }
            }
        }
        println!(
            "[{label}] {engine_name}: {} run / {passed} passed / {failed} failed / {skipped} skipped",
            passed + failed
        );
    }
    problems
}

#[test]
fn project_cases() {
    let problems = run_dir("project", &own_cases(), None);
    assert!(
        problems.is_empty(),
        "unexpected outcomes:\n{}",
        problems.join("\n")
    );
}

#[test]
fn bpf_conformance_suite() {
    let dir = shared_suite();
    if !dir.is_dir() {
        println!(
            "SKIPPED: bpf_conformance suite not found at {} (set EBPFVM_CONFORMANCE_DIR)",
            dir.display()
        );
        return;
    }
    let expected = shared_suite_is_default().then_some(313);
    let problems = run_dir("bpf_conformance", &dir, expected);
    assert!(
        problems.is_empty(),
        "unexpected outcomes:\n{}",
        problems.join("\n")
    );
}
