//! The run contract every engine implements: the context object and its
//! budget ([`ContextObject`], [`Budget`]), the outcome of a run
//! ([`RunOutcome`], [`Trap`]) and the list of engines ([`Engine`]).
//!
//! The parts of one run and the protocol around them (begin, builtin call,
//! finish) are in `run.rs`, written once: the interpreter loops and the JIT
//! take those parts, never the [`crate::vm::EbpfVm`] facade, which is their
//! only caller.

mod context;
mod run;
mod trap;

pub use context::{Budget, ContextObject};
pub(crate) use run::RunParts;
pub use trap::Trap;

/// Which engine executes the program.
///
/// [`Engine::available`] lists the engines compiled into this build; tests,
/// fuzz targets and the command-line tool iterate over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Engine {
    /// The portable interpreter (every target): the fast loop, or the
    /// compact one in a build with only `compact`.
    Interpreter,
    /// The size-oriented compact interpreter loop (feature `compact`).
    #[cfg(feature = "compact")]
    Compact,
    /// The x86_64 JIT (feature `jit` on x86_64 unix): run with a
    /// [`crate::jit::JitProgram`] compiled from the executable.
    Jit,
}

impl Engine {
    /// Every engine this build can run, the interpreter first.
    ///
    /// ```
    /// use ebpfvm::Engine;
    /// assert_eq!(Engine::available()[0], Engine::Interpreter);
    /// ```
    pub fn available() -> &'static [Engine] {
        AVAILABLE
    }

    /// A short lower-case name (`"interpreter"`, `"jit"`).
    pub fn name(self) -> &'static str {
        match self {
            Engine::Interpreter => "interpreter",
            #[cfg(feature = "compact")]
            Engine::Compact => "compact",
            Engine::Jit => "jit",
        }
    }
}

impl core::fmt::Display for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// [`Engine::available`]: the interpreter, the compact loop when it is
/// compiled beside the fast one, the JIT where it generates code.
const AVAILABLE: &[Engine] = &[
    Engine::Interpreter,
    #[cfg(all(feature = "compact", feature = "fast"))]
    Engine::Compact,
    #[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
    Engine::Jit,
];

/// The result of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RunOutcome {
    /// Instructions executed (an instruction that trapped counts; one stopped
    /// by the budget does not).
    pub instruction_count: u64,
    /// `r0` at the final `exit`, or the trap.
    pub result: Result<u64, Trap>,
}
