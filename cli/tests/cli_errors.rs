//! Every failure names what it rejects, has a JSON form and a documented
//! exit status (0 ok, 1 trap, 2 usage, 3 rejected input, 4 output).

mod common;

use common::{ebpfvm, scratch, stderr, stdout};

#[test]
fn assembler_names_the_unknown_mnemonic() {
    let prog = scratch("unknown_mnemonic.s", b"mov r0, 1\nfrobnicate r1\nexit\n");
    let o = ebpfvm(&["run", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("line 2: unknown mnemonic `frobnicate`"),
        "{o:?}"
    );
    let o = ebpfvm(&["asm", prog.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(
        out.starts_with(r#"{"result":"error","stage":"assemble","line":2,"message":"#),
        "{out}"
    );
    assert!(out.contains("frobnicate"), "{out}");
}

#[test]
fn missing_builtin_names_its_id_and_the_registered_ones() {
    let prog = scratch("call7.s", b"call 7\nexit\n");
    let o = ebpfvm(&["verify", prog.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(
        out.starts_with(r#"{"result":"error","stage":"verify","pc":0,"#),
        "{out}"
    );
    assert!(out.contains("unregistered builtin 7"), "{out}");
    assert!(out.contains("0x6 bpf_trace_printk"), "{out}");
}

#[test]
fn verifier_errors_carry_the_pc_in_json() {
    let prog = scratch("r10_at_2.s", b"mov r0, 0\nmov r1, 1\nmov r10, 1\nexit\n");
    let o = ebpfvm(&["--json", "verify", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(
        out.starts_with(r#"{"result":"error","stage":"verify","pc":2,"#),
        "{out}"
    );
    // callx r10 is rejected too.
    let prog = scratch("callx_r10.s", b"callx r10\nexit\n");
    let o = ebpfvm(&["verify", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(stderr(&o).contains("callx r10"), "{o:?}");
    // An unreachable last instruction that is not exit/ja: said as such.
    let prog = scratch("dead_end.s", b"exit\nmov r0, 1\n");
    let o = ebpfvm(&["verify", prog.to_str().unwrap()]);
    assert!(stderr(&o).contains("unreachable"), "{o:?}");
    assert!(!stderr(&o).contains("run past"), "{o:?}");
}

#[test]
fn every_command_fails_in_json() {
    for args in [
        &["run", "no/such.s", "--json"][..],
        &["verify", "no/such.s", "--json"],
        &["disasm", "no/such.s", "--json"],
        &["cfg", "no/such.s", "--json"],
        &["asm", "no/such.s", "--json"],
        &["conformance", "no/such/dir", "--json"],
    ] {
        let o = ebpfvm(args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {o:?}");
        let out = stdout(&o);
        assert!(
            out.starts_with(r#"{"result":"error","stage":"read","message":"cannot read no/such"#),
            "{args:?}: {out}"
        );
        assert!(
            out.trim_end().ends_with('}') && out.lines().count() == 1,
            "{out}"
        );
    }
}

#[test]
fn usage_errors_exit_2_also_in_json() {
    let o = ebpfvm(&["run"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ebpfvm(&["run", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).starts_with(r#"{"result":"error","stage":"usage","message":"#),
        "{o:?}"
    );
    let o = ebpfvm(&["frobnicate", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    // --help documents the exit statuses and the JSON error shape.
    let o = ebpfvm(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for line in ["Exit status:", "130", r#""stage":"verify""#] {
        assert!(help.contains(line), "{help}");
    }
}

#[test]
fn conformance_on_a_missing_or_empty_path_fails() {
    let o = ebpfvm(&["conformance", "no/such/dir"]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(stderr(&o).contains("cannot read no/such/dir"), "{o:?}");
    let empty = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no_cases");
    std::fs::create_dir_all(&empty).unwrap();
    let o = ebpfvm(&["conformance", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(stderr(&o).contains("no .data files"), "{o:?}");
    let o = ebpfvm(&[
        "conformance",
        "tests/conformance",
        "--engine",
        "interpreter",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        stdout(&o).starts_with(r#"{"result":"ok","engines":[{"engine":"Interpreter","run":"#),
        "{o:?}"
    );
}

#[test]
#[cfg(feature = "elf")]
fn elf_errors_name_the_section() {
    let o = ebpfvm(&["run", "examples/programs/helpers.o", "--json"]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    let out = stdout(&o);
    assert!(
        out.starts_with(r#"{"result":"error","stage":"load","#),
        "{out}"
    );
    assert!(out.contains("undefined symbol `fnv1a_step`"), "{out}");
    assert!(out.contains("(section 3 is `socket`)"), "{out}");
}

#[test]
fn output_failures_exit_4() {
    let o = ebpfvm(&[
        "asm",
        "examples/asm/checksum.s",
        "-o",
        "/nonexistent-dir/x.bin",
    ]);
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    assert!(stderr(&o).contains("cannot write"), "{o:?}");
}
