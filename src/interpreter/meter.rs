//! Instruction metering by basic block, exact to the instruction.
//!
//! Instead of counting and comparing on every instruction, the interpreter
//! charges a whole straight-line run when it enters it: `block_len[pc]` is the
//! number of instructions from `pc` through the next control-flow instruction
//! (jump, call or exit), precomputed at load time. Entering a run that fits
//! the budget charges it in one subtraction. Entering one that does not fit
//! shortens the slice of ops the dispatch loop may fetch from, so that its
//! ordinary bounds check stops execution exactly at the first instruction
//! over budget: the meter costs nothing per instruction.
//!
//! A run is left early only by a fault; [`Meter::count_at`] then subtracts
//! the instructions of the run that did not execute.

use crate::program::{Op, OpCode};

/// The meter's state during one run.
pub(super) struct Meter {
    /// Budget not yet charged.
    left: u64,
    /// `left` plus every instruction charged so far: `base - left` is the count.
    base: u64,
    /// Instructions already reported to the context object.
    consumed: u64,
    /// Where the current run started.
    run_start: usize,
    /// What a run entered over budget was charged (`None`: the whole run).
    short_charge: Option<u64>,
}

impl Meter {
    pub(super) fn new(budget: u64) -> Self {
        Meter {
            left: budget,
            base: budget,
            consumed: 0,
            run_start: 0,
            short_charge: None,
        }
    }

    /// Enters the straight-line run at `pc`. Returns how many ops the
    /// dispatch loop may fetch from: all of them when the run fits the
    /// budget, else up to the first instruction over budget.
    ///
    /// Every control-flow arm of the dispatch loop calls this. Inlined, it
    /// saves a call per branch on 64-bit hosts; on 32-bit (microcontroller)
    /// targets it stays out of line, which keeps about 7 KiB of copies out of
    /// the firmware's flash (`ci/footprint.sh`).
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    pub(super) fn enter(&mut self, ops: &[Op], run_lengths: &[u32], pc: usize) -> usize {
        let len = run_lengths.get(pc).map_or(1, |&l| u64::from(l));
        self.run_start = pc;
        match self.left.checked_sub(len) {
            Some(left) => {
                self.left = left;
                ops.len()
            }
            None => self.enter_short(ops, pc),
        }
    }

    /// The run does not fit: charge what is left and stop after it. A run
    /// entered this way ends in a trap before its last instruction, so no
    /// other run is entered afterwards.
    #[cold]
    fn enter_short(&mut self, ops: &[Op], pc: usize) -> usize {
        let n = self.left;
        self.short_charge = Some(n);
        self.left = 0;
        nth_instruction(ops, pc, n)
    }

    /// Instructions executed when the instruction at `pc` (inside the
    /// current run) has executed or faulted.
    #[cold]
    pub(super) fn count_at(&self, ops: &[Op], run_lengths: &[u32], pc: usize) -> u64 {
        let charged = match self.short_charge {
            Some(n) => n,
            None => run_lengths.get(self.run_start).map_or(0, |&l| u64::from(l)),
        };
        let ran = instructions_between(ops, self.run_start, pc + 1);
        self.count() - charged + ran
    }

    /// Instructions executed when every charged instruction ran (at an exit,
    /// a call, or the stop of a run over budget).
    #[inline]
    pub(super) fn count(&self) -> u64 {
        self.base - self.left
    }

    /// Instructions executed but not yet reported to the context object;
    /// marks them reported.
    #[inline]
    pub(super) fn take_unreported(&mut self, executed: u64) -> u64 {
        let n = executed - self.consumed;
        self.consumed = executed;
        n
    }

    /// Resets the budget not yet charged (after a builtin may have charged extra).
    #[inline]
    pub(super) fn set_left(&mut self, left: u64) {
        self.base = self.count() + left;
        self.left = left;
    }
}

/// Whether an op ends a straight-line run.
pub(crate) fn ends_run(code: OpCode) -> bool {
    use OpCode::*;
    matches!(
        code,
        Ja | Jeq64Imm
            | Jeq64Reg
            | Jgt64Imm
            | Jgt64Reg
            | Jge64Imm
            | Jge64Reg
            | Jset64Imm
            | Jset64Reg
            | Jne64Imm
            | Jne64Reg
            | Jsgt64Imm
            | Jsgt64Reg
            | Jsge64Imm
            | Jsge64Reg
            | Jlt64Imm
            | Jlt64Reg
            | Jle64Imm
            | Jle64Reg
            | Jslt64Imm
            | Jslt64Reg
            | Jsle64Imm
            | Jsle64Reg
            | Jeq32Imm
            | Jeq32Reg
            | Jgt32Imm
            | Jgt32Reg
            | Jge32Imm
            | Jge32Reg
            | Jset32Imm
            | Jset32Reg
            | Jne32Imm
            | Jne32Reg
            | Jsgt32Imm
            | Jsgt32Reg
            | Jsge32Imm
            | Jsge32Reg
            | Jlt32Imm
            | Jlt32Reg
            | Jle32Imm
            | Jle32Reg
            | Jslt32Imm
            | Jslt32Reg
            | Jsle32Imm
            | Jsle32Reg
            | CallBuiltin
            | CallLocal
            | CallReg
            | Exit
    )
}

/// For every pc, the number of instructions from it through the next op that
/// ends a run (`lddw` counts once; its second slot repeats the next value).
pub(crate) fn run_lengths(ops: &[Op]) -> alloc::vec::Vec<u32> {
    let mut lens = alloc::vec![0u32; ops.len()];
    let mut next = 0u32;
    for (pc, op) in ops.iter().enumerate().rev() {
        next = match op.code {
            OpCode::LddwTail => next,
            code if ends_run(code) => 1,
            _ => next.saturating_add(1),
        };
        lens[pc] = next;
    }
    lens
}

/// Instructions (not counting `lddw` second slots) in `ops[from..to]`.
fn instructions_between(ops: &[Op], from: usize, to: usize) -> u64 {
    let to = to.min(ops.len());
    ops.get(from..to).map_or(0, |run| {
        run.iter().filter(|op| op.code != OpCode::LddwTail).count() as u64
    })
}

/// The pc of the instruction `n` instructions after the one at `pc`.
fn nth_instruction(ops: &[Op], pc: usize, n: u64) -> usize {
    let mut seen = 0;
    for (i, op) in ops.iter().enumerate().skip(pc) {
        if op.code == OpCode::LddwTail {
            continue;
        }
        if seen == n {
            return i;
        }
        seen += 1;
    }
    ops.len()
}
