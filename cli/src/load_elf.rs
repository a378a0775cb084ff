//! ELF objects for the CLI (feature `elf`).

use ebpfvm::{Budget, Executable, Runtime};

/// Loads an ELF object, starting at `entry` or the default entry rule.
pub fn load<'r>(
    bytes: &[u8],
    runtime: &'r Runtime<Budget>,
    entry: Option<&str>,
) -> Result<Executable<'r, Budget>, String> {
    let result = match entry {
        Some(name) => Executable::from_elf_with_entry(bytes, runtime, name),
        None => Executable::from_elf(bytes, runtime),
    };
    result.map_err(|e| e.to_string())
}
