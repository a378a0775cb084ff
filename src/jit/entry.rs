//! The boundary between Rust and generated code: the call into the code and
//! the `extern "C"` helpers the code calls back (builtins and `callx`).
//!
//! Together with [`super::mem`] this is the only module with `unsafe` code.
#![allow(unsafe_code)]

use core::ffi::c_void;

use super::state::{status, JitState};
use super::JitProgram;
use crate::builtins::BuiltinError;
use crate::engine::{ContextObject, Trap};
use crate::program::{CallTarget, Executable};
use crate::vm::EbpfVm;

/// The Rust side of one run, reached by the helpers through
/// [`JitState::env`].
pub(super) struct Env<'v, 'a, C: ContextObject> {
    pub(super) vm: &'v mut EbpfVm<'a, C>,
    pub(super) exe: &'a Executable<'a, C>,
    pub(super) program: &'v JitProgram<'v, C>,
    /// The trap a helper recorded (with `status::HELPER`).
    pub(super) trap: Option<Trap>,
    /// A builtin's panic, resumed once generated code has been left.
    #[cfg(feature = "std")]
    pub(super) panic: Option<alloc::boxed::Box<dyn core::any::Any + Send>>,
}

/// Runs the program's code on `ctx` until it exits or traps.
///
/// `ctx` must be fully prepared: registers, meter, region tables refreshed
/// from the live mapping, helpers and `env` set for the same `C`.
pub(super) fn run<C>(program: &JitProgram<'_, C>, ctx: &mut JitState) {
    // Why calling the generated code is sound: it starts with the entry
    // trampoline emitted by `compiler::emit_runtime`, which follows the SysV ABI of
    // `extern "C" fn(*mut JitState)`: it saves and restores every
    // callee-saved register, keeps the stack aligned for the helpers it
    // calls, and returns normally on exit and on every trap (traps unwind
    // to the saved stack pointer). The code was generated from a verified
    // program by this crate's compiler and reads or writes only: `ctx`
    // (exclusively borrowed for this call), the guest regions through host
    // pointers it bounds-checks against the tables in `ctx` (built from
    // regions borrowed by the VM for the whole run, and rebuilt after every
    // builtin), and its own host stack frames (at most `max_call_depth`
    // frames of 48 bytes). Its only calls leave to the helpers installed in
    // `ctx` (safe Rust functions of this module) and to its own code. The
    // pages stay mapped because `program` is borrowed for the call.
    // SAFETY: by the argument above, the code at `program.code` is a valid
    // `extern "C" fn(*mut JitState)` that only touches what it may.
    unsafe {
        let entry: extern "C" fn(*mut JitState) =
            core::mem::transmute::<*const u8, extern "C" fn(*mut JitState)>(program.code.as_ptr());
        entry(ctx);
    }
}

/// Recovers the context and the run state of a helper call.
///
/// # Safety
/// `ctx` must be the pointer generated code received from [`run`] and
/// `ctx.env` must point to a live `Env<C>` of the same `C`.
unsafe fn state<'c, C: ContextObject>(
    ctx: *mut JitState,
) -> (&'c mut JitState, &'c mut Env<'c, 'c, C>) {
    // SAFETY: per the contract, `ctx` is the context `run` passed in; while
    // a helper runs, generated code is suspended and touches neither it nor
    // the `Env`, so these are the only live references.
    unsafe {
        let ctx = &mut *ctx;
        let env = &mut *(ctx.env as *mut Env<'c, 'c, C>);
        (ctx, env)
    }
}

/// `call imm`: generated code passes the pc of the call. Returns 1, or 0
/// after recording a trap.
pub(super) extern "C" fn builtin_helper<C: ContextObject>(ctx: *mut JitState, pc: u64) -> u64 {
    // SAFETY: only generated code calls this, with the context pointer it
    // was entered with; `execute` installed this helper together with an
    // `Env<C>` of the same `C`.
    let (ctx, env) = unsafe { state::<C>(ctx) };
    let pc = pc as usize;
    let (index, id) = match env.exe.ops().get(pc) {
        Some(op) => (op.imm as usize, op.off as u32),
        None => (usize::MAX, 0),
    };
    call_builtin(ctx, env, pc, index, id)
}

