//! Engine selection: prepares an executable for the engine the user chose.

use ebpfvm::{ContextObject, Engine, Executable, Prepared};

use crate::report::{Failure, Stage};
use crate::EngineArg;

/// Compiles `exe` if the JIT is chosen, and returns the prepared engine.
/// Without the `jit` feature, or off x86_64 unix, the JIT's "unsupported"
/// error is reported.
pub fn prepare<'e, C: ContextObject>(
    exe: &'e Executable<'_, C>,
    engine: EngineArg,
) -> Result<Prepared<'e, C>, Failure> {
    let engine = match engine {
        EngineArg::Interpreter => Engine::Interpreter,
        EngineArg::Jit => Engine::Jit,
    };
    Prepared::new(engine, exe)
        .map_err(|e| Failure::new(Stage::Jit, format!("{engine}: JIT compilation failed: {e}")))
}
