//! `disasm` lists any bytecode; `cfg` shows blocks, functions and loops as
//! text, JSON and DOT, and draws them with Graphviz.

mod common;

use common::{command, ebpfvm, scratch, stderr, stdout};

#[test]
fn disasm_lists_bytecode_that_does_not_verify() {
    // mov r10, 1 (writes r10), an unknown opcode 0xff, call 6, exit.
    let mut code = vec![0xb7, 0x0a, 0, 0, 1, 0, 0, 0];
    code.extend([0xff, 0, 0, 0, 0, 0, 0, 0]);
    code.extend([0x85, 0, 0, 0, 6, 0, 0, 0]);
    code.extend([0x95, 0, 0, 0, 0, 0, 0, 0]);
    let raw = scratch("unverifiable.bin", &code);
    assert_eq!(
        ebpfvm(&["verify", raw.to_str().unwrap()]).status.code(),
        Some(3)
    );
    let o = ebpfvm(&["disasm", raw.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains("    0  mov r10, 1"), "{out}");
    assert!(
        out.contains("    1  <invalid> ff 00 00 00 00 00 00 00"),
        "{out}"
    );
    assert!(out.contains("bpf_trace_printk"), "{out}");
    assert!(out.contains("    3  exit"), "{out}");
    let o = ebpfvm(&["disasm", raw.to_str().unwrap(), "--json"]);
    let out = stdout(&o);
    assert!(
        out.starts_with(
            r#"{"result":"ok","invalid":1,"lines":[{"pc":0,"kind":"instruction","text":"mov r10, 1"}"#
        ),
        "{out}"
    );
    // The reassemblable form refuses what it cannot write back.
    let o = ebpfvm(&["disasm", "--asm", raw.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(stderr(&o).contains("pc 1"), "{o:?}");
}

#[test]
#[cfg(feature = "elf")]
fn disasm_shows_labels_and_elf_function_names() {
    let o = ebpfvm(&["disasm", "examples/programs/strings.o"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains("\nstr_len:\n"), "{out}");
    assert!(out.contains("call local str_len"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("lbb_")), "{out}");
}

const LOOP: &[u8] =
    b"mov r0, 0\nloop:\nadd r0, 1\njlt r0, 10, loop\ncall local f\nexit\nf:\nmov r0, 2\nexit\n";

#[test]
fn cfg_reports_blocks_functions_and_loops() {
    let prog = scratch("cfg_loop.s", LOOP);
    let o = ebpfvm(&["cfg", prog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains("function fn_0 (pc 0): 3 blocks"), "{out}");
    assert!(
        out.contains("b1: pc 1..2 (2 instructions) -> b2 (fallthrough), b1 (taken, back)"),
        "{out}"
    );
    assert!(
        out.contains("loop: header b1 (pc 1), back edges from b1, body b1"),
        "{out}"
    );
    assert!(out.contains("calls fn_5 (pc 5)"), "{out}");
    assert!(out.contains("function fn_5 (pc 5): 1 blocks"), "{out}");
    assert!(out.contains("2 functions, 4 blocks, 1 loops"), "{out}");
    let o = ebpfvm(&["cfg", prog.to_str().unwrap(), "--json"]);
    let out = stdout(&o);
    assert!(
        out.contains(r#""loops":[{"function":0,"header":1,"latches":[1],"body":[1]}]"#),
        "{out}"
    );
}

#[test]
fn cfg_dot_and_rendering() {
    let prog = scratch("cfg_dot.s", LOOP);
    let p = prog.to_str().unwrap();
    let o = ebpfvm(&["cfg", p, "--format", "dot"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let dot = stdout(&o);
    assert!(dot.starts_with("digraph cfg {"), "{dot}");
    assert!(dot.contains("b1 -> b1 [color=red, style=bold"), "{dot}");
    assert!(dot.contains("add r0, 1"), "{dot}");
    let dot_file = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cfg.dot");
    let o = ebpfvm(&["cfg", p, "-o", dot_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(std::fs::read_to_string(&dot_file).unwrap(), dot);

    let svg = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cfg.svg");
    let have_dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if have_dot {
        let o = ebpfvm(&["cfg", p, "-o", svg.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            text.contains("<svg") && text.contains("add r0, 1"),
            "{text}"
        );
    } else {
        println!("SKIPPED: Graphviz `dot` is not installed; SVG rendering not tested");
    }
    // Without a renderer: a clear error and exit status 4.
    let o = command(&["cfg", p, "-o", svg.to_str().unwrap()])
        .env("EBPFVM_DOT", "/nonexistent/dot")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    assert!(stderr(&o).contains("cannot run Graphviz"), "{o:?}");
    let o = ebpfvm(&["cfg", p, "-o", "graph.jpeg"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

#[test]
#[cfg(feature = "elf")]
fn disasm_lists_an_object_that_does_not_load() {
    // helpers.o calls `fnv1a_step`, which the tool does not have: `run`
    // refuses it, `disasm` and `cfg` still show it, naming the symbol.
    assert_eq!(
        ebpfvm(&["run", "examples/programs/helpers.o"])
            .status
            .code(),
        Some(3)
    );
    let o = ebpfvm(&["disasm", "examples/programs/helpers.o"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    assert!(
        out.contains("; fnv1a_step (undefined: not a builtin of this tool)"),
        "{out}"
    );
    assert!(
        out.contains("call 1") && out.contains("; unknown helper"),
        "{out}"
    );
    let o = ebpfvm(&["cfg", "examples/programs/helpers.o"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        stdout(&o).contains("calls builtin 0xfff00000 fnv1a_step"),
        "{}",
        stdout(&o)
    );
}
