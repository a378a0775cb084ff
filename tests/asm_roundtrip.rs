//! Disassemble∘assemble round trips over every instruction form the decoder
//! accepts (all 256 opcode bytes × representative field values), and over
//! random programs whose branches land everywhere (instruction starts, the
//! middle of an `lddw`, outside the program), with and without symbol names.
#![cfg(feature = "asm")]

use ebpfvm::asm::{assemble, decode_program, disassemble, disassemble_with, Disasm};
use ebpfvm::isa::{Instruction, RawInsn};

const REGS: [u8; 4] = [0, 1, 10, 11];
const OFFS: [i16; 9] = [0, 1, 8, 16, 32, -3, -1, i16::MIN, i16::MAX];
/// Small values, the endian widths, every atomic operation code with and
/// without fetch, and the extremes.
const IMMS: [i32; 18] = [
    0,
    1,
    16,
    32,
    64,
    -7,
    0x40,
    0x41,
    0x50,
    0x51,
    0xa0,
    0xa1,
    0xe1,
    0xf1,
    i32::MIN,
    i32::MAX,
    -1,
    0x7fff_0000,
];
const SECOND_IMMS: [i32; 2] = [0x1234_5678, -1];

/// Every single instruction the decoder accepts, as bytes (one or two slots).
fn accepted_forms() -> Vec<(Vec<u8>, Instruction)> {
    let mut out = Vec::new();
    for opcode in 0..=255u8 {
        for dst in REGS {
            for src in REGS {
                for off in OFFS {
                    for imm in IMMS {
                        for second in SECOND_IMMS {
                            let raw = RawInsn::new(opcode, dst, src, off, imm);
                            let next = RawInsn::new(0, 0, 0, 0, second);
                            let Ok(insn) = Instruction::decode(raw, Some(next)) else {
                                continue;
                            };
                            if insn.slots() == 1 && second != SECOND_IMMS[0] {
                                continue; // the second slot only matters to lddw
                            }
                            let mut bytes = raw.to_bytes().to_vec();
                            if insn.slots() == 2 {
                                bytes.extend(next.to_bytes());
                            }
                            out.push((bytes, insn));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_accepted_form_round_trips_through_text() {
    let forms = accepted_forms();
    let mut opcodes = [false; 256];
    for (bytes, insn) in &forms {
        opcodes[bytes[0] as usize] = true;
        // The single-instruction Display (relative targets) ...
        let line = Disasm(insn).to_string();
        assert_eq!(assemble(&line).as_ref(), Ok(bytes), "{insn:?} -> {line}");
        // ... and the listing (labels where the target is in the program).
        let listing = disassemble(bytes).expect("decodable");
        assert_eq!(
            assemble(&listing).as_ref(),
            Ok(bytes),
            "{insn:?} -> {listing}"
        );
    }
    // The RFC 9669 opcode table (with lddw and the legacy packet loads) has
    // 126 distinct opcode bytes; each must have been exercised.
    assert_eq!(opcodes.iter().filter(|&&seen| seen).count(), 126);
    assert!(forms.len() > 15_000, "only {} forms", forms.len());
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Retargets a branch so that it lands `rel` slots after the next instruction.
fn retarget(insn: Instruction, rel: i64) -> Instruction {
    match insn {
        Instruction::Ja { .. } => Instruction::Ja { off: rel as i16 },
        Instruction::Ja32 { .. } => Instruction::Ja32 { imm: rel as i32 },
        Instruction::Jump {
            width,
            cond,
            dst,
            src,
            ..
        } => Instruction::Jump {
            width,
            cond,
            dst,
            src,
            off: rel as i16,
        },
        Instruction::CallLocal { .. } => Instruction::CallLocal { imm: rel as i32 },
        other => other,
    }
}

#[test]
fn random_programs_round_trip_with_labels_and_symbols() {
    let forms: Vec<Instruction> = accepted_forms().into_iter().map(|(_, i)| i).collect();
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let names = [
        "main",
        "helper",
        ".LBB0_3",
        "with space",
        "r3",
        "lbb_1",
        "fn_2",
        "exit",
        "_start",
    ];
    for _ in 0..500 {
        let len = 1 + rng.below(24);
        let mut insns: Vec<Instruction> = (0..len).map(|_| forms[rng.below(forms.len())]).collect();
        let slots: i64 = insns.iter().map(|i| i.slots() as i64).sum();
        let mut pc = 0i64;
        for insn in &mut insns {
            // Targets from just before the start to just past the end.
            let target = rng.below(slots as usize + 3) as i64 - 1;
            *insn = retarget(*insn, target - pc - 1);
            pc += insn.slots() as i64;
        }
        let mut code = Vec::new();
        for insn in &insns {
            code.extend(insn.encode().bytes());
        }
        assert_eq!(decode_program(&code).map(|v| v.len()), Ok(insns.len()));

        let listing = disassemble(&code).expect("decodable");
        assert_eq!(assemble(&listing).as_ref(), Ok(&code), "{listing}");

        let symbol_at: Vec<Option<&str>> = (0..slots)
            .map(|_| (rng.below(3) == 0).then(|| names[rng.below(names.len())]))
            .collect();
        let symbols = |pc: usize| symbol_at.get(pc).copied().flatten();
        let listing = disassemble_with(&code, &symbols).expect("decodable");
        assert_eq!(assemble(&listing).as_ref(), Ok(&code), "{listing}");
    }
}
