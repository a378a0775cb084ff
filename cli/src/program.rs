//! A program as the inspection commands (`disasm`, `cfg`) see it: bytecode
//! that need not verify, its entry, and its function names.

use std::path::Path;

use ebpfvm::error::Error;
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
}

impl Program {
    /// The function name at `pc`.
    pub fn name_at(&self, pc: usize) -> Option<&str> {
        self.functions
            .iter()
            .find(|(p, _)| *p == pc)
            .map(|(_, n)| n.as_str())
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
            })
        }
        Source::Bytecode(code) => Ok(Program {
            code,
            entry_pc: 0,
            functions: Vec::new(),
        }),
        Source::Elf(bytes) => read_elf(&bytes, entry).map_err(|e| failure(e, &name, Some(&bytes))),
    }
}

#[cfg(feature = "elf")]
fn read_elf(bytes: &[u8], entry: Option<&str>) -> Result<Program, Error> {
    let loader = host::loader(Config::default());
    let image = ebpfvm::elf::load(bytes, loader.builtins(), entry)?;
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
    })
}

#[cfg(not(feature = "elf"))]
fn read_elf(_: &[u8], _: Option<&str>) -> Result<Program, Error> {
    let _ = (host::loader, Config::default);
    Err(Error::Elf(ebpfvm::error::ElfError::NotElf))
}
