//! Jumps, local calls, builtin calls and `callx`.

use super::{x, Compiler, CTX, T0, T1};
use crate::jit::state::offset;
use crate::jit::x86::{Alu, Cond, Label, Mem, Reg, Size};
use crate::program::{Op, OpCode};

/// r6..r10, pushed by a local call and popped when it returns.
const CALLEE_FRAME: [Reg; 5] = [Reg::Rbx, Reg::R12, Reg::R14, Reg::R15, Reg::Rbp];

impl Compiler<'_> {
    fn next_pc(&self, pc: usize) -> usize {
        pc + 1
    }

    pub(super) fn emit_ja(&mut self, pc: usize, op: Op) {
        let target = op.off as usize;
        if target != self.next_pc(pc) {
            let label = self.block_label(target);
            self.a.jmp(label);
        }
    }

    pub(super) fn emit_jump(&mut self, pc: usize, op: Op) {
        use OpCode::*;
        let target = op.off as usize;
        if target == self.next_pc(pc) {
            // Both outcomes continue at the next instruction.
            return;
        }
        let (size, cond, is_test, reg) = match op.code {
            Jeq64Imm => (Size::S64, Cond::E, false, false),
            Jeq64Reg => (Size::S64, Cond::E, false, true),
            Jgt64Imm => (Size::S64, Cond::A, false, false),
            Jgt64Reg => (Size::S64, Cond::A, false, true),
            Jge64Imm => (Size::S64, Cond::Ae, false, false),
            Jge64Reg => (Size::S64, Cond::Ae, false, true),
            Jset64Imm => (Size::S64, Cond::Ne, true, false),
            Jset64Reg => (Size::S64, Cond::Ne, true, true),
            Jne64Imm => (Size::S64, Cond::Ne, false, false),
            Jne64Reg => (Size::S64, Cond::Ne, false, true),
            Jsgt64Imm => (Size::S64, Cond::G, false, false),
            Jsgt64Reg => (Size::S64, Cond::G, false, true),
            Jsge64Imm => (Size::S64, Cond::Ge, false, false),
            Jsge64Reg => (Size::S64, Cond::Ge, false, true),
            Jlt64Imm => (Size::S64, Cond::B, false, false),
            Jlt64Reg => (Size::S64, Cond::B, false, true),
            Jle64Imm => (Size::S64, Cond::Be, false, false),
            Jle64Reg => (Size::S64, Cond::Be, false, true),
            Jslt64Imm => (Size::S64, Cond::L, false, false),
            Jslt64Reg => (Size::S64, Cond::L, false, true),
            Jsle64Imm => (Size::S64, Cond::Le, false, false),
            Jsle64Reg => (Size::S64, Cond::Le, false, true),
            Jeq32Imm => (Size::S32, Cond::E, false, false),
            Jeq32Reg => (Size::S32, Cond::E, false, true),
            Jgt32Imm => (Size::S32, Cond::A, false, false),
            Jgt32Reg => (Size::S32, Cond::A, false, true),
            Jge32Imm => (Size::S32, Cond::Ae, false, false),
            Jge32Reg => (Size::S32, Cond::Ae, false, true),
            Jset32Imm => (Size::S32, Cond::Ne, true, false),
            Jset32Reg => (Size::S32, Cond::Ne, true, true),
            Jne32Imm => (Size::S32, Cond::Ne, false, false),
            Jne32Reg => (Size::S32, Cond::Ne, false, true),
            Jsgt32Imm => (Size::S32, Cond::G, false, false),
            Jsgt32Reg => (Size::S32, Cond::G, false, true),
            Jsge32Imm => (Size::S32, Cond::Ge, false, false),
            Jsge32Reg => (Size::S32, Cond::Ge, false, true),
            Jlt32Imm => (Size::S32, Cond::B, false, false),
            Jlt32Reg => (Size::S32, Cond::B, false, true),
            Jle32Imm => (Size::S32, Cond::Be, false, false),
            Jle32Reg => (Size::S32, Cond::Be, false, true),
            Jslt32Imm => (Size::S32, Cond::L, false, false),
            Jslt32Reg => (Size::S32, Cond::L, false, true),
            Jsle32Imm => (Size::S32, Cond::Le, false, false),
            _ => (Size::S32, Cond::Le, false, true),
        };
        let dst = x(op.dst);
        let imm = op.imm as i32;
        let src = if reg {
            Some(x(op.src))
        } else if self.blinding() {
            self.load_imm(T0, imm);
            Some(T0)
        } else {
            None
        };
        match (is_test, src) {
            (false, Some(src)) => self.a.alu_rr(Alu::Cmp, size, dst, src),
            (false, None) => self.a.alu_ri(Alu::Cmp, size, dst, imm),
            (true, Some(src)) => self.a.test_rr(size, dst, src),
            (true, None) => self.a.test_ri(size, dst, imm),
        }
        let label = self.block_label(target);
        self.a.jcc(cond, label);
    }

    /// Depth check, frame push, `call`, frame pop. `target` is a label or
    /// (for `callx`) the host address in rcx.
    fn local_call(&mut self, pc: usize, target: Option<Label>) {
        let trap = self.depth_stub(pc);
        self.a.alu_rm(
            Alu::Cmp,
            Size::S64,
            Reg::Rsp,
            Mem::base(CTX, offset::CALL_LIMIT),
        );
        self.a.jcc(Cond::Be, trap);
        for r in CALLEE_FRAME {
            self.a.push(r);
        }
        let frame = self.config.stack_frame_size as u64;
        let r10 = x(10);
        match i32::try_from(frame) {
            Ok(0) => {}
            Ok(frame) => self.a.alu_ri(Alu::Sub, Size::S64, r10, frame),
            Err(_) => {
                // Not rcx: it may hold the callx target.
                self.a.mov_ri64(T1, frame as i64);
                self.a.alu_rr(Alu::Sub, Size::S64, r10, T1);
            }
        }
        match target {
            Some(label) => self.a.call(label),
            None => self.a.call_r(T0),
        }
        for r in CALLEE_FRAME.iter().rev() {
            self.a.pop(*r);
        }
    }

    pub(super) fn emit_call_local(&mut self, pc: usize, op: Op) {
        let target = self.block_label(op.off as usize);
        self.local_call(pc, Some(target));
    }

    pub(super) fn emit_call_builtin(&mut self, pc: usize) {
        self.a.mov_ri32(T1, pc as u32);
        self.a.call(self.shared.builtin_thunk);
        self.a.test_rr(Size::S64, T0, T0);
        self.a.jcc(Cond::E, self.shared.trap_exit);
    }

    /// `callx`: the helper resolves the value; it runs a builtin itself
    /// (result 1), returns a function's host address (> 1), or records a
    /// trap (0).
    pub(super) fn emit_callx(&mut self, pc: usize, op: Op) {
        self.a.mov_rr(Size::S64, T0, x(op.dst));
        self.a.mov_ri32(T1, pc as u32);
        self.a.call(self.shared.callx_thunk);
        self.a.alu_ri(Alu::Cmp, Size::S64, T0, 1);
        self.a.jcc(Cond::B, self.shared.trap_exit);
        let done = self.a.new_label();
        self.a.jcc(Cond::E, done);
        self.local_call(pc, None);
        self.a.bind(done);
    }
}
