//! Translation of a pre-decoded program into x86-64 machine code.
//!
//! # Register mapping
//!
//! | eBPF | x86-64 | | eBPF | x86-64 |
//! |---|---|---|---|---|
//! | r0 | rax | | r6 | rbx |
//! | r1 | rdi | | r7 | r12 |
//! | r2 | rsi | | r8 | r14 |
//! | r3 | r8  | | r9 | r15 |
//! | r4 | r9  | | r10 | rbp |
//! | r5 | r10 | | | |
//!
//! `r13` holds the [`JitState`](super::state::JitState), `r11` the
//! meter (instructions still allowed), `rcx` and `rdx` are scratch. r6..r10
//! live in callee-saved registers, so host calls need not save them.
//!
//! # Metering
//!
//! Code is cut into basic blocks. A block of `n` instructions starts with
//! `sub r11, n; jb cold`: one fused compare-and-branch per block. If the
//! budget cannot cover the whole block, the cold path restores `r11` and
//! runs a copy of the block with a one-instruction check before every
//! instruction, so the trap pc and instruction count are exactly the
//! interpreter's. A fault inside a hot block first refunds the instructions
//! of the block that did not run.
//!
//! # Calls
//!
//! A local call pushes r6..r10 and a native return address (48 bytes, which
//! keeps the host stack 16-byte aligned in every frame); `exit` is `ret`.
//! The depth limit is one compare of `rsp` with a precomputed bound.
//! Builtins and `callx` go through shared thunks that spill the registers to
//! the context and call `extern "C"` helpers in Rust.

mod alu;
mod blocks;
mod control;
mod memory;

use alloc::vec;
use alloc::vec::Vec;

use super::blind::Blinder;
use super::state::{fault_info, offset, status};
use super::x86::{Alu, AsmError, Assembler, Label, Mem, Reg, Scale, Size};
use crate::config::Config;
use crate::jit::JitError;
use crate::program::{Op, OpCode};

use blocks::Blocks;

/// Where each eBPF register lives.
pub(crate) const REG_MAP: [Reg; 11] = [
    Reg::Rax,
    Reg::Rdi,
    Reg::Rsi,
    Reg::R8,
    Reg::R9,
    Reg::R10,
    Reg::Rbx,
    Reg::R12,
    Reg::R14,
    Reg::R15,
    Reg::Rbp,
];
/// The context pointer.
pub(crate) const CTX: Reg = Reg::R13;
/// Instructions still allowed (`budget - pending`).
pub(crate) const METER: Reg = Reg::R11;
/// Scratch registers.
pub(crate) const T0: Reg = Reg::Rcx;
pub(crate) const T1: Reg = Reg::Rdx;
/// eBPF registers in caller-saved host registers (reloaded after host calls).
const CALLER_SAVED: core::ops::Range<usize> = 0..6;
/// Host stack bytes of one eBPF call frame: r6..r10 and the return address.
pub(crate) const FRAME_BYTES: i32 = 48;
/// Longest basic block; longer straight-line runs are split.
const MAX_BLOCK_LEN: usize = 1 << 16;

/// eBPF register `r` as its host register.
#[inline]
pub(crate) fn x(r: u8) -> Reg {
    REG_MAP[(r as usize) % REG_MAP.len()]
}

/// The machine code of a program.
pub(crate) struct Compiled {
    /// The code; its first byte is the entry trampoline.
    pub(crate) code: Vec<u8>,
    /// Code offset of each function entry, in the order of `functions`.
    pub(crate) function_offsets: Vec<u32>,
}

/// How an instruction is being emitted.
#[derive(Clone, Copy)]
pub(super) enum Mode {
    /// In a hot block: the meter was charged for the whole block; a fault
    /// must refund the `refund` instructions after this one.
    Hot { refund: u32 },
    /// In a cold (per-instruction metered) copy: nothing to refund.
    Cold,
}

impl Mode {
    fn refund(self) -> u32 {
        match self {
            Mode::Hot { refund } => refund,
            Mode::Cold => 0,
        }
    }
}

/// An out-of-line access-violation path, emitted after the hot code.
struct FaultStub {
    label: Label,
    pc: usize,
    size: Size,
    store: bool,
    refund: u32,
}

/// Shared routines every block may jump or call to.
struct Shared {
    exit_to_host: Label,
    trap_exit: Label,
    access_fault: Label,
    meter_trap: Label,
    depth_trap: Label,
    builtin_thunk: Label,
    callx_thunk: Label,
}

