//! Full parity over the conformance corpus: every case of the project's own
//! `.data` files and of the shared bpf_conformance suite runs through the
//! shared engines helper, which compares result, trap, instruction count,
//! registers, memory and budget between the interpreter and the JIT (the
//! conformance test itself only checks `r0`). Each case also runs with every
//! budget below what it needs when that is small, so metering traps are
//! compared at every point.

#![cfg(feature = "asm")]

mod common;

use std::path::Path;

use common::corpus::{data_files, own_cases, shared_suite};
use common::engines::Engines;
use ebpfvm::conformance::{parse, runtime};
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Budget, Config, Executable};

/// Runs every case of `dir`; returns how many programs ran.
fn run_dir(dir: &Path) -> usize {
    let config = Config {
        version: IsaVersion::V4,
        ..Config::default()
    };
    let mut ran = 0;
    for file in data_files(dir) {
        let text = std::fs::read_to_string(&file).expect("readable .data file");
        let Ok(case) = parse(&text) else { continue };
        let Ok(code) = case.bytecode() else { continue };
        let runtime = runtime::<Budget>(config);
        let Ok(exe) = Executable::from_bytecode(&code, &runtime) else {
            continue;
        };
        let engines = Engines::new(&exe);
        let full = engines.run(&case.mem, 1_000_000);
        if full.instruction_count <= 300 {
            for budget in 0..full.instruction_count {
                engines.run(&case.mem, budget);
            }
        }
        ran += 1;
    }
    ran
}

#[test]
fn project_cases_agree_on_every_engine() {
    assert!(run_dir(&own_cases()) > 0, "no project cases ran");
}

#[test]
fn bpf_conformance_cases_agree_on_every_engine() {
    let dir = shared_suite();
    if !dir.is_dir() {
        println!(
            "SKIPPED: bpf_conformance suite not found at {}",
            dir.display()
        );
        return;
    }
    let ran = run_dir(&dir);
    println!("{ran} bpf_conformance programs agree on every engine");
    assert!(ran >= 300, "only {ran} cases ran");
}
