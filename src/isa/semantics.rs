//! The RFC 9669 arithmetic rules every engine must agree on, defined once.
//!
//! Division and remainder never trap: division by zero yields 0, remainder
//! by zero leaves the dividend, signed `MIN / -1` wraps to `MIN` and
//! `MIN % -1` is 0; a signed remainder takes the dividend's sign. 32-bit
//! forms use the low 32 bits of both operands (sign-extended for the signed
//! forms) and zero-extend the result. [`divide`] states the rule over an
//! unsigned division primitive, so the fast interpreter (hardware division)
//! and the compact one (long division on 32-bit targets, to keep the
//! compiler's 64-bit division routine out of firmware) share it; the JIT's
//! code generator emits the same rule and the differential tests compare.
//!
//! The jump conditions are [`JumpCond::holds64`](super::JumpCond::holds64)
//! and [`JumpCond::holds32`](super::JumpCond::holds32).

/// A division or remainder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DivOp {
    /// Unsigned division.
    Div,
    /// Signed division.
    SDiv,
    /// Unsigned remainder.
    Mod,
    /// Signed remainder (the dividend's sign).
    SMod,
}

/// `op` on 64-bit `a` and `b` by RFC 9669's rules, with `div_rem(a, b)`
/// computing the unsigned quotient and remainder for a nonzero `b`. The
/// signed forms divide the magnitudes and fix the signs, which also wraps
/// `MIN / -1` to `MIN` (remainder 0).
#[inline(always)]
pub fn divide(op: DivOp, a: u64, b: u64, div_rem: impl FnOnce(u64, u64) -> (u64, u64)) -> u64 {
    let quotient = matches!(op, DivOp::Div | DivOp::SDiv);
    if b == 0 {
        return if quotient { 0 } else { a };
    }
    let signed = matches!(op, DivOp::SDiv | DivOp::SMod);
    let (a_neg, b_neg) = (signed && (a as i64) < 0, signed && (b as i64) < 0);
    let magnitude = |v: u64, neg: bool| if neg { v.wrapping_neg() } else { v };
    let (q, r) = div_rem(magnitude(a, a_neg), magnitude(b, b_neg));
    if quotient {
        magnitude(q, a_neg != b_neg)
    } else {
        magnitude(r, a_neg)
    }
}

/// The unsigned primitive in hardware (`b` nonzero).
#[inline(always)]
pub fn hardware_div_rem(a: u64, b: u64) -> (u64, u64) {
    (a / b, a % b)
}

/// A 32-bit operand of a signed form: the low 32 bits, sign-extended.
#[inline(always)]
fn sext32(v: u64) -> u64 {
    v as i32 as i64 as u64
}

/// Unsigned 64-bit division.
#[inline(always)]
pub fn div64(a: u64, b: u64) -> u64 {
    divide(DivOp::Div, a, b, hardware_div_rem)
}

/// Signed 64-bit division.
#[inline(always)]
pub fn sdiv64(a: u64, b: u64) -> u64 {
    divide(DivOp::SDiv, a, b, hardware_div_rem)
}

/// Unsigned 64-bit remainder.
#[inline(always)]
pub fn mod64(a: u64, b: u64) -> u64 {
    divide(DivOp::Mod, a, b, hardware_div_rem)
}

/// Signed 64-bit remainder (sign of the dividend).
#[inline(always)]
pub fn smod64(a: u64, b: u64) -> u64 {
    divide(DivOp::SMod, a, b, hardware_div_rem)
}

/// Unsigned 32-bit division.
#[inline(always)]
pub fn div32(a: u64, b: u64) -> u64 {
    divide(
        DivOp::Div,
        a as u32 as u64,
        b as u32 as u64,
        hardware_div_rem,
    )
}

/// Signed 32-bit division.
#[inline(always)]
pub fn sdiv32(a: u64, b: u64) -> u64 {
    divide(DivOp::SDiv, sext32(a), sext32(b), hardware_div_rem) as u32 as u64
}

/// Unsigned 32-bit remainder.
#[inline(always)]
pub fn mod32(a: u64, b: u64) -> u64 {
    divide(
        DivOp::Mod,
        a as u32 as u64,
        b as u32 as u64,
        hardware_div_rem,
    )
}

/// Signed 32-bit remainder.
#[inline(always)]
pub fn smod32(a: u64, b: u64) -> u64 {
    divide(DivOp::SMod, sext32(a), sext32(b), hardware_div_rem) as u32 as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_zero_follows_rfc9669() {
        assert_eq!(div64(7, 0), 0);
        assert_eq!(sdiv64(7, 0), 0);
        assert_eq!(mod64(7, 0), 7);
        assert_eq!(smod64(-7i64 as u64, 0), -7i64 as u64);
        assert_eq!(div32(0xffff_ffff_0000_0007, 0), 0);
        // The divisor's low 32 bits are zero: division by zero.
        assert_eq!(div32(7, 0x1_0000_0000), 0);
        // Remainder by zero keeps the dividend's low 32 bits only.
        assert_eq!(mod32(0xffff_ffff_0000_0007, 0), 7);
        assert_eq!(smod32(0xffff_ffff_ffff_fff9, 0), 0xffff_fff9);
    }

    #[test]
    fn signed_overflow_wraps() {
        assert_eq!(sdiv64(i64::MIN as u64, -1i64 as u64), i64::MIN as u64);
        assert_eq!(smod64(i64::MIN as u64, -1i64 as u64), 0);
        assert_eq!(
            sdiv32(i32::MIN as u32 as u64, u64::MAX),
            i32::MIN as u32 as u64
        );
        assert_eq!(smod32(i32::MIN as u32 as u64, u64::MAX), 0);
    }

    #[test]
    fn signed_results_take_the_dividend_sign() {
        assert_eq!(smod64(-7i64 as u64, 3), -1i64 as u64);
        assert_eq!(smod64(7, -3i64 as u64), 1);
        assert_eq!(sdiv64(-7i64 as u64, 2), -3i64 as u64);
        assert_eq!(smod32(-7i32 as u32 as u64, 3), -1i32 as u32 as u64);
        assert_eq!(sdiv32(7, -2i32 as u32 as u64), -3i32 as u32 as u64);
    }
}
