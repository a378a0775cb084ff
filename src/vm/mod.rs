//! The virtual machine: configuration, the context object (instruction
//! meter), and [`EbpfVm`], which binds an executable, a context and a memory
//! mapping and runs the program in the chosen engine.

mod config;
mod context;

pub use config::{Config, MAX_CALL_DEPTH};
pub use context::{Budget, ContextObject};

use crate::error::Trap;
use crate::isa::Reg;
use crate::memory::MemoryMapping;
use crate::program::Executable;

/// Which engine executes the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Engine {
    /// The portable interpreter (every target).
    Interpreter,
    /// The x86_64 JIT (needs `jit` and a prior `jit_compile`).
    Jit,
}

/// The result of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RunOutcome {
    /// Instructions executed (an instruction that trapped counts; one stopped
    /// by the budget does not).
    pub instruction_count: u64,
    /// `r0` at the final `exit`, or the trap.
    pub result: Result<u64, Trap>,
}

/// A VM instance: one executable, its context object and its memory.
///
/// At entry `r1` = input address, `r2` = input length (see
/// [`crate::memory`]), `r10` = top of the stack region; other registers are 0.
///
/// ```
/// use std::sync::Arc;
/// use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Loader};
/// use ebpfvm::memory::{MemoryMapping, MemoryRegion, MM_INPUT_START, MM_STACK_START};
///
/// // r0 = *(u32 *)(r1 + 0) + r2 ; exit
/// let code = [
///     0x61, 0x10, 0, 0, 0, 0, 0, 0, // ldxw r0, [r1+0]
///     0x0f, 0x20, 0, 0, 0, 0, 0, 0, // add r0, r2
///     0x95, 0, 0, 0, 0, 0, 0, 0,    // exit
/// ];
/// let loader = Arc::new(Loader::<Budget>::new(Config::default()));
/// let executable = Executable::from_bytecode(&code, loader)?;
/// let mut stack = vec![0u8; executable.config().stack_size()];
/// let mut input = 40u32.to_le_bytes();
/// let mapping = MemoryMapping::new([
///     executable.ro_region(),
///     MemoryRegion::writable(&mut stack, MM_STACK_START),
///     MemoryRegion::writable(&mut input, MM_INPUT_START),
/// ])?;
/// let mut budget = Budget::new(1_000);
/// let mut vm = EbpfVm::new(&executable, &mut budget, mapping);
/// let outcome = vm.execute_program(Engine::Interpreter);
/// assert_eq!(outcome.result, Ok(44));
/// assert_eq!(outcome.instruction_count, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EbpfVm<'a, C: ContextObject> {
    pub(crate) executable: &'a Executable<C>,
    pub(crate) context: &'a mut C,
    pub(crate) memory: MemoryMapping<'a>,
    pub(crate) registers: [u64; Reg::COUNT],
}

impl<'a, C: ContextObject> EbpfVm<'a, C> {
    /// Binds an executable, its context object and its memory.
    pub fn new(
        executable: &'a Executable<C>,
        context: &'a mut C,
        memory: MemoryMapping<'a>,
    ) -> Self {
        EbpfVm {
            executable,
            context,
            memory,
            registers: [0; Reg::COUNT],
        }
    }

    /// Runs the program from its entry point in `engine`.
    pub fn execute_program(&mut self, engine: Engine) -> RunOutcome {
        match engine {
            Engine::Interpreter => crate::interpreter::execute(self),
            Engine::Jit => self.execute_jit(),
        }
    }

    /// The initial register file of a run: `r1`, `r2` from the input region,
    /// `r10` at the top of the stack.
    pub(crate) fn initial_registers(&self) -> [u64; Reg::COUNT] {
        let mut regs = [0u64; Reg::COUNT];
        let (input, len) = self.memory.input();
        regs[1] = input;
        regs[2] = len;
        regs[10] = self.memory.stack_top().unwrap_or(
            crate::memory::MM_STACK_START + self.executable.config().stack_size() as u64,
        );
        regs
    }

    #[cfg(feature = "jit")]
    fn execute_jit(&mut self) -> RunOutcome {
        crate::jit::execute(self)
    }

    #[cfg(not(feature = "jit"))]
    fn execute_jit(&mut self) -> RunOutcome {
        RunOutcome {
            instruction_count: 0,
            result: Err(Trap::JitUnavailable),
        }
    }

    /// The executable.
    pub fn executable(&self) -> &'a Executable<C> {
        self.executable
    }

    /// The context object.
    pub fn context(&self) -> &C {
        self.context
    }

    /// The context object, mutably.
    pub fn context_mut(&mut self) -> &mut C {
        self.context
    }

    /// The memory mapping (inspect guest memory after a run).
    pub fn memory(&self) -> &MemoryMapping<'a> {
        &self.memory
    }

    /// The memory mapping, mutably.
    pub fn memory_mut(&mut self) -> &mut MemoryMapping<'a> {
        &mut self.memory
    }

    /// Registers `r0..=r10` as the last run left them.
    pub fn registers(&self) -> &[u64; Reg::COUNT] {
        &self.registers
    }
}
