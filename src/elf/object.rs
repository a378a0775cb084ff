//! The checked view of a BPF ELF object: header, section table, names,
//! symbol table and relocation tables.
//!
//! goblin reads the structures; this module decides what is acceptable and
//! bounds-checks every offset and size before a byte is used, so the later
//! stages only see sections whose contents lie inside the file and tables
//! whose entries can all be read.

use alloc::vec::Vec;

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::header::{self, Header};
use goblin::elf::reloc::RelocSection;
use goblin::elf::section_header::{self as sh, SectionHeader};
use goblin::elf::sym::{self, Sym, Symtab};
use goblin::elf::Elf;

use super::{ElfError, SymbolName};

/// `e_machine` of BPF objects.
pub(super) const EM_BPF: u16 = 247;
/// Size of the ELF64 file header.
const EHDR_SIZE: usize = 64;
/// Size of one ELF64 section header.
const SHDR_SIZE: u64 = 64;
/// Size of one ELF64 symbol.
const SYM_SIZE: u64 = 24;
/// Size of one ELF64 `Elf64_Rel`.
pub(super) const REL_SIZE: u64 = 16;

/// The little-endian 64-bit parsing context.
const CTX: Ctx = Ctx {
    container: Container::Big,
    le: Endian::Little,
};

/// A parsed object whose header and tables have been checked.
pub(super) struct Object<'a> {
    bytes: &'a [u8],
    sections: Vec<SectionHeader>,
    /// Contents of the section-name string table.
    shstrtab: (usize, &'a [u8]),
    symbols: Option<Symbols<'a>>,
}

/// The symbol table and its string table.
struct Symbols<'a> {
    section: usize,
    table: Symtab<'a>,
    strtab: (usize, &'a [u8]),
}

impl<'a> Object<'a> {
    /// Checks the header, reads the section table and locates the name,
    /// symbol and string tables.
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Self, ElfError> {
        let header = parse_header(bytes)?;
        let invalid_table = ElfError::InvalidSectionHeaderTable {
            offset: header.e_shoff,
            count: header.e_shnum as u64,
        };
        // An offset beyond the address space cannot be inside the file (and
        // must not wrap into it on 32-bit targets).
        let shoff = usize::try_from(header.e_shoff).map_err(|_| invalid_table)?;
        if header.e_shentsize as u64 != SHDR_SIZE {
            return Err(invalid_table);
        }
        // goblin bounds the count by the file size before allocating, and
        // reads the real count from section 0 when `e_shnum` is 0.
        let sections = SectionHeader::parse(bytes, shoff, header.e_shnum as usize, CTX)
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or(invalid_table)?;
        let mut object = Object {
            bytes,
            sections,
            shstrtab: (0, &[]),
            symbols: None,
        };
        let shstrndx = match header.e_shstrndx as u32 {
            sh::SHN_XINDEX => object.sections[0].sh_link as usize,
            index => index as usize,
        };
        object.shstrtab = (shstrndx, object.string_table(shstrndx)?);
        for shdr in &object.sections {
            string_at(object.shstrtab, shdr.sh_name)?;
        }
        object.symbols = object.find_symbols()?;
        Ok(object)
    }

    /// The section headers, by index.
    pub(super) fn sections(&self) -> &[SectionHeader] {
        &self.sections
    }

    /// The header of section `index`.
    pub(super) fn section(&self, index: usize) -> Result<&SectionHeader, ElfError> {
        self.sections
            .get(index)
            .ok_or(ElfError::InvalidSectionIndex { index })
    }

