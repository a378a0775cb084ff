//! [`VerifierError`]: why the verifier rejected a program.

use core::fmt;

use crate::isa::DecodeError;
use crate::isa::IsaVersion;

/// Why the verifier rejected a program. Every variant names the pc (index of
/// the 8-byte slot) of the offending instruction where there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
    /// The last instruction is neither `exit` nor `ja`. Nothing reaches it
    /// (the instruction before it exits or jumps, and no jump or call targets
    /// it), but a program must still end with `exit` or `ja`.
    UnreachableEndNotExit {
        /// The pc (8-byte slot index) of the last instruction.
        pc: usize,
    },
    /// `callx r10`: the frame pointer holds a stack address, never a function.
    CallThroughFramePointer {
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

impl VerifierError {
    /// The pc (8-byte slot index) of the offending instruction, if there is one.
    ///
    /// ```
    /// use ebpfvm::error::VerifierError;
    /// assert_eq!(VerifierError::WriteToFramePointer { pc: 3 }.pc(), Some(3));
    /// assert_eq!(VerifierError::EmptyProgram.pc(), None);
    /// ```
    pub fn pc(&self) -> Option<usize> {
        use VerifierError::*;
        match *self {
            EmptyProgram
            | TruncatedInstruction { .. }
            | ProgramTooLarge { .. }
            | TooManyFunctions { .. } => None,
            InvalidInstruction { pc, .. }
            | UnsupportedVersion { pc, .. }
            | WriteToFramePointer { pc }
            | JumpOutOfBounds { pc, .. }
            | JumpIntoLddw { pc, .. }
            | CallOutOfBounds { pc, .. }
            | CallIntoLddw { pc, .. }
            | UnknownBuiltin { pc, .. }
            | FallsOffEnd { pc }
            | UnreachableEndNotExit { pc }
            | CallThroughFramePointer { pc }
            | ShiftOutOfRange { pc, .. }
            | PacketAccessDisabled { pc }
            | InvalidEntryPoint { pc } => Some(pc),
        }
    }
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
                "pc {pc}: execution can run past the end of the program (the last instruction is reachable and is not exit or ja)"
            ),
            UnreachableEndNotExit { pc } => write!(
                f,
                "pc {pc}: the last instruction is not exit or ja (it is unreachable, but a program must end with exit or ja)"
            ),
            CallThroughFramePointer { pc } => write!(
                f,
                "pc {pc}: callx r10 calls through the frame pointer (r10 holds a stack address, not a function)"
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
