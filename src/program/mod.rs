//! Executables: verified, pre-decoded programs with their function table,
//! entry point and data image, ready to run in any engine.

mod decoded;
mod executable;
mod loader;

pub use decoded::{predecode, Op, OpCode};
pub use executable::{CallTarget, Executable, Function, ProgramImage};
pub use loader::Loader;
