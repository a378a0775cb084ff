//! Execution tests run on every engine through the shared helper: exact
//! metering at every possible exhaustion point, traps (call depth, invalid
//! `callx`, builtin errors), `lddw` counting, and JIT-specific behaviour
//! (panicking builtins, runs without compiled code).

mod common;

use common::builtins::runtime;
use common::engines::{jit_available, run_all, run_all_detailed};
use common::random_program::{generate, Rng, Shape};
use ebpfvm::error::{AccessKind, Trap};
use ebpfvm::isa::{AluOp, AtomicOp, Instruction as I, JumpCond, MemSize, Operand, Reg, Width};
use ebpfvm::memory::{MM_HEAP_START, MM_INPUT_START, MM_PROGRAM_START};
use ebpfvm::{Budget, Config, Executable};

fn assemble(insns: &[I]) -> Vec<u8> {
    insns
        .iter()
        .flat_map(|i| i.encode().bytes().collect::<Vec<_>>())
        .collect()
}

fn exe_with(config: Config, insns: &[I]) -> Executable<'static, Budget> {
    Executable::from_bytecode(&assemble(insns), runtime(config)).expect("verifies")
}

fn load(insns: &[I]) -> Executable<'static, Budget> {
    exe_with(Config::default(), insns)
}

fn alu(op: AluOp, dst: Reg, src: Operand) -> I {
    I::Alu {
        width: Width::W64,
        op,
        dst,
        src,
    }
}

fn mov(dst: Reg, imm: i32) -> I {
    alu(AluOp::Mov, dst, Operand::Imm(imm))
}

/// A loop that sums input bytes with loads, stores, atomics, a builtin that
/// charges extra budget, lddw, a local call and a callx.
#[rustfmt::skip]
fn busy_program() -> Vec<I> {
    let heap = MM_HEAP_START;
    let callee = MM_PROGRAM_START + 8 * 20;
    vec![
        mov(Reg::R6, 0),                                  // 0
        mov(Reg::R0, 0),                                  // 1
        I::LoadImm64 { dst: Reg::R7, imm: heap },         // 2
        // loop: r3 = input[r6]; r0 += r3; heap[0] += r3 (atomic)
        alu(AluOp::Mov, Reg::R3, Operand::Reg(Reg::R1)),  // 4
        alu(AluOp::Add, Reg::R3, Operand::Reg(Reg::R6)),  // 5
        I::Load { size: MemSize::Byte, dst: Reg::R3, src: Reg::R3, off: 0 }, // 6
        alu(AluOp::Add, Reg::R0, Operand::Reg(Reg::R3)),  // 7
        I::Atomic { width: Width::W64, op: AtomicOp::Add, fetch: false, dst: Reg::R7, src: Reg::R3, off: 0 }, // 8
        I::Store { size: MemSize::Word, dst: Reg::R10, off: -4, imm: 7 }, // 9
        alu(AluOp::Add, Reg::R6, Operand::Imm(1)),        // 10
        I::Jump { width: Width::W64, cond: JumpCond::Lt, dst: Reg::R6, src: Operand::Reg(Reg::R2), off: -8 }, // 11
        // charge(r0 & 15)
        alu(AluOp::Mov, Reg::R9, Operand::Reg(Reg::R0)),  // 12
        alu(AluOp::Mov, Reg::R1, Operand::Reg(Reg::R0)),  // 13
        I::Call { id: 3 },                                // 14
        I::CallLocal { imm: 4 },                          // 15: -> 20
        I::LoadImm64 { dst: Reg::R4, imm: callee },       // 16
        I::CallReg { reg: Reg::R4 },                      // 18
        I::Exit,                                          // 19
        // function at 20: r0 = r9 * 3
        alu(AluOp::Mul, Reg::R9, Operand::Imm(3)),        // 20
        alu(AluOp::Mov, Reg::R0, Operand::Reg(Reg::R9)),  // 21
        I::Exit,                                          // 22
    ]
}

