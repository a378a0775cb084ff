//! The JIT on targets other than x86_64 unix: nothing to compile, every
//! request reports [`JitError::UnsupportedTarget`].

use crate::error::{JitError, Trap};
use crate::program::Executable;
use crate::vm::{ContextObject, EbpfVm, RunOutcome};

/// Compiled code; it cannot exist on this target.
#[derive(Debug)]
pub enum JitProgram {}

impl JitProgram {
    pub(super) fn compile<C>(_: &Executable<C>) -> Result<Self, JitError> {
        Err(JitError::UnsupportedTarget)
    }

    /// The generated machine code (never available on this target).
    pub fn machine_code(&self) -> &[u8] {
        match *self {}
    }
}

/// No code can have been compiled: always [`Trap::JitUnavailable`].
pub(crate) fn execute<C: ContextObject>(_: &mut EbpfVm<'_, C>) -> RunOutcome {
    RunOutcome {
        instruction_count: 0,
        result: Err(Trap::JitUnavailable),
    }
}
