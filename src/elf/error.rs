//! [`ElfError`]: why an ELF object could not be loaded, with the
//! allocation-free [`SymbolName`] it quotes names with.

use core::fmt;

/// A symbol or section name carried inside an error without allocating: up
/// to [`SymbolName::CAPACITY`] bytes of the name, cut at a character boundary
/// (`Display` marks a cut name with `…`).
///
/// ```
/// use ebpfvm::error::SymbolName;
/// let name = SymbolName::new("fnv1a_step");
/// assert_eq!(name.as_str(), "fnv1a_step");
/// assert!(!name.is_truncated());
/// let long = SymbolName::new("a_very_long_function_name_that_does_not_fit");
/// assert!(long.is_truncated());
/// assert_eq!(long.as_str().len(), SymbolName::CAPACITY);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SymbolName {
    bytes: [u8; SymbolName::CAPACITY],
    len: u8,
    truncated: bool,
}

impl SymbolName {
    /// How many bytes of a name are kept.
    pub const CAPACITY: usize = 30;

    /// Keeps the longest prefix of `name` that fits and ends on a character
    /// boundary.
    pub fn new(name: &str) -> Self {
        let mut len = name.len().min(Self::CAPACITY);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; Self::CAPACITY];
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        SymbolName {
            bytes,
            len: len as u8,
            truncated: len < name.len(),
        }
    }

    /// The kept part of the name.
    pub fn as_str(&self) -> &str {
        // `new` copied whole characters of a `str`, so this never fails.
        core::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }

    /// Whether the name was longer than [`CAPACITY`](Self::CAPACITY).
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for SymbolName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SymbolName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for SymbolName {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str());
        if self.truncated {
            defmt::write!(f, "…");
        }
    }
}

