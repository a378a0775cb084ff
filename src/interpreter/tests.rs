//! Interpreter semantics the conformance suite does not pin down: the meter
//! contract, call frames, builtins, `callx`, and trap details.

use alloc::vec;
use alloc::vec::Vec;

use crate::error::{AccessKind, BuiltinError, Trap};
use crate::isa::{AluOp, AtomicOp, Instruction, MemSize, Operand, Reg, Width};
use crate::memory::{
    MemoryMapping, MemoryRegion, MM_INPUT_START, MM_PROGRAM_START, MM_STACK_START,
};
use crate::{Budget, Config, ContextObject, EbpfVm, Executable, RunOutcome, Runtime};

fn code(insns: &[Instruction]) -> Vec<u8> {
    insns
        .iter()
        .flat_map(|i| i.encode().bytes().collect::<Vec<_>>())
        .collect()
}

fn alu(op: AluOp, dst: Reg, imm: i32) -> Instruction {
    Instruction::Alu {
        width: Width::W64,
        op,
        dst,
        src: Operand::Imm(imm),
    }
}

fn mov(dst: Reg, imm: i32) -> Instruction {
    alu(AluOp::Mov, dst, imm)
}

fn double(ctx: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    ctx.consume(10);
    Ok(a[0] * 2)
}

fn fail(_: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    Err(BuiltinError { code: a[0] })
}

/// A runtime with the two test builtins (owned by the caller: no leak, so
/// Miri's leak check stays on).
fn loader(config: Config) -> Runtime<Budget> {
    let mut l = Runtime::new(config);
    l.register(1, "double", double).unwrap();
    l.register(2, "fail", fail).unwrap();
    l
}

/// Runs with a 64-byte input and returns the outcome, the budget left and the input.
fn run_with(insns: &[Instruction], config: Config, budget: u64) -> (RunOutcome, u64, Vec<u8>) {
    let runtime = loader(config);
    let exe = Executable::from_bytecode(&code(insns), &runtime).unwrap();
    let mut stack = vec![0u8; config.stack_size()];
    let mut input: Vec<u8> = (0..64).collect();
    let mut ctx = Budget::new(budget);
    let outcome = {
        let mapping = MemoryMapping::new([
            exe.ro_region(),
            MemoryRegion::writable(&mut stack, MM_STACK_START),
            MemoryRegion::writable(&mut input, MM_INPUT_START),
        ])
        .unwrap();
        let mut vm = EbpfVm::new(&exe, &mut ctx, mapping);
        vm.execute_interpreted()
    };
    (outcome, ctx.remaining(), input)
}

fn run(insns: &[Instruction]) -> RunOutcome {
    run_with(insns, Config::default(), 1_000_000).0
}

#[test]
fn entry_registers_follow_the_layout() {
    let sub = Instruction::Alu {
        width: Width::W64,
        op: AluOp::Sub,
        dst: Reg::R0,
        src: Operand::Reg(Reg::R1),
    };
    let r0_from = |r: Reg| Instruction::Alu {
        width: Width::W64,
        op: AluOp::Mov,
        dst: Reg::R0,
        src: Operand::Reg(r),
    };
    assert_eq!(
        run(&[r0_from(Reg::R1), Instruction::Exit]).result,
        Ok(MM_INPUT_START)
    );
    assert_eq!(run(&[r0_from(Reg::R2), Instruction::Exit]).result, Ok(64));
    let top = MM_STACK_START + Config::default().stack_size() as u64;
    assert_eq!(run(&[r0_from(Reg::R10), Instruction::Exit]).result, Ok(top));
    assert_eq!(
        run(&[r0_from(Reg::R10), sub, Instruction::Exit]).result,
        Ok(top.wrapping_sub(MM_INPUT_START))
    );
}