/// `callx reg`: generated code passes the pc and the register value.
/// Returns 1 after running a builtin, the host address of a function to
/// call, or 0 after recording a trap.
pub(super) extern "C" fn callx_helper<C: ContextObject>(
    ctx: *mut JitState,
    pc: u64,
    value: u64,
) -> u64 {
    // SAFETY: as in `builtin_helper`.
    let (ctx, env) = unsafe { state::<C>(ctx) };
    let pc = pc as usize;
    match env.exe.resolve_callx(value) {
        Some(CallTarget::Builtin(index)) => {
            let id = env.exe.builtins().at(index).map_or(0, |b| b.id);
            call_builtin(ctx, env, pc, index, id)
        }
        Some(CallTarget::Local(target)) => match env.program.function_address(target) {
            Some(address) => address as u64,
            None => fail(ctx, env, Trap::InvalidCallTarget { pc, target: value }),
        },
        None => fail(ctx, env, Trap::InvalidCallTarget { pc, target: value }),
    }
}

fn fail<C: ContextObject>(ctx: &mut JitState, env: &mut Env<'_, '_, C>, trap: Trap) -> u64 {
    env.trap = Some(trap);
    ctx.status = status::HELPER;
    0
}

/// Runs builtin `index` with the interpreter's metering: charge what ran,
/// call, re-read the budget.
fn call_builtin<C: ContextObject>(
    ctx: &mut JitState,
    env: &mut Env<'_, '_, C>,
    pc: usize,
    index: usize,
    id: u32,
) -> u64 {
    let metered = env.exe.config().enable_instruction_meter;
    if metered {
        let pending = ctx.budget.wrapping_sub(ctx.meter);
        env.vm.context.consume(pending);
        ctx.charged = ctx.charged.wrapping_add(pending);
    }
    let args = [
        ctx.regs[1],
        ctx.regs[2],
        ctx.regs[3],
        ctx.regs[4],
        ctx.regs[5],
    ];
    let result = match env.exe.builtins().at(index) {
        Some(builtin) => invoke(env, builtin.func, args).map(|result| {
            result.map_err(|e| Trap::BuiltinFailed {
                pc,
                id,
                code: e.code,
            })
        }),
        None => Some(Err(Trap::UnknownBuiltin { pc, index })),
    };
    if metered {
        ctx.budget = env.vm.context.remaining();
        ctx.meter = ctx.budget;
    }
    // The builtin had the mapping mutably: re-derive every host pointer.
    ctx.refresh_regions(&mut env.vm.memory);
    match result {
        Some(Ok(value)) => {
            ctx.regs[0] = value;
            1
        }
        Some(Err(trap)) => fail(ctx, env, trap),
        // Panicked: generated code unwinds, `execute` resumes the panic.
        None => {
            ctx.status = status::HELPER;
            0
        }
    }
}

/// Calls the builtin; `None` if it panicked (the payload is kept in `env`).
fn invoke<C: ContextObject>(
    env: &mut Env<'_, '_, C>,
    func: crate::builtins::BuiltinFn<C>,
    args: [u64; 5],
) -> Option<Result<u64, BuiltinError>> {
    let vm = &mut *env.vm;
    #[cfg(feature = "std")]
    {
        // A panic must not unwind through generated code (it has no unwind
        // tables): catch it here and resume it after the code returned.
        let call = std::panic::AssertUnwindSafe(|| func(vm.context, &mut vm.memory, args));
        match std::panic::catch_unwind(call) {
            Ok(result) => Some(result),
            Err(payload) => {
                env.panic = Some(payload);
                None
            }
        }
    }
    #[cfg(not(feature = "std"))]
    {
        // Without std a panic cannot be caught; unwinding out of this
        // `extern "C"` frame aborts, which is the safe outcome.
        Some(func(vm.context, &mut vm.memory, args))
    }
}

/// Type-erases `env` for [`JitState::env`].
pub(super) fn erase<C: ContextObject>(env: &mut Env<'_, '_, C>) -> *mut c_void {
    (env as *mut Env<'_, '_, C>).cast()
}
