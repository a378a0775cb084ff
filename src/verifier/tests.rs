//! One test per verifier rule: each builds the smallest program that breaks
//! the rule and checks the exact error and pc.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::*;
use crate::error::{BuiltinError, DecodeError};
use crate::isa::{IsaVersion, JumpCond, MemSize, Reg};
use crate::memory::MemoryMapping;

fn code(insns: &[Instruction]) -> Vec<u8> {
    insns
        .iter()
        .flat_map(|i| i.encode().bytes().collect::<Vec<_>>())
        .collect()
}

fn mov(dst: Reg, imm: i32) -> Instruction {
    Instruction::Alu {
        width: Width::W64,
        op: AluOp::Mov,
        dst,
        src: Operand::Imm(imm),
    }
}

fn nop_builtin(_: &mut (), _: &mut MemoryMapping<'_>, _: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(0)
}

fn check(insns: &[Instruction]) -> Result<VerifiedProgram, VerifierError> {
    check_with(insns, &Config::default())
}

fn check_with(insns: &[Instruction], config: &Config) -> Result<VerifiedProgram, VerifierError> {
    let mut builtins = BuiltinRegistry::<()>::new();
    builtins.register(1, "one", nop_builtin).unwrap();
    verify(&code(insns), config, &builtins, 0, &[])
}

#[test]
fn accepts_a_minimal_program() {
    let p = check(&[mov(Reg::R0, 1), Instruction::Exit]).unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p.functions(), &[0]);
}

#[test]
fn rejects_empty_and_truncated_programs() {
    let registry = BuiltinRegistry::<()>::new();
    let config = Config::default();
    assert_eq!(
        verify(&[], &config, &registry, 0, &[]),
        Err(VerifierError::EmptyProgram)
    );
    assert_eq!(
        verify(&[0x95, 0, 0, 0, 0, 0, 0, 0, 0], &config, &registry, 0, &[]),
        Err(VerifierError::TruncatedInstruction { len: 9 })
    );
}

#[test]
fn rejects_programs_above_the_size_limit() {
    let config = Config {
        max_program_slots: 1,
        ..Config::default()
    };
    assert_eq!(
        check_with(&[mov(Reg::R0, 1), Instruction::Exit], &config),
        Err(VerifierError::ProgramTooLarge { slots: 2, max: 1 })
    );
}

#[test]
fn reports_decode_errors_with_pc() {
    let mut bytes = code(&[mov(Reg::R0, 1), Instruction::Exit]);
    bytes[8] = 0x8e; // unknown opcode at pc 1
    let registry = BuiltinRegistry::<()>::new();
    assert_eq!(
        verify(&bytes, &Config::default(), &registry, 0, &[]),
        Err(VerifierError::InvalidInstruction {
            pc: 1,
            reason: DecodeError::UnknownOpcode { opcode: 0x8e }
        })
    );
}

#[test]
fn rejects_newer_instructions_for_older_versions() {
    let sdiv = Instruction::Alu {
        width: Width::W64,
        op: AluOp::SDiv,
        dst: Reg::R0,
        src: Operand::Imm(3),
    };
    let v3 = Config {
        version: IsaVersion::V3,
        ..Config::default()
    };
    assert_eq!(
        check_with(&[sdiv, Instruction::Exit], &v3),
        Err(VerifierError::UnsupportedVersion {
            pc: 0,
            needs: IsaVersion::V4,
            configured: IsaVersion::V3
        })
    );
    assert!(check(&[sdiv, Instruction::Exit]).is_ok());
}

#[test]
fn rejects_writes_to_r10() {
    assert_eq!(
        check(&[mov(Reg::R10, 1), Instruction::Exit]),
        Err(VerifierError::WriteToFramePointer { pc: 0 })
    );
    let load = Instruction::Load {
        size: MemSize::DWord,
        dst: Reg::R10,
        src: Reg::R1,
        off: 0,
    };
    assert_eq!(
        check(&[mov(Reg::R0, 0), load, Instruction::Exit]),
        Err(VerifierError::WriteToFramePointer { pc: 1 })
    );
    // Reading r10 and storing through it is fine.
    let store = Instruction::StoreReg {
        size: MemSize::DWord,
        dst: Reg::R10,
        src: Reg::R1,
        off: -8,
    };
    assert!(check(&[store, Instruction::Exit]).is_ok());
}