pub(super) struct Compiler<'a> {
    a: Assembler,
    ops: &'a [Op],
    config: &'a Config,
    blocks: Blocks,
    /// Label of each block start, by pc.
    block_labels: Vec<Option<Label>>,
    meter_stubs: Vec<Option<Label>>,
    depth_stubs: Vec<Option<Label>>,
    fault_stubs: Vec<FaultStub>,
    shared: Shared,
    blinder: Option<Blinder>,
    /// The first branch target that is not a block start (never set for
    /// verified programs).
    invalid_target: Option<usize>,
}

/// Compiles `ops` (a verified, pre-decoded program) for `config`.
pub(crate) fn compile(
    ops: &[Op],
    entry_pc: usize,
    functions: &[usize],
    config: &Config,
    blinder: Option<Blinder>,
) -> Result<Compiled, JitError> {
    if ops.len() >= i32::MAX as usize {
        return Err(JitError::ProgramTooLarge { slots: ops.len() });
    }
    let blocks = Blocks::new(ops, entry_pc, functions, MAX_BLOCK_LEN);
    // Hot code, cold copies and stubs average about 80 bytes per slot.
    let mut a = Assembler::with_capacity(ops.len() * 96 + 1024);
    let shared = Shared {
        exit_to_host: a.new_label(),
        trap_exit: a.new_label(),
        access_fault: a.new_label(),
        meter_trap: a.new_label(),
        depth_trap: a.new_label(),
        builtin_thunk: a.new_label(),
        callx_thunk: a.new_label(),
    };
    let mut block_labels = vec![None; ops.len()];
    for block in blocks.iter() {
        block_labels[blocks.pc(block.start)] = Some(a.new_label());
    }
    let mut c = Compiler {
        a,
        ops,
        config,
        blocks,
        block_labels,
        meter_stubs: vec![None; ops.len()],
        depth_stubs: vec![None; ops.len()],
        fault_stubs: Vec::new(),
        shared,
        blinder,
        invalid_target: None,
    };
    let entry = c.block_label(entry_pc);
    c.emit_runtime(entry);
    let cold = c.emit_hot_blocks();
    for (label, block) in cold {
        c.emit_cold_block(label, block);
    }
    c.emit_stubs();
    let function_offsets = functions
        .iter()
        .map(|&pc| {
            c.block_labels
                .get(pc)
                .copied()
                .flatten()
                .and_then(|l| c.a.offset_of(l))
                .map_or(0, |o| o as u32)
        })
        .collect();
    if let Some(pc) = c.invalid_target {
        return Err(JitError::InvalidTarget { pc });
    }
    let len = c.a.len();
    let code = c.a.finish().map_err(|e| match e {
        AsmError::OutOfRange => JitError::CodeTooLarge { bytes: len },
        // Every label is a block start, a stub or a local label bound where
        // it is created; an unbound one would be a compiler bug.
        AsmError::UnboundLabel => JitError::InvalidTarget { pc: 0 },
    })?;
    Ok(Compiled {
        code,
        function_offsets,
    })
}

