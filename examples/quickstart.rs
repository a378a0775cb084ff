//! The library flow in seven steps, on a program given as assembly text:
//! a checksum over the input memory that logs its result through a builtin.
//!
//! Run with `cargo run --example quickstart`.

use ebpfvm::error::BuiltinError;
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Budget, Config, ContextObject, EbpfVm, Executable, Prepared, Runtime};

/// Sums the input bytes (r1 = input address, r2 = its length), reports the sum
/// through builtin 1 and returns it.
const PROGRAM: &str = "
    mov r0, 0
    jeq r2, 0, done
loop:
    ldxb r3, [r1+0]
    add r0, r3
    add r1, 1
    sub r2, 1
    jne r2, 0, loop
done:
    mov r6, r0
    mov r1, r0
    call 1
    mov r0, r6
    exit
";

/// Builtin 1: prints its argument.
fn report(_: &mut Budget, _: &mut MemoryMapping<'_>, args: [u64; 5]) -> Result<u64, BuiltinError> {
    println!("program reports sum = {}", args[0]);
    Ok(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A config and a runtime with the builtins programs may call.
    let config = Config::default();
    let mut runtime = Runtime::new(config);
    runtime.register(1, "report", report)?;

    // 2. An executable (verified and pre-decoded) from assembly, bytecode or ELF.
    let executable = Executable::from_asm(PROGRAM, &runtime)?;

    // 3. Optionally, JIT compilation (x86_64 with the `jit` feature): the
    //    compiled code is a value you own, borrowing the executable.
    let engine = match executable.jit_compile() {
        Ok(jit) => Prepared::Jit(jit),
        Err(_) => Prepared::Interpreter,
    };

    // 4. A memory mapping: program image, stack and input regions.
    let mut stack = vec![0u8; config.stack_size()];
    let mut data = executable.data_template().to_vec();
    let mut input: Vec<u8> = (1..=100).collect();
    let mapping = executable.standard_mapping(&mut stack, &mut data, &mut input)?;

    // 5. A context object that is also the instruction meter.
    let mut context = Budget::new(10_000);

    // 6. A VM.
    let mut vm = EbpfVm::new(&executable, &mut context, mapping);

    // 7. Run.
    let outcome = vm.execute(&engine);
    let sum = outcome.result?;
    println!(
        "{}: r0 = {sum}, {} instructions, {} left in the budget",
        engine.engine(),
        outcome.instruction_count,
        context.remaining()
    );
    assert_eq!(sum, 5050);
    Ok(())
}
