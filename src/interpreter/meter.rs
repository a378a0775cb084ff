//! Instruction metering by basic block, exact to the instruction.
//!
//! Instead of counting and comparing on every instruction, the interpreter
//! charges a whole straight-line run when it enters it: `block_len[pc]` is the
//! number of instructions from `pc` through the next control-flow instruction
//! (jump, call or exit; [`crate::program::ends_run`], the rule the JIT's
//! blocks share), precomputed at load time ([`crate::program::run_lengths`]). Entering a run that fits
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

    /// Resets the budget not yet charged (after a builtin may have charged extra).
    #[inline]
    pub(super) fn set_left(&mut self, left: u64) {
        self.base = self.count() + left;
        self.left = left;
    }
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
