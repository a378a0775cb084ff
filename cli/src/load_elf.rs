//! ELF objects for the CLI (feature `elf`).

use ebpfvm::error::Error;
use ebpfvm::{Executable, Runtime};

use crate::interrupt::RunContext;

/// Loads an ELF object, starting at `entry` or the default entry rule.
pub fn load<'r>(
    bytes: &[u8],
    runtime: &'r Runtime<RunContext>,
    entry: Option<&str>,
) -> Result<Executable<'r, RunContext>, Error> {
    match entry {
        Some(name) => Executable::from_elf_with_entry(bytes, runtime, name),
        None => Executable::from_elf(bytes, runtime),
    }
}