/// Why an ELF object could not be loaded (the `elf` feature).
///
/// `section` fields are section-header indices (as `llvm-readelf -S` numbers
/// them); `offset` fields of relocation errors are byte offsets inside the
/// section being relocated (the `r_offset` that `llvm-readelf -r` shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ElfError {
    /// The file does not start with the ELF magic bytes.
    NotElf,
    /// The file ends inside the 64-byte ELF header.
    TruncatedHeader {
        /// The file's length.
        len: usize,
    },
    /// Not a 64-bit object (`EI_CLASS`).
    UnsupportedClass {
        /// `EI_CLASS` as found.
        class: u8,
    },
    /// Not little-endian (`EI_DATA`); big-endian `bpfeb` objects are not supported.
    UnsupportedByteOrder {
        /// `EI_DATA` as found.
        data: u8,
    },
    /// The ELF version is not `EV_CURRENT` (1), in the identification
    /// (`EI_VERSION`) or in the header (`e_version`).
    UnsupportedVersion {
        /// `EI_VERSION` as found.
        ident: u8,
        /// `e_version` as found.
        version: u32,
    },
    /// Not a BPF object (`e_machine` is not `EM_BPF`, 247).
    UnsupportedMachine {
        /// `e_machine` as found.
        machine: u16,
    },
    /// Not a relocatable object (`e_type` is not `ET_REL`), e.g. `ET_EXEC` or `ET_DYN`.
    UnsupportedFileType {
        /// `e_type` as found.
        e_type: u16,
    },
    /// The section header table is absent, has a wrong entry size or lies
    /// (partly) outside the file.
    InvalidSectionHeaderTable {
        /// `e_shoff`.
        offset: u64,
        /// `e_shnum`.
        count: u64,
    },
    /// A section index (in the header, a section's link or info, or a
    /// symbol) names no section, or not a section of the required type.
    InvalidSectionIndex {
        /// The index as found.
        index: usize,
    },
    /// A section's contents lie (partly) outside the file.
    SectionOutOfBounds {
        /// The section's index.
        section: usize,
        /// Its `sh_offset`.
        offset: u64,
        /// Its `sh_size`.
        size: u64,
    },
    /// Two loaded sections share bytes of the file.
    OverlappingSections {
        /// The section that starts first in the file.
        first: usize,
        /// The section that starts inside it.
        second: usize,
    },
    /// A loaded section is neither `SHT_PROGBITS` nor `SHT_NOBITS`, or a code
    /// section is not `SHT_PROGBITS`.
    UnsupportedSectionType {
        /// The section's index.
        section: usize,
        /// Its `sh_type`.
        sh_type: u32,
    },
    /// A loaded section's alignment is not a power of two up to 4096.
    InvalidAlignment {
        /// The section's index.
        section: usize,
        /// Its `sh_addralign`.
        align: u64,
    },
    /// A code section's size is not a whole number of 8-byte instructions.
    MisalignedCode {
        /// The section's index.
        section: usize,
        /// Its `sh_size`.
        size: u64,
    },
    /// The read-only image or the writable data would exceed `max` bytes
    /// (`elf::MAX_REGION_SIZE`).
    ImageTooLarge {
        /// The size the image would reach (saturated).
        size: u64,
        /// The limit.
        max: u64,
    },
    /// A name offset points outside its string table, or the name is not
    /// NUL-terminated UTF-8.
    InvalidString {
        /// The string table's section index.
        section: usize,
        /// The name's offset in it.
        offset: usize,
    },
    /// A symbol or relocation table has an entry size (or a total size) that
    /// is not a whole number of the ELF64 entries it holds.
    InvalidEntrySize {
        /// The table's section index.
        section: usize,
        /// Its `sh_entsize`.
        entsize: u64,
    },
    /// A relocation section that applies to a loaded section is not linked to
    /// the object's symbol table.
    MissingSymbolTable {
        /// The relocation section's index.
        section: usize,
    },
    /// A relocation section that applies to a loaded section is `SHT_RELA`;
    /// BPF objects use `SHT_REL` (implicit addends).
    UnsupportedRelocationSection {
        /// The relocation section's index.
        section: usize,
    },
    /// A relocation names a symbol index beyond the symbol table.
    InvalidSymbolIndex {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
        /// The symbol index as found.
        symbol: usize,
    },
    /// A symbol's value lies outside its section, or a function symbol is not
    /// at an instruction boundary.
    InvalidSymbol {
        /// The symbol's name.
        name: SymbolName,
        /// Its `st_value`.
        value: u64,
    },
    /// A relocation refers to a symbol in a section that is not loaded, or in
    /// a special section (`SHN_COMMON` and other reserved indices).
    UnsupportedSymbol {
        /// The symbol's name.
        name: SymbolName,
        /// Its `st_shndx`.
        shndx: usize,
    },
    /// A relocation refers to a symbol the object does not define and (for
    /// calls) the loader has no builtin of that name.
    UndefinedSymbol {
        /// The symbol's name.
        name: SymbolName,
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
    },
    /// A relocation type this loader does not know.
    UnsupportedRelocation {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
        /// The relocation type.
        r_type: u32,
    },
    /// A relocation's field does not lie inside the section it patches.
    RelocationOutOfBounds {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
    },
    /// A relocation does not fit what it patches: `R_BPF_64_64` needs an
    /// `lddw` and `R_BPF_64_32` a `call` (both in code, at an instruction
    /// boundary), data relocations need data, and `SHT_NOBITS` holds nothing
    /// to patch.
    InvalidRelocationSite {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
        /// The relocation type.
        r_type: u32,
    },
    /// The relocated value does not fit its field (a 32-bit absolute address,
    /// or an address computation that overflows).
    RelocationOverflow {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
    },
    /// A call relocation resolves to a place outside the code section of its
    /// target symbol, or not at an instruction boundary.
    InvalidCallTarget {
        /// The index of the section being relocated.
        section: usize,
        /// The relocation's `r_offset`.
        offset: u64,
    },
    /// No function of the requested entry name.
    EntryNotFound {
        /// The requested name.
        name: SymbolName,
    },
    /// The default entry rule found no function (see the `elf` module).
    NoEntryPoint,
    /// A map definition (`SEC(".maps")` or `SEC("maps")`) that cannot be
    /// read or created.
    InvalidMap {
        /// The map's symbol name.
        name: SymbolName,
        /// What is wrong.
        problem: MapDefProblem,
    },
    /// An `lddw` relocation against a map section where no map is defined.
    NoSuchMap {
        /// The symbol the relocation names.
        name: SymbolName,
        /// The section being relocated (`u32`s keep the error at 48 bytes).
        section: u32,
        /// The relocation's offset (saturated).
        offset: u32,
    },
}

