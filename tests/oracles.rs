//! Bounded smoke runs of the fuzz oracles (`ebpfvm::oracle`): the same checks
//! the fuzz targets make, on a few thousand deterministic pseudo-random inputs.

use ebpfvm::isa::{AluOp, AtomicOp, Instruction, JumpCond, MemSize, Operand, Reg, SwapKind, Width};
use ebpfvm::oracle::{run_bytecode, split_input};
use ebpfvm::Engine;

/// xorshift64: deterministic, seedable, good enough to spread test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

fn engines() -> Vec<Engine> {
    vec![Engine::Interpreter, Engine::Jit]
}

/// A random instruction that is valid on its own (targets are kept in range
/// by the caller's choice of `len`).
fn random_instruction(rng: &mut Rng, pc: usize, len: usize) -> Instruction {
    let reg = |rng: &mut Rng| Reg::new(rng.below(10) as u8).unwrap();
    let any_reg = |rng: &mut Rng| Reg::new(rng.below(11) as u8).unwrap();
    let imm = |rng: &mut Rng| {
        rng.pick(&[
            0,
            1,
            -1,
            2,
            7,
            31,
            32,
            63,
            64,
            i32::MIN,
            i32::MAX,
            0x1234_5678,
        ])
    };
    let width = |rng: &mut Rng| rng.pick(&[Width::W32, Width::W64]);
    let operand = |rng: &mut Rng| {
        if rng.below(2) == 0 {
            Operand::Reg(any_reg(rng))
        } else {
            Operand::Imm(imm(rng))
        }
    };
    // Forward jumps only (loops are left to the meter tests): 0..remaining.
    let fwd = |rng: &mut Rng| (rng.below((len - pc - 1) as u64)) as i16;
    let off = |rng: &mut Rng| rng.pick(&[0i16, -8, -16, -512, 8, 1, 60, 4096]);
    let base = |rng: &mut Rng| rng.pick(&[Reg::R10, Reg::R1, Reg::R2, Reg::R3]);
    match rng.below(10) {
        0..=3 => {
            let op = rng.pick(&[
                AluOp::Add,
                AluOp::Sub,
                AluOp::Mul,
                AluOp::Div,
                AluOp::SDiv,
                AluOp::Or,
                AluOp::And,
                AluOp::Lsh,
                AluOp::Rsh,
                AluOp::Mod,
                AluOp::SMod,
                AluOp::Xor,
                AluOp::Mov,
                AluOp::Arsh,
            ]);
            Instruction::Alu {
                width: width(rng),
                op,
                dst: reg(rng),
                src: operand(rng),
            }
        }
        4 => match rng.below(3) {
            0 => Instruction::Neg {
                width: width(rng),
                dst: reg(rng),
            },
            1 => Instruction::Endian {
                kind: rng.pick(&[SwapKind::ToLe, SwapKind::ToBe, SwapKind::Bswap]),
                bits: rng.pick(&[16, 32, 64]),
                dst: reg(rng),
            },
            _ => Instruction::Alu {
                width: Width::W64,
                op: rng.pick(&[AluOp::MovSx8, AluOp::MovSx16, AluOp::MovSx32]),
                dst: reg(rng),
                src: Operand::Reg(any_reg(rng)),
            },
        },
        5 => Instruction::Load {
            size: rng.pick(&[MemSize::Byte, MemSize::Half, MemSize::Word, MemSize::DWord]),
            dst: reg(rng),
            src: base(rng),
            off: off(rng),
        },
        6 => Instruction::StoreReg {
            size: rng.pick(&[MemSize::Byte, MemSize::Half, MemSize::Word, MemSize::DWord]),
            dst: base(rng),
            src: any_reg(rng),
            off: off(rng),
        },
        7 => Instruction::Atomic {
            width: width(rng),
            op: rng.pick(&[
                AtomicOp::Add,
                AtomicOp::Or,
                AtomicOp::Xchg,
                AtomicOp::CmpXchg,
            ]),
            fetch: true,
            dst: base(rng),
            src: reg(rng),
            off: off(rng),
        },
        8 => Instruction::Jump {
            width: width(rng),
            cond: rng.pick(&[
                JumpCond::Eq,
                JumpCond::Gt,
                JumpCond::Sge,
                JumpCond::Set,
                JumpCond::Slt,
                JumpCond::Le,
            ]),
            dst: any_reg(rng),
            src: operand(rng),
            off: fwd(rng),
        },
        _ => Instruction::Call { id: 5 },
    }
}

fn random_program(rng: &mut Rng) -> Vec<u8> {
    let len = 2 + rng.below(30) as usize;
    let mut code = Vec::new();
    for pc in 0..len - 1 {
        code.extend(random_instruction(rng, pc, len).encode().bytes());
    }
    code.extend(Instruction::Exit.encode().bytes());
    code
}

#[test]
fn structured_random_programs_keep_every_invariant() {
    let mut rng = Rng(0x5eed_0001);
    let mut accepted = 0;
    let mut trapped = 0;
    for _ in 0..3_000 {
        let code = random_program(&mut rng);
        let input: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        if let Some(outcome) = run_bytecode(&input, &code, &engines()) {
            accepted += 1;
            trapped += usize::from(outcome.result.is_err());
        }
    }
    // Random programs write r10 or misuse it only through the verifier, so
    // most are accepted; both endings must be well represented.
    assert!(accepted > 2_000, "only {accepted} programs verified");
    assert!(
        trapped > 100 && trapped < accepted,
        "{trapped} of {accepted} trapped"
    );
}

#[test]
fn arbitrary_bytes_keep_every_invariant() {
    let mut rng = Rng(0x5eed_0002);
    for _ in 0..5_000 {
        let len = rng.below(200) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Keep some inputs plausible: valid classes and registers, exit at the end.
        if rng.below(2) == 0 {
            for chunk in data.chunks_mut(8) {
                if chunk.len() > 1 {
                    chunk[1] &= 0x99;
                }
            }
            data.extend_from_slice(&[0x95, 0, 0, 0, 0, 0, 0, 0]);
        }
        let (input, code) = split_input(&data);
        run_bytecode(input, code, &engines());
    }
}

#[test]
fn random_assembly_text_round_trips() {
    let mut rng = Rng(0x5eed_0003);
    let words = [
        "mov", "add32", "lddw", "ldxw", "stxdw", "ja", "jeq", "jset32", "call", "exit", "lock",
        "fetch", "xchg", "r1", "%r2", "r10", "[r1+4]", "[r10-8]", "0x10", "-1", "+1", ",", "l:",
        "l", "local", "be16", "movsx832", "ldxsb", "ja32", "#", "\n",
    ];
    for _ in 0..5_000 {
        let n = 1 + rng.below(12);
        let text: Vec<&str> = (0..n).map(|_| rng.pick(&words)).collect();
        ebpfvm::oracle::assemble_round_trip(&text.join(" "));
    }
}
