//! The ELF loader (feature `elf`): turns a BPF object as `clang -target bpf
//! -c` produces it into a [`ProgramImage`] and an [`Executable`].
//!
//! Works without `std` (goblin with `alloc` only), so firmware can load
//! objects too. Every malformed input is reported as an [`ElfError`] naming
//! the cause; nothing in the loader panics on bad input.
//!
//! # Supported objects
//!
//! - **Relocatable objects** (`ET_REL`), 64-bit little-endian, `EM_BPF`: the
//!   output of `clang -target bpf -O2 -mcpu=v1..v4 -c`, and of tools that link
//!   several translation units into one relocatable object (`llvm-link` of
//!   bitcode followed by `llc -filetype=obj`, which is what `bpf-linker`
//!   does).
//! - **Not supported**: linked executables and shared objects (`ET_EXEC`,
//!   `ET_DYN`; upstream `ld.lld` does not link BPF, and Solana-style `.so`
//!   files use other conventions), big-endian (`bpfeb`) objects, `SHT_RELA`
//!   relocation tables and BTF-based relocations (CO-RE).
//!
//! # Maps
//!
//! `SEC(".maps")` and `SEC("maps")` definitions are read by [`maps()`] into
//! map definitions the host creates as a [`crate::maps::MapSet`]
//! ([`ObjectMaps::create`]); an `lddw` of a map loads its handle. See
//! [`maps`](mod@maps) for the details and the treatment of globals.
//!
//! # Sections and regions
//!
//! All code sections (`.text` and program sections such as `xdp`, `socket`
//! or `classifier/ingress`) are concatenated, in section-header order, into
//! one bytecode at offset 0 of the read-only image mapped at
//! [`MM_PROGRAM_START`]; read-only data
//! (`.rodata*`, string literals) follows it. Writable data (`.data*`, and
//! `.bss` zero-filled) forms the data template (see
//! [`Executable::data_template`]) that the host maps at
//! [`MM_DATA_START`](crate::memory::MM_DATA_START). Everything not
//! `SHF_ALLOC` (BTF, debug info, tables) is not loaded. Each image is at most
//! [`MAX_REGION_SIZE`] bytes.
//!
//! # Relocations
//!
//! `R_BPF_64_64` (`lddw` of data, read-only data or function addresses),
//! `R_BPF_64_ABS64` / `R_BPF_64_ABS32` (pointers in data), `R_BPF_64_32`
//! (calls: to a function of the object they become `call local`; to an
//! undefined symbol they become `call id` of the loader's builtin of that
//! name), `R_BPF_64_NODYLD32` and `R_BPF_NONE` (nothing to do). Any other
//! type is an error. The full table is in [`relocate`]'s documentation.
//!
//! # Functions and the entry point
//!
//! Function symbols become [`Executable::function_names`] (for disassembly
//! and [`Executable::function_by_name`]) and valid `callx` targets. The entry
//! point is chosen by name with [`Executable::from_elf_with_entry`], or by
//! this rule: the function `entrypoint`; else `main`; else the global
//! function with the lowest address in the first program section (a code
//! section other than `.text`, in section-header order) that has one; else
//! the first global function in `.text`.

mod btf;
mod error;
mod layout;
pub mod maps;
mod object;
pub mod relocate;
mod symbols;

#[cfg(test)]
mod tests;

use alloc::format;
use alloc::vec::Vec;

use crate::builtins::BuiltinRegistry;
use crate::error::Error;
use crate::isa::INSN_SIZE;
use crate::memory::MM_PROGRAM_START;
use crate::program::{Executable, Function, ProgramImage, Runtime};

pub use error::{ElfError, MapDefProblem, SymbolName};
pub use maps::{maps, InitialEntry, InitialValue, ObjectMaps};
pub use symbols::DEFAULT_ENTRY_NAMES;

/// The largest read-only image (bytecode and read-only data) and the largest
/// writable data (`.data` and `.bss`) an object may produce: 64 MiB each.
/// Guards hosts and firmware against objects whose headers claim huge
/// zero-filled sections.
pub const MAX_REGION_SIZE: u64 = 64 << 20;

/// The name of section `index` of an ELF object, for messages about the
/// `section` an [`ElfError`] names ([`ElfError::section`]); `None` if the
/// header or section table is unreadable or has no such section.
///
/// ```
/// let object = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programs/checksum.o"))?;
/// let text = (0..64).find(|&i| ebpfvm::elf::section_name(&object, i) == Some(".text"));
/// assert!(text.is_some());
/// assert_eq!(ebpfvm::elf::section_name(b"not elf", 1), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn section_name(bytes: &[u8], index: usize) -> Option<&str> {
    object::Object::parse(bytes).ok()?.section_name(index).ok()
}

