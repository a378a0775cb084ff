//! Differential test: thousands of random valid programs run on the
//! interpreter and the JIT must agree on result or trap, pc, instruction
//! count, registers, memory and budget.
//!
//! `EBPFVM_DIFF_PROGRAMS=N` runs N programs instead of the default, and
//! `EBPFVM_DIFF_SEED=S` starts from another seed.

mod common;

use common::builtins::runtime;
use common::engines::run_all_detailed;
use common::random_program::{generate, Rng, Shape};
use ebpfvm::{Config, Executable};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_programs_agree() {
    let programs = env_u64("EBPFVM_DIFF_PROGRAMS", 3000);
    let seed = env_u64("EBPFVM_DIFF_SEED", 0x5eed);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut opcodes = std::collections::BTreeSet::<u8>::new();
    let only = std::env::var("EBPFVM_DIFF_ONLY")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    for i in 0..programs {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let mut rng = Rng::new(seed.wrapping_add(i));
        let metered = rng.chance(90);
        let config = Config {
            // Unmetered runs must terminate on their own: no loops, and a
            // depth that bounds the call tree.
            max_call_depth: if metered {
                rng.pick(&[1, 2, 3, 8])
            } else {
                rng.pick(&[1, 2, 3])
            },
            stack_frame_size: rng.pick(&[512, 512, 64]),
            enable_instruction_meter: metered,
            jit_blind_constants: rng.chance(25),
            ..Config::default()
        };
        let shape = Shape {
            max_extra_functions: rng.below(4) as usize,
            max_body: rng.range(1, 40) as usize,
            frame_size: config.stack_frame_size,
            input_len: rng.below(48) as usize,
            loops: metered,
        };
        let code = generate(&mut rng, &shape);
        let exe = match Executable::from_bytecode(&code, runtime(config)) {
            Ok(exe) => exe,
            Err(e) => panic!(
                "program {i} (seed {}) does not verify: {e}",
                seed.wrapping_add(i)
            ),
        };
        opcodes.extend(exe.ops().iter().map(|op| op.code as u8));
        let input: Vec<u8> = (0..shape.input_len).map(|_| rng.next_u64() as u8).collect();
        let budget = if rng.chance(30) {
            rng.below(200)
        } else {
            5_000
        };
        if std::env::var("EBPFVM_DIFF_TRACE").is_ok() {
            eprintln!("program {i}: {} slots, budget {budget}", code.len() / 8);
            for (pc, insn) in exe.instructions() {
                eprintln!("  {pc:3}: {insn:?}");
            }
            let r =
                common::engines::run_engine(&exe, &input, budget, &ebpfvm::Prepared::Interpreter);
            eprintln!("interpreter: {:?}", r.outcome);
        }
        let run = run_all_detailed(&exe, &input, budget);
        let kind = match run.outcome.result {
            Ok(_) => "exit".to_string(),
            Err(trap) => format!("{trap:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        *outcomes.entry(kind).or_default() += 1;
    }
    println!("outcomes over {programs} programs: {outcomes:?}");
    // The generator must produce every pre-decoded operation (the last
    // variant is `Exit`)...
    let all = ebpfvm::program::OpCode::Exit as usize + 1;
    assert!(
        opcodes.len() == all || only.is_some() || programs < 500,
        "only {} of {all} operations generated",
        opcodes.len()
    );
    // ...and every way a run can end.
    for kind in [
        "exit",
        "AccessViolation",
        "ExceededMaxInstructions",
        "CallDepthExceeded",
        "InvalidCallTarget",
        "BuiltinFailed",
    ] {
        assert!(
            outcomes.get(kind).copied().unwrap_or(0) > 0 || only.is_some() || programs < 500,
            "no program ended with {kind}: {outcomes:?}"
        );
    }
}