    /// The name of section `index` (every name was checked by `parse`).
    pub(super) fn section_name(&self, index: usize) -> Result<&'a str, ElfError> {
        let shdr = self.section(index)?;
        string_at(self.shstrtab, shdr.sh_name)
    }

    /// The file contents of section `index` (empty for `SHT_NOBITS`), after
    /// checking they lie inside the file.
    pub(super) fn section_data(&self, index: usize) -> Result<&'a [u8], ElfError> {
        let shdr = self.section(index)?;
        if shdr.sh_type == sh::SHT_NOBITS {
            return Ok(&[]);
        }
        let out_of_bounds = ElfError::SectionOutOfBounds {
            section: index,
            offset: shdr.sh_offset,
            size: shdr.sh_size,
        };
        let start = usize::try_from(shdr.sh_offset).map_err(|_| out_of_bounds)?;
        let len = usize::try_from(shdr.sh_size).map_err(|_| out_of_bounds)?;
        let end = start.checked_add(len).ok_or(out_of_bounds)?;
        self.bytes.get(start..end).ok_or(out_of_bounds)
    }

    /// The contents of string table `index`.
    fn string_table(&self, index: usize) -> Result<&'a [u8], ElfError> {
        if self.section(index)?.sh_type != sh::SHT_STRTAB {
            return Err(ElfError::InvalidSectionIndex { index });
        }
        self.section_data(index)
    }

    /// Finds the symbol table (the first `SHT_SYMTAB`) and its string table.
    fn find_symbols(&self) -> Result<Option<Symbols<'a>>, ElfError> {
        let Some(section) = self
            .sections
            .iter()
            .position(|s| s.sh_type == sh::SHT_SYMTAB)
        else {
            return Ok(None);
        };
        let shdr = &self.sections[section];
        let data = self.section_data(section)?;
        if shdr.sh_entsize != SYM_SIZE || shdr.sh_size % SYM_SIZE != 0 {
            return Err(ElfError::InvalidEntrySize {
                section,
                entsize: shdr.sh_entsize,
            });
        }
        let count = data.len() / SYM_SIZE as usize;
        let table = if count == 0 {
            Symtab::default()
        } else {
            // Parsing from the checked slice keeps every entry read inside it.
            Symtab::parse(data, 0, count, CTX).map_err(|_| ElfError::SectionOutOfBounds {
                section,
                offset: shdr.sh_offset,
                size: shdr.sh_size,
            })?
        };
        let link = shdr.sh_link as usize;
        let strtab = (link, self.string_table(link)?);
        Ok(Some(Symbols {
            section,
            table,
            strtab,
        }))
    }

    /// The section index of the symbol table, if there is one.
    pub(super) fn symtab_index(&self) -> Option<usize> {
        self.symbols.as_ref().map(|s| s.section)
    }

    /// Every symbol with its index (the null symbol 0 included).
    pub(super) fn symbols(&self) -> impl Iterator<Item = (usize, Sym)> + '_ {
        self.symbols.iter().flat_map(|s| s.table.iter().enumerate())
    }

    /// Symbol `index`, if the table has it.
    pub(super) fn symbol(&self, index: usize) -> Option<Sym> {
        self.symbols.as_ref()?.table.get(index)
    }

    /// A symbol's name: its own, or its section's for section symbols.
    pub(super) fn symbol_name(&self, symbol: &Sym) -> Result<&'a str, ElfError> {
        if symbol.st_type() == sym::STT_SECTION {
            return self.section_name(symbol.st_shndx);
        }
        match &self.symbols {
            Some(s) => string_at(s.strtab, symbol.st_name),
            None => Ok(""),
        }
    }

    /// A symbol's name as carried by errors (lossy: never fails).
    pub(super) fn error_name(&self, symbol: &Sym) -> SymbolName {
        SymbolName::new(self.symbol_name(symbol).unwrap_or("?"))
    }

    /// The entries of `SHT_REL` section `index`, after checking the table.
    pub(super) fn relocations(&self, index: usize) -> Result<RelocSection<'a>, ElfError> {
        let shdr = self.section(index)?;
        let data = self.section_data(index)?;
        if shdr.sh_entsize != REL_SIZE || shdr.sh_size % REL_SIZE != 0 {
            return Err(ElfError::InvalidEntrySize {
                section: index,
                entsize: shdr.sh_entsize,
            });
        }
        // `section_data` checked the table lies inside the file; parsing from
        // the slice itself keeps every entry read inside it.
        RelocSection::parse(data, 0, data.len(), false, CTX).map_err(|_| {
            ElfError::SectionOutOfBounds {
                section: index,
                offset: shdr.sh_offset,
                size: shdr.sh_size,
            }
        })
    }
}

/// Checks the identification and header fields this loader depends on.
fn parse_header(bytes: &[u8]) -> Result<Header, ElfError> {
    let magic = header::ELFMAG;
    let head = &bytes[..bytes.len().min(magic.len())];
    if head != &magic[..head.len()] {
        return Err(ElfError::NotElf);
    }
    if bytes.len() < EHDR_SIZE {
        return Err(ElfError::TruncatedHeader { len: bytes.len() });
    }
    let class = bytes[header::EI_CLASS];
    if class != header::ELFCLASS64 {
        return Err(ElfError::UnsupportedClass { class });
    }
    let data = bytes[header::EI_DATA];
    if data != header::ELFDATA2LSB {
        return Err(ElfError::UnsupportedByteOrder { data });
    }
    let ident_version = bytes[header::EI_VERSION];
    let header =
        Elf::parse_header(bytes).map_err(|_| ElfError::TruncatedHeader { len: bytes.len() })?;
    if ident_version != header::EV_CURRENT || header.e_version != u32::from(header::EV_CURRENT) {
        return Err(ElfError::UnsupportedVersion {
            ident: ident_version,
            version: header.e_version,
        });
    }
    if header.e_machine != EM_BPF {
        return Err(ElfError::UnsupportedMachine {
            machine: header.e_machine,
        });
    }
    if header.e_type != header::ET_REL {
        return Err(ElfError::UnsupportedFileType {
            e_type: header.e_type,
        });
    }
    Ok(header)
}

/// The NUL-terminated UTF-8 string at `offset` of a string table.
fn string_at((section, table): (usize, &[u8]), offset: usize) -> Result<&str, ElfError> {
    let invalid = ElfError::InvalidString { section, offset };
    let tail = table.get(offset..).ok_or(invalid)?;
    let len = tail.iter().position(|&b| b == 0).ok_or(invalid)?;
    core::str::from_utf8(&tail[..len]).map_err(|_| invalid)
}
