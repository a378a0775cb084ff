//! Error types, one small `Copy` enum per stage, and the root [`Error`].
//!
//! None of them carries a `String`: each names its cause with plain data (the
//! pc, the address, the field), so firmware that never prints does not link
//! `core::fmt` machinery through them. Every type implements `Display` by hand
//! and `core::error::Error`, and `defmt::Format` with the `defmt` feature.

use core::fmt;

use crate::isa::{Field, IsaVersion, RegField};

macro_rules! error_impls {
    ($($t:ty),*) => {$(
        impl core::error::Error for $t {}
    )*};
}

/// Why one instruction slot does not decode (RFC 9669 encoding rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DecodeError {
    /// The opcode byte is not an instruction of RFC 9669.
    UnknownOpcode {
        /// The opcode byte.
        opcode: u8,
    },
    /// A field that must be zero for this opcode is not.
    ReservedFieldNotZero {
        /// The field that is not zero.
        field: Field,
    },
    /// A register field names a register above `r10`.
    InvalidRegister {
        /// Which register field.
        field: RegField,
        /// The register number as encoded.
        value: u8,
    },
    /// The offset is not one this opcode defines (e.g. `div` with offset 2).
    InvalidOffset {
        /// The offset as encoded.
        off: i16,
    },
    /// A byte-order instruction with a width other than 16, 32 or 64.
    InvalidEndianWidth {
        /// The width as encoded.
        imm: i32,
    },
    /// An atomic instruction with an unknown operation in its immediate.
    UnknownAtomicOp {
        /// The immediate as encoded.
        imm: i32,
    },
    /// `lddw` with a pseudo source (map fd, map value, BTF id, ...) that no
    /// mechanism of this VM resolves.
    UnsupportedLddwSource {
        /// The pseudo-source as encoded.
        src: u8,
    },
    /// `call` with a `src` other than 0 (helper) or 1 (local call).
    UnsupportedCallKind {
        /// The call kind as encoded.
        src: u8,
    },
    /// `lddw` without a valid second slot (opcode, registers and offset zero).
    IncompleteLddw,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DecodeError::UnknownOpcode { opcode } => write!(f, "unknown opcode {opcode:#04x}"),
            DecodeError::ReservedFieldNotZero { field } => {
                write!(f, "reserved {} field is not zero", field_name(field))
            }
            DecodeError::InvalidRegister { field, value } => {
                let which = match field {
                    RegField::Dst => "destination",
                    RegField::Src => "source",
                };
                write!(f, "invalid {which} register r{value}")
            }
            DecodeError::InvalidOffset { off } => write!(f, "invalid offset {off} for this opcode"),
            DecodeError::InvalidEndianWidth { imm } => {
                write!(f, "byte swap width must be 16, 32 or 64, not {imm}")
            }
            DecodeError::UnknownAtomicOp { imm } => write!(f, "unknown atomic operation {imm:#x}"),
            DecodeError::UnsupportedLddwSource { src } => {
                write!(f, "lddw with pseudo source {src} is not supported")
            }
            DecodeError::UnsupportedCallKind { src } => {
                write!(f, "call with source {src} is not supported")
            }
            DecodeError::IncompleteLddw => write!(f, "lddw is missing its second slot"),
        }
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Dst => "destination register",
        Field::Src => "source register",
        Field::Offset => "offset",
        Field::Imm => "immediate",
    }
}

