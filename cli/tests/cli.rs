//! The `ebpfvm` tool end to end: outputs, JSON and exit statuses.

mod common;

use std::path::PathBuf;

use common::{ebpfvm, ebpfvm_stdin, jit_available, scratch, stdout};

const IP_HEADER: &str = "45 00 00 1c 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7";

#[test]
fn run_prints_r0_and_count() {
    let o = ebpfvm(&["run", "examples/asm/checksum.s", "--mem-hex", IP_HEADER]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    // RFC 1071 checksum of the header, worked out independently (Python):
    // the 16-bit words sum to 0x24745; folded 0x4747; complemented 0xb8b8.
    assert!(out.contains("r0 = 0xb8b8"), "{out}");
    assert!(out.contains("instructions = 97"), "{out}");
}

#[test]
fn run_json_success_and_trap() {
    let o = ebpfvm(&[
        "run",
        "examples/asm/checksum.s",
        "--mem-hex",
        IP_HEADER,
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).trim(),
        r#"{"result":"ok","r0":"0xb8b8","instructions":97}"#
    );
    let prog = scratch("oob.s", b"ldxdw r0, [r1+4]\nexit\n");
    let o = ebpfvm(&[
        "run",
        prog.to_str().unwrap(),
        "--mem-hex",
        "00 01",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "a trap exits with 1");
    let out = stdout(&o);
    assert!(
        out.starts_with(r#"{"result":"trap","error":"pc 0: access violation"#),
        "{out}"
    );
    assert!(out.contains(r#""pc":0"#), "{out}");
}

#[test]
fn budget_is_enforced() {
    let prog = scratch("loop.s", b"l:\nja l\n");
    let o = ebpfvm(&[
        "run",
        prog.to_str().unwrap(),
        "--max-instructions",
        "50",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(r#""instructions":50"#),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_input_exits_with_3_and_explains() {
    let o = ebpfvm(&["run", "does/not/exist.s"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));

    let prog = scratch("bad.s", b"mov r0, 1\nfrobnicate r1\nexit\n");
    let o = ebpfvm(&["run", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2"));

    let prog = scratch("r10.s", b"mov r10, 1\nexit\n");
    let o = ebpfvm(&["verify", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("r10"));

    let raw = scratch("trunc.bin", &[0x95, 0, 0]);
    let o = ebpfvm(&["run", raw.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a multiple of 8"));
}

#[test]
fn isa_version_is_enforced() {
    let prog = scratch("sdiv.s", b"mov r0, 7\nsdiv r0, 2\nexit\n");
    let p = prog.to_str().unwrap();
    assert_eq!(ebpfvm(&["verify", p, "--isa", "v4"]).status.code(), Some(0));
    let o = ebpfvm(&["verify", p, "--isa", "v3"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs ISA v4"));
}

#[test]
fn asm_then_disasm_round_trips() {
    let bin = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("checksum.bin");
    let o = ebpfvm(&[
        "asm",
        "examples/asm/checksum.s",
        "-o",
        bin.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let code = std::fs::read(&bin).unwrap();
    let o = ebpfvm(&["disasm", "--asm", bin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let listing = scratch("listing.s", &o.stdout);
    let bin2 = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("checksum2.bin");
    ebpfvm(&[
        "asm",
        listing.to_str().unwrap(),
        "-o",
        bin2.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&bin2).unwrap(), code);
    // Raw bytecode runs like the source.
    let o = ebpfvm(&["run", bin.to_str().unwrap(), "--mem-hex", IP_HEADER]);
    assert!(stdout(&o).contains("r0 = 0xb8b8"));
}

/// `ldxb r0, [r1+1]; exit` as the runner writes programs: hex text on stdin.
const PLUGIN_PROGRAM: &str = "71 10 01 00 00 00 00 00 95 00 00 00 00 00 00 00\n";

#[test]
fn conformance_plugin_protocol() {
    let o = ebpfvm_stdin(&["conformance-plugin", "00  2a  "], PLUGIN_PROGRAM);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o).trim(), "2a");
}

/// The exact argv of the official runner with `--plugin_path ebpfvm
/// --plugin_options "conformance-plugin --engine E"`: the memory hex comes
/// first, then the options (README "Conformance").
#[test]
fn conformance_plugin_accepts_the_runner_argv() {
    let mut engines = vec!["interpreter"];
    if jit_available() {
        engines.push("jit");
    }
    for engine in engines {
        let argv = ["00  2a  ", "conformance-plugin", "--engine", engine];
        let o = ebpfvm_stdin(&argv, PLUGIN_PROGRAM);
        assert_eq!(o.status.code(), Some(0), "{engine}: {o:?}");
        assert_eq!(stdout(&o).trim(), "2a", "{engine}");
        // No memory: the runner passes only the options (and r1 is then
        // not readable memory, so the load traps and the plugin says so).
        let o = ebpfvm_stdin(&argv[1..], PLUGIN_PROGRAM);
        assert_eq!(o.status.code(), Some(1), "{engine}: {o:?}");
        assert!(stdout(&o).contains("access violation"), "{}", stdout(&o));
    }
}

#[test]
fn conformance_command_runs_the_project_cases() {
    let o = ebpfvm(&[
        "conformance",
        "tests/conformance",
        "--engine",
        "interpreter",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 failed"));
}

/// The README's main job: the C packet filter on a SYN to an allowed port
/// passes (0); the same SYN to port 23 is dropped as PORT_DENIED (7).
#[test]
#[cfg(feature = "elf")]
fn readme_main_job_packet_filter() {
    let run = |input: &str| {
        ebpfvm(&[
            "run",
            "examples/programs/packet_filter.o",
            "--mem",
            input,
            "--json",
        ])
    };
    let o = run("examples/programs/inputs/tcp_syn_443.bin");
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(stdout(&o).contains(r#""r0":"0x0""#), "{}", stdout(&o));
    let o = run("examples/programs/inputs/tcp_syn_23.bin");
    assert!(stdout(&o).contains(r#""r0":"0x7""#), "{}", stdout(&o));
}

#[test]
fn call_depth_option_bounds_recursion() {
    let prog = scratch("rec.s", b"f:\ncall local f\nexit\n");
    let p = prog.to_str().unwrap();
    let o = ebpfvm(&["run", p, "--max-call-depth", "3", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("call depth limit 3"), "{}", stdout(&o));
    assert!(stdout(&o).contains(r#""instructions":3"#), "{}", stdout(&o));
    assert_eq!(
        ebpfvm(&["run", p, "--max-call-depth", "0"]).status.code(),
        Some(2),
        "a usage error"
    );
}