#[test]
fn meter_stops_before_the_instruction_that_exceeds_the_budget() {
    let prog = [
        mov(Reg::R0, 1),
        mov(Reg::R0, 2),
        mov(Reg::R0, 3),
        Instruction::Exit,
    ];
    for budget in 0..4u64 {
        let (outcome, left, _) = run_with(&prog, Config::default(), budget);
        assert_eq!(
            outcome.result,
            Err(Trap::ExceededMaxInstructions {
                pc: budget as usize
            })
        );
        assert_eq!(outcome.instruction_count, budget);
        assert_eq!(left, 0);
    }
    let (outcome, left, _) = run_with(&prog, Config::default(), 4);
    assert_eq!(outcome.result, Ok(3));
    assert_eq!((outcome.instruction_count, left), (4, 0));
}

#[test]
fn infinite_loop_is_stopped_by_the_meter() {
    let (outcome, _, _) = run_with(&[Instruction::Ja { off: -1 }], Config::default(), 1000);
    assert_eq!(outcome.result, Err(Trap::ExceededMaxInstructions { pc: 0 }));
    assert_eq!(outcome.instruction_count, 1000);
}

#[test]
fn disabled_meter_counts_but_never_stops_or_charges() {
    let config = Config {
        enable_instruction_meter: false,
        ..Config::default()
    };
    let (outcome, left, _) = run_with(&[mov(Reg::R0, 1), Instruction::Exit], config, 0);
    assert_eq!(outcome.result, Ok(1));
    assert_eq!(outcome.instruction_count, 2);
    assert_eq!(left, 0, "budget untouched");
}

#[test]
fn builtins_see_arguments_and_may_charge_the_budget() {
    let prog = [
        mov(Reg::R1, 21),
        Instruction::Call { id: 1 },
        Instruction::Exit,
    ];
    let (outcome, left, _) = run_with(&prog, Config::default(), 100);
    assert_eq!(outcome.result, Ok(42));
    assert_eq!(outcome.instruction_count, 3);
    assert_eq!(left, 100 - 3 - 10);
    // The builtin's extra charge exhausts the budget: the next instruction traps.
    let (outcome, _, _) = run_with(&prog, Config::default(), 12);
    assert_eq!(outcome.result, Err(Trap::ExceededMaxInstructions { pc: 2 }));
    assert_eq!(outcome.instruction_count, 2);
}

#[test]
fn builtin_errors_trap_with_pc_and_id() {
    let prog = [
        mov(Reg::R1, 7),
        Instruction::Call { id: 2 },
        Instruction::Exit,
    ];
    let outcome = run(&prog);
    assert_eq!(
        outcome.result,
        Err(Trap::BuiltinFailed {
            pc: 1,
            id: 2,
            code: 7
        })
    );
    assert_eq!(outcome.instruction_count, 2);
}

#[test]
fn local_calls_preserve_callee_saved_registers_and_frames() {
    // main: r6 = 5; call f; r0 += r6; exit.  f: r6 = 100; r0 = r10; exit
    let prog = [
        mov(Reg::R6, 5),
        Instruction::CallLocal { imm: 2 },
        Instruction::Alu {
            width: Width::W64,
            op: AluOp::Sub,
            dst: Reg::R0,
            src: Operand::Reg(Reg::R10),
        },
        Instruction::Exit,
        mov(Reg::R6, 100),
        Instruction::Alu {
            width: Width::W64,
            op: AluOp::Mov,
            dst: Reg::R0,
            src: Operand::Reg(Reg::R10),
        },
        Instruction::Exit,
    ];
    // Callee's r10 is one frame below the caller's: r0 = -512.
    assert_eq!(run(&prog).result, Ok((-512i64) as u64));
}

#[test]
fn recursion_is_bounded_by_the_call_depth() {
    let prog = [Instruction::CallLocal { imm: -1 }, Instruction::Exit];
    let outcome = run(&prog);
    assert_eq!(
        outcome.result,
        Err(Trap::CallDepthExceeded { pc: 0, depth: 8 })
    );
    assert_eq!(outcome.instruction_count, 8);
}

