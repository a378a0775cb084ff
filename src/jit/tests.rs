//! Unit tests of the JIT as a whole: code memory permissions, constant
//! blinding, and compiled-code properties. Behavioural parity with the
//! interpreter is tested in `tests/` through the shared engines helper.

use alloc::vec::Vec;

use super::JitProgram;
use crate::isa::{AluOp, Instruction, JumpCond, MemSize, Operand, Reg, Width};
use crate::memory::MemoryMapping;
use crate::{Budget, Config, EbpfVm, Executable, Runtime};

fn assemble(insns: &[Instruction]) -> Vec<u8> {
    insns
        .iter()
        .flat_map(|i| i.encode().bytes().collect::<Vec<_>>())
        .collect()
}

/// Compiles `insns`; the runtime and the executable are leaked so the code
/// can be returned alone.
fn compiled(config: Config, insns: &[Instruction]) -> JitProgram<'static, Budget> {
    let runtime = alloc::boxed::Box::leak(alloc::boxed::Box::new(Runtime::new(config)));
    let exe = Executable::from_bytecode(&assemble(insns), runtime).unwrap();
    let exe = alloc::boxed::Box::leak(alloc::boxed::Box::new(exe));
    JitProgram::compile(exe).unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Instructions carrying the same 32-bit constant in every immediate form,
/// and a 64-bit one in `lddw`.
fn constant_heavy(c: i32, c64: u64) -> Vec<Instruction> {
    let alu = |op, width| Instruction::Alu {
        width,
        op,
        dst: Reg::R1,
        src: Operand::Imm(c),
    };
    alloc::vec![
        alu(AluOp::Mov, Width::W64),
        alu(AluOp::Mov, Width::W32),
        alu(AluOp::Add, Width::W64),
        alu(AluOp::Xor, Width::W32),
        alu(AluOp::Mul, Width::W64),
        alu(AluOp::Div, Width::W64),
        alu(AluOp::SMod, Width::W32),
        Instruction::LoadImm64 {
            dst: Reg::R2,
            imm: c64
        },
        Instruction::Store {
            size: MemSize::Word,
            dst: Reg::R10,
            off: -4,
            imm: c,
        },
        Instruction::Jump {
            width: Width::W32,
            cond: JumpCond::Ne,
            dst: Reg::R1,
            src: Operand::Imm(c),
            off: 0,
        },
        Instruction::Alu {
            width: Width::W64,
            op: AluOp::Mov,
            dst: Reg::R0,
            src: Operand::Reg(Reg::R1),
        },
        Instruction::Exit,
    ]
}

#[test]
fn blinding_hides_user_constants() {
    let c = 0x3c5a_a5c3_u32 as i32;
    let c64 = 0x1badb002_8badf00d;
    let plain = compiled(Config::default(), &constant_heavy(c, c64));
    let code = plain.machine_code();
    assert!(contains(code, &c.to_le_bytes()), "the check below can fail");
    assert!(contains(code, &c64.to_le_bytes()));

    let config = Config {
        jit_blind_constants: true,
        ..Config::default()
    };
    let blinded = compiled(config, &constant_heavy(c, c64));
    let code = blinded.machine_code();
    assert!(!contains(code, &c.to_le_bytes()));
    assert!(!contains(code, &c64.to_le_bytes()));
    assert!(!contains(code, &c64.to_le_bytes()[..4]));

    // Blinded code computes the same thing.
    let run = |jit: &JitProgram<'_, Budget>| {
        let exe = jit.executable();
        let mut stack = alloc::vec![0u8; exe.config().stack_size()];
        let mapping = MemoryMapping::new([crate::memory::MemoryRegion::writable(
            &mut stack,
            crate::memory::MM_STACK_START,
        )])
        .unwrap();
        let mut budget = Budget::new(100);
        let mut vm = EbpfVm::new(exe, &mut budget, mapping);
        (vm.execute_jit(jit), *vm.registers())
    };
    assert_eq!(run(&plain), run(&blinded));
    assert!(run(&plain).0.result.is_ok());
}

#[test]
fn blinding_keys_differ_between_compilations() {
    let config = Config {
        jit_blind_constants: true,
        ..Config::default()
    };
    let a = compiled(config, &constant_heavy(7, 7));
    let b = compiled(config, &constant_heavy(7, 7));
    assert_ne!(a.machine_code(), b.machine_code());
}

#[test]
fn compilation_is_deterministic_without_blinding() {
    let jit = compiled(Config::default(), &constant_heavy(1, 1));
    let again = jit.executable().jit_compile().unwrap();
    assert_eq!(again.machine_code(), jit.machine_code());
}

/// The permissions of the mapping holding `addr`, from `/proc/self/maps`.
#[cfg(all(target_os = "linux", feature = "std"))]
fn permissions_of(addr: usize) -> Option<alloc::string::String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let (range, rest) = line.split_once(' ')?;
        let (lo, hi) = range.split_once('-')?;
        let lo = usize::from_str_radix(lo, 16).ok()?;
        let hi = usize::from_str_radix(hi, 16).ok()?;
        (lo..hi)
            .contains(&addr)
            .then(|| rest.split(' ').next().unwrap_or("").into())
    })
}

#[cfg(all(target_os = "linux", feature = "std"))]
#[test]
fn code_pages_are_executable_and_never_writable() {
    let jit = compiled(Config::default(), &constant_heavy(1, 1));
    let addr = jit.machine_code().as_ptr() as usize;
    assert_eq!(permissions_of(addr).as_deref(), Some("r-xp"));
    drop(jit);
    // Unmapped on drop (the range may be reused later, but not by now).
    assert_ne!(permissions_of(addr).as_deref(), Some("r-xp"));
}

#[test]
fn machine_code_starts_with_the_entry_trampoline() {
    let jit = compiled(Config::default(), &[Instruction::Exit]);
    let code = jit.machine_code();
    // push rbx; push rbp; push r12; push r13; push r14; push r15
    assert_eq!(
        &code[..10],
        &[0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57]
    );
}

#[test]
fn unverified_targets_are_rejected_not_miscompiled() {
    use crate::jit::JitError;
    use crate::program::{Op, OpCode};
    let op = |code, off| Op {
        code,
        dst: 0,
        src: 0,
        pad: 0,
        off,
        imm: 0,
    };
    let config = Config::default();
    // A jump past the end, and a jump into the second slot of an lddw.
    let past_end = [op(OpCode::Ja, 5), op(OpCode::Exit, 0)];
    let into_lddw = [
        op(OpCode::Ja, 2),
        op(OpCode::Lddw, 0),
        op(OpCode::LddwTail, 0),
        op(OpCode::Exit, 0),
    ];
    for (ops, pc) in [(&past_end[..], 5), (&into_lddw[..], 2)] {
        match super::compiler::compile(ops, 0, &[0], &config, None) {
            Err(e) => assert_eq!(e, JitError::InvalidTarget { pc }),
            Ok(_) => panic!("compiled an invalid target"),
        }
    }
}
