//! [`RunParts`]: the parts of one run the facade hands to an engine (the
//! executable, the context object, the memory mapping, the register file),
//! and the protocol every engine follows with them, written once:
//!
//! 1. [`RunParts::begin`]: the initial registers (`r1`, `r2` from the input
//!    region, `r10` at the top of the stack, the rest 0) and the budget the
//!    engine's meter starts from (the context's [`ContextObject::remaining`],
//!    or `u64::MAX` with the meter off);
//! 2. [`RunParts::call_builtin`] at every builtin call: report the
//!    instructions executed since the last report (`consume`), call the
//!    builtin with `r1..=r5`, turn its error into the run's [`Trap`], re-read
//!    the budget the engine's meter continues from;
//! 3. [`RunParts::finish`]: report the rest, write the registers back, and
//!    build the [`RunOutcome`].
//!
//! An engine keeps only its own meter between those calls, so the
//! interpreter loops and the JIT charge the context object identically.

use super::{ContextObject, RunOutcome, Trap};
use crate::isa::Reg;
use crate::memory::{MemoryMapping, MM_STACK_START};
use crate::program::Executable;

/// The parts of one run: what an engine needs from the [`crate::vm::EbpfVm`]
/// facade, and nothing else.
pub(crate) struct RunParts<'r, 'm, C: ContextObject> {
    /// The program.
    pub(crate) executable: &'r Executable<'r, C>,
    /// The context object builtins receive; also the instruction meter.
    pub(crate) context: &'r mut C,
    /// Guest memory.
    pub(crate) memory: &'r mut MemoryMapping<'m>,
    /// Where the final registers go.
    registers: &'r mut [u64; Reg::COUNT],
    /// Whether the context's budget limits the run.
    metered: bool,
    /// Instructions already reported to the context object.
    reported: u64,
}

/// What an engine starts a run with.
pub(crate) struct Start {
    /// The initial register file.
    pub(crate) registers: [u64; Reg::COUNT],
    /// The budget the engine's meter starts from.
    pub(crate) budget: u64,
}

impl<'r, 'm, C: ContextObject> RunParts<'r, 'm, C> {
    /// Binds the parts of one run.
    pub(crate) fn new(
        executable: &'r Executable<'r, C>,
        context: &'r mut C,
        memory: &'r mut MemoryMapping<'m>,
        registers: &'r mut [u64; Reg::COUNT],
    ) -> Self {
        RunParts {
            metered: executable.config().enable_instruction_meter,
            executable,
            context,
            memory,
            registers,
            reported: 0,
        }
    }

    /// The initial registers and budget of the run.
    pub(crate) fn begin(&self) -> Start {
        let mut registers = [0u64; Reg::COUNT];
        let (input, len) = self.memory.input();
        registers[1] = input;
        registers[2] = len;
        registers[10] = self
            .memory
            .stack_top()
            .unwrap_or(MM_STACK_START + self.executable.config().stack_size() as u64);
        Start {
            registers,
            budget: self.budget(),
        }
    }

    /// The budget a meter continues from: the context's, or unlimited.
    fn budget(&self) -> u64 {
        if self.metered {
            self.context.remaining()
        } else {
            u64::MAX
        }
    }

    /// Reports the instructions executed since the last report.
    fn report(&mut self, executed: u64) {
        if self.metered {
            self.context.consume(executed.wrapping_sub(self.reported));
        }
        self.reported = executed;
    }

    /// The builtin call at `pc` of table entry `index` (id `id`) with
    /// arguments `args` (`r1..=r5`), after `executed` instructions (the call
    /// included): charge, call, re-read. Returns the builtin's result (its
    /// value for `r0`, or the trap) and the budget the engine's meter
    /// continues from (`None` with the meter off: nothing to refresh).
    ///
    /// The builtin had the mapping mutably: an engine that caches host
    /// pointers (the JIT) rebuilds them afterwards.
    #[inline(never)]
    pub(crate) fn call_builtin(
        &mut self,
        pc: usize,
        index: usize,
        id: u32,
        args: [u64; 5],
        executed: u64,
    ) -> (Result<u64, Trap>, Option<u64>) {
        self.report(executed);
        let result = match self.executable.builtins().at(index) {
            Some(builtin) => {
                (builtin.func)(self.context, self.memory, args).map_err(|e| Trap::BuiltinFailed {
                    pc,
                    id,
                    code: e.code,
                })
            }
            None => Err(Trap::UnknownBuiltin { pc, index }),
        };
        let budget = self.metered.then(|| self.context.remaining());
        (result, budget)
    }

    /// Ends the run after `executed` instructions with `result` and final
    /// `registers`: reports the rest to the context object.
    pub(crate) fn finish(
        mut self,
        registers: &[u64; Reg::COUNT],
        executed: u64,
        result: Result<u64, Trap>,
    ) -> RunOutcome {
        self.report(executed);
        *self.registers = *registers;
        RunOutcome {
            instruction_count: executed,
            result,
        }
    }
}
