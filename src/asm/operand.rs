//! Operands: registers, numbers, memory operands and words, parsed from the
//! tokens after a mnemonic, and the rules that fit a number into a field.
//!
//! Number rules (those of the bpf_conformance assembler):
//! - 32-bit immediates: hex (`0x…`) up to `0xffffffff`, stored as that bit
//!   pattern, or decimal within `i32`. A `-` in front of hex negates it.
//! - 16-bit memory offsets: the same with `0xffff` / `i16`.
//! - the 64-bit `lddw` immediate: any non-negative number up to `u64::MAX`, or a
//!   negative one within `i64`.
//! - jump targets `+N` / `-N` are plain signed values; the instruction checks the range.

use alloc::vec::Vec;

use super::error::{AsmError, NumberField};
use super::lexer::Token;
use crate::isa::Reg;

/// A number as written: sign, magnitude and whether it was hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Num {
    neg: bool,
    /// Saturates at `u64::MAX + 1`, which fits no field.
    mag: u128,
    hex: bool,
}

const TOO_BIG: u128 = u64::MAX as u128 + 1;

impl Num {
    /// Parses an unsigned decimal or `0x` hex token.
    fn parse(text: &str, neg: bool, line: usize) -> Result<Num, AsmError> {
        let (digits, radix, hex) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
        {
            Some(h) => (h, 16, true),
            None => (text, 10, false),
        };
        if digits.is_empty() {
            return Err(AsmError::InvalidNumber { line });
        }
        let mut mag: u128 = 0;
        for c in digits.chars() {
            let d = c.to_digit(radix).ok_or(AsmError::InvalidNumber { line })?;
            mag = (mag * u128::from(radix) + u128::from(d)).min(TOO_BIG);
        }
        Ok(Num { neg, mag, hex })
    }

    fn signed(&self) -> i128 {
        if self.neg {
            -(self.mag as i128)
        } else {
            self.mag as i128
        }
    }

    /// The value for a 32-bit immediate field.
    pub(super) fn imm32(&self, line: usize) -> Result<i32, AsmError> {
        let bits = if self.hex && !self.neg {
            u32::try_from(self.mag).ok().map(|v| v as i32)
        } else {
            i32::try_from(self.signed()).ok()
        };
        bits.ok_or(AsmError::OutOfRange {
            line,
            field: NumberField::Imm32,
        })
    }

    /// The value for a 16-bit offset field.
    pub(super) fn off16(&self, line: usize) -> Result<i16, AsmError> {
        let bits = if self.hex && !self.neg {
            u16::try_from(self.mag).ok().map(|v| v as i16)
        } else {
            i16::try_from(self.signed()).ok()
        };
        bits.ok_or(AsmError::OutOfRange {
            line,
            field: NumberField::Offset16,
        })
    }

    /// The value for the 64-bit `lddw` immediate.
    pub(super) fn imm64(&self, line: usize) -> Result<u64, AsmError> {
        let bits = if self.neg {
            i64::try_from(self.signed()).ok().map(|v| v as u64)
        } else {
            u64::try_from(self.mag).ok()
        };
        bits.ok_or(AsmError::OutOfRange {
            line,
            field: NumberField::Imm64,
        })
    }

    /// The signed value, saturated to `i64` (a relative jump target; the
    /// instruction range-checks it).
    pub(super) fn relative(&self) -> i64 {
        i64::try_from(self.signed()).unwrap_or(if self.neg { i64::MIN } else { i64::MAX })
    }
}

/// One parsed operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operand<'a> {
    Reg(Reg),
    Num(Num),
    /// `[base+off]`.
    Mem {
        base: Reg,
        off: i16,
    },
    /// Any other word: a label, or a keyword such as `local` or `fetch`.
    Word(&'a str),
}

/// Parses a register name `rN` or `%rN`. `Ok(None)` means the word is no
/// register at all (so it may be a label); a `%` word or `rN` with `N > 10`
/// is an error.
pub(super) fn register(word: &str, line: usize) -> Result<Option<Reg>, AsmError> {
    let (percent, rest) = match word.strip_prefix('%') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let digits = match rest.strip_prefix('r') {
        Some(d) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => d,
        _ if percent => return Err(AsmError::InvalidRegister { line }),
        _ => return Ok(None),
    };
    digits
        .parse::<u8>()
        .ok()
        .and_then(Reg::new)
        .map(Some)
        .ok_or(AsmError::InvalidRegister { line })
}

/// Parses the operands after the mnemonic. Operands are separated by one
/// comma or by whitespace alone.
pub(super) fn operands<'a>(
    tokens: &[Token<'a>],
    line: usize,
) -> Result<Vec<Operand<'a>>, AsmError> {
    let mut out = Vec::new();
    let mut rest = tokens;
    while !rest.is_empty() {
        if !out.is_empty() {
            if let [Token::Comma, tail @ ..] = rest {
                if tail.is_empty() {
                    return Err(AsmError::UnexpectedToken { line });
                }
                rest = tail;
            }
        }
        let (op, tail) = operand(rest, line)?;
        out.push(op);
        rest = tail;
    }
    Ok(out)
}

