//! Instruction metering one instruction at a time (feature `compact`).
//!
//! The fast loop's [`meter`](super::meter) charges whole straight-line runs
//! from a table built at load time; this one counts each instruction as it is
//! fetched, which costs a compare per instruction but needs no table and no
//! code to build or consult it, which is what firmware wants. Both implement
//! the same contract: an instruction over budget is neither executed nor
//! counted; every other one counts, even if it then traps.

use alloc::vec::Vec;

use crate::program::Op;

/// The meter's state during one run.
pub(super) struct Meter {
    /// Instructions that may still run before the next report.
    left: u64,
    /// Instructions executed.
    executed: u64,
    /// Instructions already reported to the context object.
    consumed: u64,
}

impl Meter {
    pub(super) fn new(budget: u64) -> Self {
        Meter {
            left: budget,
            executed: 0,
            consumed: 0,
        }
    }

    /// Counts the instruction about to execute; `false` (and not counted)
    /// if it is over budget.
    #[inline]
    pub(super) fn step(&mut self) -> bool {
        match self.left.checked_sub(1) {
            Some(left) => {
                self.left = left;
                self.executed += 1;
                true
            }
            None => false,
        }
    }

    /// Instructions executed so far.
    #[inline]
    pub(super) fn count(&self) -> u64 {
        self.executed
    }

    /// Instructions executed but not yet reported to the context object;
    /// marks them reported.
    #[inline]
    pub(super) fn take_unreported(&mut self, executed: u64) -> u64 {
        let n = executed - self.consumed;
        self.consumed = executed;
        n
    }

    /// Resets the budget left (after a builtin may have charged extra).
    #[inline]
    pub(super) fn set_left(&mut self, left: u64) {
        self.left = left;
    }
}

/// The fast meter's per-pc run lengths; this meter needs none.
pub(crate) fn run_lengths(_ops: &[Op]) -> Vec<u32> {
    Vec::new()
}
