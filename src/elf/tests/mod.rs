//! Unit tests of the ELF loader on objects written by [`builder`]: what each
//! relocation and rule produces (`loading`), and one test per error class
//! (`errors`). The example objects compiled by clang are exercised by
//! `tests/elf_programs.rs` and `tests/elf_robustness.rs`.

mod builder;
mod errors;
mod loading;

use builder::{exit, mov64, Built, ObjectBuilder};

use crate::builtins::BuiltinRegistry;
use crate::error::{BuiltinError, ElfError};
use crate::memory::MemoryMapping;
use crate::program::ProgramImage;

/// The builtin id of `trace`, the one builtin the test registry holds.
const TRACE_ID: u32 = 7;

fn trace(_: &mut (), _: &mut MemoryMapping<'_>, args: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(args[0])
}

fn registry() -> BuiltinRegistry<()> {
    let mut registry = BuiltinRegistry::new();
    registry.register(TRACE_ID, "trace", trace).unwrap();
    registry
}

fn load(built: &Built) -> Result<ProgramImage, ElfError> {
    super::load(&built.bytes, &registry(), None)
}

fn load_entry(built: &Built, entry: &str) -> Result<ProgramImage, ElfError> {
    super::load(&built.bytes, &registry(), Some(entry))
}

/// The smallest useful object: section `prog` holding `mov r0, 1; exit`,
/// the global function `start` at its beginning. Returns the builder and
/// the section's index.
fn minimal() -> (ObjectBuilder, usize) {
    let mut b = ObjectBuilder::new();
    let prog = b.code("prog", &[mov64(0, 1), exit()]);
    b.func("start", prog, 0);
    (b, prog)
}

/// The 8-byte slot `pc` of an image's bytecode.
fn slot(image: &ProgramImage, pc: usize) -> [u8; 8] {
    image.ro_section[pc * 8..pc * 8 + 8].try_into().unwrap()
}

/// The 64-bit immediate of the `lddw` at `pc`.
fn lddw_value(image: &ProgramImage, pc: usize) -> u64 {
    let lo = u32::from_le_bytes(slot(image, pc)[4..8].try_into().unwrap());
    let hi = u32::from_le_bytes(slot(image, pc + 1)[4..8].try_into().unwrap());
    (u64::from(hi) << 32) | u64::from(lo)
}

/// A `call` slot's source field and immediate.
fn call_fields(image: &ProgramImage, pc: usize) -> (u8, i32) {
    let s = slot(image, pc);
    (s[1] >> 4, i32::from_le_bytes(s[4..8].try_into().unwrap()))
}

#[test]
fn minimal_object_loads() {
    let (b, _) = minimal();
    let image = load(&b.build()).unwrap();
    assert_eq!(image.text_len, 16);
    assert_eq!(image.entry_pc, 0);
    assert_eq!(image.functions.len(), 1);
    assert_eq!(image.functions[0].name, "start");
}
