//! Runs one program on one input under a budget, compares the outcome with
//! the expectation, and keeps the tally.

use alloc::vec::Vec;

use ebpfvm::error::{MappingError, Trap};
use ebpfvm::{EbpfVm, Executable, RunOutcome};

use crate::board::Board;
use crate::stack;

/// What a run must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Exit normally with this `r0`.
    Returns(u64),
    /// Stop with exactly this trap.
    Traps(Trap),
    /// Stop with [`Trap::ExceededMaxInstructions`] after executing exactly
    /// the whole budget, leaving none of it.
    ExhaustsBudget,
}

/// The result of one run, with the state it left behind.
pub struct Run {
    /// What the VM reported.
    pub outcome: RunOutcome,
    /// The context object after the run (budget left, builtin counters).
    pub board: Board,
    /// The data region after the run: it started as a copy of the
    /// executable's data template (empty for raw bytecode, so only the ELF
    /// cases read it).
    #[cfg_attr(not(feature = "elf"), allow(dead_code))]
    pub data: Vec<u8>,
}

/// Executes programs against one reusable VM stack region.
pub struct Runner {
    vm_stack: Vec<u8>,
    /// Runs whose outcome matched.
    pub passed: u32,
    /// Runs whose outcome did not match.
    pub failed: u32,
    /// The most main stack any run used.
    pub peak_native_stack: usize,
}

impl Runner {
    /// A runner whose VM stack holds `stack_size` bytes (`Config::stack_size()`).
    pub fn new(stack_size: usize) -> Self {
        Runner {
            vm_stack: alloc::vec![0; stack_size],
            passed: 0,
            failed: 0,
            peak_native_stack: 0,
        }
    }

    /// Runs `exe` with a budget of `budget` instructions and the usual
    /// mapping ([`Executable::standard_mapping`]): the program image, the VM
    /// stack, `input` writable at `MM_INPUT_START`, and a fresh copy of the
    /// data template at `MM_DATA_START` when the program has data.
    pub fn run(
        &mut self,
        exe: &Executable<Board>,
        input: &mut [u8],
        budget: u64,
    ) -> Result<Run, MappingError> {
        self.vm_stack.fill(0);
        let mut data = exe.data_template().to_vec();
        let mapping = exe.standard_mapping(&mut self.vm_stack, &mut data, input)?;
        let mut board = Board::with_budget(budget);
        let mut vm = EbpfVm::new(exe, &mut board, mapping);
        let (outcome, native_stack) = stack::measure(|| vm.execute_interpreted());
        self.peak_native_stack = self.peak_native_stack.max(native_stack);
        Ok(Run {
            outcome,
            board,
            data,
        })
    }

    /// Runs and checks the outcome against `expect`, printing a line either way.
    /// Returns the run (for extra checks) when the outcome matched.
    pub fn check(
        &mut self,
        name: &str,
        exe: &Executable<Board>,
        input: &mut [u8],
        budget: u64,
        expect: Expect,
    ) -> Option<Run> {
        let run = match self.run(exe, input, budget) {
            Ok(run) => run,
            Err(e) => {
                say!("[{}] FAIL: cannot map memory: {}", name, e);
                self.failed += 1;
                return None;
            }
        };
        let count = run.outcome.instruction_count;
        let matched = match (expect, run.outcome.result) {
            (Expect::Returns(want), Ok(got)) => want == got,
            (Expect::Traps(want), Err(got)) => want == got,
            (Expect::ExhaustsBudget, Err(Trap::ExceededMaxInstructions { .. })) => {
                count == budget && run.board.budget == 0
            }
            _ => false,
        };
        match (matched, run.outcome.result) {
            (true, Ok(value)) => say!(
                "[{}] ok: r0 = {} ({:#x}), {} instructions",
                name,
                value,
                value,
                count
            ),
            (true, Err(trap)) => say!(
                "[{}] ok: trapped as expected after {} instructions: {}",
                name,
                count,
                trap
            ),
            (false, Ok(value)) => say!("[{}] FAIL: returned {} ({:#x})", name, value, value),
            (false, Err(trap)) => say!("[{}] FAIL: trapped: {}", name, trap),
        }
        if !matched {
            match expect {
                Expect::Returns(want) => say!("[{}]   expected r0 = {}", name, want),
                Expect::Traps(want) => say!("[{}]   expected trap: {}", name, want),
                Expect::ExhaustsBudget => {
                    say!("[{}]   expected the whole budget of {} used", name, budget)
                }
            }
        }
        self.record(matched);
        matched.then_some(run)
    }

    /// Counts an extra check; prints `what` when it failed.
    pub fn expect(&mut self, name: &str, ok: bool, what: &str) {
        if !ok {
            say!("[{}] FAIL: {}", name, what);
        }
        self.record(ok);
    }

    fn record(&mut self, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }
}
