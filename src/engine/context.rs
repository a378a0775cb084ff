//! The context object: the host state a program runs against, which is also
//! its instruction meter.

/// Host state passed to every builtin, and the instruction meter.
///
/// The engines read [`remaining`](Self::remaining) when a run starts and after
/// every builtin call (a builtin may charge extra), and report executed
/// instructions through [`consume`](Self::consume) before each builtin call
/// and when the run ends. With [`crate::Config::enable_instruction_meter`] on,
/// the instruction that would exceed the budget is not executed and the run
/// stops with [`crate::error::Trap::ExceededMaxInstructions`].
pub trait ContextObject {
    /// Charges `amount` instructions (or units a builtin chooses to charge).
    fn consume(&mut self, amount: u64);
    /// The budget left.
    fn remaining(&self) -> u64;
}

/// The plain context object: an instruction budget and nothing else.
///
/// ```
/// use ebpfvm::{Budget, ContextObject};
/// let mut budget = Budget::new(100);
/// budget.consume(30);
/// assert_eq!(budget.remaining(), 70);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Budget {
    /// Instructions left.
    pub remaining: u64,
}

impl Budget {
    /// A budget of `instructions`.
    pub const fn new(instructions: u64) -> Self {
        Budget {
            remaining: instructions,
        }
    }

    /// A budget that never runs out in practice (`u64::MAX`).
    pub const fn unlimited() -> Self {
        Budget {
            remaining: u64::MAX,
        }
    }
}

impl ContextObject for Budget {
    fn consume(&mut self, amount: u64) {
        self.remaining = self.remaining.saturating_sub(amount);
    }

    fn remaining(&self) -> u64 {
        self.remaining
    }
}
