//! A generator of random valid eBPF programs for differential testing.
//!
//! Programs are built from every instruction class: ALU32/64 with edge-case
//! immediates (division and remainder by zero, `MIN / -1`, shifts at and past
//! the width), `lddw`, loads/stores/atomics that mostly hit mapped memory
//! (through pointer registers and `r10`) and sometimes do not, legacy packet
//! loads, forward and backward jumps (JMP and JMP32, `ja32`), local calls
//! (also recursive), builtin calls and `callx` to functions, builtins and
//! garbage. Every generated program passes the verifier; loops are allowed
//! because the instruction budget bounds every run.

use ebpfvm::isa::{AluOp, AtomicOp, Instruction, JumpCond, MemSize, Operand, Reg, SwapKind, Width};
use ebpfvm::memory::{MM_HEAP_START, MM_PROGRAM_START, MM_STACK_START};

use super::engines::HEAP_SIZE;

/// A small deterministic PRNG (splitmix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Ids of the builtins [`super::builtins::runtime`] registers.
pub const BUILTIN_IDS: [u32; 4] = [1, 2, 3, 4];

/// Shape of the generated programs.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Functions besides the entry function.
    pub max_extra_functions: usize,
    /// Instructions per function body (before its `exit`).
    pub max_body: usize,
    /// Bytes of stack per frame (for `r10` offsets).
    pub frame_size: usize,
    /// Length of the input region.
    pub input_len: usize,
    /// Whether jumps may go backwards. Without loops (and with a small call
    /// depth) every run terminates even with the instruction meter off.
    pub loops: bool,
}

/// One generated instruction before layout: jumps and calls refer to items
/// and functions, not pcs.
#[derive(Clone, Copy, Debug)]
enum Item {
    Plain(Instruction),
    /// A jump to item `target` of the same function (`insn`'s offset is
    /// replaced at layout).
    Jump {
        insn: Instruction,
        target: usize,
    },
    /// `call` to function `function`.
    Call {
        function: usize,
    },
    /// `lddw dst, <address of function>`.
    FunctionAddress {
        dst: Reg,
        function: usize,
    },
}

fn slots(item: &Item) -> usize {
    match item {
        Item::Plain(i) => i.slots(),
        Item::FunctionAddress { .. } => 2,
        _ => 1,
    }
}

const IMMS: [i32; 22] = [
    0,
    1,
    -1,
    2,
    3,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    63,
    64,
    65,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    -0x8000,
    i32::MIN,
    i32::MAX,
];

fn imm(rng: &mut Rng) -> i32 {
    if rng.chance(70) {
        rng.pick(&IMMS)
    } else {
        rng.next_u64() as i32
    }
}

fn imm64(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => rng.pick(&[0, u64::MAX, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 1 << 32]),
        1 => MM_STACK_START + rng.below(4096),
        2 => MM_HEAP_START + rng.below(HEAP_SIZE as u64 + 16),
        3 => MM_PROGRAM_START + rng.below(256),
        _ => rng.next_u64(),
    }
}

fn reg(rng: &mut Rng, max: u8) -> Reg {
    Reg::new(rng.below(max as u64 + 1) as u8).expect("register number in range")
}

/// A destination register: mostly r0..r5, so r6..r9 tend to keep the
/// pointers the entry function sets up.
fn dst(rng: &mut Rng) -> Reg {
    if rng.chance(85) {
        reg(rng, 5)
    } else {
        reg(rng, 9)
    }
}

fn width(rng: &mut Rng) -> Width {
    if rng.chance(50) {
        Width::W64
    } else {
        Width::W32
    }
}

fn size(rng: &mut Rng) -> MemSize {
    rng.pick(&[MemSize::Byte, MemSize::Half, MemSize::Word, MemSize::DWord])
}

/// A base register and offset that usually addresses mapped memory.
fn address(rng: &mut Rng, shape: &Shape) -> (Reg, i16) {
    match rng.below(10) {
        0..=3 => (
            Reg::R10,
            -(rng.range(0, shape.frame_size as i64 + 8) as i16),
        ),
        4..=7 => (reg_between(rng, 6, 9), rng.range(-16, 72) as i16),
        _ => (reg(rng, 10), rng.next_u64() as i16),
    }
}

fn reg_between(rng: &mut Rng, lo: u8, hi: u8) -> Reg {
    Reg::new(rng.range(lo as i64, hi as i64) as u8).expect("register number in range")
}

