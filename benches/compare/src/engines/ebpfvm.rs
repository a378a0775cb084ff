//! ebpfvm: the interpreter, and the JIT when built with `ebpfvm-jit`.

use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Prepared, Runtime};

use super::{Outcome, Runner, SetupError};
use crate::BUDGET;

/// Why [`Ebpfvm::jit`] fails in this build, if it does.
pub const JIT_UNAVAILABLE: Option<&str> = if cfg!(feature = "ebpfvm-jit") {
    None
} else {
    Some("build with the `ebpfvm-jit` feature (on by default)")
};

/// A verified executable, its stack, and the engine prepared to run it.
/// The runtime and the executable are leaked (a few per benchmark run) so
/// the runner can own the JIT code that borrows them.
pub struct Ebpfvm {
    exe: &'static Executable<'static, Budget>,
    stack: Vec<u8>,
    engine: Prepared<'static, Budget>,
}

impl Ebpfvm {
    fn load(code: &[u8], engine: Engine) -> Result<Self, SetupError> {
        // Default configuration: bounds checks always, instruction meter on.
        let runtime: &'static Runtime<Budget> =
            Box::leak(Box::new(Runtime::new(Config::default())));
        let exe = Executable::from_bytecode(code, runtime)
            .map_err(|e| SetupError::Failed(e.to_string()))?;
        let exe: &'static Executable<'static, Budget> = Box::leak(Box::new(exe));
        let engine = Prepared::new(engine, exe).map_err(|e| SetupError::Failed(e.to_string()))?;
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
        Self::load(code, Engine::Jit)
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
        let outcome = EbpfVm::new(self.exe, &mut budget, mapping).execute(&self.engine);
        match outcome.result {
            Ok(r0) => Ok(Outcome {
                r0,
                instructions: Some(outcome.instruction_count),
            }),
            Err(trap) => Err(trap.to_string()),
        }
    }
}
