//! The official bpf_conformance runner's side of the plugin protocol,
//! replayed against `ebpfvm conformance-plugin` over the shared suite: for
//! each `.data` file, the exact argv the runner builds from the README's
//! command (`--plugin_options "conformance-plugin --engine E"`: memory hex
//! first, then the options split on spaces), the program as hex text on
//! stdin, and the runner's comparison of the printed `r0`. All 313 cases
//! must pass on every engine. Skipped, visibly, when `../shared` is absent.

mod common;

use std::path::PathBuf;

use common::{ebpfvm_stdin, jit_available, stdout};
use ebpfvm::conformance::{parse, Expected};

/// The runner's hex text: two lowercase digits and two spaces per byte.
fn runner_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}  ")).collect()
}

#[test]
fn official_runner_protocol_passes_the_shared_suite() {
    let dir = match std::env::var_os("EBPFVM_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(common::ROOT).join("../shared/conformance/bpf_conformance/tests"),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "SKIPPED: bpf_conformance suite not found at {} (set EBPFVM_CONFORMANCE_DIR)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "data"))
        .collect();
    files.sort();
    let mut engines = vec!["interpreter"];
    if jit_available() {
        engines.push("jit");
    }
    let plugin_options = |engine: &str| format!("conformance-plugin --engine {engine}");
    for engine in engines {
        let options = plugin_options(engine);
        let (mut run, mut passed, mut problems) = (0, 0, Vec::new());
        for file in &files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(file).unwrap();
            let Ok(case) = parse(&text) else { continue };
            let Some(expected) = case.expected.clone() else {
                continue;
            };
            if !case.has_program() {
                continue;
            }
            let code = case.bytecode().expect("suite programs assemble");
            let mem = runner_hex(&case.mem);
            let mut argv: Vec<&str> = Vec::new();
            if !case.mem.is_empty() {
                argv.push(&mem);
            }
            argv.extend(options.split(' '));
            run += 1;
            let o = ebpfvm_stdin(&argv, &format!("{}\n", runner_hex(&code)));
            let out = stdout(&o);
            let ok = match expected {
                Expected::Result(want) => {
                    let got = u64::from_str_radix(out.trim().trim_start_matches("0x"), 16);
                    o.status.success() && got == Ok(want)
                }
                Expected::Error(_) => !o.status.success(),
            };
            if ok {
                passed += 1;
            } else {
                problems.push(format!("{name}: {:?} {out}", o.status.code()));
            }
        }
        println!("runner protocol, {engine}: {passed}/{run} passed");
        assert!(problems.is_empty(), "{engine}:\n{}", problems.join("\n"));
        if std::env::var_os("EBPFVM_CONFORMANCE_DIR").is_none() {
            assert_eq!(run, 313, "{engine}: the suite has 313 cases");
        }
    }
}
