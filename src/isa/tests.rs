//! Exhaustive decode/encode round trips over every opcode byte.

use super::DecodeError;
use super::*;

const REGS: [u8; 4] = [0, 1, 10, 11];
const OFFS: [i16; 6] = [0, 1, 8, 16, 32, -3];
const IMMS: [i32; 8] = [0, 1, 16, 32, 64, 0xe1, 0xf1, -7];

/// Every slot that decodes re-encodes to the identical slot.
#[test]
fn decode_encode_round_trip_over_all_opcodes() {
    let mut accepted = 0usize;
    let mut opcodes_seen = [false; 256];
    for opcode in 0..=255u8 {
        for &dst in &REGS {
            for &src in &REGS {
                for &off in &OFFS {
                    for &imm in &IMMS {
                        let raw = RawInsn::new(opcode, dst, src, off, imm);
                        let next = RawInsn::new(0, 0, 0, 0, 0x1234_5678);
                        if let Ok(insn) = Instruction::decode(raw, Some(next)) {
                            accepted += 1;
                            opcodes_seen[opcode as usize] = true;
                            let enc = insn.encode();
                            assert_eq!(enc.slots()[0], raw, "{insn:?}");
                            if insn.slots() == 2 {
                                assert_eq!(enc.slots()[1], next);
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(accepted > 5_000, "too few encodings accepted: {accepted}");
    // The RFC 9669 opcode table (lddw and the legacy packet loads included) has
    // this many distinct opcode bytes.
    let distinct = opcodes_seen.iter().filter(|&&s| s).count();
    assert_eq!(distinct, EXPECTED_OPCODES.len());
    for &opc in EXPECTED_OPCODES {
        assert!(
            opcodes_seen[opc as usize],
            "opcode {opc:#04x} never decoded"
        );
    }
}

/// Every opcode byte RFC 9669 (Appendix A) defines.
const EXPECTED_OPCODES: &[u8] = &[
    // ALU64 / ALU: K and X forms of add sub mul div or and lsh rsh mod xor mov arsh
    0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f,
    0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c,
    0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x94, 0x9c, 0xa4, 0xac, 0xb4, 0xbc, 0xc4,
    0xcc, // neg
    0x87, 0x84, // le, be, bswap
    0xd4, 0xdc, 0xd7, // jumps (JMP)
    0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5,
    0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd, 0x85, 0x8d, 0x95, // JMP32
    0x06, 0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x46, 0x4e, 0x56, 0x5e, 0x66, 0x6e, 0x76, 0x7e, 0xa6,
    0xae, 0xb6, 0xbe, 0xc6, 0xce, 0xd6, 0xde, // lddw, legacy packet
    0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, // ldx, ldxs
    0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, // st, stx
    0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, // atomics
    0xc3, 0xdb,
];

fn dec(opcode: u8, dst: u8, src: u8, off: i16, imm: i32) -> Result<Instruction, DecodeError> {
    Instruction::decode(RawInsn::new(opcode, dst, src, off, imm), None)
}

#[test]
fn reserved_fields_are_rejected() {
    use Field::*;
    let nz = |field| Err(DecodeError::ReservedFieldNotZero { field });
    assert_eq!(dec(0x07, 0, 1, 0, 5), nz(Src)); // add imm with src set
    assert_eq!(dec(0x0f, 0, 1, 0, 5), nz(Imm)); // add reg with imm set
    assert_eq!(dec(0x95, 0, 0, 0, 1), nz(Imm)); // exit with imm
    assert_eq!(dec(0x05, 1, 0, 1, 0), nz(Dst)); // ja with dst
    assert_eq!(dec(0x06, 0, 0, 1, 1), nz(Offset)); // ja32 with offset
    assert_eq!(dec(0x61, 0, 1, 0, 1), nz(Imm)); // ldxw with imm
    assert_eq!(dec(0x62, 0, 1, 0, 1), nz(Src)); // stw with src
    assert_eq!(dec(0x87, 0, 0, 0, 1), nz(Imm)); // neg with imm
    assert_eq!(dec(0x85, 1, 0, 0, 1), nz(Dst)); // call with dst
}

#[test]
fn invalid_encodings_name_the_problem() {
    assert_eq!(
        dec(0x3f, 0, 1, 2, 0),
        Err(DecodeError::InvalidOffset { off: 2 })
    );
    assert_eq!(
        dec(0xbc, 0, 1, 32, 0),
        Err(DecodeError::InvalidOffset { off: 32 }),
        "movsx 32->32 does not exist"
    );
    assert_eq!(
        dec(0xb7, 0, 0, 8, 1),
        Err(DecodeError::InvalidOffset { off: 8 }),
        "movsx needs a register source"
    );
    assert_eq!(
        dec(0xd4, 0, 0, 0, 8),
        Err(DecodeError::InvalidEndianWidth { imm: 8 })
    );
    assert_eq!(
        dec(0xdb, 0, 1, 0, 0x02),
        Err(DecodeError::UnknownAtomicOp { imm: 0x02 })
    );
    assert_eq!(
        dec(0x18, 0, 1, 0, 0),
        Err(DecodeError::UnsupportedLddwSource { src: 1 })
    );
    assert_eq!(dec(0x18, 0, 0, 0, 0), Err(DecodeError::IncompleteLddw));
    assert_eq!(
        dec(0x85, 0, 2, 0, 0),
        Err(DecodeError::UnsupportedCallKind { src: 2 })
    );
    assert_eq!(
        dec(0xbf, 11, 0, 0, 0),
        Err(DecodeError::InvalidRegister {
            field: RegField::Dst,
            value: 11
        })
    );
    for opcode in [0x8e, 0x96, 0x9d, 0xdf, 0xe7, 0xf4, 0x00, 0x38, 0x99] {
        assert_eq!(
            dec(opcode, 0, 0, 0, 0),
            Err(DecodeError::UnknownOpcode { opcode }),
            "{opcode:#x}"
        );
    }
}

#[test]
fn lddw_second_slot_must_be_clean() {
    let first = RawInsn::new(0x18, 1, 0, 0, 1);
    for bad in [
        RawInsn::new(0x18, 0, 0, 0, 0),
        RawInsn::new(0, 1, 0, 0, 0),
        RawInsn::new(0, 0, 0, 1, 0),
    ] {
        assert_eq!(
            Instruction::decode(first, Some(bad)),
            Err(DecodeError::IncompleteLddw)
        );
    }
    assert_eq!(
        Instruction::decode(first, Some(RawInsn::new(0, 0, 0, 0, -1))),
        Ok(Instruction::LoadImm64 {
            dst: Reg::R1,
            imm: 0xffff_ffff_0000_0001
        })
    );
}

#[test]
fn versions_of_new_instructions() {
    assert_eq!(dec(0x3f, 0, 1, 1, 0).unwrap().min_version(), IsaVersion::V4); // sdiv
    assert_eq!(
        dec(0xd7, 0, 0, 0, 16).unwrap().min_version(),
        IsaVersion::V4
    ); // bswap
    assert_eq!(dec(0x06, 0, 0, 0, 3).unwrap().min_version(), IsaVersion::V4); // ja32
    assert_eq!(dec(0x81, 0, 1, 0, 0).unwrap().min_version(), IsaVersion::V4); // ldxsw
    assert_eq!(dec(0x16, 0, 0, 1, 0).unwrap().min_version(), IsaVersion::V3); // jeq32
    assert_eq!(dec(0xdb, 1, 2, 0, 1).unwrap().min_version(), IsaVersion::V3); // fetch add
    assert_eq!(dec(0xdb, 1, 2, 0, 0).unwrap().min_version(), IsaVersion::V1); // xadd
    assert_eq!(dec(0xa5, 0, 0, 1, 0).unwrap().min_version(), IsaVersion::V2); // jlt
    assert_eq!(dec(0x25, 0, 0, 1, 0).unwrap().min_version(), IsaVersion::V1); // jgt
}

#[test]
fn written_register_covers_fetching_atomics() {
    assert_eq!(
        dec(0xdb, 1, 2, 0, 0x01).unwrap().written_register(),
        Some(Reg::R2)
    );
    assert_eq!(
        dec(0xdb, 1, 2, 0, 0xf1).unwrap().written_register(),
        Some(Reg::R0)
    );
    assert_eq!(dec(0xdb, 1, 2, 0, 0).unwrap().written_register(), None);
    assert_eq!(dec(0x7b, 1, 2, 0, 0).unwrap().written_register(), None);
}