#[test]
fn rejects_jumps_out_of_bounds_and_into_lddw() {
    assert_eq!(
        check(&[Instruction::Ja { off: 1 }, Instruction::Exit]),
        Err(VerifierError::JumpOutOfBounds { pc: 0, target: 2 })
    );
    assert_eq!(
        check(&[Instruction::Ja { off: -2 }, Instruction::Exit]),
        Err(VerifierError::JumpOutOfBounds { pc: 0, target: -1 })
    );
    let jeq = Instruction::Jump {
        width: Width::W64,
        cond: JumpCond::Eq,
        dst: Reg::R1,
        src: Operand::Imm(0),
        off: 1,
    };
    let lddw = Instruction::LoadImm64 {
        dst: Reg::R0,
        imm: 5,
    };
    assert_eq!(
        check(&[jeq, lddw, Instruction::Exit]),
        Err(VerifierError::JumpIntoLddw { pc: 0, target: 2 })
    );
    assert_eq!(
        check(&[Instruction::Ja32 { imm: 1000 }, Instruction::Exit]),
        Err(VerifierError::JumpOutOfBounds {
            pc: 0,
            target: 1001
        })
    );
}

#[test]
fn rejects_bad_local_calls_and_records_functions() {
    assert_eq!(
        check(&[Instruction::CallLocal { imm: 5 }, Instruction::Exit]),
        Err(VerifierError::CallOutOfBounds { pc: 0, target: 6 })
    );
    let lddw = Instruction::LoadImm64 {
        dst: Reg::R0,
        imm: 5,
    };
    assert_eq!(
        check(&[
            Instruction::CallLocal { imm: 2 },
            Instruction::Exit,
            lddw,
            Instruction::Exit
        ]),
        Err(VerifierError::CallIntoLddw { pc: 0, target: 3 })
    );
    let p = check(&[
        Instruction::CallLocal { imm: 1 },
        Instruction::Exit,
        mov(Reg::R0, 2),
        Instruction::Exit,
    ])
    .unwrap();
    assert_eq!(p.functions(), &[0, 2]);
    assert!(p.is_function(2) && !p.is_function(1));
}

#[test]
fn rejects_unregistered_builtins() {
    assert!(check(&[Instruction::Call { id: 1 }, Instruction::Exit]).is_ok());
    assert_eq!(
        check(&[Instruction::Call { id: 2 }, Instruction::Exit]),
        Err(VerifierError::UnknownBuiltin { pc: 0, id: 2 })
    );
}

#[test]
fn rejects_falling_off_the_end() {
    assert_eq!(
        check(&[mov(Reg::R0, 1)]),
        Err(VerifierError::FallsOffEnd { pc: 0 })
    );
    assert_eq!(
        check(&[Instruction::LoadImm64 {
            dst: Reg::R0,
            imm: 1
        }]),
        Err(VerifierError::FallsOffEnd { pc: 0 })
    );
    let jeq = Instruction::Jump {
        width: Width::W32,
        cond: JumpCond::Eq,
        dst: Reg::R1,
        src: Operand::Imm(0),
        off: -1,
    };
    assert_eq!(
        check(&[Instruction::Exit, jeq]),
        Err(VerifierError::FallsOffEnd { pc: 1 })
    );
    // Unreachable (after an exit, targeted by nothing) but still not an end.
    let err = check(&[Instruction::Exit, mov(Reg::R0, 1)]).unwrap_err();
    assert_eq!(err, VerifierError::UnreachableEndNotExit { pc: 1 });
    assert!(err.to_string().contains("unreachable"), "{err}");
    assert!(!err.to_string().contains("run past"), "{err}");
    // The same instruction as a jump target can be reached.
    let jump_to_end = Instruction::Jump {
        width: Width::W64,
        cond: JumpCond::Eq,
        dst: Reg::R1,
        src: Operand::Imm(0),
        off: 1,
    };
    assert_eq!(
        check(&[jump_to_end, Instruction::Exit, mov(Reg::R0, 1)]),
        Err(VerifierError::FallsOffEnd { pc: 2 })
    );
    // A backward `ja` as the last instruction cannot fall through.
    assert!(check(&[Instruction::Exit, Instruction::Ja { off: -2 }]).is_ok());
}