impl Compiler<'_> {
    /// The label of the block starting at `pc`. Verified jump and call
    /// targets are always block starts; anything else is recorded and
    /// compilation fails with [`JitError::InvalidTarget`].
    fn block_label(&mut self, pc: usize) -> Label {
        match self.block_labels.get(pc).copied().flatten() {
            Some(l) => l,
            None => {
                self.invalid_target.get_or_insert(pc);
                self.a.new_label()
            }
        }
    }

    fn ctx(disp: i32) -> Mem {
        Mem::base(CTX, disp)
    }

    fn spill_all(&mut self) {
        for (i, &r) in REG_MAP.iter().enumerate() {
            self.a
                .mov_mr(Size::S64, Self::ctx(offset::REGS + 8 * i as i32), r);
        }
        self.a.mov_mr(Size::S64, Self::ctx(offset::METER), METER);
    }

    fn reload(&mut self, regs: core::ops::Range<usize>) {
        for i in regs {
            self.a.mov_rm(
                Size::S64,
                REG_MAP[i],
                Self::ctx(offset::REGS + 8 * i as i32),
            );
        }
        self.a.mov_rm(Size::S64, METER, Self::ctx(offset::METER));
    }

    /// Entry trampoline, exits, trap routines and host-call thunks.
    fn emit_runtime(&mut self, entry: Label) {
        const SAVED: [Reg; 6] = [Reg::Rbx, Reg::Rbp, Reg::R12, Reg::R13, Reg::R14, Reg::R15];
        let s = &self.shared;
        let (exit_to_host, trap_exit) = (s.exit_to_host, s.trap_exit);
        let (access_fault, meter_trap, depth_trap) = (s.access_fault, s.meter_trap, s.depth_trap);
        let (builtin_thunk, callx_thunk) = (s.builtin_thunk, s.callx_thunk);

        // extern "C" fn(ctx: *mut JitState), at offset 0.
        for r in SAVED {
            self.a.push(r);
        }
        self.a.mov_rr(Size::S64, CTX, Reg::Rdi);
        self.a
            .mov_mr(Size::S64, Self::ctx(offset::HOST_RSP), Reg::Rsp);
        // Inside frame d (1 = entry) rsp = host_rsp - 8 - 48 * (d - 1); a
        // call from frame d traps when d >= max depth.
        let depth = self.config.effective_call_depth() as i32;
        self.a
            .lea(T0, Mem::base(Reg::Rsp, -8 - FRAME_BYTES * (depth - 1)));
        self.a.mov_mr(Size::S64, Self::ctx(offset::CALL_LIMIT), T0);
        self.reload(0..REG_MAP.len());
        self.a.call(entry);
        self.a.bind(exit_to_host);
        self.spill_all();
        for r in SAVED.iter().rev() {
            self.a.pop(*r);
        }
        self.a.ret();

        // Unwind every eBPF frame and leave.
        self.a.bind(trap_exit);
        self.a
            .mov_rm(Size::S64, Reg::Rsp, Self::ctx(offset::HOST_RSP));
        self.a.jmp(exit_to_host);

        // rcx = faulting address, rdx = packed pc/len/kind.
        self.a.bind(access_fault);
        self.a.mov_mr(Size::S64, Self::ctx(offset::FAULT_ADDR), T0);
        self.a.mov_mr(Size::S64, Self::ctx(offset::FAULT_INFO), T1);
        self.set_status(status::ACCESS_VIOLATION);
        self.a.jmp(trap_exit);

        // rdx = pc of the instruction that was not executed.
        self.a.bind(meter_trap);
        self.a.alu_rr(Alu::Xor, Size::S32, METER, METER);
        self.a.mov_mr(Size::S64, Self::ctx(offset::FAULT_INFO), T1);
        self.set_status(status::METER);
        self.a.jmp(trap_exit);

        // rdx = pc of the call.
        self.a.bind(depth_trap);
        self.a.mov_mr(Size::S64, Self::ctx(offset::FAULT_INFO), T1);
        self.set_status(status::CALL_DEPTH);
        self.a.jmp(trap_exit);

        // rdx = pc. Returns the helper's result in rcx.
        self.a.bind(builtin_thunk);
        self.emit_thunk(offset::BUILTIN_HELPER, false);
        // rdx = pc, rcx = callx value. Returns the helper's result in rcx.
        self.a.bind(callx_thunk);
        self.emit_thunk(offset::CALLX_HELPER, true);
    }

    fn set_status(&mut self, value: u64) {
        self.a
            .mov_mi(Size::S64, Self::ctx(offset::STATUS), value as i32);
    }

    /// Spills everything, calls `helper(ctx, rdx[, rcx])` with an aligned
    /// stack, reloads the caller-saved eBPF registers and the meter, and
    /// returns the helper's result in rcx.
    fn emit_thunk(&mut self, helper: i32, with_value: bool) {
        self.spill_all();
        self.a.mov_rr(Size::S64, Reg::Rdi, CTX);
        self.a.mov_rr(Size::S64, Reg::Rsi, T1);
        if with_value {
            self.a.mov_rr(Size::S64, Reg::Rdx, T0);
        }
        // Called from an eBPF frame (rsp 16-byte aligned), so rsp is 8 off now.
        self.a.alu_ri(Alu::Sub, Size::S64, Reg::Rsp, 8);
        self.a.call_m(Self::ctx(helper));
        self.a.alu_ri(Alu::Add, Size::S64, Reg::Rsp, 8);
        self.a.mov_rr(Size::S64, T0, Reg::Rax);
        self.reload(CALLER_SAVED);
        self.a.ret();
    }

    /// Emits every block's hot code in program order; returns the cold
    /// copies still to emit.
    fn emit_hot_blocks(&mut self) -> Vec<(Label, blocks::Block)> {
        let mut cold = Vec::with_capacity(self.blocks.len());
        for bi in 0..self.blocks.len() {
            let block = self.blocks.get(bi);
            let n = block.len() as u32;
            let start = self.blocks.pc(block.start);
            let label = self.block_label(start);
            self.a.bind(label);
            let cold_label = self.a.new_label();
            self.a.alu_ri(Alu::Sub, Size::S64, METER, n as i32);
            self.a.jcc(super::x86::Cond::B, cold_label);
            cold.push((cold_label, block));
            for k in 0..block.len() {
                let pc = self.blocks.pc(block.start + k);
                let refund = n - 1 - k as u32;
                self.emit_insn(pc, Mode::Hot { refund });
            }
        }
        cold
    }

    /// The precise copy of a block whose budget check failed: restores the
    /// meter, then checks before each instruction. The budget cannot cover
    /// the whole block, so the last instruction always traps.
    fn emit_cold_block(&mut self, label: Label, block: blocks::Block) {
        self.a.bind(label);
        let n = block.len();
        self.a.alu_ri(Alu::Add, Size::S64, METER, n as i32);
        for k in 0..n - 1 {
            let pc = self.blocks.pc(block.start + k);
            let trap = self.meter_stub(pc);
            self.a.alu_ri(Alu::Sub, Size::S64, METER, 1);
            self.a.jcc(super::x86::Cond::B, trap);
            self.emit_insn(pc, Mode::Cold);
        }
        let last = self.blocks.pc(block.start + n - 1);
        let trap = self.meter_stub(last);
        self.a.jmp(trap);
    }

    fn meter_stub(&mut self, pc: usize) -> Label {
        if let Some(l) = self.meter_stubs[pc] {
            return l;
        }
        let l = self.a.new_label();
        self.meter_stubs[pc] = Some(l);
        l
    }

    fn depth_stub(&mut self, pc: usize) -> Label {
        if let Some(l) = self.depth_stubs[pc] {
            return l;
        }
        let l = self.a.new_label();
        self.depth_stubs[pc] = Some(l);
        l
    }

    /// Out-of-line trap paths, after all other code.
    fn emit_stubs(&mut self) {
        let stubs = core::mem::take(&mut self.fault_stubs);
        for stub in stubs {
            self.a.bind(stub.label);
            // Recover the address from the in-region offset left in rcx.
            let table = if stub.store {
                offset::STORE_TABLE
            } else {
                offset::LOAD_TABLE
            };
            let vm_start = Mem::indexed(CTX, T1, Scale::X1, table + offset::VM_START)
                .expect("rdx is a valid index");
            self.a.alu_rm(Alu::Add, Size::S64, T0, vm_start);
            if stub.refund > 0 {
                self.a
                    .alu_ri(Alu::Add, Size::S64, METER, stub.refund as i32);
            }
            let info = fault_info(stub.pc, stub.size.bytes(), stub.store);
            self.a.mov_ri64(T1, info as i64);
            self.a.jmp(self.shared.access_fault);
        }
        for pc in 0..self.ops.len() {
            if let Some(l) = self.meter_stubs[pc] {
                self.a.bind(l);
                self.a.mov_ri32(T1, pc as u32);
                self.a.jmp(self.shared.meter_trap);
            }
            if let Some(l) = self.depth_stubs[pc] {
                self.a.bind(l);
                self.a.mov_ri32(T1, pc as u32);
                self.a.jmp(self.shared.depth_trap);
            }
        }
    }

    /// Emits one instruction.
    fn emit_insn(&mut self, pc: usize, mode: Mode) {
        let op = self.ops[pc];
        use OpCode::*;
        match op.code {
            Lddw => self.emit_lddw(op),
            LddwTail => {}
            LdAbsB | LdAbsH | LdAbsW | LdIndB | LdIndH | LdIndW => {
                self.emit_packet_load(pc, op, mode)
            }
            LdxB | LdxH | LdxW | LdxDw | LdxSB | LdxSH | LdxSW => self.emit_load(pc, op, mode),
            StB | StH | StW | StDw | StxB | StxH | StxW | StxDw => self.emit_store(pc, op, mode),
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicFetchAdd32
            | AtomicFetchOr32 | AtomicFetchAnd32 | AtomicFetchXor32 | AtomicXchg32
            | AtomicCmpXchg32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64 | AtomicXor64
            | AtomicFetchAdd64 | AtomicFetchOr64 | AtomicFetchAnd64 | AtomicFetchXor64
            | AtomicXchg64 | AtomicCmpXchg64 => self.emit_atomic(pc, op, mode),
            Ja => self.emit_ja(pc, op),
            CallBuiltin => self.emit_call_builtin(pc),
            CallLocal => self.emit_call_local(pc, op),
            CallReg => self.emit_callx(pc, op),
            Exit => self.a.ret(),
            code if crate::program::is_conditional_jump(code) => self.emit_jump(pc, op),
            _ => self.emit_alu(op),
        }
    }

    /// Loads the sign-extended 32-bit `imm` into `reg`, blinded when
    /// blinding is on.
    fn load_imm(&mut self, reg: Reg, imm: i32) {
        match self.blinder.as_mut() {
            Some(b) => {
                let key = b.next_u32();
                self.a.mov_ri64(reg, (imm ^ key) as i64);
                self.a.alu_ri(Alu::Xor, Size::S64, reg, key);
            }
            None => self.a.mov_ri64(reg, imm as i64),
        }
    }

    fn blinding(&self) -> bool {
        self.blinder.is_some()
    }
}