/// What is wrong with a map definition in an ELF object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MapDefProblem {
    /// `SEC(".maps")` needs the `.BTF` section (compile with `-g`).
    NoBtf,
    /// The `.BTF` section is malformed at this byte offset.
    BadBtf {
        /// Offset inside `.BTF` (saturated to `u32`).
        offset: u32,
    },
    /// The map variable's type is not a struct.
    NotAStruct,
    /// A member this VM does not know (`pinning` and `map_extra` are
    /// known). The error's name is `map.member`.
    UnknownField,
    /// A `__uint`/`__type`/`__array` member of the wrong shape.
    /// The error's name is `map.member`.
    BadField,
    /// `type` is missing.
    MissingType,
    /// A legacy `struct bpf_map_def` shorter than its four required fields.
    LegacyTooShort {
        /// The symbol's size (saturated).
        size: u32,
    },
    /// A legacy definition with non-zero fields past `map_flags`.
    LegacyExtraFields,
    /// An initialiser (`.values = { ... }`) this VM cannot apply.
    BadInitializer {
        /// The byte offset of the entry in the map section (saturated).
        offset: u32,
    },
    /// The numbers are refused by the map set.
    Spec(crate::maps::SpecProblem),
}

impl fmt::Display for MapDefProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapDefProblem::NoBtf => {
                f.write_str("SEC(\".maps\") needs a .BTF section (compile with -g)")
            }
            MapDefProblem::BadBtf { offset } => write!(f, "malformed .BTF at byte {offset}"),
            MapDefProblem::NotAStruct => f.write_str("its BTF type is not a struct"),
            MapDefProblem::UnknownField => f.write_str("unknown field"),
            MapDefProblem::BadField => f.write_str("field of the wrong form"),
            MapDefProblem::MissingType => f.write_str("no map type"),
            MapDefProblem::LegacyTooShort { size } => {
                write!(f, "struct bpf_map_def of {size} bytes (needs at least 16)")
            }
            MapDefProblem::LegacyExtraFields => {
                f.write_str("struct bpf_map_def has non-zero fields after map_flags")
            }
            MapDefProblem::BadInitializer { offset } => {
                write!(f, "initialiser at offset {offset} names no map or program")
            }
            MapDefProblem::Spec(p) => write!(f, "{p}"),
        }
    }
}

