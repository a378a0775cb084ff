//! Property oracles: functions that take arbitrary bytes, drive one stage of
//! the VM with them, and panic if an invariant breaks. The fuzz targets under
//! `fuzz/` are thin wrappers around them, and `tests/oracles.rs` runs a short
//! bounded smoke of each under `cargo test`.
//!
//! A panic *inside* the VM is a bug the oracle reports like any broken
//! invariant; a panic *from* an oracle's own assertion names the invariant.

use alloc::vec;
use alloc::vec::Vec;

use crate::config::Config;
use crate::conformance;
use crate::engine::{Budget, ContextObject, Engine, RunOutcome};
use crate::program::Executable;
use crate::vm::{EbpfVm, Prepared};

/// Instruction budget of oracle runs: enough for loops, bounded for fuzzing.
pub const ORACLE_BUDGET: u64 = 10_000;

/// Splits fuzz input into (input memory, program): the first byte is the input
/// length (mod 64), then the input, then the program.
pub fn split_input(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return (&[], &[]);
    };
    rest.split_at(usize::from(n % 64).min(rest.len()))
}

/// Verifies `code` (with helper 5 of the conformance suite registered) and,
/// if it is accepted, runs it in every engine `engines` names on `input` with
/// [`ORACLE_BUDGET`]. Returns the interpreter's outcome.
///
/// Invariants checked: verification never panics; a run never panics; the
/// instruction count never exceeds the budget; a trap's pc is inside the
/// program; the context object is charged exactly the instruction count;
/// every engine agrees with the interpreter on result, trap, count, final
/// registers and memory.
pub fn run_bytecode(input: &[u8], code: &[u8], engines: &[Engine]) -> Option<RunOutcome> {
    let config = Config::default();
    let runtime = conformance::runtime::<Budget>(config);
    let exe = Executable::from_bytecode(code, &runtime).ok()?;
    Some(run_engines(&exe, input, engines))
}

/// Runs a verified executable in the interpreter and in every other engine
/// of `engines` this build has, checking the invariants of
/// [`run_bytecode`]; returns the interpreter's outcome.
fn run_engines(exe: &Executable<Budget>, input: &[u8], engines: &[Engine]) -> RunOutcome {
    let reference = run_engine(exe, input, &Prepared::Interpreter);
    let (outcome, registers, memory) = &reference;
    assert!(
        outcome.instruction_count <= ORACLE_BUDGET,
        "count above budget"
    );
    if let Err(trap) = outcome.result {
        assert!(
            trap.pc() < exe.len(),
            "trap pc {} outside the program",
            trap.pc()
        );
    }
    for &engine in engines.iter().filter(|&&e| e != Engine::Interpreter) {
        // An engine this build lacks is skipped; any other failure to
        // compile a verified program is a bug.
        let prepared = match Prepared::new(engine, exe) {
            Ok(prepared) => prepared,
            Err(crate::jit::JitError::UnsupportedTarget) => continue,
            Err(e) => panic!("{engine:?} cannot compile a verified program: {e}"),
        };
        let (other, other_regs, other_mem) = run_engine(exe, input, &prepared);
        assert_eq!(
            &other, outcome,
            "{engine:?} outcome differs from the interpreter"
        );
        assert_eq!(&other_regs, registers, "{engine:?} registers differ");
        assert_eq!(&other_mem, memory, "{engine:?} memory differs");
    }
    reference.0
}

