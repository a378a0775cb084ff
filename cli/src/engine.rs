//! Engine selection: prepares an executable for the engine the user chose.

use ebpfvm::{Budget, Engine, Executable};

use crate::EngineArg;

/// Compiles `exe` if the JIT is chosen, and returns the engine to run.
#[cfg(feature = "jit")]
pub fn prepare(exe: &mut Executable<Budget>, engine: EngineArg) -> Result<Engine, String> {
    match engine {
        EngineArg::Interpreter => Ok(Engine::Interpreter),
        EngineArg::Jit => {
            exe.jit_compile()
                .map_err(|e| format!("JIT compilation failed: {e}"))?;
            Ok(Engine::Jit)
        }
    }
}

/// Without the `jit` feature only the interpreter is available.
#[cfg(not(feature = "jit"))]
pub fn prepare(_: &mut Executable<Budget>, engine: EngineArg) -> Result<Engine, String> {
    match engine {
        EngineArg::Interpreter => Ok(Engine::Interpreter),
        EngineArg::Jit => Err("this build has no JIT (enable the `jit` feature)".into()),
    }
}
