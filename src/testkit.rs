//! Test support (feature `testkit`): the one engine comparer. Runs one
//! program on every engine and checks that they agree; the integration
//! tests, the fuzz oracles (`oracle`) and any dialect or profile added later
//! use it, so adding an engine is one entry in [`Engine::available`].
//!
//! Every engine of [`Engine::available`] runs (the interpreter first, the
//! JIT where this build has one), prepared once per executable by
//! [`Engines::new`]. Each engine gets a
//! fresh, identical memory image: [`Executable::standard_mapping`] (program
//! image, stack of `config.stack_size()` zero bytes, a writable copy of
//! `input` at `MM_INPUT_START` (mapped even when empty), a writable copy of
//! `data_template()` at `MM_DATA_START` when there is one) plus a zeroed heap
//! of [`HEAP_SIZE`] bytes at `MM_HEAP_START`.
//!
//! Agreement means: the same result or trap (kind, pc, fields), the same
//! instruction count, the same final registers, the same contents of every
//! writable region, and the same remaining budget in the context object.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use crate::engine::{Budget, ContextObject, Engine, RunOutcome};
use crate::memory::{MemoryRegion, MM_HEAP_START};
use crate::program::Executable;
use crate::vm::{EbpfVm, Prepared};

/// Bytes of the zeroed heap region every run gets.
pub const HEAP_SIZE: usize = 4096;

/// Whether this build has a JIT that can run code.
pub fn jit_available() -> bool {
    Engine::available().contains(&Engine::Jit)
}

/// Everything one engine's run leaves behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Result or trap, and the instruction count.
    pub outcome: RunOutcome,
    /// The final registers `r0..=r10`.
    pub registers: [u64; 11],
    /// `Budget::remaining` after the run.
    pub remaining: u64,
    /// The final stack region.
    pub stack: Vec<u8>,
    /// The final heap region.
    pub heap: Vec<u8>,
    /// The final input region.
    pub input: Vec<u8>,
    /// The final data region.
    pub data: Vec<u8>,
}

/// Runs `executable` on `input` with a budget of `budget` instructions in
/// one engine (see the module docs for the memory image).
pub fn run_engine(
    executable: &Executable<'_, Budget>,
    input: &[u8],
    budget: u64,
    engine: &Prepared<'_, Budget>,
) -> Run {
    run_engine_with_data(
        executable,
        input,
        executable.data_template(),
        budget,
        engine,
    )
}

/// [`run_engine`] with `data` as the initial data region instead of the
/// executable's template (a data region kept between runs).
pub fn run_engine_with_data(
    executable: &Executable<'_, Budget>,
    input: &[u8],
    data: &[u8],
    budget: u64,
    engine: &Prepared<'_, Budget>,
) -> Run {
    let mut stack = vec![0u8; executable.config().stack_size()];
    let mut heap = vec![0u8; HEAP_SIZE];
    let mut input = input.to_vec();
    let mut data = data.to_vec();
    let mut context = Budget::new(budget);
    let (outcome, registers) = {
        let mut mapping = executable
            .standard_mapping(&mut stack, &mut data, &mut input)
            .expect("the standard layout maps");
        mapping
            .insert(MemoryRegion::writable(&mut heap, MM_HEAP_START))
            .expect("the heap slot is free");
        let mut vm = EbpfVm::new(executable, &mut context, mapping);
        let outcome = vm.execute(engine);
        (outcome, *vm.registers())
    };
    Run {
        outcome,
        registers,
        remaining: context.remaining(),
        stack,
        heap,
        input,
        data,
    }
}

/// Every available engine, prepared for one executable.
pub struct Engines<'e, 'r> {
    executable: &'e Executable<'r, Budget>,
    prepared: Vec<Prepared<'e, Budget>>,
}

