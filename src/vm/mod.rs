//! The facade users call: [`EbpfVm`] binds an executable, a context object
//! and a memory mapping, and runs the program in an engine. It is the only
//! caller of the engines (the interpreter loops and the JIT).

use crate::engine::{ContextObject, Engine, RunOutcome, RunParts};
use crate::isa::Reg;
use crate::jit::{JitError, JitProgram};
use crate::memory::MemoryMapping;
use crate::program::Executable;

/// An [`Engine`] made ready to run one executable: nothing for the
/// interpreter, the compiled code for the JIT. Tests, fuzz targets and the
/// command-line tool build one per entry of [`Engine::available`] and run it
/// with [`EbpfVm::execute`].
///
/// ```
/// use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Prepared, Runtime};
/// use ebpfvm::memory::MemoryMapping;
/// let code = [0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]; // mov r0, 7 ; exit
/// let runtime = Runtime::<Budget>::new(Config::default());
/// let executable = Executable::from_bytecode(&code, &runtime)?;
/// for &engine in Engine::available() {
///     let prepared = Prepared::new(engine, &executable)?;
///     let mut budget = Budget::new(10);
///     let mut vm = EbpfVm::new(&executable, &mut budget, MemoryMapping::default());
///     assert_eq!(vm.execute(&prepared).result, Ok(7));
/// }
/// # Ok::<(), ebpfvm::error::Error>(())
/// ```
#[non_exhaustive]
pub enum Prepared<'e, C> {
    /// The interpreter needs no preparation.
    Interpreter,
    /// Nor does the compact interpreter loop.
    #[cfg(feature = "compact")]
    Compact,
    /// The JIT's compiled code.
    Jit(JitProgram<'e, C>),
}

impl<'e, C> Prepared<'e, C> {
    /// Prepares `engine` for `executable`: compiles it for the JIT. Fails
    /// with [`JitError::UnsupportedTarget`] for the JIT in a build without
    /// one, or with the JIT's compilation error.
    pub fn new(engine: Engine, executable: &'e Executable<'_, C>) -> Result<Self, JitError> {
        match engine {
            Engine::Interpreter => Ok(Prepared::Interpreter),
            #[cfg(feature = "compact")]
            Engine::Compact => Ok(Prepared::Compact),
            Engine::Jit => JitProgram::compile(executable).map(Prepared::Jit),
        }
    }

    /// The engine this runs in.
    pub fn engine(&self) -> Engine {
        match self {
            Prepared::Interpreter => Engine::Interpreter,
            #[cfg(feature = "compact")]
            Prepared::Compact => Engine::Compact,
            Prepared::Jit(_) => Engine::Jit,
        }
    }
}

impl<C> core::fmt::Debug for Prepared<'_, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Prepared").field(&self.engine()).finish()
    }
}

/// A VM instance: one executable, its context object and its memory.
///
/// At entry `r1` = input address, `r2` = input length (see
/// [`crate::memory`]), `r10` = top of the stack region; other registers are 0.
///
/// ```
/// use ebpfvm::{Budget, Config, EbpfVm, Executable, Runtime};
/// use ebpfvm::memory::{MemoryMapping, MemoryRegion, MM_INPUT_START, MM_STACK_START};
///
/// // r0 = *(u32 *)(r1 + 0) + r2 ; exit
/// let code = [
///     0x61, 0x10, 0, 0, 0, 0, 0, 0, // ldxw r0, [r1+0]
///     0x0f, 0x20, 0, 0, 0, 0, 0, 0, // add r0, r2
///     0x95, 0, 0, 0, 0, 0, 0, 0,    // exit
/// ];
/// let runtime = Runtime::<Budget>::new(Config::default());
/// let executable = Executable::from_bytecode(&code, &runtime)?;
/// let mut stack = vec![0u8; executable.config().stack_size()];
/// let mut input = 40u32.to_le_bytes();
/// let mapping = MemoryMapping::new([
///     executable.ro_region(),
///     MemoryRegion::writable(&mut stack, MM_STACK_START),
///     MemoryRegion::writable(&mut input, MM_INPUT_START),
/// ])?;
/// let mut budget = Budget::new(1_000);
/// let mut vm = EbpfVm::new(&executable, &mut budget, mapping);
/// let outcome = vm.execute_interpreted();
/// assert_eq!(outcome.result, Ok(44));
/// assert_eq!(outcome.instruction_count, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EbpfVm<'a, C: ContextObject> {
    executable: &'a Executable<'a, C>,
    context: &'a mut C,
    memory: MemoryMapping<'a>,
    registers: [u64; Reg::COUNT],
}

impl<'a, C: ContextObject> EbpfVm<'a, C> {
    /// Binds an executable, its context object and its memory.
    pub fn new(
        executable: &'a Executable<'a, C>,
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

    /// Runs the program from its entry point in the prepared engine.
    ///
    /// # Panics
    /// As [`execute_jit`](Self::execute_jit).
    pub fn execute(&mut self, engine: &Prepared<'_, C>) -> RunOutcome {
        match engine {
            Prepared::Interpreter => self.execute_interpreted(),
            #[cfg(feature = "compact")]
            Prepared::Compact => crate::interpreter::execute_compact(self.parts()),
            Prepared::Jit(jit) => self.execute_jit(jit),
        }
    }

    /// Runs the program from its entry point in the interpreter.
    pub fn execute_interpreted(&mut self) -> RunOutcome {
        crate::interpreter::execute(self.parts())
    }

    /// Runs the program from its entry point in `jit`, its compiled code
    /// (see [`JitProgram::compile`]).
    ///
    /// # Panics
    /// If `jit` was compiled from another executable than this VM's (a
    /// programming error, never a consequence of guest input).
    pub fn execute_jit(&mut self, jit: &JitProgram<'_, C>) -> RunOutcome {
        assert!(
            jit.is_compiled_from(self.executable),
            "JitProgram run with an executable it was not compiled from"
        );
        crate::jit::execute(self.parts(), jit)
    }

    /// The parts of one run, handed to an engine.
    fn parts(&mut self) -> RunParts<'_, 'a, C> {
        RunParts::new(
            self.executable,
            self.context,
            &mut self.memory,
            &mut self.registers,
        )
    }

    /// The executable.
    pub fn executable(&self) -> &'a Executable<'a, C> {
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