/// Runs `exe` with every budget from 0 to one past what it needs; every
/// run must agree across engines (checked by `run_all`).
fn exhaust_everywhere(exe: &Executable<'_, Budget>, input: &[u8]) -> u64 {
    let full = run_all(exe, input, u64::MAX / 2);
    let needed = full.instruction_count;
    let mut traps = 0;
    for budget in 0..=needed + 1 {
        let run = run_all_detailed(exe, input, budget);
        if let Err(Trap::ExceededMaxInstructions { .. }) = run.outcome.result {
            traps += 1;
            // Builtins may charge more than the instructions executed.
            assert!(run.outcome.instruction_count <= budget);
            assert_eq!(run.remaining, 0);
        }
    }
    traps
}

#[test]
fn meter_exhaustion_at_every_point() {
    let exe = load(&busy_program());
    let input: Vec<u8> = (1..=9).collect();
    let outcome = run_all(&exe, &input, 1_000_000);
    assert_eq!(outcome.result, Ok(45 * 3));
    // The charge builtin adds (45 & 15) to the budget used, not the count.
    let traps = exhaust_everywhere(&exe, &input);
    assert!(traps > 60, "only {traps} budgets trapped");
}

#[test]
fn meter_exhaustion_in_random_programs() {
    for seed in 0..60u64 {
        let mut rng = Rng::new(seed * 7919);
        let shape = Shape {
            max_extra_functions: 2,
            max_body: 24,
            frame_size: 512,
            input_len: 16,
            loops: true,
        };
        let code = generate(&mut rng, &shape);
        let exe = Executable::from_bytecode(&code, runtime(Config::default())).unwrap();
        let input: Vec<u8> = (0..16).map(|_| rng.next_u64() as u8).collect();
        // Cap the sweep for programs that loop until the budget ends.
        let full = run_all(&exe, &input, 400);
        for budget in 0..=full.instruction_count.min(400) + 1 {
            run_all(&exe, &input, budget);
        }
    }
}

#[test]
fn unmetered_runs_still_count() {
    let config = Config {
        enable_instruction_meter: false,
        ..Config::default()
    };
    let exe = exe_with(config, &busy_program());
    let input = [1u8, 2, 3];
    let run = run_all_detailed(&exe, &input, 0);
    assert_eq!(run.outcome.result, Ok(6 * 3));
    assert!(run.outcome.instruction_count > 20);
    assert_eq!(run.remaining, 0, "an unmetered run charges nothing");
}

#[test]
fn lddw_counts_once() {
    let exe = load(&[
        I::LoadImm64 {
            dst: Reg::R0,
            imm: 1 << 40,
        },
        I::Exit,
    ]);
    let outcome = run_all(&exe, &[], 100);
    assert_eq!(outcome.result, Ok(1 << 40));
    assert_eq!(outcome.instruction_count, 2);
    let outcome = run_all(&exe, &[], 1);
    assert_eq!(outcome.result, Err(Trap::ExceededMaxInstructions { pc: 2 }));
}

#[test]
fn call_depth_overflow_traps_at_the_call() {
    // f: r0 += 1; call f  (unbounded recursion)
    let program = [
        mov(Reg::R0, 0),
        alu(AluOp::Add, Reg::R0, Operand::Imm(1)),
        I::CallLocal { imm: -2 },
        I::Exit,
    ];
    for depth in [1usize, 2, 8, 64] {
        let config = Config {
            max_call_depth: depth,
            stack_frame_size: 64,
            ..Config::default()
        };
        let exe = exe_with(config, &program);
        let run = run_all_detailed(&exe, &[], 100_000);
        assert_eq!(
            run.outcome.result,
            Err(Trap::CallDepthExceeded { pc: 2, depth })
        );
        assert_eq!(run.registers[0], depth as u64);
        let frames = depth as u64 - 1;
        assert_eq!(
            run.registers[10],
            ebpfvm::memory::MM_STACK_START + 64 * depth as u64 - 64 * frames
        );
    }
}

