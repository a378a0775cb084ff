//! Runs one program on every available engine and checks that they agree.
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

use ebpfvm::memory::{MemoryRegion, MM_HEAP_START};
use ebpfvm::{Budget, ContextObject, EbpfVm, Engine, Executable, Prepared, RunOutcome};

/// Bytes of the zeroed heap region every run gets.
pub const HEAP_SIZE: usize = 4096;

/// Whether this build has a JIT that can run code.
#[allow(dead_code)]
pub fn jit_available() -> bool {
    Engine::available().contains(&Engine::Jit)
}

/// Everything one engine's run leaves behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub outcome: RunOutcome,
    pub registers: [u64; 11],
    /// `Budget::remaining` after the run.
    pub remaining: u64,
    pub stack: Vec<u8>,
    pub heap: Vec<u8>,
    pub input: Vec<u8>,
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
    let mut stack = vec![0u8; executable.config().stack_size()];
    let mut heap = vec![0u8; HEAP_SIZE];
    let mut input = input.to_vec();
    let mut data = executable.data_template().to_vec();
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
        let (first, rest) = self.prepared.split_first().expect("the interpreter");
        let reference = run_engine(self.executable, input, budget, first);
        for other in rest {
            let run = run_engine(self.executable, input, budget, other);
            assert_same(&reference, &run, other.engine().name(), budget);
        }
        reference
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
/// ```ignore
/// let outcome = common::engines::run_all(&executable, &input, 1_000_000);
/// assert_eq!(outcome.result, Ok(expected));
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
