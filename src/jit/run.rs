//! [`JitProgram`] (compiled code owned by an executable) and [`execute`], the
//! JIT engine's counterpart of the interpreter's run loop.

use alloc::vec::Vec;

use super::blind::Blinder;
use super::compiler::compile;
use super::context::{status, unpack_fault_info, JitContext};
use super::entry::{self, Env};
use super::mem::ExecutableCode;
use crate::error::{AccessKind, JitError, Trap};
use crate::program::Executable;
use crate::vm::{ContextObject, EbpfVm, RunOutcome};

/// Machine code of one executable, in read+execute pages that are unmapped
/// when it is dropped.
#[derive(Debug)]
pub struct JitProgram {
    pub(super) code: ExecutableCode,
    /// Code offset of each entry of `Executable::functions()`.
    function_offsets: Vec<u32>,
}

impl JitProgram {
    pub(super) fn compile<C>(exe: &Executable<C>) -> Result<Self, JitError> {
        let config = exe.config();
        let blinder = config.jit_blind_constants.then(Blinder::new);
        let compiled = compile(exe.ops(), exe.entry_pc(), exe.functions(), config, blinder)?;
        Ok(JitProgram {
            code: ExecutableCode::new(&compiled.code)?,
            function_offsets: compiled.function_offsets,
        })
    }

    /// The generated machine code (x86-64), e.g. for disassembly.
    pub fn machine_code(&self) -> &[u8] {
        self.code.bytes()
    }

    /// Host address of the function starting at `pc`.
    pub(super) fn function_address<C>(&self, exe: &Executable<C>, pc: usize) -> Option<usize> {
        let index = exe.functions().binary_search(&pc).ok()?;
        let offset = *self.function_offsets.get(index)? as usize;
        Some(self.code.as_ptr() as usize + offset)
    }
}

/// Runs `vm`'s program in its compiled code.
pub(crate) fn execute<C: ContextObject>(vm: &mut EbpfVm<'_, C>) -> RunOutcome {
    let exe = vm.executable;
    let Some(program) = exe.jit.as_ref() else {
        return RunOutcome {
            instruction_count: 0,
            result: Err(Trap::JitUnavailable),
        };
    };
    let config = exe.config();
    let metered = config.enable_instruction_meter;
    let budget = if metered {
        vm.context.remaining()
    } else {
        u64::MAX
    };

    let mut ctx = JitContext::new();
    ctx.regs = vm.initial_registers();
    ctx.budget = budget;
    ctx.meter = budget;
    ctx.input_start = vm.memory.input().0;
    ctx.refresh_regions(&mut vm.memory);
    ctx.builtin_helper = Some(entry::builtin_helper::<C>);
    ctx.callx_helper = Some(entry::callx_helper::<C>);
    let mut env = Env {
        vm,
        exe,
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
    let vm = env.vm;
    let pending = ctx.budget.wrapping_sub(ctx.meter);
    if metered {
        vm.context.consume(pending);
    }
    vm.registers = ctx.regs;
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
        _ => Err(env.trap.unwrap_or(Trap::JitUnavailable)),
    };
    RunOutcome {
        instruction_count: ctx.charged.wrapping_add(pending),
        result,
    }
}
