//! A program as the inspection commands (`disasm`, `cfg`) see it: bytecode
//! that need not verify, its entry, and its function names.

use std::path::Path;

use ebpfvm::error::Error;
#[cfg(feature = "elf")]
use ebpfvm::Config;

use crate::host;
use crate::load::{failure, read_source, Source};
use crate::report::Failure;

/// Unverified bytecode with its names.
pub struct Program {
    /// The bytecode (for ELF objects: the relocated text).
    pub code: Vec<u8>,
    /// The entry pc.
    pub entry_pc: usize,
    /// `(pc, name)` of named functions (ELF symbols), by pc.
    pub functions: Vec<(usize, String)>,
    /// `(id, note)` of placeholder ids given to calls of undefined ELF
    /// symbols, so that such an object can still be listed.
    pub unbound: Vec<(u32, String)>,
}

impl Program {
    /// The function name at `pc`.
    pub fn name_at(&self, pc: usize) -> Option<&str> {
        self.functions
            .iter()
            .find(|(p, _)| *p == pc)
            .map(|(_, n)| n.as_str())
    }

    /// The name of builtin `id`: the tool's, or an undefined symbol's.
    pub fn builtin_name(&self, id: u32) -> Option<&str> {
        host::builtin_name(id).or_else(|| {
            self.unbound
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.as_str())
        })
    }

    /// The function entry pcs, the program entry first.
    pub fn entries(&self) -> Vec<usize> {
        let mut entries = vec![self.entry_pc];
        entries.extend(self.functions.iter().map(|&(pc, _)| pc));
        entries
    }
}

/// Reads `path` (assembly, ELF or raw bytecode) without verifying it.
pub fn read_program(path: &Path, entry: Option<&str>) -> Result<Program, Failure> {
    let name = path.display().to_string();
    match read_source(path)? {
        Source::Assembly(text) => {
            let code =
                ebpfvm::asm::assemble(&text).map_err(|e| failure(Error::Asm(e), &name, None))?;
            Ok(Program {
                code,
                entry_pc: 0,
                functions: Vec::new(),
                unbound: Vec::new(),
            })
        }
        Source::Bytecode(code) => Ok(Program {
            code,
            entry_pc: 0,
            functions: Vec::new(),
            unbound: Vec::new(),
        }),
        Source::Elf(bytes) => read_elf(&bytes, entry, &name),
    }
}

/// First id of the placeholders for undefined symbols.
#[cfg(feature = "elf")]
const UNBOUND_BASE: u32 = 0xfff0_0000;

/// How many undefined symbols an object may call and still be listed.
#[cfg(feature = "elf")]
const MAX_UNBOUND: u32 = 16;

#[cfg(feature = "elf")]
fn read_elf(bytes: &[u8], entry: Option<&str>, file: &str) -> Result<Program, Failure> {
    read_elf_image(bytes, entry).map_err(|e| failure(e, file, Some(bytes)))
}

#[cfg(feature = "elf")]
fn read_elf_image(bytes: &[u8], entry: Option<&str>) -> Result<Program, Error> {
    use ebpfvm::error::ElfError;
    let mut loader = host::runtime(Config::default());
    let mut unbound = Vec::new();
    // A call of a symbol the tool does not have is bound to a placeholder
    // id, so the listing shows it instead of refusing the object. The
    // names are leaked: the registry keeps `&'static str`, and the process
    // ends after one command.
    let image = loop {
        match ebpfvm::elf::load(bytes, loader.builtins(), entry) {
            Ok(image) => break image,
            Err(e @ ElfError::UndefinedSymbol { name, .. }) => {
                let id = UNBOUND_BASE + unbound.len() as u32;
                let leaked: &'static str = Box::leak(name.as_str().to_owned().into_boxed_str());
                if unbound.len() as u32 >= MAX_UNBOUND
                    || name.is_truncated()
                    || loader.register(id, leaked, unbound_builtin).is_err()
                {
                    return Err(e.into());
                }
                unbound.push((
                    id,
                    format!("{name} (undefined: not a builtin of this tool)"),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut functions: Vec<(usize, String)> = image
        .functions
        .iter()
        .map(|f| (f.pc, f.name.clone()))
        .collect();
    functions.sort();
    let text = image.ro_section.get(..image.text_len).unwrap_or(&[]);
    Ok(Program {
        code: text.to_vec(),
        entry_pc: image.entry_pc,
        functions,
        unbound,
    })
}

/// The placeholder of an undefined symbol (never run: listings only).
#[cfg(feature = "elf")]
fn unbound_builtin(
    _: &mut crate::interrupt::RunContext,
    _: &mut ebpfvm::memory::MemoryMapping<'_>,
    _: [u64; 5],
) -> Result<u64, ebpfvm::error::BuiltinError> {
    Err(ebpfvm::error::BuiltinError { code: 1 })
}

#[cfg(not(feature = "elf"))]
fn read_elf(_: &[u8], _: Option<&str>, file: &str) -> Result<Program, Failure> {
    Err(crate::load::no_elf(file))
}