fn alu(rng: &mut Rng) -> Instruction {
    let ops = [
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
        AluOp::MovSx8,
        AluOp::MovSx16,
        AluOp::MovSx32,
    ];
    let op = rng.pick(&ops);
    let mut width = width(rng);
    let src = match op {
        AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32 => {
            if op == AluOp::MovSx32 {
                width = Width::W64;
            }
            Operand::Reg(reg(rng, 10))
        }
        _ if rng.chance(50) => Operand::Reg(reg(rng, 10)),
        _ => Operand::Imm(imm(rng)),
    };
    Instruction::Alu {
        width,
        op,
        dst: dst(rng),
        src,
    }
}

fn straight_line(rng: &mut Rng, shape: &Shape) -> Instruction {
    match rng.below(100) {
        0..=39 => alu(rng),
        40..=43 => Instruction::Neg {
            width: width(rng),
            dst: dst(rng),
        },
        44..=47 => Instruction::Endian {
            kind: rng.pick(&[SwapKind::ToLe, SwapKind::ToBe, SwapKind::Bswap]),
            bits: rng.pick(&[16, 32, 64]),
            dst: dst(rng),
        },
        48..=52 => Instruction::LoadImm64 {
            dst: dst(rng),
            imm: imm64(rng),
        },
        53..=64 => {
            let (src, off) = address(rng, shape);
            let size = size(rng);
            if size != MemSize::DWord && rng.chance(30) {
                Instruction::LoadSx {
                    size,
                    dst: dst(rng),
                    src,
                    off,
                }
            } else {
                Instruction::Load {
                    size,
                    dst: dst(rng),
                    src,
                    off,
                }
            }
        }
        65..=76 => {
            let (dst, off) = address(rng, shape);
            if rng.chance(50) {
                Instruction::StoreReg {
                    size: size(rng),
                    dst,
                    src: reg(rng, 10),
                    off,
                }
            } else {
                Instruction::Store {
                    size: size(rng),
                    dst,
                    off,
                    imm: imm(rng),
                }
            }
        }
        77..=86 => {
            let (dst, off) = address(rng, shape);
            let op = rng.pick(&[
                AtomicOp::Add,
                AtomicOp::Or,
                AtomicOp::And,
                AtomicOp::Xor,
                AtomicOp::Xchg,
                AtomicOp::CmpXchg,
            ]);
            let fetch = matches!(op, AtomicOp::Xchg | AtomicOp::CmpXchg) || rng.chance(50);
            Instruction::Atomic {
                width: width(rng),
                op,
                fetch,
                dst,
                src: dst_or_any(rng),
                off,
            }
        }
        _ => {
            let window = shape.input_len as i64 + 4;
            Instruction::LoadPacket {
                size: rng.pick(&[MemSize::Byte, MemSize::Half, MemSize::Word]),
                src: if rng.chance(50) {
                    Some(reg(rng, 10))
                } else {
                    None
                },
                imm: rng.range(-4, window) as i32,
            }
        }
    }
}

fn dst_or_any(rng: &mut Rng) -> Reg {
    if rng.chance(80) {
        reg(rng, 5)
    } else {
        reg(rng, 9)
    }
}

fn conditional(rng: &mut Rng) -> Instruction {
    let cond = rng.pick(&[
        JumpCond::Eq,
        JumpCond::Gt,
        JumpCond::Ge,
        JumpCond::Set,
        JumpCond::Ne,
        JumpCond::Sgt,
        JumpCond::Sge,
        JumpCond::Lt,
        JumpCond::Le,
        JumpCond::Slt,
        JumpCond::Sle,
    ]);
    let src = if rng.chance(50) {
        Operand::Reg(reg(rng, 10))
    } else {
        Operand::Imm(imm(rng))
    };
    Instruction::Jump {
        width: width(rng),
        cond,
        dst: reg(rng, 10),
        src,
        off: 0,
    }
}

