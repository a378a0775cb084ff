//! The instruction forms the JIT emits, one typed method each.
//!
//! Naming: `_rr` register/register, `_ri` register/immediate, `_rm`
//! register destination and memory source, `_mr` memory destination and
//! register source, `_mi` memory destination and immediate. 32-bit forms
//! zero-extend their register result to 64 bits, as the hardware does.

use super::assembler::{Assembler, Label, RegField, Rm};
use super::reg::{Alu, Cond, Mem, Reg, Shift, Size};

impl Assembler {
    /// `op dst, src` (`add`, `or`, `and`, `sub`, `xor`, `cmp`).
    pub fn alu_rr(&mut self, op: Alu, size: Size, dst: Reg, src: Reg) {
        let opcode = (op as u8) << 3 | if size == Size::S8 { 0 } else { 1 };
        self.op_modrm(
            false,
            size,
            &[opcode],
            RegField::Reg(src),
            Rm::Reg(dst),
            size == Size::S8,
        );
    }

    /// `op dst, imm` with the immediate sign-extended to the operand size
    /// (the 8-bit form when it fits).
    pub fn alu_ri(&mut self, op: Alu, size: Size, dst: Reg, imm: i32) {
        let digit = RegField::Digit(op as u8);
        if size == Size::S8 {
            self.op_modrm(false, size, &[0x80], digit, Rm::Reg(dst), true);
            self.byte(imm as u8);
        } else if let Ok(imm8) = i8::try_from(imm) {
            self.op_modrm(false, size, &[0x83], digit, Rm::Reg(dst), false);
            self.byte(imm8 as u8);
        } else {
            self.op_modrm(false, size, &[0x81], digit, Rm::Reg(dst), false);
            self.imm_sized(size, imm);
        }
    }

    /// `op dst, [mem]`.
    pub fn alu_rm(&mut self, op: Alu, size: Size, dst: Reg, src: Mem) {
        let opcode = (op as u8) << 3 | if size == Size::S8 { 2 } else { 3 };
        self.op_modrm(
            false,
            size,
            &[opcode],
            RegField::Reg(dst),
            Rm::Mem(src),
            size == Size::S8,
        );
    }

    /// `[lock] op [mem], src` (the atomic read-modify-write forms).
    pub fn alu_mr(&mut self, lock: bool, op: Alu, size: Size, dst: Mem, src: Reg) {
        let opcode = (op as u8) << 3 | if size == Size::S8 { 0 } else { 1 };
        self.op_modrm(
            lock,
            size,
            &[opcode],
            RegField::Reg(src),
            Rm::Mem(dst),
            size == Size::S8,
        );
    }

    /// `mov dst, src`. The 32-bit form zero-extends (also when `dst == src`).
    pub fn mov_rr(&mut self, size: Size, dst: Reg, src: Reg) {
        let opcode = if size == Size::S8 { 0x88 } else { 0x89 };
        self.op_modrm(
            false,
            size,
            &[opcode],
            RegField::Reg(src),
            Rm::Reg(dst),
            size == Size::S8,
        );
    }

    /// `mov dst32, imm32` (zero-extends to 64 bits).
    pub fn mov_ri32(&mut self, dst: Reg, imm: u32) {
        self.rex(false, false, false, dst.is_extended(), false);
        self.byte(0xb8 | dst.low3());
        self.imm32(imm as i32);
    }

    /// Loads a 64-bit constant with the shortest encoding: `mov r32, imm32`
    /// for values below 2^32, `mov r64, simm32` for sign-extended 32-bit
    /// values, `movabs r64, imm64` otherwise.
    pub fn mov_ri64(&mut self, dst: Reg, imm: i64) {
        if let Ok(v) = u32::try_from(imm) {
            self.mov_ri32(dst, v);
        } else if let Ok(v) = i32::try_from(imm) {
            self.op_modrm(
                false,
                Size::S64,
                &[0xc7],
                RegField::Digit(0),
                Rm::Reg(dst),
                false,
            );
            self.imm32(v);
        } else {
            self.movabs(dst, imm);
        }
    }

    /// `movabs dst, imm64` (always the 10-byte form).
    pub fn movabs(&mut self, dst: Reg, imm: i64) {
        self.rex(true, false, false, dst.is_extended(), false);
        self.byte(0xb8 | dst.low3());
        self.bytes(&imm.to_le_bytes());
    }

    /// `mov dst, [mem]` (32 or 64 bits; narrower loads use [`Self::movzx_rm`]).
    pub fn mov_rm(&mut self, size: Size, dst: Reg, src: Mem) {
        self.op_modrm(
            false,
            size,
            &[0x8b],
            RegField::Reg(dst),
            Rm::Mem(src),
            false,
        );
    }

