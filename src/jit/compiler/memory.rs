//! Loads, stores, atomics and legacy packet loads, with the inline memory
//! check.
//!
//! The check is a region-table lookup indexed by the address's slot
//! (`addr >> 32`, masked to the table size):
//!
//! ```text
//! mov  rdx, rcx ; shr rdx, 26 ; and edx, 0x3c0     ; slot * 64
//! sub  rcx, [r13 + rdx + table.vm_start]           ; offset in region
//! cmp  rcx, [r13 + rdx + table.bound[size]]        ; one unsigned compare
//! jae  fault_stub                                  ; out of bounds / denied
//! add  rcx, [r13 + rdx + table.host]               ; host pointer
//! ```
//!
//! Stores and atomics use the store table, whose bounds are zero for
//! read-only regions. The masked slot is sound for addresses above the table:
//! their offset from any table region's start exceeds 2^32, so no bound
//! passes. The stub recovers the address (`rcx + vm_start`) and reports it.

use super::{x, Compiler, FaultStub, Mode, CTX, T0, T1};
use crate::jit::state::{offset, ENTRY_SHIFT};
use crate::jit::x86::{Alu, Cond, Mem, Reg, Scale, Shift, Size};
use crate::memory::{MAX_REGIONS, SLOT_SHIFT};
use crate::program::{Op, OpCode};

/// The operands of one region table, indexed by `rdx = slot * 64`.
struct TableFields {
    vm_start: Mem,
    host: Mem,
    bound: [Mem; 4],
}

const fn entry_field(table: i32, field: i32) -> Mem {
    match Mem::indexed(CTX, T1, Scale::X1, table + field) {
        Some(m) => m,
        None => panic!("rdx is a valid index register"),
    }
}

const fn table_fields(table: i32) -> TableFields {
    TableFields {
        vm_start: entry_field(table, offset::VM_START),
        host: entry_field(table, offset::HOST),
        bound: [
            entry_field(table, offset::BOUND),
            entry_field(table, offset::BOUND + 8),
            entry_field(table, offset::BOUND + 16),
            entry_field(table, offset::BOUND + 24),
        ],
    }
}

const LOAD: TableFields = table_fields(offset::LOAD_TABLE);
const STORE: TableFields = table_fields(offset::STORE_TABLE);

/// `[rcx]`: the checked host pointer.
const HOST_PTR: Mem = Mem::base(T0, 0);

fn size_log2(size: Size) -> usize {
    match size {
        Size::S8 => 0,
        Size::S16 => 1,
        Size::S32 => 2,
        Size::S64 => 3,
    }
}

