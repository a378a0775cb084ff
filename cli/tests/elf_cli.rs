//! `ebpfvm` on the example ELF objects: `run` with `--mem` and `--entry`,
//! `disasm` with function names, and load errors with exit status 3.

mod common;

use std::path::PathBuf;

use common::ebpfvm;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_elf_with_memory_file() {
    // RFC 1071 section 3's example: sum 0xddf2, checksum 0x220d.
    let mem = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rfc1071.bin");
    std::fs::write(&mem, [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]).unwrap();
    let o = ebpfvm(&[
        "run",
        "examples/programs/checksum.o",
        "--mem",
        mem.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(text(&o.stdout).contains("r0 = 0x220d"), "{o:?}");
}

#[test]
fn run_elf_default_and_named_entry() {
    // Default entry `fibonacci`: fib(7) = 13, 8 frames deep (the tool's
    // default call depth); fib(8) is one frame too deep.
    let o = ebpfvm(&["run", "examples/programs/recursion.o", "--mem-hex", "07"]);
    assert!(text(&o.stdout).contains("r0 = 0xd"), "{o:?}");
    let o = ebpfvm(&["run", "examples/programs/recursion.o", "--mem-hex", "08"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        text(&o.stdout).contains("call depth limit 8 exceeded"),
        "{o:?}"
    );
    // Ackermann A(1, 3) = 3 + 2.
    let o = ebpfvm(&[
        "run",
        "examples/programs/recursion.o",
        "--entry",
        "ackermann",
        "--mem-hex",
        "01 03",
        "--json",
    ]);
    assert!(text(&o.stdout).contains(r#""r0":"0x5""#), "{o:?}");
}

#[test]
fn elf_load_errors_exit_with_status_3() {
    let o = ebpfvm(&["run", "examples/programs/recursion.o", "--entry", "nope"]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(
        text(&o.stderr).contains("no function named `nope`"),
        "{o:?}"
    );
    // The tool has no builtin called `fnv1a_step`.
    let o = ebpfvm(&["run", "examples/programs/helpers.o"]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(
        text(&o.stderr).contains("undefined symbol `fnv1a_step`"),
        "{o:?}"
    );
}

#[test]
fn disasm_elf_shows_function_names_and_labels() {
    let o = ebpfvm(&["disasm", "examples/programs/strings.o"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let listing = text(&o.stdout);
    for line in [
        "run_command:",
        "cmd_upper:",
        "str_len:",
        "call local word_is",
        "call r",
    ] {
        assert!(listing.contains(line), "no `{line}` in\n{listing}");
    }
    assert!(listing.lines().any(|l| l.starts_with("lbb_")), "{listing}");
}
