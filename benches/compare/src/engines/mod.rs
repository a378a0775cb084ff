//! The engines under comparison, behind one interface: build a [`Runner`]
//! from bytecode once, then run it on an input as often as needed.

mod ebpfvm;
mod native;
mod rbpf;
mod solana;

use std::fmt;

use crate::c_kernels::{CKernel, Cpu};
use crate::kernels::Kernel;

pub use solana::{config as solana_config, load as solana_load};

/// What one run produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `r0` at exit (for native code: the Rust function's result).
    pub r0: u64,
    /// Instructions executed, if the engine counts them.
    pub instructions: Option<u64>,
}

/// A program ready to run on one engine.
pub trait Runner {
    /// Runs the program once on `input` (mapped at the engine's input address,
    /// `r1` pointing at its first byte).
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String>;
}

/// Why an engine could not be set up.
#[derive(Debug)]
pub enum SetupError {
    /// The engine is not available in this build (e.g. ebpfvm's JIT before it
    /// has landed); the report prints "n/a".
    Unavailable(&'static str),
    /// Loading, verifying or compiling failed: a bug in the kernel or engine.
    Failed(String),
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::Unavailable(why) => write!(f, "unavailable: {why}"),
            SetupError::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

/// The engines compared, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineId {
    /// ebpfvm's interpreter: bounds checks and metering on.
    EbpfvmInterpreter,
    /// rbpf 0.4.1's interpreter (`EbpfVmRaw`): bounds checks, no meter.
    RbpfInterpreter,
    /// solana_rbpf 0.8.5's interpreter: address translation and meter on.
    SolanaInterpreter,
    /// ebpfvm's JIT: bounds checks and metering on.
    EbpfvmJit,
    /// solana_rbpf 0.8.5's JIT: address translation and meter on.
    SolanaJit,
    /// rbpf 0.4.1's JIT: no checks at all.
    RbpfJit,
    /// The kernel's native version: Rust for the assembly kernels, the same
    /// C compiled for the host for the C kernels.
    Native,
}

impl EngineId {
    /// The interpreters.
    pub const INTERPRETERS: [EngineId; 3] = [
        EngineId::EbpfvmInterpreter,
        EngineId::RbpfInterpreter,
        EngineId::SolanaInterpreter,
    ];

    /// The JITs and native code.
    pub const COMPILED: [EngineId; 4] = [
        EngineId::EbpfvmJit,
        EngineId::SolanaJit,
        EngineId::RbpfJit,
        EngineId::Native,
    ];

    /// Name in tables.
    pub fn label(self) -> &'static str {
        match self {
            EngineId::EbpfvmInterpreter => "ebpfvm",
            EngineId::RbpfInterpreter => "rbpf 0.4.1",
            EngineId::SolanaInterpreter => "solana_rbpf 0.8.5",
            EngineId::EbpfvmJit => "ebpfvm JIT",
            EngineId::SolanaJit => "solana_rbpf JIT",
            EngineId::RbpfJit => "rbpf JIT",
            EngineId::Native => "native",
        }
    }

    /// Benchmark id inside a criterion group.
    pub fn bench_id(self) -> &'static str {
        match self {
            EngineId::EbpfvmInterpreter | EngineId::EbpfvmJit => "ebpfvm",
            EngineId::RbpfInterpreter | EngineId::RbpfJit => "rbpf",
            EngineId::SolanaInterpreter | EngineId::SolanaJit => "solana_rbpf",
            EngineId::Native => "native",
        }
    }

    /// Every engine.
    pub const ALL: [EngineId; 7] = [
        EngineId::EbpfvmInterpreter,
        EngineId::RbpfInterpreter,
        EngineId::SolanaInterpreter,
        EngineId::EbpfvmJit,
        EngineId::SolanaJit,
        EngineId::RbpfJit,
        EngineId::Native,
    ];

    /// Name on command lines: `ebpfvm`, `rbpf`, `solana_rbpf`, the same
    /// with `-jit`, and `native`.
    pub fn cli_name(self) -> &'static str {
        match self {
            EngineId::EbpfvmInterpreter => "ebpfvm",
            EngineId::RbpfInterpreter => "rbpf",
            EngineId::SolanaInterpreter => "solana_rbpf",
            EngineId::EbpfvmJit => "ebpfvm-jit",
            EngineId::SolanaJit => "solana_rbpf-jit",
            EngineId::RbpfJit => "rbpf-jit",
            EngineId::Native => "native",
        }
    }

    /// The engine called `name` (see [`cli_name`](Self::cli_name)).
    pub fn from_cli_name(name: &str) -> Option<EngineId> {
        Self::ALL.into_iter().find(|e| e.cli_name() == name)
    }

    /// Why this engine is missing from this build, if it is.
    pub fn unavailable(self) -> Option<&'static str> {
        match self {
            EngineId::EbpfvmJit => ebpfvm::JIT_UNAVAILABLE,
            _ => None,
        }
    }

    /// Loads (and verifies, and compiles) `code` for this engine.
    ///
    /// `native` and `input` are used by engines that need them: native code
    /// runs the kernel's native version, and rbpf's unchecked JIT first proves
    /// on rbpf's checked interpreter that `input` keeps the program in bounds.
    pub fn runner<'a>(
        self,
        native: fn(&mut [u8]) -> u64,
        code: &'a [u8],
        input: &[u8],
    ) -> Result<Box<dyn Runner + 'a>, SetupError> {
        Ok(match self {
            EngineId::EbpfvmInterpreter => Box::new(ebpfvm::Ebpfvm::interpreter(code)?),
            EngineId::EbpfvmJit => Box::new(ebpfvm::Ebpfvm::jit(code)?),
            EngineId::RbpfInterpreter => Box::new(rbpf::RbpfInterpreter::new(code)?),
            EngineId::RbpfJit => Box::new(rbpf::RbpfJit::new(code, input)?),
            EngineId::SolanaInterpreter => Box::new(solana::Solana::interpreter(code)?),
            EngineId::SolanaJit => Box::new(solana::Solana::jit(code)?),
            EngineId::Native => Box::new(native::Native::new(native)),
        })
    }
}