/// Why the verifier rejected a program. Every variant names the pc (index of
/// the 8-byte slot) of the offending instruction where there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum VerifierError {
    /// The program has no instructions.
    EmptyProgram,
    /// The byte length is not a multiple of 8.
    TruncatedInstruction {
        /// Program length in bytes.
        len: usize,
    },
    /// The program has more slots than [`crate::Config::max_program_slots`].
    ProgramTooLarge {
        /// Slots in the program.
        slots: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The slot does not decode.
    InvalidInstruction {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// Why it does not decode.
        reason: DecodeError,
    },
    /// The instruction first appeared in a later ISA version than the configured one.
    UnsupportedVersion {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The version that introduced the instruction.
        needs: IsaVersion,
        /// The configured version.
        configured: IsaVersion,
    },
    /// The instruction writes `r10`, which is read-only.
    WriteToFramePointer {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// A jump leaves the program.
    JumpOutOfBounds {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The target pc.
        target: i64,
    },
    /// A jump or call lands on the second slot of an `lddw`.
    JumpIntoLddw {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The target pc.
        target: usize,
    },
    /// A local call leaves the program.
    CallOutOfBounds {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The target pc.
        target: i64,
    },
    /// A local call lands on the second slot of an `lddw`.
    CallIntoLddw {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The target pc.
        target: usize,
    },
    /// A call names a builtin id that is not registered.
    UnknownBuiltin {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The builtin id.
        id: u32,
    },
    /// The last instruction can fall through past the end of the program.
    FallsOffEnd {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// A shift by an immediate not below the operand width, rejected because
    /// [`crate::Config::reject_out_of_range_shifts`] is set.
    ShiftOutOfRange {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The shift amount.
        imm: i32,
    },
    /// Legacy packet access used while [`crate::Config::enable_packet_access`] is off.
    PacketAccessDisabled {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// The entry point is not inside the program or is the second slot of an `lddw`.
    InvalidEntryPoint {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// More functions than the function table holds.
    TooManyFunctions {
        /// The table capacity.
        max: usize,
    },
}

impl fmt::Display for VerifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifierError::*;
        match *self {
            EmptyProgram => write!(f, "program is empty"),
            TruncatedInstruction { len } => {
                write!(f, "program length {len} is not a multiple of 8")
            }
            ProgramTooLarge { slots, max } => {
                write!(f, "program has {slots} instructions, more than the maximum {max}")
            }
            InvalidInstruction { pc, reason } => write!(f, "pc {pc}: {reason}"),
            UnsupportedVersion {
                pc,
                needs,
                configured,
            } => write!(
                f,
                "pc {pc}: instruction needs ISA {needs}, but {configured} is configured"
            ),
            WriteToFramePointer { pc } => write!(f, "pc {pc}: writes the read-only register r10"),
            JumpOutOfBounds { pc, target } => {
                write!(f, "pc {pc}: jump target {target} is outside the program")
            }
            JumpIntoLddw { pc, target } => {
                write!(f, "pc {pc}: jump target {target} is inside an lddw")
            }
            CallOutOfBounds { pc, target } => {
                write!(f, "pc {pc}: call target {target} is outside the program")
            }
            CallIntoLddw { pc, target } => {
                write!(f, "pc {pc}: call target {target} is inside an lddw")
            }
            UnknownBuiltin { pc, id } => write!(f, "pc {pc}: call to unregistered builtin {id}"),
            FallsOffEnd { pc } => write!(
                f,
                "pc {pc}: execution can run past the end of the program (last instruction must be exit or ja)"
            ),
            ShiftOutOfRange { pc, imm } => {
                write!(f, "pc {pc}: shift by {imm} is out of range")
            }
            PacketAccessDisabled { pc } => {
                write!(f, "pc {pc}: legacy packet access is disabled")
            }
            InvalidEntryPoint { pc } => write!(f, "entry point {pc} is not an instruction"),
            TooManyFunctions { max } => write!(f, "more than {max} functions"),
        }
    }
}

/// The kind of memory access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AccessKind {
    /// A read (load, legacy packet load).
    Load,
    /// A write (store, or the write half of an atomic).
    Store,
}

impl fmt::Display for AccessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AccessKind::Load => "load",
            AccessKind::Store => "store",
        })
    }
}

/// A run-time fault: execution stopped at `pc` for the stated cause.
///
/// The interpreter and the JIT report identical traps (kind, pc and fields)
/// and identical instruction counts for the same program and input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Trap {
    /// A load or store outside every mapped region, or a store to a read-only one.
    AccessViolation {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The faulting virtual address.
        addr: u64,
        /// Bytes accessed.
        len: u8,
        /// Load or store.
        kind: AccessKind,
    },
    /// The instruction budget of the context object is exhausted; the
    /// instruction at `pc` was not executed.
    ExceededMaxInstructions {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// A local call would exceed [`crate::Config::max_call_depth`].
    CallDepthExceeded {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The configured maximum depth.
        depth: usize,
    },
    /// `callx` with a value that is neither a registered builtin id nor a
    /// function address.
    InvalidCallTarget {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The register value.
        target: u64,
    },
    /// A builtin function returned an error code.
    BuiltinFailed {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The builtin id.
        id: u32,
        /// The error code the builtin returned.
        code: u64,
    },
    /// JIT execution was requested but the executable has no compiled code
    /// (not compiled, or the `jit` feature/target does not support it).
    JitUnavailable,
}

