//! ELF objects for the CLI (feature `elf`).

use std::sync::Arc;

use ebpfvm::{Budget, Executable, Loader};

/// Loads an ELF object, starting at `entry` or the default entry rule.
pub fn load(
    bytes: &[u8],
    loader: Arc<Loader<Budget>>,
    entry: Option<&str>,
) -> Result<Executable<Budget>, String> {
    let result = match entry {
        Some(name) => Executable::from_elf_with_entry(bytes, loader, name),
        None => Executable::from_elf(bytes, loader),
    };
    result.map_err(|e| e.to_string())
}