/// A kernel's bytecode and input, checked on every engine given.
pub struct Workload {
    /// The kernel's name in tables (`name/v1`, `name/v3` for C kernels).
    pub name: String,
    /// The kernel's native version.
    pub native: fn(&mut [u8]) -> u64,
    /// Its bytecode (assembled by ebpfvm, fed to every engine).
    pub code: Vec<u8>,
    /// The benchmarked input.
    pub input: Vec<u8>,
    /// What the Rust version returns for that input.
    pub expected: u64,
    /// Instructions one run executes (ebpfvm's count).
    pub instructions: u64,
}

impl Workload {
    /// Assembles `kernel`, builds its benchmark input and counts its
    /// instructions on ebpfvm's interpreter (checking the result).
    pub fn new(kernel: &'static Kernel) -> Result<Self, String> {
        let code = ::ebpfvm::asm::assemble(kernel.source)
            .map_err(|e| format!("{}: assembly: {e}", kernel.name))?;
        Self::from_code(
            kernel.name.into(),
            code,
            kernel.bench_input(),
            kernel.native,
        )
    }

    /// The C kernel `kernel` compiled for `cpu`, on its benchmark input.
    pub fn c(kernel: &'static CKernel, cpu: Cpu) -> Result<Self, String> {
        Self::from_code(
            kernel.id(cpu),
            kernel.code(cpu).to_vec(),
            kernel.bench_input(),
            kernel.native,
        )
    }

    /// `code` on `input`, checked on ebpfvm's interpreter against `native`.
    pub fn from_code(
        name: String,
        code: Vec<u8>,
        input: Vec<u8>,
        native: fn(&mut [u8]) -> u64,
    ) -> Result<Self, String> {
        let expected = native(&mut input.clone());
        let mut runner =
            ebpfvm::Ebpfvm::interpreter(&code).map_err(|e| format!("{name}: ebpfvm: {e}"))?;
        let outcome = runner.run(&mut input.clone())?;
        if outcome.r0 != expected {
            return Err(format!(
                "{name}: ebpfvm returned {:#x}, the native version {expected:#x}",
                outcome.r0
            ));
        }
        let instructions = outcome.instructions.ok_or("ebpfvm reports a count")?;
        Ok(Workload {
            name,
            native,
            code,
            input,
            expected,
            instructions,
        })
    }

    /// Sets up `engine` and checks one run against the expected result and
    /// (where the engine counts) instruction count.
    pub fn checked_runner(&self, engine: EngineId) -> Result<Box<dyn Runner + '_>, SetupError> {
        let mut runner = engine.runner(self.native, &self.code, &self.input)?;
        let fail =
            |why: String| SetupError::Failed(format!("{} on {}: {why}", self.name, engine.label()));
        let outcome = runner.run(&mut self.input.clone()).map_err(fail)?;
        if outcome.r0 != self.expected {
            return Err(fail(format!(
                "returned {:#x}, expected {:#x}",
                outcome.r0, self.expected
            )));
        }
        if let Some(count) = outcome.instructions {
            if count != self.instructions {
                return Err(fail(format!(
                    "executed {count} instructions, ebpfvm {}",
                    self.instructions
                )));
            }
        }
        Ok(runner)
    }
}
