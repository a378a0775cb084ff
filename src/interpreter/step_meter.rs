//! Instruction metering one instruction at a time (feature `compact`).
//!
//! The fast loop's [`meter`](super::meter) charges whole straight-line runs
//! from a table built at load time; this one counts each instruction as it is
//! fetched, which costs a compare per instruction but needs no table and no
//! code to build or consult it, which is what firmware wants. Both implement
//! the same contract: an instruction over budget is neither executed nor
//! counted; every other one counts, even if it then traps.

/// The meter's state during one run.
pub(super) struct Meter {
    /// Instructions that may still run before the next report.
    left: u64,
    /// Instructions executed.
    executed: u64,
}

impl Meter {
    pub(super) fn new(budget: u64) -> Self {
        Meter {
            left: budget,
            executed: 0,
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

    /// Resets the budget left (after a builtin may have charged extra).
    #[inline]
    pub(super) fn set_left(&mut self, left: u64) {
        self.left = left;
    }
}