    /// `mov [mem], src` of the given size.
    pub fn mov_mr(&mut self, size: Size, dst: Mem, src: Reg) {
        let opcode = if size == Size::S8 { 0x88 } else { 0x89 };
        self.op_modrm(
            false,
            size,
            &[opcode],
            RegField::Reg(src),
            Rm::Mem(dst),
            size == Size::S8,
        );
    }

    /// `mov [mem], imm` of the given size (the 64-bit form sign-extends a
    /// 32-bit immediate).
    pub fn mov_mi(&mut self, size: Size, dst: Mem, imm: i32) {
        let opcode = if size == Size::S8 { 0xc6 } else { 0xc7 };
        self.op_modrm(
            false,
            size,
            &[opcode],
            RegField::Digit(0),
            Rm::Mem(dst),
            false,
        );
        self.imm_sized(size, imm);
    }

    /// `movzx dst32, byte/word [mem]` (zero-extends to 64 bits).
    pub fn movzx_rm(&mut self, dst: Reg, src: Mem, from: Size) {
        let opcode = if from == Size::S8 { 0xb6 } else { 0xb7 };
        self.op_modrm(
            false,
            Size::S32,
            &[0x0f, opcode],
            RegField::Reg(dst),
            Rm::Mem(src),
            false,
        );
    }

    /// `movzx dst32, src8/src16` (zero-extends to 64 bits).
    pub fn movzx_rr(&mut self, dst: Reg, src: Reg, from: Size) {
        let opcode = if from == Size::S8 { 0xb6 } else { 0xb7 };
        self.op_modrm(
            false,
            Size::S32,
            &[0x0f, opcode],
            RegField::Reg(dst),
            Rm::Reg(src),
            from == Size::S8,
        );
    }

    /// `movsx dst, [mem]` sign-extending 8, 16 or 32 bits (`movsxd`) to
    /// `size` (32 or 64 bits).
    pub fn movsx_rm(&mut self, size: Size, dst: Reg, src: Mem, from: Size) {
        let opcode: &[u8] = match from {
            Size::S8 => &[0x0f, 0xbe],
            Size::S16 => &[0x0f, 0xbf],
            _ => &[0x63],
        };
        self.op_modrm(false, size, opcode, RegField::Reg(dst), Rm::Mem(src), false);
    }

    /// `movsx dst, src` sign-extending 8, 16 or 32 bits (`movsxd`) to
    /// `size` (32 or 64 bits).
    pub fn movsx_rr(&mut self, size: Size, dst: Reg, src: Reg, from: Size) {
        let opcode: &[u8] = match from {
            Size::S8 => &[0x0f, 0xbe],
            Size::S16 => &[0x0f, 0xbf],
            _ => &[0x63],
        };
        self.op_modrm(
            false,
            size,
            opcode,
            RegField::Reg(dst),
            Rm::Reg(src),
            from == Size::S8,
        );
    }

    /// `lea dst, [mem]` (64-bit address arithmetic, wrapping).
    pub fn lea(&mut self, dst: Reg, src: Mem) {
        self.op_modrm(
            false,
            Size::S64,
            &[0x8d],
            RegField::Reg(dst),
            Rm::Mem(src),
            false,
        );
    }

    /// Shift or rotate `dst` by a constant (the hardware masks it).
    pub fn shift_ri(&mut self, op: Shift, size: Size, dst: Reg, imm: u8) {
        self.op_modrm(
            false,
            size,
            &[0xc1],
            RegField::Digit(op as u8),
            Rm::Reg(dst),
            false,
        );
        self.byte(imm);
    }

    /// Shift or rotate `dst` by `cl` (masked to the operand width).
    pub fn shift_cl(&mut self, op: Shift, size: Size, dst: Reg) {
        self.op_modrm(
            false,
            size,
            &[0xd3],
            RegField::Digit(op as u8),
            Rm::Reg(dst),
            false,
        );
    }

    /// `imul dst, src` (the low half of the product).
    pub fn imul_rr(&mut self, size: Size, dst: Reg, src: Reg) {
        self.op_modrm(
            false,
            size,
            &[0x0f, 0xaf],
            RegField::Reg(dst),
            Rm::Reg(src),
            false,
        );
    }

    /// `imul dst, src, imm` (immediate sign-extended).
    pub fn imul_rri(&mut self, size: Size, dst: Reg, src: Reg, imm: i32) {
        if let Ok(imm8) = i8::try_from(imm) {
            self.op_modrm(
                false,
                size,
                &[0x6b],
                RegField::Reg(dst),
                Rm::Reg(src),
                false,
            );
            self.byte(imm8 as u8);
        } else {
            self.op_modrm(
                false,
                size,
                &[0x69],
                RegField::Reg(dst),
                Rm::Reg(src),
                false,
            );
            self.imm32(imm);
        }
    }

