//! The boundary between Rust and generated code: the call into the code and
//! the `extern "C"` helpers the code calls back (builtins and `callx`).
//!
//! Together with [`super::mem`] this is the only module with `unsafe` code.
#![allow(unsafe_code)]

use core::ffi::c_void;

use super::state::{status, JitState};
use super::JitProgram;
use crate::engine::{ContextObject, RunParts, Trap};
use crate::program::CallTarget;

/// The Rust side of one run, reached by the helpers through
/// [`JitState::env`].
pub(super) struct Env<'v, 'r, 'm, C: ContextObject> {
    /// The parts of the run (executable, context, memory, registers).
    pub(super) run: RunParts<'r, 'm, C>,
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
) -> (&'c mut JitState, &'c mut Env<'c, 'c, 'c, C>) {
    // SAFETY: per the contract, `ctx` is the context `run` passed in; while
    // a helper runs, generated code is suspended and touches neither it nor
    // the `Env`, so these are the only live references.
    unsafe {
        let ctx = &mut *ctx;
        let env = &mut *(ctx.env as *mut Env<'c, 'c, 'c, C>);
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
    let (index, id) = match env.run.executable.ops().get(pc) {
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
    match env.run.executable.resolve_callx(value) {
        Some(CallTarget::Builtin(index)) => {
            let id = env.run.executable.builtins().at(index).map_or(0, |b| b.id);
            call_builtin(ctx, env, pc, index, id)
        }
        Some(CallTarget::Local(target)) => match env.program.function_address(target) {
            Some(address) => address as u64,
            None => fail(ctx, env, Trap::InvalidCallTarget { pc, target: value }),
        },
        None => fail(ctx, env, Trap::InvalidCallTarget { pc, target: value }),
    }
}

fn fail<C: ContextObject>(ctx: &mut JitState, env: &mut Env<'_, '_, '_, C>, trap: Trap) -> u64 {
    env.trap = Some(trap);
    ctx.status = status::HELPER;
    0
}

/// Runs builtin `index` through the run contract
/// ([`RunParts::call_builtin`]: charge, call, re-read), then refreshes the
/// JIT's own state: its meter and the region tables.
fn call_builtin<C: ContextObject>(
    ctx: &mut JitState,
    env: &mut Env<'_, '_, '_, C>,
    pc: usize,
    index: usize,
    id: u32,
) -> u64 {
    let executed = ctx.charged.wrapping_add(ctx.budget.wrapping_sub(ctx.meter));
    ctx.charged = executed;
    ctx.budget = ctx.meter;
    let args = [
        ctx.regs[1],
        ctx.regs[2],
        ctx.regs[3],
        ctx.regs[4],
        ctx.regs[5],
    ];
    let outcome = invoke(env, pc, index, id, args, executed);
    // The builtin had the mapping mutably: re-derive every host pointer.
    ctx.refresh_regions(env.run.memory);
    match outcome {
        Some((result, budget)) => {
            if let Some(budget) = budget {
                ctx.budget = budget;
                ctx.meter = budget;
            }
            match result {
                Ok(value) => {
                    ctx.regs[0] = value;
                    1
                }
                Err(trap) => fail(ctx, env, trap),
            }
        }
        // Panicked: generated code unwinds, `execute` resumes the panic.
        None => {
            ctx.status = status::HELPER;
            0
        }
    }
}

/// Makes the call; `None` if the builtin panicked (the payload is kept in
/// `env`).
fn invoke<C: ContextObject>(
    env: &mut Env<'_, '_, '_, C>,
    pc: usize,
    index: usize,
    id: u32,
    args: [u64; 5],
    executed: u64,
) -> Option<(Result<u64, Trap>, Option<u64>)> {
    let run = &mut env.run;
    #[cfg(feature = "std")]
    {
        // A panic must not unwind through generated code (it has no unwind
        // tables): catch it here and resume it after the code returned.
        let call = std::panic::AssertUnwindSafe(|| run.call_builtin(pc, index, id, args, executed));
        match std::panic::catch_unwind(call) {
            Ok(outcome) => Some(outcome),
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
        Some(run.call_builtin(pc, index, id, args, executed))
    }
}

/// Type-erases `env` for [`JitState::env`].
pub(super) fn erase<C: ContextObject>(env: &mut Env<'_, '_, '_, C>) -> *mut c_void {
    (env as *mut Env<'_, '_, '_, C>).cast()
}