type Parsed<'a, 't> = (Operand<'a>, &'t [Token<'a>]);

fn operand<'a, 't>(tokens: &'t [Token<'a>], line: usize) -> Result<Parsed<'a, 't>, AsmError> {
    match tokens {
        [Token::LBracket, rest @ ..] => memory(rest, line),
        [sign @ (Token::Plus | Token::Minus), Token::Number(n), rest @ ..] => Ok((
            Operand::Num(Num::parse(n, *sign == Token::Minus, line)?),
            rest,
        )),
        [Token::Number(n), rest @ ..] => Ok((Operand::Num(Num::parse(n, false, line)?), rest)),
        [Token::Word(w), rest @ ..] => match register(w, line)? {
            Some(r) => Ok((Operand::Reg(r), rest)),
            None => Ok((Operand::Word(w), rest)),
        },
        _ => Err(AsmError::UnexpectedToken { line }),
    }
}

/// Parses the inside of `[reg]`, `[reg+off]` or `[reg-off]` (after the `[`).
fn memory<'a, 't>(tokens: &'t [Token<'a>], line: usize) -> Result<Parsed<'a, 't>, AsmError> {
    let malformed = AsmError::MalformedMemoryOperand { line };
    let [Token::Word(w), rest @ ..] = tokens else {
        return Err(malformed);
    };
    let base = register(w, line)?.ok_or(malformed)?;
    match rest {
        [Token::RBracket, rest @ ..] => Ok((Operand::Mem { base, off: 0 }, rest)),
        [sign @ (Token::Plus | Token::Minus), Token::Number(n), Token::RBracket, rest @ ..] => {
            let off = Num::parse(n, *sign == Token::Minus, line)?.off16(line)?;
            Ok((Operand::Mem { base, off }, rest))
        }
        _ => Err(malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::lexer::tokenize;

    fn num(text: &str, neg: bool) -> Num {
        Num::parse(text, neg, 1).unwrap()
    }

    #[test]
    fn imm32_hex_is_a_bit_pattern_decimal_is_signed() {
        assert_eq!(num("0xffffffff", false).imm32(1), Ok(-1));
        assert_eq!(num("2147483647", false).imm32(1), Ok(i32::MAX));
        assert_eq!(num("2147483648", true).imm32(1), Ok(i32::MIN));
        let oor = Err(AsmError::OutOfRange {
            line: 1,
            field: NumberField::Imm32,
        });
        assert_eq!(num("2147483648", false).imm32(1), oor);
        assert_eq!(num("0x100000000", false).imm32(1), oor);
        assert_eq!(num("0x80000001", true).imm32(1), oor);
        assert_eq!(num("0x10", true).imm32(1), Ok(-16));
    }

    #[test]
    fn off16_and_imm64_ranges() {
        assert_eq!(num("0xffff", false).off16(1), Ok(-1));
        assert_eq!(num("32768", true).off16(1), Ok(i16::MIN));
        assert!(num("32768", false).off16(1).is_err());
        assert_eq!(num("18446744073709551615", false).imm64(1), Ok(u64::MAX));
        assert_eq!(num("1", true).imm64(1), Ok(u64::MAX));
        assert!(num("18446744073709551616", false).imm64(1).is_err());
        assert!(num("9223372036854775809", true).imm64(1).is_err());
        let huge = num("99999999999999999999999999999999999999999999", false);
        assert!(huge.imm64(1).is_err());
        assert_eq!(huge.relative(), i64::MAX);
    }

    #[test]
    fn malformed_numbers() {
        for bad in ["0x", "12ab", "0xfg", "0b1"] {
            assert_eq!(
                Num::parse(bad, false, 4),
                Err(AsmError::InvalidNumber { line: 4 })
            );
        }
    }

    #[test]
    fn registers_with_and_without_percent() {
        assert_eq!(register("r10", 1), Ok(Some(Reg::R10)));
        assert_eq!(register("%r0", 1), Ok(Some(Reg::R0)));
        assert_eq!(register("loop", 1), Ok(None));
        assert_eq!(register("r", 1), Ok(None));
        assert_eq!(
            register("r11", 3),
            Err(AsmError::InvalidRegister { line: 3 })
        );
        assert_eq!(
            register("%x", 3),
            Err(AsmError::InvalidRegister { line: 3 })
        );
        assert_eq!(
            register("r99999999999", 3),
            Err(AsmError::InvalidRegister { line: 3 })
        );
    }

    fn ops(text: &str) -> Result<Vec<Operand<'_>>, AsmError> {
        let toks = tokenize(text, 1)?;
        operands(&toks, 1).map(|v| v.into_iter().collect())
    }

    #[test]
    fn memory_operands() {
        let mem = |base, off| Ok(alloc::vec![Operand::Mem { base, off }]);
        assert_eq!(ops("[r1]"), mem(Reg::R1, 0));
        assert_eq!(ops("[%r10-8]"), mem(Reg::R10, -8));
        assert_eq!(ops("[ r2 + 0x10 ]"), mem(Reg::R2, 16));
        let bad = Err(AsmError::MalformedMemoryOperand { line: 1 });
        for text in ["[r1", "[r1+]", "[5]", "[r1+2+3]", "[r1 2]", "[]", "[loop]"] {
            assert_eq!(ops(text), bad, "{text}");
        }
    }

    #[test]
    fn separators() {
        assert_eq!(ops("r1 r2").map(|v| v.len()), Ok(2));
        assert_eq!(ops("r1, +3").map(|v| v.len()), Ok(2));
        let unexpected = Err(AsmError::UnexpectedToken { line: 1 });
        assert_eq!(ops("r1,"), unexpected);
        assert_eq!(ops("r1,,r2"), unexpected);
        assert_eq!(ops(", r1"), unexpected);
        assert_eq!(ops("r1 -"), unexpected);
        assert_eq!(ops("r1 ]"), unexpected);
    }
}
