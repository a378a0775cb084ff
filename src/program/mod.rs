//! Executables: verified, pre-decoded programs with their function table,
//! entry point and data image, ready to run in any engine.

mod decoded;
mod executable;
mod names;
mod runtime;

pub use decoded::{predecode, Op, OpCode};
pub use executable::{CallTarget, Executable, ProgramImage};
pub use names::Function;
pub use runtime::Runtime;
