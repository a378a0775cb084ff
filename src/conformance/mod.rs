//! The bpf_conformance test format: parsing `.data` files and the suite's
//! run-time conventions (helper 5 returns `r1`; ISA v4).
//!
//! A `.data` file has `-- asm`, `-- raw`, `-- mem`, `-- result` and `-- error`
//! sections (see `shared/conformance/bpf_conformance/README.md` for the exact
//! rules this parser follows: `#` comments, directives matched by substring,
//! the last `result` line wins). Both the integration test runner and the
//! CLI's `conformance` and `conformance-plugin` commands build on it.

mod parse;
#[cfg(feature = "asm")]
mod run;

pub use parse::{parse, Expected, ParseError, TestCase};
#[cfg(feature = "asm")]
pub use run::{run_case, Failure, Verdict};

use crate::builtins::BuiltinError;
use crate::config::Config;
use crate::memory::MemoryMapping;
use crate::program::Runtime;

/// The helper id the suite's tests call (uBPF's "unwind" helper).
pub const UNWIND_HELPER_ID: u32 = 5;

/// Helper 5 of the suite: returns its first argument.
pub fn unwind_helper<C>(
    _: &mut C,
    _: &mut MemoryMapping<'_>,
    args: [u64; 5],
) -> Result<u64, BuiltinError> {
    Ok(args[0])
}

/// A runtime with the suite's conventions: `config` plus helper 5.
///
/// ```
/// use ebpfvm::{conformance, Budget, Config};
/// let runtime = conformance::runtime::<Budget>(Config::default());
/// assert!(runtime.builtins().by_id(conformance::UNWIND_HELPER_ID).is_some());
/// ```
pub fn runtime<C>(config: Config) -> Runtime<C> {
    let mut runtime = Runtime::new(config);
    // A fresh registry has room and no duplicates.
    let _ = runtime.register(UNWIND_HELPER_ID, "unwind", unwind_helper::<C>);
    runtime
}
