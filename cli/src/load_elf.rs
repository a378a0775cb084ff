//! ELF objects for the CLI (feature `elf`).

use std::sync::Arc;

use ebpfvm::error::Error;
use ebpfvm::{Executable, Loader};

use crate::interrupt::RunContext;

/// Loads an ELF object, starting at `entry` or the default entry rule.
pub fn load(
    bytes: &[u8],
    loader: Arc<Loader<RunContext>>,
    entry: Option<&str>,
) -> Result<Executable<RunContext>, Error> {
    match entry {
        Some(name) => Executable::from_elf_with_entry(bytes, loader, name),
        None => Executable::from_elf(bytes, loader),
    }
}
