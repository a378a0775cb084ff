//! [`JitProgram`] (compiled code, a value the caller owns, borrowing the
//! executable it was compiled from) and [`execute`], the JIT engine's
//! counterpart of the interpreter's run loop.

use alloc::vec::Vec;

use super::blind::Blinder;
use super::compiler::compile;
use super::entry::{self, Env};
use super::mem::ExecutableCode;
use super::state::{status, unpack_fault_info, JitState};
use super::JitError;
use crate::engine::{ContextObject, RunOutcome, RunParts, Trap};
use crate::memory::AccessKind;
use crate::program::Executable;

/// Machine code of one executable, in read+execute pages that are unmapped
/// when it is dropped. It borrows the executable it was compiled from, so it
/// can only be run with that executable (checked by
/// [`crate::EbpfVm::execute_jit`]).
pub struct JitProgram<'e, C> {
    executable: &'e Executable<'e, C>,
    pub(super) code: ExecutableCode,
    /// Code offset of each entry of `Executable::functions()`.
    function_offsets: Vec<u32>,
}

impl<C> core::fmt::Debug for JitProgram<'_, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JitProgram")
            .field("code_bytes", &self.code.bytes().len())
            .field("functions", &self.function_offsets.len())
            .finish()
    }
}

impl<'e, C> JitProgram<'e, C> {
    /// Compiles a verified program to x86-64 machine code.
    ///
    /// Fails with a [`JitError`] if the program is too large for the code
    /// generator or code memory cannot be mapped.
    pub fn compile(exe: &'e Executable<'_, C>) -> Result<Self, JitError> {
        let config = exe.config();
        let blinder = config.jit_blind_constants.then(Blinder::new);
        let compiled = compile(exe.ops(), exe.entry_pc(), exe.functions(), config, blinder)?;
        Ok(JitProgram {
            executable: exe,
            code: ExecutableCode::new(&compiled.code)?,
            function_offsets: compiled.function_offsets,
        })
    }

    /// The generated machine code (x86-64), e.g. for disassembly.
    pub fn machine_code(&self) -> &[u8] {
        self.code.bytes()
    }

    /// The executable this code was compiled from.
    pub fn executable(&self) -> &'e Executable<'e, C> {
        self.executable
    }

    /// Whether this code was compiled from `executable` (the same object).
    pub fn is_compiled_from(&self, executable: &Executable<'_, C>) -> bool {
        core::ptr::eq(
            self.executable as *const Executable<'_, C> as *const u8,
            executable as *const Executable<'_, C> as *const u8,
        )
    }

    /// Host address of the function starting at `pc`.
    pub(super) fn function_address(&self, pc: usize) -> Option<usize> {
        let index = self.executable.functions().binary_search(&pc).ok()?;
        let offset = *self.function_offsets.get(index)? as usize;
        Some(self.code.as_ptr() as usize + offset)
    }
}

/// Runs the program of `run` in its compiled code.
pub(crate) fn execute<C: ContextObject>(
    run: RunParts<'_, '_, C>,
    program: &JitProgram<'_, C>,
) -> RunOutcome {
    let exe = run.executable;
    let config = exe.config();
    let start = run.begin();

    let mut ctx = JitState::new();
    ctx.regs = start.registers;
    ctx.budget = start.budget;
    ctx.meter = start.budget;
    ctx.input_start = run.memory.input().0;
    ctx.refresh_regions(run.memory);
    ctx.builtin_helper = Some(entry::builtin_helper::<C>);
    ctx.callx_helper = Some(entry::callx_helper::<C>);
    let mut env = Env {
        run,
        program,
        trap: None,
        #[cfg(feature = "std")]
        panic: None,
    };
    ctx.env = entry::erase(&mut env);
    entry::run(program, &mut ctx);

    #[cfg(feature = "std")]
    if let Some(payload) = env.panic.take() {
        // A builtin panicked: propagate it as the interpreter would.
        std::panic::resume_unwind(payload);
    }
    let executed = ctx.charged.wrapping_add(ctx.budget.wrapping_sub(ctx.meter));
    let result = match ctx.status {
        status::EXITED => Ok(ctx.regs[0]),
        status::ACCESS_VIOLATION => {
            let (pc, len, store) = unpack_fault_info(ctx.fault_info);
            Err(Trap::AccessViolation {
                pc,
                addr: ctx.fault_addr,
                len,
                kind: if store {
                    AccessKind::Store
                } else {
                    AccessKind::Load
                },
            })
        }
        status::METER => Err(Trap::ExceededMaxInstructions {
            pc: ctx.fault_info as usize,
        }),
        status::CALL_DEPTH => Err(Trap::CallDepthExceeded {
            pc: ctx.fault_info as usize,
            depth: config.effective_call_depth(),
        }),
        // A helper recorded its trap; a status the code never sets would
        // be a compiler bug, reported as the run's entry pc.
        _ => Err(env.trap.unwrap_or(Trap::UnknownBuiltin {
            pc: exe.entry_pc(),
            index: usize::MAX,
        })),
    };
    env.run.finish(&ctx.regs, executed, result)
}
