//! [`DecodeError`]: why one instruction slot does not decode.

use core::fmt;

use super::{Field, RegField};

/// Why one instruction slot does not decode (RFC 9669 encoding rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