impl ElfError {
    /// The section-header index the error is about, if it names one (the
    /// relocated section for relocation errors, the first of two
    /// overlapping sections); see [`crate::elf::section_name`].
    pub fn section(&self) -> Option<usize> {
        use ElfError::*;
        match *self {
            SectionOutOfBounds { section, .. }
            | UnsupportedSectionType { section, .. }
            | InvalidAlignment { section, .. }
            | MisalignedCode { section, .. }
            | InvalidString { section, .. }
            | InvalidEntrySize { section, .. }
            | MissingSymbolTable { section }
            | UnsupportedRelocationSection { section }
            | InvalidSymbolIndex { section, .. }
            | UndefinedSymbol { section, .. }
            | UnsupportedRelocation { section, .. }
            | RelocationOutOfBounds { section, .. }
            | InvalidRelocationSite { section, .. }
            | RelocationOverflow { section, .. }
            | InvalidCallTarget { section, .. } => Some(section),
            OverlappingSections { first, .. } => Some(first),
            _ => None,
        }
    }
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ElfError::*;
        match *self {
            NotElf => write!(f, "not an ELF file (bad magic)"),
            TruncatedHeader { len } => {
                write!(f, "file of {len} bytes ends inside the 64-byte ELF header")
            }
            UnsupportedClass { class } => {
                write!(f, "ELF class {class} is not supported (need 64-bit)")
            }
            UnsupportedByteOrder { data } => write!(
                f,
                "ELF data encoding {data} is not supported (need little-endian)"
            ),
            UnsupportedVersion { ident, version } => write!(
                f,
                "ELF version EI_VERSION {ident}, e_version {version} is not supported (need 1, EV_CURRENT)"
            ),
            UnsupportedMachine { machine } => {
                write!(f, "machine {machine} is not BPF (247)")
            }
            UnsupportedFileType { e_type } => write!(
                f,
                "ELF type {e_type} is not supported (need a relocatable object, ET_REL)"
            ),
            InvalidSectionHeaderTable { offset, count } => write!(
                f,
                "section header table at {offset:#x} with {count} entries is missing or malformed"
            ),
            InvalidSectionIndex { index } => write!(f, "section index {index} names no section"),
            SectionOutOfBounds {
                section,
                offset,
                size,
            } => write!(
                f,
                "section {section}: {size} bytes at {offset:#x} lie outside the file"
            ),
            OverlappingSections { first, second } => {
                write!(f, "sections {first} and {second} overlap in the file")
            }
            UnsupportedSectionType { section, sh_type } => write!(
                f,
                "section {section}: type {sh_type:#x} cannot be loaded"
            ),
            InvalidAlignment { section, align } => write!(
                f,
                "section {section}: alignment {align} is not a power of two up to 4096"
            ),
            MisalignedCode { section, size } => write!(
                f,
                "code section {section}: size {size} is not a multiple of 8"
            ),
            ImageTooLarge { size, max } => {
                write!(f, "loaded image of {size} bytes exceeds the maximum {max}")
            }
            InvalidString { section, offset } => write!(
                f,
                "string table {section}: no valid name at offset {offset}"
            ),
            InvalidEntrySize { section, entsize } => write!(
                f,
                "section {section}: entry size {entsize} does not match its table"
            ),
            MissingSymbolTable { section } => write!(
                f,
                "relocation section {section} is not linked to the symbol table"
            ),
            UnsupportedRelocationSection { section } => write!(
                f,
                "relocation section {section} is SHT_RELA; BPF objects use SHT_REL"
            ),
            InvalidSymbolIndex {
                section,
                offset,
                symbol,
            } => write!(
                f,
                "section {section} offset {offset:#x}: relocation names symbol {symbol}, beyond the symbol table"
            ),
            InvalidSymbol { name, value } => write!(
                f,
                "symbol `{name}`: value {value:#x} is outside its section or not at an instruction"
            ),
            UnsupportedSymbol { name, shndx } => write!(
                f,
                "symbol `{name}` is in section {shndx:#x}, which is not loaded"
            ),
            UndefinedSymbol {
                name,
                section,
                offset,
            } => write!(
                f,
                "section {section} offset {offset:#x}: undefined symbol `{name}` (not in the object, not a registered builtin)"
            ),
            UnsupportedRelocation {
                section,
                offset,
                r_type,
            } => write!(
                f,
                "section {section} offset {offset:#x}: unsupported relocation type {r_type}"
            ),
            RelocationOutOfBounds { section, offset } => write!(
                f,
                "section {section} offset {offset:#x}: relocation lies outside the section"
            ),
            InvalidRelocationSite {
                section,
                offset,
                r_type,
            } => write!(
                f,
                "section {section} offset {offset:#x}: relocation type {r_type} does not apply to the instruction or data there"
            ),
            RelocationOverflow { section, offset } => write!(
                f,
                "section {section} offset {offset:#x}: relocated value does not fit its field"
            ),
            InvalidCallTarget { section, offset } => write!(
                f,
                "section {section} offset {offset:#x}: call target is outside its code section"
            ),
            EntryNotFound { name } => write!(f, "no function named `{name}`"),
            InvalidMap { name, problem } => match problem {
                // The name is `map.member`: the member comes after the last dot.
                MapDefProblem::UnknownField | MapDefProblem::BadField => {
                    let full = name.as_str();
                    let (map, field) = full.rsplit_once('.').unwrap_or((full, "?"));
                    write!(f, "map \"{map}\": {problem} \"{field}\"")
                }
                _ => write!(f, "map \"{name}\": {problem}"),
            },
            NoSuchMap {
                name,
                section,
                offset,
            } => write!(
                f,
                "relocation at section {section} offset {offset}: \"{name}\" is in a map section but is no map"
            ),
            NoEntryPoint => write!(
                f,
                "no entry point: no `entrypoint`, `main` or global function in a code section"
            ),
        }
    }
}

impl core::error::Error for ElfError {}