    /// `div src` / `idiv src`: divides `rdx:rax` (`edx:eax`) by `src`.
    pub fn div(&mut self, size: Size, signed: bool, src: Reg) {
        let digit = if signed { 7 } else { 6 };
        self.op_modrm(
            false,
            size,
            &[0xf7],
            RegField::Digit(digit),
            Rm::Reg(src),
            false,
        );
    }

    /// `neg dst`.
    pub fn neg(&mut self, size: Size, dst: Reg) {
        self.op_modrm(
            false,
            size,
            &[0xf7],
            RegField::Digit(3),
            Rm::Reg(dst),
            false,
        );
    }

    /// `cqo` (sign-extends `rax` into `rdx`).
    pub fn cqo(&mut self) {
        self.bytes(&[0x48, 0x99]);
    }

    /// `cdq` (sign-extends `eax` into `edx`).
    pub fn cdq(&mut self) {
        self.byte(0x99);
    }

    /// `bswap dst` (32 or 64 bits).
    pub fn bswap(&mut self, size: Size, dst: Reg) {
        self.rex(size == Size::S64, false, false, dst.is_extended(), false);
        self.bytes(&[0x0f, 0xc8 | dst.low3()]);
    }

    /// `test a, b`.
    pub fn test_rr(&mut self, size: Size, a: Reg, b: Reg) {
        self.op_modrm(false, size, &[0x85], RegField::Reg(b), Rm::Reg(a), false);
    }

    /// `test a, imm` (immediate sign-extended in the 64-bit form).
    pub fn test_ri(&mut self, size: Size, a: Reg, imm: i32) {
        self.op_modrm(false, size, &[0xf7], RegField::Digit(0), Rm::Reg(a), false);
        self.imm_sized(size, imm);
    }

    /// `xchg [mem], reg` (implicitly locked).
    pub fn xchg_mr(&mut self, size: Size, dst: Mem, src: Reg) {
        self.op_modrm(
            false,
            size,
            &[0x87],
            RegField::Reg(src),
            Rm::Mem(dst),
            false,
        );
    }

    /// `lock xadd [mem], reg`: `reg` receives the old value.
    pub fn lock_xadd_mr(&mut self, size: Size, dst: Mem, src: Reg) {
        self.op_modrm(
            true,
            size,
            &[0x0f, 0xc1],
            RegField::Reg(src),
            Rm::Mem(dst),
            false,
        );
    }

    /// `lock cmpxchg [mem], reg`: compares with `rax`/`eax`.
    pub fn lock_cmpxchg_mr(&mut self, size: Size, dst: Mem, src: Reg) {
        self.op_modrm(
            true,
            size,
            &[0x0f, 0xb1],
            RegField::Reg(src),
            Rm::Mem(dst),
            false,
        );
    }

    /// `push reg`.
    pub fn push(&mut self, reg: Reg) {
        self.rex(false, false, false, reg.is_extended(), false);
        self.byte(0x50 | reg.low3());
    }

    /// `pop reg`.
    pub fn pop(&mut self, reg: Reg) {
        self.rex(false, false, false, reg.is_extended(), false);
        self.byte(0x58 | reg.low3());
    }

    /// `jmp label` (rel32).
    pub fn jmp(&mut self, label: Label) {
        self.byte(0xe9);
        self.rel32(label);
    }

    /// `jcc label` (rel32).
    pub fn jcc(&mut self, cond: Cond, label: Label) {
        self.bytes(&[0x0f, 0x80 | cond as u8]);
        self.rel32(label);
    }

    /// `call label` (rel32).
    pub fn call(&mut self, label: Label) {
        self.byte(0xe8);
        self.rel32(label);
    }

    /// `call reg`.
    pub fn call_r(&mut self, target: Reg) {
        self.op_modrm(
            false,
            Size::S32,
            &[0xff],
            RegField::Digit(2),
            Rm::Reg(target),
            false,
        );
    }

    /// `call [mem]`.
    pub fn call_m(&mut self, target: Mem) {
        self.op_modrm(
            false,
            Size::S32,
            &[0xff],
            RegField::Digit(2),
            Rm::Mem(target),
            false,
        );
    }

    /// `ret`.
    pub fn ret(&mut self) {
        self.byte(0xc3);
    }

    /// `int3` (breakpoint trap; also the filler of unused code space).
    pub fn int3(&mut self) {
        self.byte(0xcc);
    }
}