#[test]
fn calls_restore_callee_saved_registers_and_frame_pointer() {
    let program = [
        mov(Reg::R6, 6),
        mov(Reg::R9, 9),
        I::CallLocal { imm: 2 },
        alu(AluOp::Add, Reg::R0, Operand::Reg(Reg::R6)),
        I::Exit,
        // callee: clobbers r6..r9, writes its frame, returns r10 - top
        mov(Reg::R6, 100),
        mov(Reg::R9, 100),
        I::Store {
            size: MemSize::DWord,
            dst: Reg::R10,
            off: -8,
            imm: -1,
        },
        alu(AluOp::Mov, Reg::R0, Operand::Reg(Reg::R10)),
        I::Exit,
    ];
    let exe = load(&program);
    let run = run_all_detailed(&exe, &[], 1000);
    let top = ebpfvm::memory::MM_STACK_START + exe.config().stack_size() as u64;
    assert_eq!(run.outcome.result, Ok(top - 512 + 6));
    assert_eq!(run.registers[9], 9);
    assert_eq!(run.registers[10], top);
}

#[test]
fn invalid_callx_targets_trap() {
    let function = MM_PROGRAM_START + 8 * 4;
    for (target, valid) in [
        (function, true),
        (function + 8, false), // an instruction, not a function entry
        (function + 1, false), // misaligned
        (3, true),             // builtin id 3
        (99, false),           // unregistered id
        (0, false),
        (u64::MAX, false),
    ] {
        let program = [
            I::LoadImm64 {
                dst: Reg::R5,
                imm: target,
            },
            I::CallReg { reg: Reg::R5 },
            I::Exit,
            I::Exit,
            // function at pc 4
            mov(Reg::R0, 44),
            I::Exit,
        ];
        let config = Config::default();
        let code = assemble(&program);
        let image = ebpfvm::program::ProgramImage {
            ro_section: code.clone(),
            text_len: code.len(),
            functions: vec![ebpfvm::program::Function {
                pc: 4,
                name: "f".into(),
            }],
            ..Default::default()
        };
        let exe = Executable::from_image(image, runtime(config)).unwrap();
        let outcome = run_all(&exe, &[], 100);
        if valid {
            assert!(outcome.result.is_ok(), "{target:#x}: {outcome:?}");
        } else {
            assert_eq!(
                outcome.result,
                Err(Trap::InvalidCallTarget { pc: 2, target })
            );
        }
    }
}

#[test]
fn builtin_errors_trap_with_pc_id_and_code() {
    let program = [mov(Reg::R1, 7), mov(Reg::R2, 0), I::Call { id: 2 }, I::Exit];
    let exe = load(&program);
    let run = run_all_detailed(&exe, &[], 100);
    assert_eq!(
        run.outcome.result,
        Err(Trap::BuiltinFailed {
            pc: 2,
            id: 2,
            code: 7
        })
    );
    assert_eq!(run.outcome.instruction_count, 3);
    // r1..r5 are left as they were; r0 is untouched by a failing builtin.
    assert_eq!(run.registers[1], 7);
    // The same through callx.
    let program = [
        mov(Reg::R1, 5),
        mov(Reg::R2, 0),
        mov(Reg::R3, 2),
        I::CallReg { reg: Reg::R3 },
        I::Exit,
    ];
    let callx = load(&program);
    let outcome = run_all(&callx, &[], 100);
    assert_eq!(
        outcome.result,
        Err(Trap::BuiltinFailed {
            pc: 3,
            id: 2,
            code: 5
        })
    );
}

#[test]
fn builtins_see_and_change_memory_and_budget() {
    let program = [
        I::LoadImm64 {
            dst: Reg::R1,
            imm: MM_INPUT_START + 8,
        },
        I::LoadImm64 {
            dst: Reg::R2,
            imm: 0x1122_3344_5566_7788,
        },
        I::Call { id: 4 },
        I::Load {
            size: MemSize::DWord,
            dst: Reg::R6,
            src: Reg::R10,
            off: -8,
        },
        mov(Reg::R1, 15),
        I::Call { id: 3 },
        I::Exit,
    ];
    let exe = load(&program);
    let run = run_all_detailed(&exe, &[0; 16], 100);
    assert_eq!(&run.input[8..], &0x1122_3344_5566_7788u64.to_le_bytes());
    // `call 3` sees 6 instructions charged plus its own 15; `exit` is the 7th.
    assert_eq!(run.outcome.result, Ok(100 - 6 - 15));
    assert_eq!(run.remaining, 100 - 7 - 15);
}