impl Compiler<'_> {
    /// `rcx = base + off` (wrapping).
    fn address(&mut self, base: Reg, off: i32) {
        if off == 0 {
            self.a.mov_rr(Size::S64, T0, base);
        } else {
            self.a.lea(T0, Mem::base(base, off));
        }
    }

    /// Checks the access of `size` bytes at the address in rcx and turns rcx
    /// into the host pointer; jumps to a fault stub if the access is denied.
    fn check(&mut self, pc: usize, size: Size, store: bool, mode: Mode) {
        let table = if store { &STORE } else { &LOAD };
        self.a.mov_rr(Size::S64, T1, T0);
        self.a
            .shift_ri(Shift::Shr, Size::S64, T1, (SLOT_SHIFT - ENTRY_SHIFT) as u8);
        self.a.alu_ri(
            Alu::And,
            Size::S32,
            T1,
            ((MAX_REGIONS - 1) << ENTRY_SHIFT) as i32,
        );
        self.a.alu_rm(Alu::Sub, Size::S64, T0, table.vm_start);
        self.a
            .alu_rm(Alu::Cmp, Size::S64, T0, table.bound[size_log2(size)]);
        let label = self.a.new_label();
        self.a.jcc(Cond::Ae, label);
        self.fault_stubs.push(FaultStub {
            label,
            pc,
            size,
            store,
            refund: mode.refund(),
        });
        self.a.alu_rm(Alu::Add, Size::S64, T0, table.host);
    }

    pub(super) fn emit_load(&mut self, pc: usize, op: Op, mode: Mode) {
        use OpCode::*;
        let (size, signed) = match op.code {
            LdxB => (Size::S8, false),
            LdxH => (Size::S16, false),
            LdxW => (Size::S32, false),
            LdxSB => (Size::S8, true),
            LdxSH => (Size::S16, true),
            LdxSW => (Size::S32, true),
            _ => (Size::S64, false),
        };
        self.address(x(op.src), op.off);
        self.check(pc, size, false, mode);
        let dst = x(op.dst);
        match (size, signed) {
            (Size::S8 | Size::S16, false) => self.a.movzx_rm(dst, HOST_PTR, size),
            (Size::S32, false) => self.a.mov_rm(Size::S32, dst, HOST_PTR),
            (Size::S64, _) => self.a.mov_rm(Size::S64, dst, HOST_PTR),
            (_, true) => self.a.movsx_rm(Size::S64, dst, HOST_PTR, size),
        }
    }

    pub(super) fn emit_store(&mut self, pc: usize, op: Op, mode: Mode) {
        use OpCode::*;
        let (size, from_reg) = match op.code {
            StB => (Size::S8, false),
            StH => (Size::S16, false),
            StW => (Size::S32, false),
            StDw => (Size::S64, false),
            StxB => (Size::S8, true),
            StxH => (Size::S16, true),
            StxW => (Size::S32, true),
            _ => (Size::S64, true),
        };
        self.address(x(op.dst), op.off);
        self.check(pc, size, true, mode);
        if from_reg {
            self.a.mov_mr(size, HOST_PTR, x(op.src));
        } else if self.blinding() {
            self.load_imm(T1, op.imm as i32);
            self.a.mov_mr(size, HOST_PTR, T1);
        } else {
            self.a.mov_mi(size, HOST_PTR, op.imm as i32);
        }
    }

    /// Legacy packet loads: `r0 = ntoh(*(input_start + src + imm))`.
    pub(super) fn emit_packet_load(&mut self, pc: usize, op: Op, mode: Mode) {
        use OpCode::*;
        let (size, indirect) = match op.code {
            LdAbsB => (Size::S8, false),
            LdAbsH => (Size::S16, false),
            LdAbsW => (Size::S32, false),
            LdIndB => (Size::S8, true),
            LdIndH => (Size::S16, true),
            _ => (Size::S32, true),
        };
        self.a
            .mov_rm(Size::S64, T0, Mem::base(CTX, offset::INPUT_START));
        if indirect {
            self.a.alu_rr(Alu::Add, Size::S64, T0, x(op.src));
        }
        let imm = op.imm as i32;
        if self.blinding() {
            self.load_imm(T1, imm);
            self.a.alu_rr(Alu::Add, Size::S64, T0, T1);
        } else if imm != 0 {
            self.a.alu_ri(Alu::Add, Size::S64, T0, imm);
        }
        self.check(pc, size, false, mode);
        let r0 = x(0);
        match size {
            Size::S8 => self.a.movzx_rm(r0, HOST_PTR, Size::S8),
            Size::S16 => {
                self.a.movzx_rm(r0, HOST_PTR, Size::S16);
                self.a.shift_ri(Shift::Rol, Size::S16, r0, 8);
            }
            _ => {
                self.a.mov_rm(Size::S32, r0, HOST_PTR);
                self.a.bswap(Size::S32, r0);
            }
        }
    }

    pub(super) fn emit_atomic(&mut self, pc: usize, op: Op, mode: Mode) {
        use OpCode::*;
        let size = match op.code {
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicFetchAdd32
            | AtomicFetchOr32 | AtomicFetchAnd32 | AtomicFetchXor32 | AtomicXchg32
            | AtomicCmpXchg32 => Size::S32,
            _ => Size::S64,
        };
        self.address(x(op.dst), op.off);
        self.check(pc, size, true, mode);
        let src = x(op.src);
        match op.code {
            AtomicAdd32 | AtomicAdd64 => self.a.alu_mr(true, Alu::Add, size, HOST_PTR, src),
            AtomicOr32 | AtomicOr64 => self.a.alu_mr(true, Alu::Or, size, HOST_PTR, src),
            AtomicAnd32 | AtomicAnd64 => self.a.alu_mr(true, Alu::And, size, HOST_PTR, src),
            AtomicXor32 | AtomicXor64 => self.a.alu_mr(true, Alu::Xor, size, HOST_PTR, src),
            AtomicFetchAdd32 | AtomicFetchAdd64 => {
                self.a.mov_rr(size, T1, src);
                self.a.lock_xadd_mr(size, HOST_PTR, T1);
                self.a.mov_rr(size, src, T1);
            }
            // xchg with memory is implicitly locked; the 32-bit form
            // zero-extends the old value into src.
            AtomicXchg32 | AtomicXchg64 => self.a.xchg_mr(size, HOST_PTR, src),
            AtomicCmpXchg32 | AtomicCmpXchg64 => {
                // Compares with r0 (rax); r0 receives the old value.
                self.a.lock_cmpxchg_mr(size, HOST_PTR, src);
                if size == Size::S32 {
                    // A successful 32-bit cmpxchg does not write eax.
                    self.a.mov_rr(Size::S32, Reg::Rax, Reg::Rax);
                }
            }
            AtomicFetchOr32 | AtomicFetchOr64 => self.fetch_loop(Alu::Or, size, op.src),
            AtomicFetchAnd32 | AtomicFetchAnd64 => self.fetch_loop(Alu::And, size, op.src),
            _ => self.fetch_loop(Alu::Xor, size, op.src),
        }
    }

    /// `src = fetch_op(*rcx, src)` as a compare-exchange loop (x86 has no
    /// fetching `or`/`and`/`xor`). Uses rax, so r0 is saved on the stack
    /// (and read from there when it is the operand).
    fn fetch_loop(&mut self, op: Alu, size: Size, src_num: u8) {
        let src = x(src_num);
        let r0 = Reg::Rax;
        self.a.push(r0);
        self.a.mov_rm(size, r0, HOST_PTR);
        let retry = self.a.new_label();
        self.a.bind(retry);
        self.a.mov_rr(size, T1, r0);
        if src == r0 {
            self.a.alu_rm(op, size, T1, Mem::base(Reg::Rsp, 0));
        } else {
            self.a.alu_rr(op, size, T1, src);
        }
        self.a.lock_cmpxchg_mr(size, HOST_PTR, T1);
        self.a.jcc(Cond::Ne, retry);
        if src == r0 {
            // The old value is the result, and it is already in r0.
            self.a.alu_ri(Alu::Add, Size::S64, Reg::Rsp, 8);
            if size == Size::S32 {
                self.a.mov_rr(Size::S32, r0, r0);
            }
        } else {
            self.a.mov_rr(size, src, r0);
            self.a.pop(r0);
        }
    }
}
