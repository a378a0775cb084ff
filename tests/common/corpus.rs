//! Where the conformance `.data` files are: the project's own cases, and the
//! public bpf_conformance suite beside the project (or in
//! `EBPFVM_CONFORMANCE_DIR`).

use std::path::{Path, PathBuf};

/// The project's own cases, `tests/conformance/`.
pub fn own_cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// The public suite: `$EBPFVM_CONFORMANCE_DIR`, or
/// `../shared/conformance/bpf_conformance/tests` beside the project.
pub fn shared_suite() -> PathBuf {
    match std::env::var_os("EBPFVM_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/bpf_conformance/tests"),
    }
}

/// Whether the suite directory is the default one (where 313 files are expected).
pub fn shared_suite_is_default() -> bool {
    std::env::var_os("EBPFVM_CONFORMANCE_DIR").is_none()
}

/// The `.data` files of `dir`, sorted; empty if it cannot be read.
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "data"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