#[test]
fn access_violations_report_address_length_and_kind() {
    let cases: [(I, u64, u8, AccessKind); 4] = [
        (
            I::Load {
                size: MemSize::Word,
                dst: Reg::R0,
                src: Reg::R1,
                off: 2,
            },
            MM_INPUT_START + 2,
            4,
            AccessKind::Load,
        ),
        (
            I::Store {
                size: MemSize::Half,
                dst: Reg::R1,
                off: -1,
                imm: 0,
            },
            MM_INPUT_START - 1,
            2,
            AccessKind::Store,
        ),
        (
            I::StoreReg {
                size: MemSize::Byte,
                dst: Reg::R9,
                src: Reg::R0,
                off: 0,
            },
            MM_PROGRAM_START,
            1,
            AccessKind::Store,
        ),
        (
            I::Atomic {
                width: Width::W64,
                op: AtomicOp::Xchg,
                fetch: true,
                dst: Reg::R9,
                src: Reg::R0,
                off: 0,
            },
            MM_PROGRAM_START,
            8,
            AccessKind::Store,
        ),
    ];
    for (insn, addr, len, kind) in cases {
        let program = [
            I::LoadImm64 {
                dst: Reg::R9,
                imm: MM_PROGRAM_START,
            },
            mov(Reg::R0, 1),
            insn,
            I::Exit,
        ];
        let exe = load(&program);
        let outcome = run_all(&exe, &[0; 4], 100);
        assert_eq!(
            outcome.result,
            Err(Trap::AccessViolation {
                pc: 3,
                addr,
                len,
                kind
            })
        );
        assert_eq!(outcome.instruction_count, 3);
    }
}

/// With `std` the JIT catches a builtin's panic and resumes it once out of
/// generated code; without `std` it aborts (documented in `jit::entry`).
#[cfg(all(feature = "jit", feature = "std", target_arch = "x86_64", unix))]
#[test]
fn a_panicking_builtin_unwinds_out_of_the_jit() {
    use ebpfvm::memory::MemoryMapping;
    fn boom(
        _: &mut Budget,
        _: &mut MemoryMapping<'_>,
        _: [u64; 5],
    ) -> Result<u64, ebpfvm::error::BuiltinError> {
        panic!("builtin panicked on purpose");
    }
    let mut runtime = ebpfvm::Runtime::new(Config::default());
    runtime.register(9, "boom", boom).unwrap();
    let code = assemble(&[mov(Reg::R0, 1), I::Call { id: 9 }, I::Exit]);
    let exe = Executable::from_bytecode(&code, &runtime).unwrap();
    let jit = ebpfvm::Prepared::Jit(exe.jit_compile().unwrap());
    for engine in [&ebpfvm::Prepared::Interpreter, &jit] {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            common::engines::run_engine(&exe, &[], 100, engine)
        }));
        let payload = caught.expect_err("the panic propagates");
        assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"builtin panicked on purpose")
        );
    }
    // The executable is still usable afterwards.
    let run = common::engines::run_engine(&exe, &[], 1, &jit);
    assert_eq!(
        run.outcome.result,
        Err(Trap::ExceededMaxInstructions { pc: 1 })
    );
}

#[test]
fn jit_availability_matches_the_target() {
    let exe = load(&[mov(Reg::R0, 1), I::Exit]);
    // One "no JIT here" error, at set-up, whether the feature is off or the
    // target unsupported.
    let result = exe.jit_compile();
    assert_eq!(result.is_ok(), jit_available(), "{result:?}");
    if !jit_available() {
        assert_eq!(
            result.err(),
            Some(ebpfvm::error::JitError::UnsupportedTarget)
        );
    }
    assert_eq!(run_all(&exe, &[], 10).result, Ok(1));
}