#[test]
fn callx_reaches_builtins_and_functions_and_traps_otherwise() {
    let callx = Instruction::CallReg { reg: Reg::R3 };
    let lddw = |imm| Instruction::LoadImm64 { dst: Reg::R3, imm };
    let f = Executable::<Budget>::function_address(5);
    let prog = |target| {
        vec![
            mov(Reg::R1, 4),
            lddw(target),
            callx,
            Instruction::Exit,
            mov(Reg::R0, 77),
            Instruction::Exit,
            // Dead code whose local call makes pc 5 a function entry.
            Instruction::CallLocal { imm: -3 },
            Instruction::Exit,
        ]
    };
    assert_eq!(run(&prog(1)).result, Ok(8), "builtin id");
    assert_eq!(run(&prog(f)).result, Ok(77), "function address");
    assert_eq!(
        run(&prog(MM_PROGRAM_START + 8)).result,
        Err(Trap::InvalidCallTarget {
            pc: 3,
            target: MM_PROGRAM_START + 8
        }),
        "not a function entry"
    );
    assert_eq!(
        run(&prog(99)).result,
        Err(Trap::InvalidCallTarget { pc: 3, target: 99 })
    );
}

#[test]
fn memory_faults_name_address_length_and_kind() {
    let load = Instruction::Load {
        size: MemSize::DWord,
        dst: Reg::R0,
        src: Reg::R1,
        off: 60,
    };
    assert_eq!(
        run(&[load, Instruction::Exit]).result,
        Err(Trap::AccessViolation {
            pc: 0,
            addr: MM_INPUT_START + 60,
            len: 8,
            kind: AccessKind::Load
        })
    );
    // The program image is read-only.
    let store = Instruction::Store {
        size: MemSize::Byte,
        dst: Reg::R1,
        off: 0,
        imm: 1,
    };
    let prog = [
        Instruction::LoadImm64 {
            dst: Reg::R1,
            imm: MM_PROGRAM_START,
        },
        store,
        Instruction::Exit,
    ];
    let outcome = run(&prog);
    assert_eq!(
        outcome.result,
        Err(Trap::AccessViolation {
            pc: 2,
            addr: MM_PROGRAM_START,
            len: 1,
            kind: AccessKind::Store
        })
    );
    assert_eq!(outcome.instruction_count, 2);
    // Negative offsets below the stack fault too.
    let below = Instruction::Store {
        size: MemSize::Word,
        dst: Reg::R10,
        off: -(Config::default().stack_size() as i16) - 4,
        imm: 1,
    };
    assert!(matches!(
        run(&[below, Instruction::Exit]).result,
        Err(Trap::AccessViolation {
            kind: AccessKind::Store,
            ..
        })
    ));
}

#[test]
fn atomics_update_memory_and_fetch() {
    // *(u64*)(r1+8) += 5 with fetch into r2; r0 = r2.
    let prog = [
        mov(Reg::R2, 5),
        Instruction::Atomic {
            width: Width::W64,
            op: AtomicOp::Add,
            fetch: true,
            dst: Reg::R1,
            src: Reg::R2,
            off: 8,
        },
        Instruction::Alu {
            width: Width::W64,
            op: AluOp::Mov,
            dst: Reg::R0,
            src: Operand::Reg(Reg::R2),
        },
        Instruction::Exit,
    ];
    let (outcome, _, input) = run_with(&prog, Config::default(), 100);
    let old = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(outcome.result, Ok(old));
    assert_eq!(input[8..16], (old + 5).to_le_bytes());
}

#[test]
fn legacy_packet_loads_are_big_endian_and_bounded() {
    let ld = |size, imm| Instruction::LoadPacket {
        size,
        src: None,
        imm,
    };
    assert_eq!(
        run(&[ld(MemSize::Half, 2), Instruction::Exit]).result,
        Ok(0x0203)
    );
    assert_eq!(
        run(&[ld(MemSize::Word, 4), Instruction::Exit]).result,
        Ok(0x0405_0607)
    );
    let ind = Instruction::LoadPacket {
        size: MemSize::Byte,
        src: Some(Reg::R3),
        imm: 1,
    };
    assert_eq!(
        run(&[mov(Reg::R3, 9), ind, Instruction::Exit]).result,
        Ok(10)
    );
    assert_eq!(
        run(&[ld(MemSize::Word, 62), Instruction::Exit]).result,
        Err(Trap::AccessViolation {
            pc: 0,
            addr: MM_INPUT_START + 62,
            len: 4,
            kind: AccessKind::Load
        })
    );
}