impl<'e, 'r> Engines<'e, 'r> {
    /// Prepares every engine of [`Engine::available`] for `executable`
    /// (compiles the JIT code once).
    pub fn new(executable: &'e Executable<'r, Budget>) -> Self {
        let prepared = Engine::available()
            .iter()
            .map(|&engine| {
                Prepared::new(engine, executable)
                    .unwrap_or_else(|e| panic!("{engine} cannot run a verified program: {e}"))
            })
            .collect();
        Engines {
            executable,
            prepared,
        }
    }

    /// Runs on every engine, asserts they agree with the first (the
    /// interpreter), and returns its full run.
    pub fn run_detailed(&self, input: &[u8], budget: u64) -> Run {
        self.run_with_data(input, self.executable.data_template(), budget)
    }

    /// [`run_detailed`](Self::run_detailed) with `data` as the initial data
    /// region.
    pub fn run_with_data(&self, input: &[u8], data: &[u8], budget: u64) -> Run {
        let (first, rest) = self.prepared.split_first().expect("the interpreter");
        let reference = run_engine_with_data(self.executable, input, data, budget, first);
        for other in rest {
            let run = run_engine_with_data(self.executable, input, data, budget, other);
            assert_same(&reference, &run, other.engine().name(), budget);
        }
        reference
    }

    /// The engines, prepared.
    pub fn prepared(&self) -> &[Prepared<'e, Budget>] {
        &self.prepared
    }

    /// [`run_detailed`](Self::run_detailed)'s outcome.
    pub fn run(&self, input: &[u8], budget: u64) -> RunOutcome {
        self.run_detailed(input, budget).outcome
    }
}

/// Runs `executable` on `input` with `budget` on every available engine,
/// asserts they agree (see the module docs), and returns the interpreter's
/// full run.
pub fn run_all_detailed(executable: &Executable<'_, Budget>, input: &[u8], budget: u64) -> Run {
    Engines::new(executable).run_detailed(input, budget)
}

/// Runs `executable` on `input` with `budget` on every available engine,
/// asserts they agree, and returns the interpreter's outcome.
///
/// ```
/// use ebpfvm::{Budget, Config, Executable, Runtime};
/// let runtime = Runtime::<Budget>::new(Config::default());
/// let code = [0xb7, 0, 0, 0, 9, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]; // mov r0, 9 ; exit
/// let executable = Executable::from_bytecode(&code, &runtime)?;
/// let outcome = ebpfvm::testkit::run_all(&executable, &[], 100);
/// assert_eq!(outcome.result, Ok(9));
/// # Ok::<(), ebpfvm::error::VerifierError>(())
/// ```
pub fn run_all(executable: &Executable<'_, Budget>, input: &[u8], budget: u64) -> RunOutcome {
    run_all_detailed(executable, input, budget).outcome
}

/// Asserts that `other` (from the engine called `name`) matches the
/// interpreter's `reference`, naming the first difference.
pub fn assert_same(reference: &Run, other: &Run, name: &str, budget: u64) {
    let context = |what: &str| {
        format!(
            "{name} differs from the interpreter in {what} (budget {budget})\n\
             interpreter: {:?} regs {:x?}\n{name:>11}: {:?} regs {:x?}",
            reference.outcome, reference.registers, other.outcome, other.registers
        )
    };
    assert_eq!(
        reference.outcome.result,
        other.outcome.result,
        "{}",
        context("result")
    );
    assert_eq!(
        reference.outcome.instruction_count,
        other.outcome.instruction_count,
        "{}",
        context("instruction count")
    );
    assert_eq!(
        reference.registers,
        other.registers,
        "{}",
        context("registers")
    );
    assert_eq!(
        reference.remaining,
        other.remaining,
        "{}",
        context("remaining budget")
    );
    for (what, a, b) in [
        ("stack", &reference.stack, &other.stack),
        ("heap", &reference.heap, &other.heap),
        ("input", &reference.input, &other.input),
        ("data", &reference.data, &other.data),
    ] {
        if a != b {
            let at = a
                .iter()
                .zip(b.iter())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!("{}: first difference at offset {at}", context(what));
        }
    }
}