impl Trap {
    /// The pc of the instruction that trapped (0 for [`Trap::JitUnavailable`]).
    pub fn pc(&self) -> usize {
        match *self {
            Trap::AccessViolation { pc, .. }
            | Trap::ExceededMaxInstructions { pc }
            | Trap::CallDepthExceeded { pc, .. }
            | Trap::InvalidCallTarget { pc, .. }
            | Trap::BuiltinFailed { pc, .. } => pc,
            Trap::JitUnavailable => 0,
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Trap::AccessViolation {
                pc,
                addr,
                len,
                kind,
            } => write!(
                f,
                "pc {pc}: access violation: {kind} of {len} bytes at {addr:#x}"
            ),
            Trap::ExceededMaxInstructions { pc } => {
                write!(f, "pc {pc}: instruction budget exhausted")
            }
            Trap::CallDepthExceeded { pc, depth } => {
                write!(f, "pc {pc}: call depth limit {depth} exceeded")
            }
            Trap::InvalidCallTarget { pc, target } => {
                write!(
                    f,
                    "pc {pc}: callx target {target:#x} is not a builtin or function"
                )
            }
            Trap::BuiltinFailed { pc, id, code } => {
                write!(f, "pc {pc}: builtin {id} failed with code {code}")
            }
            Trap::JitUnavailable => write!(f, "no JIT-compiled code for this executable"),
        }
    }
}

/// An error a builtin function returns to abort the program. The VM turns it
/// into [`Trap::BuiltinFailed`] with the pc of the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BuiltinError {
    /// An application-defined code.
    pub code: u64,
}

impl fmt::Display for BuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "builtin error {}", self.code)
    }
}

/// Errors building a loader's builtin registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RegistryError {
    /// The registry already holds [`crate::builtins::MAX_BUILTINS`] functions.
    Full {
        /// The registry capacity.
        capacity: usize,
    },
    /// The id is already registered.
    DuplicateId {
        /// The builtin id.
        id: u32,
    },
    /// The name is already registered.
    DuplicateName,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RegistryError::Full { capacity } => {
                write!(f, "builtin registry is full ({capacity} functions)")
            }
            RegistryError::DuplicateId { id } => write!(f, "builtin id {id} is already registered"),
            RegistryError::DuplicateName => write!(f, "builtin name is already registered"),
        }
    }
}

/// Errors building a memory mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MappingError {
    /// Two regions claim the same 4 GiB slot of the address space.
    SlotTaken {
        /// The region start address.
        vm_addr: u64,
    },
    /// The region's slot is beyond [`crate::memory::MAX_REGIONS`], or slot 0 (null).
    InvalidSlot {
        /// The region start address.
        vm_addr: u64,
    },
    /// The region crosses a 4 GiB boundary.
    RegionTooLarge {
        /// The region start address.
        vm_addr: u64,
        /// The region length in bytes.
        len: u64,
    },
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MappingError::SlotTaken { vm_addr } => {
                write!(
                    f,
                    "region at {vm_addr:#x}: its 4 GiB slot is already mapped"
                )
            }
            MappingError::InvalidSlot { vm_addr } => {
                write!(
                    f,
                    "region at {vm_addr:#x}: address is outside the mappable slots"
                )
            }
            MappingError::RegionTooLarge { vm_addr, len } => write!(
                f,
                "region at {vm_addr:#x} of {len} bytes crosses a 4 GiB boundary"
            ),
        }
    }
}

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
            NoEntryPoint => write!(
                f,
                "no entry point: no `entrypoint`, `main` or global function in a code section"
            ),
        }
    }
}

impl core::error::Error for ElfError {}