/// Loads a relocatable BPF object into a [`ProgramImage`]: sections placed,
/// relocations applied, calls to undefined functions bound to `builtins` by
/// name, and the entry point chosen (by `entry` name, or by the default
/// rule of the [module docs](self)). The image is not verified yet;
/// [`Executable::from_image`] does that.
///
/// ```
/// use ebpfvm::builtins::BuiltinRegistry;
/// let object = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programs/checksum.o"))?;
/// let image = ebpfvm::elf::load(&object, &BuiltinRegistry::<()>::new(), None)?;
/// let entry = image.functions.iter().find(|f| f.pc == image.entry_pc).unwrap();
/// assert_eq!(entry.name, "entrypoint");
/// assert_eq!(image.text_len % 8, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load<C>(
    bytes: &[u8],
    builtins: &BuiltinRegistry<C>,
    entry: Option<&str>,
) -> Result<ProgramImage, ElfError> {
    let object = object::Object::parse(bytes)?;
    let mut layout = layout::Layout::new(&object)?;
    let symbols = symbols::functions(&object, &layout)?;
    let entry_pc = symbols::entry_pc(&object, &symbols, entry)?;
    let object_maps = maps::parse(&object, &layout)?;
    let code_pointers = relocate::apply(&object, &mut layout, builtins, &object_maps)?;

    let mut functions: Vec<Function> = Vec::with_capacity(symbols.len());
    for symbol in symbols {
        // Sorted by pc, a global name first: keep one name per pc.
        if functions.last().is_none_or(|f| f.pc != symbol.function.pc) {
            functions.push(symbol.function);
        }
    }
    // Code addresses stored as data (function pointers) must be callable
    // even where no symbol names them.
    let text_len = layout.text_len as u64;
    for addr in code_pointers {
        let Some(offset) = addr.checked_sub(MM_PROGRAM_START) else {
            continue;
        };
        if offset >= text_len || offset % INSN_SIZE as u64 != 0 {
            continue;
        }
        let pc = (offset / INSN_SIZE as u64) as usize;
        if let Err(at) = functions.binary_search_by_key(&pc, |f| f.pc) {
            let name = format!("fn_{pc}");
            functions.insert(at, Function { pc, name });
        }
    }
    Ok(ProgramImage {
        ro_section: layout.ro,
        text_len: layout.text_len,
        data: layout.data,
        entry_pc,
        functions,
    })
}

impl<'r, C> Executable<'r, C> {
    /// Loads a relocatable BPF object (see the [`elf`](crate::elf) module
    /// docs for what is supported and the default entry rule), binds its
    /// calls to undefined functions to `runtime`'s builtins by name, and
    /// verifies it.
    ///
    /// ```
    /// use ebpfvm::{Budget, Config, EbpfVm, Executable, Runtime};
    /// use ebpfvm::memory::{MemoryMapping, MemoryRegion, MM_INPUT_START, MM_STACK_START};
    ///
    /// let object = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programs/checksum.o"))?;
    /// let runtime = Runtime::<Budget>::new(Config::default());
    /// let executable = Executable::from_elf(&object, &runtime)?;
    /// assert_eq!(executable.function_name(executable.entry_pc()), Some("entrypoint"));
    ///
    /// // RFC 1071 section 3's example: the sum is 0xddf2, the checksum its complement.
    /// let mut input = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    /// let mut stack = vec![0u8; executable.config().stack_size()];
    /// let mapping = MemoryMapping::new([
    ///     executable.ro_region(),
    ///     MemoryRegion::writable(&mut stack, MM_STACK_START),
    ///     MemoryRegion::writable(&mut input, MM_INPUT_START),
    /// ])?;
    /// let mut budget = Budget::new(10_000);
    /// let mut vm = EbpfVm::new(&executable, &mut budget, mapping);
    /// assert_eq!(vm.execute_interpreted().result, Ok(!0xddf2 & 0xffff));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_elf(bytes: &[u8], runtime: &'r Runtime<C>) -> Result<Self, Error> {
        let image = load(bytes, runtime.builtins(), None)?;
        Ok(Executable::from_image(image, runtime)?)
    }

    /// Like [`from_elf`](Self::from_elf), with the entry point given by the
    /// name of a function symbol.
    ///
    /// ```
    /// use ebpfvm::{Budget, Config, Executable, Runtime};
    /// use ebpfvm::error::{ElfError, Error, SymbolName};
    ///
    /// let object = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programs/recursion.o"))?;
    /// let runtime = Runtime::<Budget>::new(Config::default());
    /// let ack = Executable::from_elf_with_entry(&object, &runtime, "ackermann")?;
    /// assert_eq!(ack.function_name(ack.entry_pc()), Some("ackermann"));
    /// assert_eq!(
    ///     Executable::from_elf_with_entry(&object, &runtime, "nope").unwrap_err(),
    ///     Error::Elf(ElfError::EntryNotFound { name: SymbolName::new("nope") })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_elf_with_entry(
        bytes: &[u8],
        runtime: &'r Runtime<C>,
        entry: &str,
    ) -> Result<Self, Error> {
        let image = load(bytes, runtime.builtins(), Some(entry))?;
        Ok(Executable::from_image(image, runtime)?)
    }
}
