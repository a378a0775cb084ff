//! Runs that must end: the default instruction budget, `--max-instructions
//! 0` with Ctrl-C, and input files refused before they are read.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{command, ebpfvm, scratch, stderr, stdout, wait};

#[test]
fn default_budget_stops_an_infinite_loop() {
    let prog = scratch("forever.s", b"l:\nja l\n");
    let o = ebpfvm(&["run", prog.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains(r#""result":"trap""#), "{out}");
    assert!(out.contains(r#""instructions":1000000"#), "{out}");
    // Overridable.
    let o = ebpfvm(&[
        "run",
        prog.to_str().unwrap(),
        "--max-instructions",
        "7",
        "--json",
    ]);
    assert!(stdout(&o).contains(r#""instructions":7"#), "{}", stdout(&o));
}

/// Sends SIGINT (what Ctrl-C sends) to a running `ebpfvm run` after a delay.
fn interrupt_after(args: &[&str], delay: Duration) -> std::process::Output {
    let child = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebpfvm starts");
    std::thread::sleep(delay);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    wait(child, Duration::from_secs(20))
}

#[test]
fn ctrl_c_stops_an_unlimited_run_with_its_count() {
    // A loop that calls a builtin (5 returns r1): the engine consults the
    // budget after each call, so it stops there and the count is exact.
    let prog = scratch("calls_forever.s", b"l:\ncall 5\nja l\n");
    let mut engines = vec!["interpreter"];
    if common::jit_available() {
        engines.push("jit");
    }
    for engine in engines {
        let args = [
            "run",
            prog.to_str().unwrap(),
            "--max-instructions",
            "0",
            "--engine",
            engine,
            "--json",
        ];
        let o = interrupt_after(&args, Duration::from_millis(500));
        assert_eq!(o.status.code(), Some(130), "{engine}: {o:?}");
        let out = stdout(&o);
        assert!(
            out.starts_with(r#"{"result":"interrupted","pc":"#),
            "{engine}: {out}"
        );
        let count: u64 = out
            .split(r#""instructions":"#)
            .nth(1)
            .and_then(|s| s.trim().trim_end_matches('}').parse().ok())
            .expect("an instruction count");
        assert!(count > 1000, "{engine}: {out}");
        // Stopped right after a call: call, ja, call, ... is odd.
        assert_eq!(count % 2, 1, "{engine}: {out}");
    }
}

#[test]
fn ctrl_c_ends_a_loop_without_builtin_calls() {
    let prog = scratch("tight_forever.s", b"l:\nja l\n");
    let start = Instant::now();
    let args = ["run", prog.to_str().unwrap(), "--max-instructions", "0"];
    let o = interrupt_after(&args, Duration::from_millis(300));
    assert_eq!(o.status.code(), Some(130), "{o:?}");
    assert!(stdout(&o).contains("instruction count is unknown"), "{o:?}");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn oversized_input_is_refused_before_reading() {
    // A sparse file one byte over the 4 GiB input region: refused by its
    // size, at once, with no memory spent on it.
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("huge_input.bin");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len((1 << 32) + 1).unwrap();
    drop(file);
    let start = Instant::now();
    let o = ebpfvm(&[
        "run",
        "examples/asm/checksum.s",
        "--mem",
        path.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(stderr(&o).contains("larger than the input limit"), "{o:?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // A device with no size (endless zeros) is read no further than the limit.
    let o = ebpfvm(&[
        "run",
        "examples/asm/checksum.s",
        "--mem",
        "/dev/zero",
        "--max-input-size",
        "4096",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(
        stdout(&o).starts_with(r#"{"result":"error","stage":"input""#),
        "{o:?}"
    );
    // At the limit is fine.
    let small = scratch("small_input.bin", &[0u8; 20]);
    let o = ebpfvm(&[
        "run",
        "examples/asm/checksum.s",
        "--mem",
        small.to_str().unwrap(),
        "--max-input-size",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}
