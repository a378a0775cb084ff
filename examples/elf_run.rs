//! The library flow with programs compiled from C by clang (see
//! `examples/programs/`):
//!
//! 1. `helpers.o` hashes its input with FNV-1a, calling one builtin by id
//!    (`get_seed`, `call 1`) and one by name (`fnv1a_step`, an `extern`
//!    function the ELF loader binds to the registered builtin of that name).
//! 2. `counter.o` keeps counters in `.data`/`.bss`: the host maps a copy of
//!    the executable's data template, and keeps it between runs.
//!
//! Run with `cargo run --example elf_run`.

use ebpfvm::error::BuiltinError;
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Budget, Config, ContextObject, EbpfVm, Executable, Prepared, Runtime};

const HELPERS: &[u8] = include_bytes!("programs/helpers.o");
const COUNTER: &[u8] = include_bytes!("programs/counter.o");

/// Builtin 1, `get_seed`: the FNV-1a 64 offset basis.
fn get_seed(_: &mut Budget, _: &mut MemoryMapping<'_>, _: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(0xcbf2_9ce4_8422_2325)
}

/// Builtin 2, `fnv1a_step`: one FNV-1a step, `(hash ^ byte) * prime`.
fn fnv1a_step(
    _: &mut Budget,
    _: &mut MemoryMapping<'_>,
    args: [u64; 5],
) -> Result<u64, BuiltinError> {
    Ok((args[0] ^ args[1]).wrapping_mul(0x100_0000_01b3))
}

/// Runs `executable` on `input`, with `data` as its data region; returns r0.
fn run(
    executable: &Executable<Budget>,
    input: &[u8],
    data: &mut [u8],
) -> Result<u64, Box<dyn std::error::Error>> {
    // The JIT where this build has one, else the interpreter.
    let engine = match executable.jit_compile() {
        Ok(jit) => Prepared::Jit(jit),
        Err(_) => Prepared::Interpreter,
    };
    // The program image (code and read-only data), a stack, the input
    // (r1 = its address, r2 = its length) and the data region.
    let mut stack = vec![0u8; executable.config().stack_size()];
    let mut input = input.to_vec();
    let mapping = executable.standard_mapping(&mut stack, data, &mut input)?;
    // The context object is the instruction meter.
    let mut budget = Budget::new(100_000);
    let outcome = EbpfVm::new(executable, &mut budget, mapping).execute(&engine);
    let r0 = outcome.result?;
    println!(
        "  {}: r0 = {r0:#x}, {} instructions, {} left in the budget",
        engine.engine(),
        outcome.instruction_count,
        budget.remaining()
    );
    Ok(r0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A runtime with the builtins: by id for `call 1`, by name for `extern`s.
    let mut runtime = Runtime::new(Config::default());
    runtime.register(1, "get_seed", get_seed)?;
    runtime.register(2, "fnv1a_step", fnv1a_step)?;

    // helpers.o: the default entry rule picks `hash`, its only function.
    let hash = Executable::from_elf(HELPERS, &runtime)?;
    println!(
        "helpers.o: entry `{}`, {} instructions",
        hash.function_name(hash.entry_pc()).unwrap_or("?"),
        hash.len()
    );
    let mut data = hash.data_template().to_vec();
    let r0 = run(&hash, b"foobar", &mut data)?;
    assert_eq!(r0, 0x8594_4171_f739_67e8, "FNV-1a 64 of \"foobar\"");

    // counter.o: two runs sharing one data region, then the second entry
    // point of the same object, chosen by name, reading it.
    let count = Executable::from_elf(COUNTER, &runtime)?;
    let mut data = count.data_template().to_vec();
    println!(
        "counter.o: entry `{}`, data region of {} bytes",
        count.function_name(count.entry_pc()).unwrap_or("?"),
        data.len()
    );
    run(&count, b"abc", &mut data)?;
    let r0 = run(&count, b"de", &mut data)?;
    // Two calls; total = 1000 + the bytes' sum.
    let sum: u64 = b"abcde".iter().map(|&b| u64::from(b)).sum();
    assert_eq!(r0, (2 << 32) + 1000 + sum);
    let bucket = Executable::from_elf_with_entry(COUNTER, &runtime, "histogram_bucket")?;
    // Letters are 0x61..0x65: all in bucket 1 (top bits 01).
    let r0 = run(&bucket, &[1], &mut data)?;
    assert_eq!(r0, 5);
    Ok(())
}