/// Generates one function body: `functions` is the total number of
/// functions (for call targets).
fn function(rng: &mut Rng, shape: &Shape, functions: usize, entry: bool) -> Vec<Item> {
    let mut items = Vec::new();
    if entry {
        // Pointer registers into each region, r8 = input.
        items.push(Item::Plain(Instruction::LoadImm64 {
            dst: Reg::R6,
            imm: MM_STACK_START + rng.below(512),
        }));
        items.push(Item::Plain(Instruction::LoadImm64 {
            dst: Reg::R7,
            imm: MM_HEAP_START + rng.below(HEAP_SIZE as u64 - 64),
        }));
        items.push(Item::Plain(Instruction::Alu {
            width: Width::W64,
            op: AluOp::Mov,
            dst: Reg::R8,
            src: Operand::Reg(Reg::R1),
        }));
        items.push(Item::Plain(Instruction::LoadImm64 {
            dst: Reg::R9,
            imm: MM_PROGRAM_START + rng.below(16),
        }));
    }
    let body = rng.range(1, shape.max_body as i64) as usize;
    let first = items.len();
    let end = first + body; // index of the final exit
    for _ in 0..body {
        let item = match rng.below(100) {
            0..=69 => Item::Plain(straight_line(rng, shape)),
            70..=81 => Item::Jump {
                insn: conditional(rng),
                target: if shape.loops {
                    rng.range(first as i64, end as i64) as usize
                } else {
                    rng.range(items.len() as i64 + 1, end as i64) as usize
                },
            },
            82..=84 => Item::Jump {
                insn: if rng.chance(50) {
                    Instruction::Ja { off: 0 }
                } else {
                    Instruction::Ja32 { imm: 0 }
                },
                // Forward only, so unconditional jumps do not all loop.
                target: rng.range(items.len() as i64 + 1, end as i64) as usize,
            },
            85..=89 => Item::Plain(Instruction::Call {
                id: rng.pick(&BUILTIN_IDS),
            }),
            90..=93 if functions > 1 => Item::Call {
                function: rng.range(1, functions as i64 - 1) as usize,
            },
            94..=97 => {
                // Make sure some callx targets are functions.
                let r = reg(rng, 9);
                match rng.below(3) {
                    0 => {
                        items.push(Item::FunctionAddress {
                            dst: r,
                            function: rng.below(functions as u64) as usize,
                        });
                        if items.len() >= end {
                            break;
                        }
                    }
                    1 => items.push(Item::Plain(Instruction::Alu {
                        width: Width::W64,
                        op: AluOp::Mov,
                        dst: r,
                        src: Operand::Imm(rng.pick(&[1, 2, 3, 4, 0, 9, -1])),
                    })),
                    _ => {}
                }
                if items.len() >= end {
                    break;
                }
                Item::Plain(Instruction::CallReg { reg: r })
            }
            _ => Item::Plain(Instruction::Exit),
        };
        items.push(item);
        if items.len() >= end {
            break;
        }
    }
    // Pad so jump targets up to `end` exist, then the final exit.
    while items.len() < end {
        items.push(Item::Plain(alu(rng)));
    }
    items.push(Item::Plain(Instruction::Exit));
    items
}

/// Generates a program (entry function first) as bytecode.
pub fn generate(rng: &mut Rng, shape: &Shape) -> Vec<u8> {
    let functions = 1 + rng.below(shape.max_extra_functions as u64 + 1) as usize;
    let bodies: Vec<Vec<Item>> = (0..functions)
        .map(|f| function(rng, shape, functions, f == 0))
        .collect();
    // Layout: pcs of every item and function start.
    let mut starts = Vec::new();
    let mut pcs = Vec::new();
    let mut pc = 0usize;
    for body in &bodies {
        starts.push(pc);
        let mut these = Vec::new();
        for item in body {
            these.push(pc);
            pc += slots(item);
        }
        pcs.push(these);
    }
    let mut code = Vec::with_capacity(pc * 8);
    for (f, body) in bodies.iter().enumerate() {
        for (i, item) in body.iter().enumerate() {
            let here = pcs[f][i] as i64;
            let insn = match *item {
                Item::Plain(insn) => insn,
                Item::Jump { insn, target } => {
                    let rel = pcs[f][target] as i64 - here - 1;
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
                        other => other,
                    }
                }
                Item::Call { function } => Instruction::CallLocal {
                    imm: (starts[function] as i64 - here - 1) as i32,
                },
                Item::FunctionAddress { dst, function } => Instruction::LoadImm64 {
                    dst,
                    imm: MM_PROGRAM_START + 8 * starts[function] as u64,
                },
            };
            code.extend(insn.encode().bytes());
        }
    }
    code
}
