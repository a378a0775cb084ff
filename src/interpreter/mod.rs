//! The interpreter: executes the pre-decoded program ([`crate::program::Op`]).
//!
//! Two loops implement the same execution contract: `fast` (the default)
//! gives every operation its own specialised arm for speed; `compact`
//! (feature `compact`, for firmware, where it replaces `fast`) dispatches by
//! instruction class to a few shared helpers, trading host speed for flash.
//! With `compact` and `fast` both on (as in this crate's tests) both are
//! compiled and [`crate::Engine::available`] lists both.
//! Both share the call frames ([`calls`]), the RFC 9669 arithmetic rules
//! ([`crate::isa::semantics`]), the jump conditions
//! ([`crate::isa::JumpCond`]) and the run contract ([`crate::engine`]); each has an instruction meter to match (`meter` charges whole
//! straight-line runs, `step_meter` single instructions, without a load-time
//! table), and both report the same results, traps, pcs and instruction
//! counts.

mod calls;

// The fast loop, unless `compact` replaces it (firmware); tests and hosts
// that ask (`fast`) compile both.
#[cfg(any(not(feature = "compact"), feature = "fast"))]
mod fast;
#[cfg(any(not(feature = "compact"), feature = "fast"))]
mod meter;

#[cfg(feature = "compact")]
mod compact;
#[cfg(feature = "compact")]
mod step_meter;

#[cfg(not(any(not(feature = "compact"), feature = "fast")))]
pub(crate) use compact::execute;
/// The build's interpreter: the fast loop when it is compiled, else the
/// compact one.
#[cfg(any(not(feature = "compact"), feature = "fast"))]
pub(crate) use fast::execute;

/// The compact loop ([`crate::Engine::Compact`]).
#[cfg(feature = "compact")]
pub(crate) use compact::execute as execute_compact;

#[cfg(test)]
mod tests;