/// Why JIT compilation failed (the `jit` feature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum JitError {
    /// The JIT generates code only for x86_64 unix hosts; use the interpreter.
    UnsupportedTarget,
    /// The program has more slots than the code generator addresses.
    ProgramTooLarge {
        /// The program's length in slots.
        slots: usize,
    },
    /// A jump or call target is not an instruction start. Never returned
    /// for verified programs (the verifier rejects such targets).
    InvalidTarget {
        /// The target pc.
        pc: usize,
    },
    /// The generated code is too large for 32-bit relative branches.
    CodeTooLarge {
        /// Bytes of generated code.
        bytes: usize,
    },
    /// `mmap` of the code buffer failed.
    MapFailed {
        /// Bytes requested.
        len: usize,
        /// The OS error number (0 when unknown, e.g. without `std`).
        errno: i32,
    },
    /// `mprotect` to read+execute failed.
    ProtectFailed {
        /// Bytes of the mapping.
        len: usize,
        /// The OS error number (0 when unknown, e.g. without `std`).
        errno: i32,
    },
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            JitError::UnsupportedTarget => {
                write!(f, "the JIT is only available on x86_64 unix targets")
            }
            JitError::ProgramTooLarge { slots } => {
                write!(f, "program of {slots} instructions is too large to compile")
            }
            JitError::InvalidTarget { pc } => {
                write!(f, "branch target {pc} is not an instruction")
            }
            JitError::CodeTooLarge { bytes } => {
                write!(f, "generated code of {bytes} bytes is too large")
            }
            JitError::MapFailed { len, errno } => {
                write!(
                    f,
                    "mapping {len} bytes of code memory failed (errno {errno})"
                )
            }
            JitError::ProtectFailed { len, errno } => write!(
                f,
                "making {len} bytes of code executable failed (errno {errno})"
            ),
        }
    }
}

error_impls!(
    DecodeError,
    VerifierError,
    Trap,
    BuiltinError,
    RegistryError,
    MappingError,
    JitError
);

/// The root error: any stage's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    /// The verifier rejected the program.
    Verifier(VerifierError),
    /// A run-time trap.
    Trap(Trap),
    /// Registering a builtin failed.
    Registry(RegistryError),
    /// Building a memory mapping failed.
    Mapping(MappingError),
    /// Loading an ELF object failed.
    Elf(ElfError),
    /// JIT compilation failed.
    Jit(JitError),
    /// Assembly text that does not assemble (feature `asm`).
    #[cfg(feature = "asm")]
    Asm(crate::asm::AsmError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Verifier(e) => write!(f, "verifier: {e}"),
            Error::Trap(e) => write!(f, "trap: {e}"),
            Error::Registry(e) => write!(f, "registry: {e}"),
            Error::Mapping(e) => write!(f, "memory mapping: {e}"),
            Error::Elf(e) => write!(f, "ELF: {e}"),
            Error::Jit(e) => write!(f, "JIT: {e}"),
            #[cfg(feature = "asm")]
            Error::Asm(e) => write!(f, "assembler: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::Verifier(e) => Some(e),
            Error::Trap(e) => Some(e),
            Error::Registry(e) => Some(e),
            Error::Mapping(e) => Some(e),
            Error::Elf(e) => Some(e),
            Error::Jit(e) => Some(e),
            #[cfg(feature = "asm")]
            Error::Asm(e) => Some(e),
        }
    }
}

macro_rules! from_impls {
    ($($t:ident),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::$t(e)
            }
        }
    )*};
}
from_impls!(Trap);

impl From<VerifierError> for Error {
    fn from(e: VerifierError) -> Self {
        Error::Verifier(e)
    }
}
impl From<RegistryError> for Error {
    fn from(e: RegistryError) -> Self {
        Error::Registry(e)
    }
}
impl From<MappingError> for Error {
    fn from(e: MappingError) -> Self {
        Error::Mapping(e)
    }
}
impl From<ElfError> for Error {
    fn from(e: ElfError) -> Self {
        Error::Elf(e)
    }
}
impl From<JitError> for Error {
    fn from(e: JitError) -> Self {
        Error::Jit(e)
    }
}

#[cfg(feature = "asm")]
impl From<crate::asm::AsmError> for Error {
    fn from(e: crate::asm::AsmError) -> Self {
        Error::Asm(e)
    }
}
