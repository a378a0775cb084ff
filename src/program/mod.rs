//! Executables: verified, pre-decoded programs with their function table,
//! entry point and data image, ready to run in any engine.

mod decoded;
mod executable;
mod names;
mod runs;
mod runtime;

pub use decoded::{predecode, Op, OpCode};
pub use executable::{CallTarget, Executable, ProgramImage};
pub use names::Function;
pub use runs::{ends_run, is_conditional_jump, jump_target, run_lengths};
pub use runtime::Runtime;
