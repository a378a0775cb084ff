//! The interpreter: executes the pre-decoded program ([`crate::program::Op`]).
//!
//! Two loops implement the same execution contract, one compiled per build:
//! `fast` (the default) gives every operation its own specialised arm for
//! speed; `compact` (feature `compact`, for firmware) dispatches by
//! instruction class to a few shared helpers, trading host speed for flash.
//! Both share the call frames ([`calls`]), the RFC 9669 arithmetic rules
//! ([`crate::isa::semantics`]), the jump conditions
//! ([`crate::isa::JumpCond`]) and the run contract ([`crate::engine`]); each has an instruction meter to match (`meter` charges whole
//! straight-line runs, `step_meter` single instructions, without a load-time
//! table), and both report the same results, traps, pcs and instruction
//! counts.

mod calls;
#[cfg(not(feature = "compact"))]
mod meter;
#[cfg(feature = "compact")]
mod step_meter;

#[cfg(feature = "compact")]
mod compact;
#[cfg(not(feature = "compact"))]
mod fast;

#[cfg(feature = "compact")]
pub(crate) use compact::execute;
#[cfg(not(feature = "compact"))]
pub(crate) use fast::execute;

#[cfg(test)]
mod tests;