/// Runs `exe` on a copy of `input`; returns the outcome, the final registers
/// and the final stack + input memory. Checks the meter's charging.
fn run_engine(
    exe: &Executable<Budget>,
    input: &[u8],
    prepared: &Prepared<'_, Budget>,
) -> (RunOutcome, [u64; 11], Vec<u8>) {
    let engine = prepared.engine();
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut data = exe.data_template().to_vec();
    let mut input = input.to_vec();
    let mut budget = Budget::new(ORACLE_BUDGET);
    let (outcome, registers) = {
        let mapping = exe
            .standard_mapping(&mut stack, &mut data, &mut input)
            .expect("the standard layout always maps");
        let mut vm = EbpfVm::new(exe, &mut budget, mapping);
        let outcome = vm.execute(prepared);
        (outcome, *vm.registers())
    };
    assert_eq!(
        ORACLE_BUDGET - budget.remaining(),
        outcome.instruction_count,
        "{engine:?}: context charged a different count"
    );
    stack.extend_from_slice(&data);
    stack.extend_from_slice(&input);
    (outcome, registers, stack)
}

/// Assembles `text`; if it assembles, checks that the bytecode decodes, that
/// its disassembly re-assembles to the identical bytes, and that the
/// verifier does not panic on it.
#[cfg(feature = "asm")]
pub fn assemble_round_trip(text: &str) {
    let Ok(code) = crate::asm::assemble(text) else {
        return;
    };
    let listing = crate::asm::disassemble(&code).expect("assembled code disassembles");
    let again = crate::asm::assemble(&listing).expect("disassembly re-assembles");
    assert_eq!(again, code, "disassembly does not round-trip:\n{listing}");
    let registry = crate::builtins::BuiltinRegistry::<()>::new();
    let _ = crate::verifier::verify(&code, &Config::default(), &registry, 0, &[]);
}

/// Loads `bytes` as an ELF object and, if it loads and verifies, runs it on
/// `input` in every engine of `engines` (as [`run_bytecode`] does). The
/// loader has the conformance helper and the builtins the example programs
/// of `examples/programs/` call: `get_seed` (id 1) and `fnv1a_step` (id 2,
/// called by name). Returns the interpreter's outcome.
///
/// Invariants checked: loading never panics (a malformed object is an
/// [`ElfError`](crate::error::ElfError)); a loaded image is consistent (whole
/// instructions, the entry point and every function inside the bytecode,
/// functions sorted by pc and one name per pc, both images within
/// [`MAX_REGION_SIZE`](crate::elf::MAX_REGION_SIZE)); verification never
/// panics; the invariants of [`run_bytecode`].
#[cfg(feature = "elf")]
pub fn load_elf(input: &[u8], bytes: &[u8], engines: &[Engine]) -> Option<RunOutcome> {
    fn first_argument<C>(
        _: &mut C,
        _: &mut crate::memory::MemoryMapping<'_>,
        args: [u64; 5],
    ) -> Result<u64, crate::error::BuiltinError> {
        Ok(args[0])
    }
    let mut runtime = conformance::runtime::<Budget>(Config::default());
    // A fresh registry with one entry has room and no duplicates.
    let _ = runtime.register(1, "get_seed", first_argument);
    let _ = runtime.register(2, "fnv1a_step", first_argument);
    let image = crate::elf::load(bytes, runtime.builtins(), None).ok()?;

    let slots = image.text_len / crate::isa::INSN_SIZE;
    assert_eq!(
        image.text_len % crate::isa::INSN_SIZE,
        0,
        "partial instruction"
    );
    assert!(
        image.text_len <= image.ro_section.len(),
        "bytecode beyond the image"
    );
    assert!(
        image.entry_pc < slots,
        "entry pc {} outside",
        image.entry_pc
    );
    let max = crate::elf::MAX_REGION_SIZE as usize;
    assert!(
        image.ro_section.len() <= max && image.data.len() <= max,
        "oversized image"
    );
    for pair in image.functions.windows(2) {
        assert!(
            pair[0].pc < pair[1].pc,
            "functions not sorted or named twice"
        );
    }
    if let Some(last) = image.functions.last() {
        assert!(last.pc < slots, "function pc {} outside", last.pc);
    }

    let exe = Executable::from_image(image, &runtime).ok()?;
    Some(run_engines(&exe, input, engines))
}
