//! Division and remainder as RFC 9669 defines them: no traps. Division by zero
//! yields 0, remainder by zero leaves the dividend, signed `MIN / -1` wraps to
//! `MIN` and `MIN % -1` is 0. 32-bit forms use the low 32 bits of both
//! operands and zero-extend the result.

/// Unsigned 64-bit division.
// The compact loop divides with its own routine (`compact::divide`).
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn div64(a: u64, b: u64) -> u64 {
    a.checked_div(b).unwrap_or(0)
}

/// Signed 64-bit division.
// The compact loop divides with its own routine (`compact::divide`).
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn sdiv64(a: u64, b: u64) -> u64 {
    if b == 0 {
        0
    } else {
        (a as i64).wrapping_div(b as i64) as u64
    }
}

/// Unsigned 64-bit remainder.
// The compact loop divides with its own routine (`compact::divide`).
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn mod64(a: u64, b: u64) -> u64 {
    a.checked_rem(b).unwrap_or(a)
}

/// Signed 64-bit remainder (sign of the dividend).
// The compact loop divides with its own routine (`compact::divide`).
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn smod64(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        (a as i64).wrapping_rem(b as i64) as u64
    }
}

/// Unsigned 32-bit division.
// The compact loop derives the 32-bit forms from the 64-bit ones.
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn div32(a: u64, b: u64) -> u64 {
    (a as u32).checked_div(b as u32).unwrap_or(0) as u64
}

/// Signed 32-bit division.
// The compact loop derives the 32-bit forms from the 64-bit ones.
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn sdiv32(a: u64, b: u64) -> u64 {
    if b as u32 == 0 {
        0
    } else {
        (a as i32).wrapping_div(b as i32) as u32 as u64
    }
}

/// Unsigned 32-bit remainder.
// The compact loop derives the 32-bit forms from the 64-bit ones.
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn mod32(a: u64, b: u64) -> u64 {
    let a = a as u32;
    a.checked_rem(b as u32).unwrap_or(a) as u64
}

/// Signed 32-bit remainder.
// The compact loop derives the 32-bit forms from the 64-bit ones.
#[cfg_attr(feature = "compact", allow(dead_code))]
#[inline(always)]
pub fn smod32(a: u64, b: u64) -> u64 {
    if b as u32 == 0 {
        a as u32 as u64
    } else {
        (a as i32).wrapping_rem(b as i32) as u32 as u64
    }
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
