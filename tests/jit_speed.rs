//! A quick speed sanity check (not a benchmark; `benches/` has those): MIPS of
//! the interpreter and the JIT on a compute loop and a memory loop, metering
//! and bounds checks on. Run with
//! `cargo test --release --test jit_speed -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use ebpfvm::isa::{AluOp, Instruction as I, JumpCond, MemSize, Operand, Reg, Width};
use ebpfvm::{Budget, Config, Engine, Executable, Prepared};

fn alu(op: AluOp, dst: Reg, src: Operand) -> I {
    I::Alu {
        width: Width::W64,
        op,
        dst,
        src,
    }
}

/// r0 = mix of a counter over `n` iterations (7 instructions per iteration).
fn compute_loop(n: i32) -> Vec<I> {
    vec![
        alu(AluOp::Mov, Reg::R0, Operand::Imm(1)),
        alu(AluOp::Mov, Reg::R1, Operand::Imm(n)),
        alu(AluOp::Add, Reg::R0, Operand::Reg(Reg::R1)),
        alu(AluOp::Mul, Reg::R0, Operand::Imm(0x01000193)),
        alu(AluOp::Mov, Reg::R2, Operand::Reg(Reg::R0)),
        alu(AluOp::Rsh, Reg::R2, Operand::Imm(13)),
        alu(AluOp::Xor, Reg::R0, Operand::Reg(Reg::R2)),
        alu(AluOp::Sub, Reg::R1, Operand::Imm(1)),
        I::Jump {
            width: Width::W64,
            cond: JumpCond::Ne,
            dst: Reg::R1,
            src: Operand::Imm(0),
            off: -7,
        },
        I::Exit,
    ]
}

/// Sums and rewrites a 256-byte stack buffer `n` times (load, add, store per
/// byte: 8 instructions per inner iteration).
fn memory_loop(n: i32) -> Vec<I> {
    vec![
        alu(AluOp::Mov, Reg::R0, Operand::Imm(0)),
        alu(AluOp::Mov, Reg::R4, Operand::Imm(n)),
        // outer: r1 = r10 - 256
        alu(AluOp::Mov, Reg::R1, Operand::Reg(Reg::R10)),
        alu(AluOp::Add, Reg::R1, Operand::Imm(-256)),
        // inner:
        I::Load {
            size: MemSize::Byte,
            dst: Reg::R2,
            src: Reg::R1,
            off: 0,
        },
        alu(AluOp::Add, Reg::R0, Operand::Reg(Reg::R2)),
        alu(AluOp::Add, Reg::R2, Operand::Imm(3)),
        I::StoreReg {
            size: MemSize::Byte,
            dst: Reg::R1,
            src: Reg::R2,
            off: 0,
        },
        I::Load {
            size: MemSize::DWord,
            dst: Reg::R3,
            src: Reg::R10,
            off: -8,
        },
        alu(AluOp::Add, Reg::R1, Operand::Imm(1)),
        I::Jump {
            width: Width::W64,
            cond: JumpCond::Ne,
            dst: Reg::R1,
            src: Operand::Reg(Reg::R10),
            off: -7,
        },
        alu(AluOp::Sub, Reg::R4, Operand::Imm(1)),
        I::Jump {
            width: Width::W64,
            cond: JumpCond::Ne,
            dst: Reg::R4,
            src: Operand::Imm(0),
            off: -11,
        },
        I::Exit,
    ]
}

fn mips(name: &str, program: &[I]) {
    let code: Vec<u8> = program
        .iter()
        .flat_map(|i| i.encode().bytes().collect::<Vec<_>>())
        .collect();
    let exe: Executable<Budget> =
        Executable::from_bytecode(&code, common::builtins::runtime(Config::default())).unwrap();
    let reference = common::engines::run_all(&exe, &[], u64::MAX / 2);
    assert!(reference.result.is_ok(), "{reference:?}");
    let mut line = format!("{name:>8}: {:>11} insns", reference.instruction_count);
    for &engine in Engine::available() {
        let prepared = Prepared::new(engine, &exe).expect("the engine prepares");
        let start = Instant::now();
        let run = common::engines::run_engine(&exe, &[], u64::MAX / 2, &prepared);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(run.outcome, reference);
        line += &format!(
            "  {engine:?} {:8.1} MIPS",
            run.outcome.instruction_count as f64 / secs / 1e6
        );
    }
    println!("{line}");
}

/// Compile time per instruction over large random programs.
fn compile_time() {
    use common::random_program::{generate, Rng, Shape};
    let shape = Shape {
        max_extra_functions: 3,
        max_body: 4000,
        frame_size: 512,
        input_len: 64,
        loops: true,
    };
    let (mut insns, mut secs, mut bytes) = (0usize, 0f64, 0usize);
    for seed in 0..20 {
        let code = generate(&mut Rng::new(seed), &shape);
        let exe: Executable<Budget> =
            Executable::from_bytecode(&code, common::builtins::runtime(Config::default())).unwrap();
        // Best of three: the first compilation also warms the allocator.
        let mut best = f64::MAX;
        let mut code_len = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let jit = exe.jit_compile().unwrap();
            best = best.min(start.elapsed().as_secs_f64());
            code_len = jit.machine_code().len();
        }
        secs += best;
        insns += exe.instructions().count();
        bytes += code_len;
    }
    println!(
        "jit_compile: {insns} instructions, {:.0} ns and {} bytes of code per instruction",
        secs * 1e9 / insns as f64,
        bytes / insns
    );
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn mips_interpreter_vs_jit() {
    if common::engines::jit_available() {
        compile_time();
    }
    let scale: i32 = std::env::var("EBPFVM_SPEED_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    mips("compute", &compute_loop(200_000 * scale));
    mips("memory", &memory_loop(2_000 * scale));
}
