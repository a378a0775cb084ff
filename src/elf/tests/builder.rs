//! A minimal writer of ELF64 little-endian BPF relocatable objects, so each
//! test states exactly the object it needs (and the one field it breaks).
//!
//! Layout written: the header, each section's contents (8-aligned), the
//! symbol table, the string table (section and symbol names), then the
//! section header table. Sections are numbered in the order they are added
//! (0 is the null section); `build` appends `.symtab` and `.strtab`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::isa::RawInsn;

pub const SHT_PROGBITS: u32 = 1;
pub const SHT_SYMTAB: u32 = 2;
pub const SHT_STRTAB: u32 = 3;
pub const SHT_RELA: u32 = 4;
pub const SHT_NOBITS: u32 = 8;
pub const SHT_REL: u32 = 9;
pub const SHF_WRITE: u64 = 1;
pub const SHF_ALLOC: u64 = 2;
pub const SHF_EXECINSTR: u64 = 4;
pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;
pub const STT_SECTION: u8 = 3;
pub const SHN_UNDEF: u16 = 0;
pub const SHN_ABS: u16 = 0xfff1;
pub const SHN_COMMON: u16 = 0xfff2;

/// A link placeholder `build` replaces with the symbol table's index.
const LINK_SYMTAB: u32 = u32::MAX;

/// One section to write.
#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub data: Vec<u8>,
    /// `sh_size` for `SHT_NOBITS` (otherwise the data length).
    pub nobits_size: u64,
    pub link: u32,
    pub info: u32,
    pub align: u64,
    pub entsize: u64,
}

/// One symbol to write.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub info: u8,
    pub shndx: u16,
    pub value: u64,
}

/// An object under construction.
#[derive(Clone, Debug, Default)]
pub struct ObjectBuilder {
    pub sections: Vec<Section>,
    pub symbols: Vec<Symbol>,
}

/// A written object and where its parts landed.
pub struct Built {
    pub bytes: Vec<u8>,
    pub shoff: usize,
    pub symtab: usize,
    pub strtab: usize,
    /// File offset of each section's contents.
    pub offsets: Vec<usize>,
}

impl Built {
    /// File offset of field `at` of section header `index`.
    pub fn shdr_field(&self, index: usize, at: usize) -> usize {
        self.shoff + 64 * index + at
    }

    pub fn put_u16(&mut self, at: usize, value: u16) {
        self.bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }

    pub fn put_u32(&mut self, at: usize, value: u32) {
        self.bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    pub fn put_u64(&mut self, at: usize, value: u64) {
        self.bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }
}

/// Section header field offsets.
pub mod shdr {
    pub const NAME: usize = 0;
    pub const OFFSET: usize = 24;
    pub const LINK: usize = 40;
    pub const INFO: usize = 44;
    pub const ENTSIZE: usize = 56;
}

/// Encodes instructions.
pub fn code(insns: &[RawInsn]) -> Vec<u8> {
    insns.iter().flat_map(|i| i.to_bytes()).collect()
}

pub fn exit() -> RawInsn {
    RawInsn::new(0x95, 0, 0, 0, 0)
}

pub fn mov64(dst: u8, imm: i32) -> RawInsn {
    RawInsn::new(0xb7, dst, 0, 0, imm)
}

/// The two slots of `lddw dst, imm` (`imm` in the low half only).
pub fn lddw(dst: u8, imm: i32) -> [RawInsn; 2] {
    [
        RawInsn::new(0x18, dst, 0, 0, imm),
        RawInsn::new(0, 0, 0, 0, 0),
    ]
}

/// `call` with source `src` (0 helper, 1 local) and immediate `imm`.
pub fn call(src: u8, imm: i32) -> RawInsn {
    RawInsn::new(0x85, 0, src, 0, imm)
}

impl ObjectBuilder {
    pub fn new() -> Self {
        let mut b = ObjectBuilder::default();
        b.sections.push(Section {
            name: String::new(),
            sh_type: 0,
            flags: 0,
            data: Vec::new(),
            nobits_size: 0,
            link: 0,
            info: 0,
            align: 0,
            entsize: 0,
        });
        b.symbols.push(Symbol {
            name: String::new(),
            info: 0,
            shndx: 0,
            value: 0,
        });
        b
    }

    /// Adds a section; returns its index.
    pub fn section(&mut self, name: &str, sh_type: u32, flags: u64, data: Vec<u8>) -> usize {
        self.sections.push(Section {
            name: name.into(),
            sh_type,
            flags,
            data,
            nobits_size: 0,
            link: 0,
            info: 0,
            align: 8,
            entsize: 0,
        });
        self.sections.len() - 1
    }

    pub fn code(&mut self, name: &str, insns: &[RawInsn]) -> usize {
        self.section(name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, code(insns))
    }

    pub fn rodata(&mut self, name: &str, data: &[u8]) -> usize {
        self.section(name, SHT_PROGBITS, SHF_ALLOC, data.to_vec())
    }

    pub fn data(&mut self, name: &str, data: &[u8]) -> usize {
        self.section(name, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data.to_vec())
    }

    pub fn bss(&mut self, name: &str, size: u64) -> usize {
        let index = self.section(name, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, Vec::new());
        self.sections[index].nobits_size = size;
        index
    }

