//! Engine selection: prepares an executable for the engine the user chose.

use ebpfvm::{ContextObject, Engine, Executable};

use crate::report::{Failure, Stage};
use crate::EngineArg;

/// Compiles `exe` if the JIT is chosen, and returns the engine to run.
#[cfg(feature = "jit")]
pub fn prepare<C: ContextObject>(
    exe: &mut Executable<C>,
    engine: EngineArg,
) -> Result<Engine, Failure> {
    match engine {
        EngineArg::Interpreter => Ok(Engine::Interpreter),
        EngineArg::Jit => {
            exe.jit_compile()
                .map_err(|e| Failure::new(Stage::Jit, format!("JIT compilation failed: {e}")))?;
            Ok(Engine::Jit)
        }
    }
}

/// Without the `jit` feature only the interpreter is available.
#[cfg(not(feature = "jit"))]
pub fn prepare<C: ContextObject>(
    _: &mut Executable<C>,
    engine: EngineArg,
) -> Result<Engine, Failure> {
    match engine {
        EngineArg::Interpreter => Ok(Engine::Interpreter),
        EngineArg::Jit => Err(Failure::new(
            Stage::Usage,
            "this build has no JIT (build ebpfvm-cli with its `jit` feature)",
        )),
    }
}
