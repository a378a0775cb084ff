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
    UnknownOpcode { opcode: u8 },
    /// A field that must be zero for this opcode is not.
    ReservedFieldNotZero { field: Field },
    /// A register field names a register above `r10`.
    InvalidRegister { field: RegField, value: u8 },
    /// The offset is not one this opcode defines (e.g. `div` with offset 2).
    InvalidOffset { off: i16 },
    /// A byte-order instruction with a width other than 16, 32 or 64.
    InvalidEndianWidth { imm: i32 },
    /// An atomic instruction with an unknown operation in its immediate.
    UnknownAtomicOp { imm: i32 },
    /// `lddw` with a pseudo source (map fd, map value, BTF id, ...) that no
    /// mechanism of this VM resolves.
    UnsupportedLddwSource { src: u8 },
    /// `call` with a `src` other than 0 (helper) or 1 (local call).
    UnsupportedCallKind { src: u8 },
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
    TruncatedInstruction { len: usize },
    /// The program has more slots than [`crate::Config::max_program_slots`].
    ProgramTooLarge { slots: usize, max: usize },
    /// The slot does not decode.
    InvalidInstruction { pc: usize, reason: DecodeError },
    /// The instruction first appeared in a later ISA version than the configured one.
    UnsupportedVersion {
        pc: usize,
        needs: IsaVersion,
        configured: IsaVersion,
    },
    /// The instruction writes `r10`, which is read-only.
    WriteToFramePointer { pc: usize },
    /// A jump leaves the program.
    JumpOutOfBounds { pc: usize, target: i64 },
    /// A jump or call lands on the second slot of an `lddw`.
    JumpIntoLddw { pc: usize, target: usize },
    /// A local call leaves the program.
    CallOutOfBounds { pc: usize, target: i64 },
    /// A local call lands on the second slot of an `lddw`.
    CallIntoLddw { pc: usize, target: usize },
    /// A call names a builtin id that is not registered.
    UnknownBuiltin { pc: usize, id: u32 },
    /// The last instruction can fall through past the end of the program.
    FallsOffEnd { pc: usize },
    /// A shift by an immediate not below the operand width, rejected because
    /// [`crate::Config::reject_out_of_range_shifts`] is set.
    ShiftOutOfRange { pc: usize, imm: i32 },
    /// Legacy packet access used while [`crate::Config::enable_packet_access`] is off.
    PacketAccessDisabled { pc: usize },
    /// The entry point is not inside the program or is the second slot of an `lddw`.
    InvalidEntryPoint { pc: usize },
    /// More functions than the function table holds.
    TooManyFunctions { max: usize },
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
        pc: usize,
        addr: u64,
        len: u8,
        kind: AccessKind,
    },
    /// The instruction budget of the context object is exhausted; the
    /// instruction at `pc` was not executed.
    ExceededMaxInstructions { pc: usize },
    /// A local call would exceed [`crate::Config::max_call_depth`].
    CallDepthExceeded { pc: usize, depth: usize },
    /// `callx` with a value that is neither a registered builtin id nor a
    /// function address.
    InvalidCallTarget { pc: usize, target: u64 },
    /// A builtin function returned an error code.
    BuiltinFailed { pc: usize, id: u32, code: u64 },
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
    Full { capacity: usize },
    /// The id is already registered.
    DuplicateId { id: u32 },
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
    SlotTaken { vm_addr: u64 },
    /// The region's slot is beyond [`crate::memory::MAX_REGIONS`], or slot 0 (null).
    InvalidSlot { vm_addr: u64 },
    /// The region crosses a 4 GiB boundary.
    RegionTooLarge { vm_addr: u64, len: u64 },
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

/// Why JIT compilation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum JitError {
    /// The JIT generates code only for x86_64 unix hosts (or the `jit`
    /// feature is off); use the interpreter.
    UnsupportedTarget,
    /// The program has more slots than the code generator addresses.
    ProgramTooLarge { slots: usize },
    /// The generated code is too large for 32-bit relative branches.
    CodeTooLarge { bytes: usize },
    /// `mmap` of the code buffer failed (`errno` 0 when unknown).
    MapFailed { len: usize, errno: i32 },
    /// `mprotect` to read+execute failed (`errno` 0 when unknown).
    ProtectFailed { len: usize, errno: i32 },
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
    Verifier(VerifierError),
    Trap(Trap),
    Registry(RegistryError),
    Mapping(MappingError),
    Jit(JitError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Verifier(e) => write!(f, "verifier: {e}"),
            Error::Trap(e) => write!(f, "trap: {e}"),
            Error::Registry(e) => write!(f, "registry: {e}"),
            Error::Mapping(e) => write!(f, "memory mapping: {e}"),
            Error::Jit(e) => write!(f, "jit: {e}"),
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
            Error::Jit(e) => Some(e),
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

impl From<JitError> for Error {
    fn from(e: JitError) -> Self {
        Error::Jit(e)
    }
}

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
