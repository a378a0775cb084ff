//! Errors of the assembler ([`AsmError`]) and the disassembler ([`DisasmError`]).
//!
//! In the crate's style they are small `Copy` enums with named fields and no
//! `String`: an assembler error names the 1-based source line and what was
//! expected there, a disassembler error names the pc of the offending slot.

use core::fmt;

use crate::isa::DecodeError;

/// A word of the source quoted inside an error without allocating: up to
/// [`Word::CAPACITY`] bytes, cut at a character boundary (`Display` marks a
/// cut word with `…`).
///
/// ```
/// use ebpfvm::asm::Word;
/// assert_eq!(Word::new("frobnicate").to_string(), "frobnicate");
/// assert_eq!(Word::new("an_extremely_long_mnemonic_name").to_string(), "an_extremely_lo…");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Word {
    bytes: [u8; Word::CAPACITY],
    len: u8,
    truncated: bool,
}

impl Word {
    /// How many bytes of a word are kept.
    pub const CAPACITY: usize = 15;

    /// Keeps the longest prefix of `word` that fits and ends on a character
    /// boundary.
    pub fn new(word: &str) -> Self {
        let mut len = word.len().min(Self::CAPACITY);
        while !word.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; Self::CAPACITY];
        bytes[..len].copy_from_slice(&word.as_bytes()[..len]);
        Word {
            bytes,
            len: len as u8,
            truncated: len < word.len(),
        }
    }

    /// The kept part of the word.
    pub fn as_str(&self) -> &str {
        // `new` copied whole characters of a `str`, so this never fails.
        core::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }

    /// Whether the word was longer than [`CAPACITY`](Self::CAPACITY).
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Word {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str());
        if self.truncated {
            defmt::write!(f, "…");
        }
    }
}

/// What the assembler expected in an operand position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Expected {
    /// A register `r0`..`r10` (or `%r0`..`%r10`).
    Register,
    /// A number.
    Immediate,
    /// A register or a number.
    RegisterOrImmediate,
    /// A memory operand `[reg]`, `[reg+off]` or `[reg-off]`.
    MemoryOperand,
    /// A jump target: a label, `+N` or `-N`.
    Target,
    /// A helper id, a register, `local <target>` or a label.
    CallTarget,
    /// An atomic operation after `lock [fetch]`: `add`, `and`, `or`, `xor`,
    /// `xchg` or `cmpxchg`, each optionally with a `32` suffix.
    AtomicOperation,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Register => "a register",
            Expected::Immediate => "a number",
            Expected::RegisterOrImmediate => "a register or a number",
            Expected::MemoryOperand => "a memory operand [reg+off]",
            Expected::Target => "a label, +N or -N",
            Expected::CallTarget => "a helper id, a register or `local <target>`",
            Expected::AtomicOperation => "an atomic operation (add, and, or, xor, xchg, cmpxchg)",
        })
    }
}

/// The field a number did not fit into, with its accepted range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum NumberField {
    /// The 32-bit immediate: hex up to `0xffffffff` (a bit pattern) or
    /// decimal within `i32`.
    Imm32,
    /// The 16-bit memory offset: hex up to `0xffff` (a bit pattern) or
    /// decimal within `i16`.
    Offset16,
    /// The 64-bit `lddw` immediate: up to `u64::MAX`, or negative within `i64`.
    Imm64,
}

impl fmt::Display for NumberField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberField::Imm32 => "32-bit immediate (hex up to 0xffffffff or decimal i32)",
            NumberField::Offset16 => "16-bit offset (hex up to 0xffff or decimal i16)",
            NumberField::Imm64 => "64-bit immediate",
        })
    }
}

