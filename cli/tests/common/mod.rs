//! Helpers of the CLI tests: run the tool from the repository root, with a
//! timeout so a hang fails the test instead of blocking it.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root (the tool's paths in tests are relative to it).
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The tool as a command, in the repository root.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ebpfvm"));
    cmd.args(args).current_dir(ROOT);
    cmd
}

/// Runs the tool to completion (at most 60 s).
pub fn ebpfvm(args: &[&str]) -> Output {
    let child = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebpfvm starts");
    wait(child, Duration::from_secs(60))
}

/// Runs the tool with `stdin` as its standard input.
pub fn ebpfvm_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebpfvm starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    wait(child, Duration::from_secs(60))
}

/// Waits for `child` at most `limit`, killing it (and failing) after that.
pub fn wait(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().expect("child status").is_some() {
            return child.wait_with_output().expect("child output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("child output");
            panic!("ebpfvm did not finish within {limit:?}: {out:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch file under the target directory.
pub fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("scratch file written");
    path
}

/// Whether this build of the tool has the JIT on this host.
pub fn jit_available() -> bool {
    cfg!(all(feature = "jit", target_arch = "x86_64", unix))
}
