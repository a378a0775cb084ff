//! Engine selection: prepares an executable for the engine the user chose.

use ebpfvm::{Budget, Engine, Executable, Prepared};

use crate::EngineArg;

/// Compiles `exe` if the JIT is chosen, and returns the engine to run.
pub fn prepare<'e>(
    exe: &'e Executable<'_, Budget>,
    engine: EngineArg,
) -> Result<Prepared<'e, Budget>, String> {
    let engine = match engine {
        EngineArg::Interpreter => Engine::Interpreter,
        EngineArg::Jit => Engine::Jit,
    };
    Prepared::new(engine, exe).map_err(|e| format!("{engine}: {e}"))
}