#[test]
fn rejects_callx_r10() {
    let callx = |reg| [Instruction::CallReg { reg }, Instruction::Exit];
    assert_eq!(
        check(&callx(Reg::R10)),
        Err(VerifierError::CallThroughFramePointer { pc: 0 })
    );
    assert!(check(&callx(Reg::R2)).is_ok());
}

#[test]
fn shift_range_is_checked_only_in_strict_mode() {
    let lsh = Instruction::Alu {
        width: Width::W32,
        op: AluOp::Lsh,
        dst: Reg::R0,
        src: Operand::Imm(32),
    };
    assert!(check(&[lsh, Instruction::Exit]).is_ok());
    let strict = Config {
        reject_out_of_range_shifts: true,
        ..Config::default()
    };
    assert_eq!(
        check_with(&[lsh, Instruction::Exit], &strict),
        Err(VerifierError::ShiftOutOfRange { pc: 0, imm: 32 })
    );
}

#[test]
fn packet_access_can_be_disabled() {
    let ldabs = Instruction::LoadPacket {
        size: MemSize::Word,
        src: None,
        imm: 0,
    };
    assert!(check(&[ldabs, Instruction::Exit]).is_ok());
    let config = Config {
        enable_packet_access: false,
        ..Config::default()
    };
    assert_eq!(
        check_with(&[ldabs, Instruction::Exit], &config),
        Err(VerifierError::PacketAccessDisabled { pc: 0 })
    );
}

#[test]
fn entry_points_must_be_instructions() {
    let bytes = code(&[
        Instruction::LoadImm64 {
            dst: Reg::R0,
            imm: 1,
        },
        Instruction::Exit,
    ]);
    let registry = BuiltinRegistry::<()>::new();
    let config = Config::default();
    assert_eq!(
        verify(&bytes, &config, &registry, 1, &[]),
        Err(VerifierError::InvalidEntryPoint { pc: 1 })
    );
    assert_eq!(
        verify(&bytes, &config, &registry, 3, &[]),
        Err(VerifierError::InvalidEntryPoint { pc: 3 })
    );
    assert_eq!(
        verify(&bytes, &config, &registry, 0, &[7]),
        Err(VerifierError::InvalidEntryPoint { pc: 7 })
    );
    assert_eq!(
        verify(&bytes, &config, &registry, 2, &[0]).map(|p| p.functions().to_vec()),
        Ok(alloc::vec![0, 2])
    );
}

/// Random slot soup never panics the verifier; anything it accepts decodes
/// completely and satisfies the target rules.
#[test]
fn random_bytes_never_panic() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let registry = BuiltinRegistry::<()>::new();
    let mut accepted = 0;
    for _ in 0..20_000 {
        let len = (next() % 6 + 1) as usize;
        let mut bytes = Vec::new();
        for _ in 0..len {
            let w = next();
            // Bias the opcode towards valid ones and registers to 0..=10.
            let mut b = w.to_le_bytes();
            b[1] &= 0x77;
            b[2] &= 0x03;
            b[3] = 0;
            bytes.extend_from_slice(&b);
        }
        bytes.extend_from_slice(&Instruction::Exit.encode().bytes().collect::<Vec<_>>());
        if let Ok(p) = verify(&bytes, &Config::default(), &registry, 0, &[]) {
            accepted += 1;
            assert_eq!(p.len(), len + 1);
        }
    }
    assert!(accepted > 0);
}

#[test]
fn function_table_is_sorted_and_unique() {
    // Entry at 5; pcs 0 and 3 are each called twice, and the extra entries
    // repeat them (and the entry) out of order.
    let bytes = code(&[
        Instruction::Exit,                  // 0: called from 5 and 7
        Instruction::Exit,                  // 1
        Instruction::Exit,                  // 2
        Instruction::Exit,                  // 3: called from 6 and 8
        Instruction::Exit,                  // 4
        Instruction::CallLocal { imm: -6 }, // 5 -> 0
        Instruction::CallLocal { imm: -4 }, // 6 -> 3
        Instruction::CallLocal { imm: -8 }, // 7 -> 0
        Instruction::CallLocal { imm: -6 }, // 8 -> 3
        Instruction::Exit,
    ]);
    let registry = BuiltinRegistry::<()>::new();
    let p = verify(&bytes, &Config::default(), &registry, 5, &[3, 5, 1, 0]).unwrap();
    assert_eq!(p.functions(), &[0, 1, 3, 5]);
}