    /// Adds a symbol; returns its index.
    pub fn symbol(&mut self, name: &str, bind: u8, kind: u8, shndx: u16, value: u64) -> usize {
        self.symbols.push(Symbol {
            name: name.into(),
            info: (bind << 4) | kind,
            shndx,
            value,
        });
        self.symbols.len() - 1
    }

    /// A global function symbol.
    pub fn func(&mut self, name: &str, section: usize, value: u64) -> usize {
        self.symbol(name, STB_GLOBAL, STT_FUNC, section as u16, value)
    }

    /// The section symbol of `section`.
    pub fn section_symbol(&mut self, section: usize) -> usize {
        self.symbol("", STB_LOCAL, STT_SECTION, section as u16, 0)
    }

    /// Adds a `SHT_REL` section for `target` with `(offset, symbol, type)`
    /// entries; returns its index.
    pub fn rel(&mut self, target: usize, relocs: &[(u64, usize, u32)]) -> usize {
        let mut data = Vec::new();
        for &(offset, symbol, r_type) in relocs {
            data.extend_from_slice(&offset.to_le_bytes());
            data.extend_from_slice(&(((symbol as u64) << 32) | r_type as u64).to_le_bytes());
        }
        let name = alloc::format!(".rel{}", self.sections[target].name);
        let index = self.section(&name, SHT_REL, 0, data);
        let s = &mut self.sections[index];
        (s.link, s.info, s.entsize) = (LINK_SYMTAB, target as u32, 16);
        index
    }

    /// Writes the object.
    pub fn build(&self) -> Built {
        let mut sections = self.sections.clone();
        let symtab = sections.len();
        let strtab = symtab + 1;

        let mut strings = vec![0u8];
        let mut name_of = |name: &str| -> u32 {
            if name.is_empty() {
                return 0;
            }
            let at = strings.len() as u32;
            strings.extend_from_slice(name.as_bytes());
            strings.push(0);
            at
        };
        let mut section_names: Vec<u32> = sections.iter().map(|s| name_of(&s.name)).collect();
        section_names.push(name_of(".symtab"));
        section_names.push(name_of(".strtab"));
        let mut symbols = Vec::new();
        for sym in &self.symbols {
            symbols.extend_from_slice(&name_of(&sym.name).to_le_bytes());
            symbols.push(sym.info);
            symbols.push(0);
            symbols.extend_from_slice(&sym.shndx.to_le_bytes());
            symbols.extend_from_slice(&sym.value.to_le_bytes());
            symbols.extend_from_slice(&0u64.to_le_bytes());
        }
        for s in &mut sections {
            if s.link == LINK_SYMTAB {
                s.link = symtab as u32;
            }
        }
        let locals = self.symbols.iter().take_while(|s| s.info >> 4 == 0).count();
        sections.push(Section {
            name: ".symtab".into(),
            sh_type: SHT_SYMTAB,
            flags: 0,
            data: symbols,
            nobits_size: 0,
            link: strtab as u32,
            info: locals as u32,
            align: 8,
            entsize: 24,
        });
        sections.push(Section {
            name: ".strtab".into(),
            sh_type: SHT_STRTAB,
            flags: 0,
            data: strings,
            nobits_size: 0,
            link: 0,
            info: 0,
            align: 1,
            entsize: 0,
        });

        let mut bytes = vec![0u8; 64];
        let mut offsets = Vec::new();
        for s in &sections {
            while bytes.len() % 8 != 0 {
                bytes.push(0);
            }
            offsets.push(bytes.len());
            bytes.extend_from_slice(&s.data);
        }
        while bytes.len() % 8 != 0 {
            bytes.push(0);
        }
        let shoff = bytes.len();
        for (i, s) in sections.iter().enumerate() {
            let size = if s.sh_type == SHT_NOBITS {
                s.nobits_size
            } else {
                s.data.len() as u64
            };
            let offset = if i == 0 { 0 } else { offsets[i] as u64 };
            bytes.extend_from_slice(&section_names[i].to_le_bytes());
            bytes.extend_from_slice(&s.sh_type.to_le_bytes());
            bytes.extend_from_slice(&s.flags.to_le_bytes());
            bytes.extend_from_slice(&0u64.to_le_bytes()); // sh_addr
            bytes.extend_from_slice(&offset.to_le_bytes());
            bytes.extend_from_slice(&size.to_le_bytes());
            bytes.extend_from_slice(&s.link.to_le_bytes());
            bytes.extend_from_slice(&s.info.to_le_bytes());
            bytes.extend_from_slice(&s.align.to_le_bytes());
            bytes.extend_from_slice(&s.entsize.to_le_bytes());
        }

        let header = &mut bytes[..64];
        header[..4].copy_from_slice(b"\x7fELF");
        header[4] = 2; // ELFCLASS64
        header[5] = 1; // ELFDATA2LSB
        header[6] = 1; // EV_CURRENT
        header[16..18].copy_from_slice(&1u16.to_le_bytes()); // ET_REL
        header[18..20].copy_from_slice(&247u16.to_le_bytes()); // EM_BPF
        header[20..24].copy_from_slice(&1u32.to_le_bytes());
        header[40..48].copy_from_slice(&(shoff as u64).to_le_bytes());
        header[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
        header[58..60].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
        header[60..62].copy_from_slice(&(sections.len() as u16).to_le_bytes());
        header[62..64].copy_from_slice(&(strtab as u16).to_le_bytes());
        Built {
            bytes,
            shoff,
            symtab,
            strtab,
            offsets,
        }
    }
}
