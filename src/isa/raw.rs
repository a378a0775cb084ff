//! The 8-byte instruction slot exactly as it is stored in a program.
//!
//! Layout (little-endian, RFC 9669 section 3): `opcode:8 dst:4 src:4 offset:16 imm:32`.
//! A wide instruction (`lddw`) occupies two consecutive slots.

/// Size in bytes of one instruction slot.
pub const INSN_SIZE: usize = 8;

/// One raw instruction slot, with its fields split out but not interpreted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RawInsn {
    /// The opcode byte.
    pub opcode: u8,
    /// Destination register field (0..=15 as encoded).
    pub dst: u8,
    /// Source register field (0..=15 as encoded).
    pub src: u8,
    /// Signed 16-bit offset.
    pub off: i16,
    /// Signed 32-bit immediate.
    pub imm: i32,
}

impl RawInsn {
    /// Builds a slot from its fields; `dst` and `src` are truncated to 4 bits.
    #[inline]
    pub const fn new(opcode: u8, dst: u8, src: u8, off: i16, imm: i32) -> Self {
        RawInsn {
            opcode,
            dst: dst & 0x0f,
            src: src & 0x0f,
            off,
            imm,
        }
    }

    /// Splits 8 little-endian bytes into fields.
    ///
    /// ```
    /// use ebpfvm::isa::RawInsn;
    /// let insn = RawInsn::from_bytes([0xb7, 0x10, 0x02, 0x00, 0x2a, 0, 0, 0]);
    /// assert_eq!((insn.opcode, insn.dst, insn.src, insn.off, insn.imm), (0xb7, 0, 1, 2, 42));
    /// ```
    #[inline]
    pub const fn from_bytes(b: [u8; INSN_SIZE]) -> Self {
        RawInsn {
            opcode: b[0],
            dst: b[1] & 0x0f,
            src: b[1] >> 4,
            off: i16::from_le_bytes([b[2], b[3]]),
            imm: i32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        }
    }

    /// Joins the fields into 8 little-endian bytes.
    #[inline]
    pub const fn to_bytes(self) -> [u8; INSN_SIZE] {
        let off = self.off.to_le_bytes();
        let imm = self.imm.to_le_bytes();
        [
            self.opcode,
            (self.dst & 0x0f) | (self.src << 4),
            off[0],
            off[1],
            imm[0],
            imm[1],
            imm[2],
            imm[3],
        ]
    }

    /// The slot as a little-endian 64-bit word (the `-- raw` form of the conformance files).
    #[inline]
    pub const fn to_u64(self) -> u64 {
        u64::from_le_bytes(self.to_bytes())
    }

    /// Builds a slot from a little-endian 64-bit word.
    #[inline]
    pub const fn from_u64(word: u64) -> Self {
        Self::from_bytes(word.to_le_bytes())
    }
}

/// Iterates over the slots of a byte buffer; a trailing partial slot is not yielded.
pub fn slots(code: &[u8]) -> impl Iterator<Item = RawInsn> + '_ {
    code.chunks_exact(INSN_SIZE).map(|c| {
        let mut b = [0u8; INSN_SIZE];
        b.copy_from_slice(c);
        RawInsn::from_bytes(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_every_field_pattern() {
        for &(op, d, s, off, imm) in &[
            (0u8, 0u8, 0u8, 0i16, 0i32),
            (0xff, 15, 15, -1, -1),
            (0x18, 3, 0, i16::MIN, i32::MIN),
            (0x85, 0, 1, i16::MAX, i32::MAX),
        ] {
            let raw = RawInsn::new(op, d, s, off, imm);
            assert_eq!(RawInsn::from_bytes(raw.to_bytes()), raw);
            assert_eq!(RawInsn::from_u64(raw.to_u64()), raw);
        }
    }

    #[test]
    fn register_nibbles_are_dst_low_src_high() {
        let raw = RawInsn::from_bytes([0xbf, 0x21, 0, 0, 0, 0, 0, 0]);
        assert_eq!((raw.dst, raw.src), (1, 2));
    }

    #[test]
    fn slots_ignores_trailing_partial_slot() {
        let code = [0u8; 20];
        assert_eq!(slots(&code).count(), 2);
    }
}
