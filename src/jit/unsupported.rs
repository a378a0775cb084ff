//! The JIT where there is none (feature `jit` off, or a target other than
//! x86_64 unix): nothing to compile, every request reports
//! [`JitError::UnsupportedTarget`].

use core::convert::Infallible;
use core::marker::PhantomData;

use super::JitError;
use crate::engine::{ContextObject, RunOutcome, RunParts};
use crate::program::Executable;

/// Compiled code; it cannot exist in this build.
pub struct JitProgram<'e, C> {
    never: Infallible,
    _executable: PhantomData<&'e Executable<'e, C>>,
}

impl<C> core::fmt::Debug for JitProgram<'_, C> {
    fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.never {}
    }
}

impl<'e, C> JitProgram<'e, C> {
    /// Always [`JitError::UnsupportedTarget`] in this build.
    pub fn compile(_: &'e Executable<'_, C>) -> Result<Self, JitError> {
        Err(JitError::UnsupportedTarget)
    }

    /// The generated machine code (never available in this build).
    pub fn machine_code(&self) -> &[u8] {
        match self.never {}
    }

    /// The executable this code was compiled from (never called).
    pub fn executable(&self) -> &'e Executable<'e, C> {
        match self.never {}
    }

    /// Whether this code was compiled from `executable` (never called).
    pub fn is_compiled_from(&self, _: &Executable<'_, C>) -> bool {
        match self.never {}
    }
}

/// No code can have been compiled, so no run can reach here.
pub(crate) fn execute<C: ContextObject>(
    _: RunParts<'_, '_, C>,
    program: &JitProgram<'_, C>,
) -> RunOutcome {
    match program.never {}
}
