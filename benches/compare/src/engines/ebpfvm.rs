//! ebpfvm: the interpreter, and the JIT when built with `ebpfvm-jit`.

use std::sync::Arc;

use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Loader};

use super::{Outcome, Runner, SetupError};
use crate::BUDGET;

/// Why [`Ebpfvm::jit`] fails in this build, if it does.
pub const JIT_UNAVAILABLE: Option<&str> = if cfg!(feature = "ebpfvm-jit") {
    None
} else {
    Some("build with the `ebpfvm-jit` feature (on by default)")
};

/// A verified executable, its stack, and the engine to run it on.
pub struct Ebpfvm {
    exe: Executable<Budget>,
    stack: Vec<u8>,
    engine: Engine,
}

impl Ebpfvm {
    fn load(code: &[u8], engine: Engine) -> Result<Self, SetupError> {
        // Default configuration: bounds checks always, instruction meter on.
        let loader = Arc::new(Loader::<Budget>::new(Config::default()));
        let exe = Executable::from_bytecode(code, loader)
            .map_err(|e| SetupError::Failed(e.to_string()))?;
        let stack = vec![0; exe.config().stack_size()];
        Ok(Ebpfvm { exe, stack, engine })
    }

    /// The interpreter.
    pub fn interpreter(code: &[u8]) -> Result<Self, SetupError> {
        Self::load(code, Engine::Interpreter)
    }

    /// The JIT.
    #[cfg(feature = "ebpfvm-jit")]
    pub fn jit(code: &[u8]) -> Result<Self, SetupError> {
        let mut vm = Self::load(code, Engine::Jit)?;
        vm.exe
            .jit_compile()
            .map_err(|e| SetupError::Failed(e.to_string()))?;
        Ok(vm)
    }

    /// The JIT is not compiled in.
    #[cfg(not(feature = "ebpfvm-jit"))]
    pub fn jit(_code: &[u8]) -> Result<Self, SetupError> {
        Err(SetupError::Unavailable(
            JIT_UNAVAILABLE.unwrap_or("not compiled in"),
        ))
    }
}

impl Runner for Ebpfvm {
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String> {
        let mut data = Vec::new(); // the kernels have no .data: this never allocates
        let mapping = self
            .exe
            .standard_mapping(&mut self.stack, &mut data, input)
            .map_err(|e| e.to_string())?;
        let mut budget = Budget::new(BUDGET);
        let outcome = EbpfVm::new(&self.exe, &mut budget, mapping).execute_program(self.engine);
        match outcome.result {
            Ok(r0) => Ok(Outcome {
                r0,
                instructions: Some(outcome.instruction_count),
            }),
            Err(trap) => Err(trap.to_string()),
        }
    }
}
