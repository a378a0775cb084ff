//! ALU, byte-order and `lddw` instructions.
//!
//! 32-bit forms use 32-bit x86 operations, which zero-extend their result as
//! RFC 9669 requires. Division follows the RFC's total semantics (no traps):
//! the divisor is tested for 0 (and, when signed, -1, which the hardware
//! would fault on for `MIN / -1`) before `div`/`idiv` runs.

use super::{x, Compiler, T0, T1};
use crate::jit::x86::{Alu, Cond, Reg, Shift, Size};
use crate::program::{Op, OpCode};

/// The second operand of a two-operand instruction.
#[derive(Clone, Copy)]
enum Src {
    Reg(Reg),
    Imm(i32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DivKind {
    Quotient,
    Remainder,
}

impl Compiler<'_> {
    pub(super) fn emit_lddw(&mut self, op: Op) {
        let dst = x(op.dst);
        match self.blinder.as_mut() {
            Some(b) => {
                let key = b.next_i64();
                self.a.movabs(dst, op.imm ^ key);
                self.a.movabs(T0, key);
                self.a.alu_rr(Alu::Xor, Size::S64, dst, T0);
            }
            None => self.a.mov_ri64(dst, op.imm),
        }
    }

    pub(super) fn emit_alu(&mut self, op: Op) {
        use OpCode::*;
        let dst = x(op.dst);
        let src = x(op.src);
        let imm = op.imm as i32;
        let (s64, s32) = (Size::S64, Size::S32);
        match op.code {
            Add64Imm => self.alu_imm(Alu::Add, s64, dst, imm),
            Add64Reg => self.a.alu_rr(Alu::Add, s64, dst, src),
            Sub64Imm => self.alu_imm(Alu::Sub, s64, dst, imm),
            Sub64Reg => self.a.alu_rr(Alu::Sub, s64, dst, src),
            Or64Imm => self.alu_imm(Alu::Or, s64, dst, imm),
            Or64Reg => self.a.alu_rr(Alu::Or, s64, dst, src),
            And64Imm => self.alu_imm(Alu::And, s64, dst, imm),
            And64Reg => self.a.alu_rr(Alu::And, s64, dst, src),
            Xor64Imm => self.alu_imm(Alu::Xor, s64, dst, imm),
            Xor64Reg => self.a.alu_rr(Alu::Xor, s64, dst, src),
            Add32Imm => self.alu_imm(Alu::Add, s32, dst, imm),
            Add32Reg => self.a.alu_rr(Alu::Add, s32, dst, src),
            Sub32Imm => self.alu_imm(Alu::Sub, s32, dst, imm),
            Sub32Reg => self.a.alu_rr(Alu::Sub, s32, dst, src),
            Or32Imm => self.alu_imm(Alu::Or, s32, dst, imm),
            Or32Reg => self.a.alu_rr(Alu::Or, s32, dst, src),
            And32Imm => self.alu_imm(Alu::And, s32, dst, imm),
            And32Reg => self.a.alu_rr(Alu::And, s32, dst, src),
            Xor32Imm => self.alu_imm(Alu::Xor, s32, dst, imm),
            Xor32Reg => self.a.alu_rr(Alu::Xor, s32, dst, src),

            Mov64Imm => self.mov_imm(s64, dst, imm),
            Mov32Imm => self.mov_imm(s32, dst, imm),
            Mov64Reg if dst == src => {}
            Mov64Reg => self.a.mov_rr(s64, dst, src),
            // Always emitted: it also clears the upper half when dst == src.
            Mov32Reg => self.a.mov_rr(s32, dst, src),

            Mul64Imm => self.mul_imm(s64, dst, imm),
            Mul64Reg => self.a.imul_rr(s64, dst, src),
            Mul32Imm => self.mul_imm(s32, dst, imm),
            Mul32Reg => self.a.imul_rr(s32, dst, src),

            Div64Imm => self.div(s64, false, DivKind::Quotient, dst, Src::Imm(imm)),
            Div64Reg => self.div(s64, false, DivKind::Quotient, dst, Src::Reg(src)),
            SDiv64Imm => self.div(s64, true, DivKind::Quotient, dst, Src::Imm(imm)),
            SDiv64Reg => self.div(s64, true, DivKind::Quotient, dst, Src::Reg(src)),
            Mod64Imm => self.div(s64, false, DivKind::Remainder, dst, Src::Imm(imm)),
            Mod64Reg => self.div(s64, false, DivKind::Remainder, dst, Src::Reg(src)),
            SMod64Imm => self.div(s64, true, DivKind::Remainder, dst, Src::Imm(imm)),
            SMod64Reg => self.div(s64, true, DivKind::Remainder, dst, Src::Reg(src)),
            Div32Imm => self.div(s32, false, DivKind::Quotient, dst, Src::Imm(imm)),
            Div32Reg => self.div(s32, false, DivKind::Quotient, dst, Src::Reg(src)),
            SDiv32Imm => self.div(s32, true, DivKind::Quotient, dst, Src::Imm(imm)),
            SDiv32Reg => self.div(s32, true, DivKind::Quotient, dst, Src::Reg(src)),
            Mod32Imm => self.div(s32, false, DivKind::Remainder, dst, Src::Imm(imm)),
            Mod32Reg => self.div(s32, false, DivKind::Remainder, dst, Src::Reg(src)),
            SMod32Imm => self.div(s32, true, DivKind::Remainder, dst, Src::Imm(imm)),
            SMod32Reg => self.div(s32, true, DivKind::Remainder, dst, Src::Reg(src)),

            Lsh64Imm => self.shift_imm(Shift::Shl, s64, dst, imm),
            Lsh64Reg => self.shift_reg(Shift::Shl, s64, dst, src),
            Rsh64Imm => self.shift_imm(Shift::Shr, s64, dst, imm),
            Rsh64Reg => self.shift_reg(Shift::Shr, s64, dst, src),
            Arsh64Imm => self.shift_imm(Shift::Sar, s64, dst, imm),
            Arsh64Reg => self.shift_reg(Shift::Sar, s64, dst, src),
            Lsh32Imm => self.shift_imm(Shift::Shl, s32, dst, imm),
            Lsh32Reg => self.shift_reg(Shift::Shl, s32, dst, src),
            Rsh32Imm => self.shift_imm(Shift::Shr, s32, dst, imm),
            Rsh32Reg => self.shift_reg(Shift::Shr, s32, dst, src),
            Arsh32Imm => self.shift_imm(Shift::Sar, s32, dst, imm),
            Arsh32Reg => self.shift_reg(Shift::Sar, s32, dst, src),

            Neg64 => self.a.neg(s64, dst),
            Neg32 => self.a.neg(s32, dst),
            MovSx8To64 => self.a.movsx_rr(s64, dst, src, Size::S8),
            MovSx16To64 => self.a.movsx_rr(s64, dst, src, Size::S16),
            MovSx32To64 => self.a.movsx_rr(s64, dst, src, Size::S32),
            MovSx8To32 => self.a.movsx_rr(s32, dst, src, Size::S8),
            MovSx16To32 => self.a.movsx_rr(s32, dst, src, Size::S16),

            Le16 => self.a.movzx_rr(dst, dst, Size::S16),
            Le32 => self.a.mov_rr(s32, dst, dst),
            Le64 => {}
            Be16 | Bswap16 => {
                self.a.shift_ri(Shift::Rol, Size::S16, dst, 8);
                self.a.movzx_rr(dst, dst, Size::S16);
            }
            Be32 | Bswap32 => self.a.bswap(s32, dst),
            Be64 | Bswap64 => self.a.bswap(s64, dst),
            // Memory, control and lddw forms are dispatched elsewhere.
            _ => {}
        }
    }

    /// `op dst, imm` (or through a blinded scratch register).
    fn alu_imm(&mut self, op: Alu, size: Size, dst: Reg, imm: i32) {
        if self.blinding() {
            self.load_imm(T0, imm);
            self.a.alu_rr(op, size, dst, T0);
        } else {
            self.a.alu_ri(op, size, dst, imm);
        }
    }

    fn mov_imm(&mut self, size: Size, dst: Reg, imm: i32) {
        match (self.blinder.as_mut(), size) {
            (Some(b), Size::S64) => {
                let key = b.next_u32();
                self.a.mov_ri64(dst, (imm ^ key) as i64);
                self.a.alu_ri(Alu::Xor, Size::S64, dst, key);
            }
            (Some(b), _) => {
                let key = b.next_u32();
                self.a.mov_ri32(dst, (imm ^ key) as u32);
                self.a.alu_ri(Alu::Xor, Size::S32, dst, key);
            }
            (None, Size::S64) => self.a.mov_ri64(dst, imm as i64),
            (None, _) => self.a.mov_ri32(dst, imm as u32),
        }
    }

    fn mul_imm(&mut self, size: Size, dst: Reg, imm: i32) {
        if self.blinding() {
            self.load_imm(T0, imm);
            self.a.imul_rr(size, dst, T0);
        } else {
            self.a.imul_rri(size, dst, dst, imm);
        }
    }

    fn shift_imm(&mut self, op: Shift, size: Size, dst: Reg, imm: i32) {
        let bits = if size == Size::S64 { 64 } else { 32 };
        let count = (imm as u32 % bits) as u8;
        if count != 0 {
            self.a.shift_ri(op, size, dst, count);
        } else if size == Size::S32 {
            // A zero count leaves dst untouched; the 32-bit result must
            // still be zero-extended.
            self.a.mov_rr(Size::S32, dst, dst);
        }
    }

    fn shift_reg(&mut self, op: Shift, size: Size, dst: Reg, src: Reg) {
        self.a.mov_rr(Size::S32, T0, src);
        if size == Size::S32 {
            // The hardware leaves dst unmodified for a masked count of 0;
            // zero-extend first so the 32-bit result is right either way.
            self.a.mov_rr(Size::S32, dst, dst);
        }
        self.a.shift_cl(op, size, dst);
    }

    /// Division and remainder with RFC 9669 semantics.
    fn div(&mut self, size: Size, signed: bool, kind: DivKind, dst: Reg, src: Src) {
        let done = self.a.new_label();
        let zero = self.a.new_label();
        let minus_one = self.a.new_label();
        match src {
            // Constant divisors resolve the special cases at compile time.
            Src::Imm(0) => {
                self.div_by_zero(size, kind, dst);
                return;
            }
            Src::Imm(-1) if signed => {
                self.div_by_minus_one(size, kind, dst);
                return;
            }
            Src::Imm(imm) => self.load_imm(T0, imm),
            Src::Reg(r) => {
                self.a.mov_rr(size, T0, r);
                self.a.test_rr(size, T0, T0);
                self.a.jcc(Cond::E, zero);
                if signed {
                    self.a.alu_ri(Alu::Cmp, size, T0, -1);
                    self.a.jcc(Cond::E, minus_one);
                }
            }
        }
        // rdx:rax / rcx; r0 (rax) is saved around it unless it is dst.
        if dst != Reg::Rax {
            self.a.push(Reg::Rax);
            self.a.mov_rr(size, Reg::Rax, dst);
        }
        match (signed, size) {
            (true, Size::S64) => self.a.cqo(),
            (true, _) => self.a.cdq(),
            (false, _) => self.a.alu_rr(Alu::Xor, Size::S32, T1, T1),
        }
        self.a.div(size, signed, T0);
        let result = match kind {
            DivKind::Quotient => Reg::Rax,
            DivKind::Remainder => T1,
        };
        if dst != result {
            self.a.mov_rr(size, dst, result);
        }
        if dst != Reg::Rax {
            self.a.pop(Reg::Rax);
        }
        if let Src::Reg(_) = src {
            self.a.jmp(done);
            self.a.bind(zero);
            self.div_by_zero(size, kind, dst);
            if signed {
                self.a.jmp(done);
                self.a.bind(minus_one);
                self.div_by_minus_one(size, kind, dst);
            }
        }
        self.a.bind(done);
    }

    /// `x / 0 = 0`, `x % 0 = x` (truncated to the operand width).
    fn div_by_zero(&mut self, size: Size, kind: DivKind, dst: Reg) {
        match (kind, size) {
            (DivKind::Quotient, _) => self.a.alu_rr(Alu::Xor, Size::S32, dst, dst),
            (DivKind::Remainder, Size::S64) => {}
            (DivKind::Remainder, _) => self.a.mov_rr(Size::S32, dst, dst),
        }
    }

    /// `x / -1 = -x` (wrapping, so `MIN / -1 = MIN`), `x % -1 = 0`.
    fn div_by_minus_one(&mut self, size: Size, kind: DivKind, dst: Reg) {
        match kind {
            DivKind::Quotient => self.a.neg(size, dst),
            DivKind::Remainder => self.a.alu_rr(Alu::Xor, Size::S32, dst, dst),
        }
    }
}