/// Why a text does not assemble.
///
/// Every variant carries `line`, the 1-based source line (see [`AsmError::line`]).
///
/// ```
/// use ebpfvm::asm::{assemble, AsmError, NumberField};
///
/// let err = assemble("mov r0, 1\nmov r0, 0x100000000").unwrap_err();
/// assert_eq!(err, AsmError::OutOfRange { line: 2, field: NumberField::Imm32 });
/// assert_eq!(err.line(), 2);
/// assert!(err.to_string().starts_with("line 2: "));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum AsmError {
    /// A character that is not part of the syntax.
    UnexpectedCharacter {
        /// 1-based source line.
        line: usize,
        /// The character.
        ch: char,
    },
    /// A token in a position where none of its kind is allowed (a stray `,`,
    /// `:`, `]` or sign).
    UnexpectedToken {
        /// 1-based source line.
        line: usize,
    },
    /// The first word of an instruction is not a known mnemonic.
    UnknownMnemonic {
        /// 1-based source line.
        line: usize,
        /// The word as written (its first [`Word::CAPACITY`] bytes).
        mnemonic: Word,
    },
    /// The instruction has the wrong number of operands.
    OperandCount {
        /// 1-based source line.
        line: usize,
        /// How many the mnemonic takes (for `call`, the nearest valid count).
        expected: u8,
        /// How many were written (saturating at 255).
        found: u8,
    },
    /// An operand is of the wrong kind.
    Expected {
        /// 1-based source line.
        line: usize,
        /// 1-based position of the operand (for `lock`, counting `fetch` and
        /// the operation as operands).
        operand: u8,
        /// What the position takes.
        expected: Expected,
    },
    /// A register name outside `r0`..`r10`, or a `%` word that is no register.
    InvalidRegister {
        /// 1-based source line.
        line: usize,
    },
    /// A token that starts with a digit but is not a decimal or `0x` hex number.
    InvalidNumber {
        /// 1-based source line.
        line: usize,
    },
    /// A number does not fit the field it is written into.
    OutOfRange {
        /// 1-based source line.
        line: usize,
        /// The field and its range.
        field: NumberField,
    },
    /// A memory operand is not of the form `[reg]`, `[reg+off]` or `[reg-off]`.
    MalformedMemoryOperand {
        /// 1-based source line.
        line: usize,
    },
    /// A label definition whose name is not an identifier or looks like a register.
    InvalidLabel {
        /// 1-based source line.
        line: usize,
    },
    /// A label defined a second time.
    DuplicateLabel {
        /// 1-based source line of the second definition.
        line: usize,
        /// 1-based source line of the first definition.
        first: usize,
    },
    /// A jump or call names a label that is defined nowhere.
    UndefinedLabel {
        /// 1-based source line.
        line: usize,
    },
    /// The jump offset does not fit the instruction's offset field (16 bits,
    /// or 32 for `ja32` and `call local`).
    JumpOutOfRange {
        /// 1-based source line.
        line: usize,
        /// The offset in slots, relative to the next instruction.
        offset: i64,
    },
}

impl AsmError {
    /// The 1-based source line the error refers to.
    pub fn line(&self) -> usize {
        use AsmError::*;
        match *self {
            UnexpectedCharacter { line, .. }
            | UnexpectedToken { line }
            | UnknownMnemonic { line, .. }
            | OperandCount { line, .. }
            | Expected { line, .. }
            | InvalidRegister { line }
            | InvalidNumber { line }
            | OutOfRange { line, .. }
            | MalformedMemoryOperand { line }
            | InvalidLabel { line }
            | DuplicateLabel { line, .. }
            | UndefinedLabel { line }
            | JumpOutOfRange { line, .. } => line,
        }
    }
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AsmError::*;
        write!(f, "line {}: ", self.line())?;
        match *self {
            UnexpectedCharacter { ch, .. } => write!(f, "unexpected character {ch:?}"),
            UnexpectedToken { .. } => write!(f, "unexpected token"),
            UnknownMnemonic { mnemonic, .. } => write!(f, "unknown mnemonic `{mnemonic}`"),
            OperandCount {
                expected, found, ..
            } => write!(f, "expected {expected} operands, found {found}"),
            Expected {
                operand, expected, ..
            } => write!(f, "operand {operand}: expected {expected}"),
            InvalidRegister { .. } => write!(f, "invalid register (expected r0..r10)"),
            InvalidNumber { .. } => write!(f, "malformed number"),
            OutOfRange { field, .. } => write!(f, "number does not fit the {field}"),
            MalformedMemoryOperand { .. } => {
                write!(
                    f,
                    "malformed memory operand (expected [reg], [reg+off] or [reg-off])"
                )
            }
            InvalidLabel { .. } => write!(f, "invalid label name"),
            DuplicateLabel { first, .. } => {
                write!(f, "duplicate label (first defined on line {first})")
            }
            UndefinedLabel { .. } => write!(f, "undefined label"),
            JumpOutOfRange { offset, .. } => {
                write!(f, "jump offset {offset} does not fit the instruction")
            }
        }
    }
}

impl core::error::Error for AsmError {}

/// Why a byte buffer does not disassemble.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DisasmError {
    /// The byte length is not a multiple of 8.
    TruncatedProgram {
        /// The length in bytes.
        len: usize,
    },
    /// A slot does not decode.
    InvalidInstruction {
        /// Slot index of the instruction.
        pc: usize,
        /// Why it does not decode.
        reason: DecodeError,
    },
}

impl fmt::Display for DisasmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DisasmError::TruncatedProgram { len } => {
                write!(f, "program length {len} is not a multiple of 8")
            }
            DisasmError::InvalidInstruction { pc, reason } => write!(f, "pc {pc}: {reason}"),
        }
    }
}

impl core::error::Error for DisasmError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            DisasmError::TruncatedProgram { .. } => None,
            DisasmError::InvalidInstruction { reason, .. } => Some(reason),
        }
    }
}
