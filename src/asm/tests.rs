//! Assembler and disassembler unit tests: exact encodings written out by hand
//! from RFC 9669 (never produced by our encoder), both dialects, labels, every
//! error, and a bounded smoke of random and mutated input.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::isa::{Instruction, Reg};

/// Parses `"b7 00 00 00 2a 00 00 00"`-style hex bytes.
fn hex(bytes: &str) -> Vec<u8> {
    bytes
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("test data"))
        .collect()
}

/// Each line: source, then the 8 (or 16) bytes RFC 9669 prescribes.
/// Byte 1 is `src << 4 | dst`; offset and immediate are little-endian.
const ENCODINGS: &[(&str, &str)] = &[
    // ALU64 (class 0x07) and ALU (0x04); op in the high nibble, 0x08 = register source.
    ("mov r0, 42", "b7 00 00 00 2a 00 00 00"),
    ("mov %r0, 42", "b7 00 00 00 2a 00 00 00"),
    ("add64 r1, -1", "07 01 00 00 ff ff ff ff"),
    ("add32 r1, r2", "0c 21 00 00 00 00 00 00"),
    ("sub32 r3, 0x10", "14 03 00 00 10 00 00 00"),
    ("mul r9, r8", "2f 89 00 00 00 00 00 00"),
    ("div32 r1, 3", "34 01 00 00 03 00 00 00"),
    ("sdiv r1, r2", "3f 21 01 00 00 00 00 00"),
    ("smod32 r1, 5", "94 01 01 00 05 00 00 00"),
    ("or r1, 0x80000000", "47 01 00 00 00 00 00 80"),
    ("and r2, 0xff", "57 02 00 00 ff 00 00 00"),
    ("lsh r3, 4", "67 03 00 00 04 00 00 00"),
    ("rsh32 r3, r4", "7c 43 00 00 00 00 00 00"),
    ("neg r1", "87 01 00 00 00 00 00 00"),
    ("neg32 r1", "84 01 00 00 00 00 00 00"),
    ("mod r1, r2", "9f 21 00 00 00 00 00 00"),
    ("xor32 r0, r0", "ac 00 00 00 00 00 00 00"),
    ("mov32 r5, r6", "bc 65 00 00 00 00 00 00"),
    ("arsh r7, 1", "c7 07 00 00 01 00 00 00"),
    ("movsx832 r1, r2", "bc 21 08 00 00 00 00 00"),
    ("movsx1632 r1, r2", "bc 21 10 00 00 00 00 00"),
    ("movsx864 r1, r2", "bf 21 08 00 00 00 00 00"),
    ("movsx1664 r1, r2", "bf 21 10 00 00 00 00 00"),
    ("movsx3264 r1, r2", "bf 21 20 00 00 00 00 00"),
    // Byte order: 0xd4 = le, 0xdc = be, 0xd7 = bswap; imm = width.
    ("le16 r1", "d4 01 00 00 10 00 00 00"),
    ("be64 r2", "dc 02 00 00 40 00 00 00"),
    ("bswap32 r3", "d7 03 00 00 20 00 00 00"),
    ("swap16 r3", "d7 03 00 00 10 00 00 00"),
    // lddw: 0x18, low half in the first slot's imm, high half in the second's.
    (
        "lddw r1, 0x1122334455667788",
        "18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11",
    ),
    (
        "lddw r0, -2",
        "18 00 00 00 fe ff ff ff 00 00 00 00 ff ff ff ff",
    ),
    // Legacy packet access: class LD, mode ABS 0x20 / IND 0x40, size W 0 / H 8 / B 0x10.
    ("ldabsw 4", "20 00 00 00 04 00 00 00"),
    ("ldabsh 2", "28 00 00 00 02 00 00 00"),
    ("ldindb r2, 8", "50 20 00 00 08 00 00 00"),
    // Loads: class LDX 0x01, mode MEM 0x60 / MEMSX 0x80.
    ("ldxw r0, [r1+4]", "61 10 04 00 00 00 00 00"),
    ("ldxh r0, [r1+2]", "69 10 02 00 00 00 00 00"),
    ("ldxb r3, [r1]", "71 13 00 00 00 00 00 00"),
    ("ldxdw r2, [r10-8]", "79 a2 f8 ff 00 00 00 00"),
    ("ldxsb r1, [r2+1]", "91 21 01 00 00 00 00 00"),
    ("ldxsh r1, [r2+1]", "89 21 01 00 00 00 00 00"),
    ("ldxsw r1, [r2+1]", "81 21 01 00 00 00 00 00"),
    // Stores: class ST 0x02 (imm) and STX 0x03 (register).
    ("stw [r1+2], 7", "62 01 02 00 07 00 00 00"),
    ("sth [r1+2], 7", "6a 01 02 00 07 00 00 00"),
    ("stb [r1+2], 7", "72 01 02 00 07 00 00 00"),
    ("stdw [r10-16], -1", "7a 0a f0 ff ff ff ff ff"),
    ("stxdw [r10-8], r1", "7b 1a f8 ff 00 00 00 00"),
    ("stxb [r1+0], r2", "73 21 00 00 00 00 00 00"),
    ("stxh [r1+0x10], r2", "6b 21 10 00 00 00 00 00"),
    ("stxw [r1-0x10], r2", "63 21 f0 ff 00 00 00 00"),
    // Atomics: 0xdb (64-bit) / 0xc3 (32-bit), operation in imm, 0x01 = fetch.
    ("lock add [r1+8], r2", "db 21 08 00 00 00 00 00"),
    ("lock fetch add32 [r10-4], r1", "c3 1a fc ff 01 00 00 00"),
    ("lock fetch or [r1], r2", "db 21 00 00 41 00 00 00"),
    ("lock and32 [r1], r2", "c3 21 00 00 50 00 00 00"),
    ("lock fetch xor [r1], r2", "db 21 00 00 a1 00 00 00"),
    ("lock xchg [r1+0], r2", "db 21 00 00 e1 00 00 00"),
    ("lock cmpxchg32 [r1], r2", "c3 21 00 00 f1 00 00 00"),
    // Jumps: class JMP 0x05 / JMP32 0x06.
    ("ja +2", "05 00 02 00 00 00 00 00"),
    ("ja -1", "05 00 ff ff 00 00 00 00"),
    ("ja32 +3", "06 00 00 00 03 00 00 00"),
    ("jeq r1, 0x2, +3", "15 01 03 00 02 00 00 00"),
    ("jne32 r1, r2, -2", "5e 21 fe ff 00 00 00 00"),
    ("jsle r1, -1, +0", "d5 01 00 00 ff ff ff ff"),
    ("jset r1, 8, +1", "45 01 01 00 08 00 00 00"),
    ("jlt r1, r2, +1", "ad 21 01 00 00 00 00 00"),
    ("jsgt32 r1, r2, +1", "6e 21 01 00 00 00 00 00"),
    ("jge r1 1 +1", "35 01 01 00 01 00 00 00"),
    // Calls and exit.
    ("call 1", "85 00 00 00 01 00 00 00"),
    ("call 0xffffffff", "85 00 00 00 ff ff ff ff"),
    ("call %r2", "8d 02 00 00 00 00 00 00"),
    ("callx r2", "8d 02 00 00 00 00 00 00"),
    ("call local +5", "85 10 00 00 05 00 00 00"),
    ("exit", "95 00 00 00 00 00 00 00"),
];

#[test]
fn each_mnemonic_family_encodes_as_rfc_9669_prescribes() {
    for &(text, bytes) in ENCODINGS {
        assert_eq!(assemble(text), Ok(hex(bytes)), "{text}");
    }
}

/// The disassembler prints each of them in canonical form, which assembles back.
#[test]
fn canonical_text_of_the_sample() {
    for &(text, bytes) in ENCODINGS {
        let code = hex(bytes);
        let insns = decode_program(&code).expect("valid sample");
        let printed = Disasm(&insns[0].1).to_string();
        assert_eq!(assemble(&printed), Ok(code.clone()), "{text} -> {printed}");
    }
    let canonical = |text: &str| {
        let insns = assemble_instructions(text).expect("valid");
        Disasm(&insns[0]).to_string()
    };
    assert_eq!(canonical("add64 %r1, 0xffffffff"), "add r1, -1");
    assert_eq!(canonical("swap64 r1"), "bswap64 r1");
    assert_eq!(canonical("stxw [r1-0x10], r2"), "stxw [r1-16], r2");
    assert_eq!(canonical("ldxb r3, [r1]"), "ldxb r3, [r1+0]");
    assert_eq!(canonical("lock xchg32 [r1], r2"), "lock xchg32 [r1+0], r2");
    assert_eq!(
        canonical("lock fetch cmpxchg [r1], r2"),
        "lock cmpxchg [r1+0], r2"
    );
    assert_eq!(canonical("lddw r0, 5"), "lddw r0, 0x5");
    assert_eq!(canonical("call -1"), "call 0xffffffff");
    assert_eq!(canonical("callx r3"), "call r3");
    assert_eq!(canonical("ldindh r1, -4"), "ldindh r1, -4");
    assert_eq!(canonical("neg64 r2"), "neg r2");
}

#[test]
fn both_dialects_agree() {
    let conformance = "mov %r0, 0\nadd32 %r0, 1\nldxw %r1, [%r1+4]\njeq %r1, 0x2, +1\nexit";
    let rbpf = "mov64 r0, 0 ; set\nadd32 r0 1 // bump\nldxw r1, [r1 + 4]\njeq r1, 0x2, +1\nexit";
    assert_eq!(assemble(conformance), assemble(rbpf));
    assert!(assemble(rbpf).is_ok());
    assert_eq!(
        assemble("call local f\nexit\nf:\nexit"),
        assemble("call f\nexit\nf:\nexit")
    );
}

#[test]
fn labels_count_lddw_as_two_slots() {
    let code = assemble("ja end\nlddw r0, 1\nend:\nexit").expect("valid");
    assert_eq!(&code[..8], &hex("05 00 02 00 00 00 00 00")[..]);
    let code = assemble("top:\nlddw r0, 1\nja top\nexit").expect("valid");
    // The jump at pc 2 back to pc 0: 0 - 2 - 1 = -3.
    assert_eq!(&code[16..24], &hex("05 00 fd ff 00 00 00 00")[..]);
    // A label on the same line as an instruction, and one after the last.
    let code = assemble("l: ja l\nja end\nend:").expect("valid");
    assert_eq!(code, hex("05 00 ff ff 00 00 00 00 05 00 00 00 00 00 00 00"));
}

#[test]
fn exit_is_an_implicit_label_at_the_first_exit() {
    let code = assemble("jne r0, r1, exit\nexit\nexit").expect("valid");
    assert_eq!(&code[..8], &hex("5d 10 00 00 00 00 00 00")[..]);
    // An explicit `exit:` wins.
    let code = assemble("jne r0, r1, exit\nexit\nexit:\nexit").expect("valid");
    assert_eq!(&code[..8], &hex("5d 10 01 00 00 00 00 00")[..]);
    assert_eq!(
        assemble("ja exit"),
        Err(AsmError::UndefinedLabel { line: 1 })
    );
}

#[test]
fn ja32_and_call_local_reach_beyond_16_bits() {
    let mut text = String::from("ja32 far\ncall local far\nja far\n");
    for _ in 0..40_000 {
        text.push_str("mov r0, 0\n");
    }
    text.push_str("far:\nexit\n");
    let err = assemble(&text);
    assert_eq!(
        err,
        Err(AsmError::JumpOutOfRange {
            line: 3,
            offset: 40_000
        })
    );
    let ok = assemble(&text.replacen("ja far", "ja +0", 1)).expect("valid");
    assert_eq!(&ok[..8], &hex("06 00 00 00 42 9c 00 00")[..]); // 40002
    assert_eq!(&ok[8..16], &hex("85 10 00 00 41 9c 00 00")[..]); // 40001
}

#[test]
fn unknown_mnemonic_is_named() {
    let err = assemble("mov r0, 1\nfrobnicate r1\nexit").unwrap_err();
    assert_eq!(err.to_string(), "line 2: unknown mnemonic `frobnicate`");
    let long = "x".repeat(40);
    let err = assemble(&long).unwrap_err();
    assert!(err.to_string().ends_with("…`"), "{err}");
}

#[test]
fn errors_name_the_line_and_the_problem() {
    use AsmError::*;
    let cases: &[(&str, AsmError)] = &[
        (
            "exit\nfoo r0",
            UnknownMnemonic {
                line: 2,
                mnemonic: Word::new("foo"),
            },
        ),
        (
            "mov r0",
            OperandCount {
                line: 1,
                expected: 2,
                found: 1,
            },
        ),
        (
            "exit r0",
            OperandCount {
                line: 1,
                expected: 0,
                found: 1,
            },
        ),
        (
            "call",
            OperandCount {
                line: 1,
                expected: 1,
                found: 0,
            },
        ),
        (
            "call local",
            OperandCount {
                line: 1,
                expected: 2,
                found: 1,
            },
        ),
        (
            "lock fetch add [r1], r2, r3",
            OperandCount {
                line: 1,
                expected: 4,
                found: 5,
            },
        ),
        (
            "mov 1, r0",
            Expected {
                line: 1,
                operand: 1,
                expected: super::Expected::Register,
            },
        ),
        (
            "movsx864 r0, 1",
            Expected {
                line: 1,
                operand: 2,
                expected: super::Expected::Register,
            },
        ),
        (
            "ldxw r0, r1",
            Expected {
                line: 1,
                operand: 2,
                expected: super::Expected::MemoryOperand,
            },
        ),
        (
            "jeq r0, 1, [r1]",
            Expected {
                line: 1,
                operand: 3,
                expected: super::Expected::Target,
            },
        ),
        (
            "lock mul [r1], r2",
            Expected {
                line: 1,
                operand: 1,
                expected: super::Expected::AtomicOperation,
            },
        ),
        (
            "lock fetch add r1, r2",
            Expected {
                line: 1,
                operand: 3,
                expected: super::Expected::MemoryOperand,
            },
        ),
        (
            "call [r1]",
            Expected {
                line: 1,
                operand: 1,
                expected: super::Expected::CallTarget,
            },
        ),
        (
            "add r0, [r1]",
            Expected {
                line: 1,
                operand: 2,
                expected: super::Expected::RegisterOrImmediate,
            },
        ),
        ("mov r11, 1", InvalidRegister { line: 1 }),
        ("mov %rx, 1", InvalidRegister { line: 1 }),
        ("mov r0, 12ab", InvalidNumber { line: 1 }),
        ("mov r0, 0x", InvalidNumber { line: 1 }),
        (
            "mov r0, 0x100000000",
            OutOfRange {
                line: 1,
                field: NumberField::Imm32,
            },
        ),
        (
            "mov r0, 4294967295",
            OutOfRange {
                line: 1,
                field: NumberField::Imm32,
            },
        ),
        (
            "ldxw r0, [r1+32768]",
            OutOfRange {
                line: 1,
                field: NumberField::Offset16,
            },
        ),
        (
            "lddw r0, 0x10000000000000000",
            OutOfRange {
                line: 1,
                field: NumberField::Imm64,
            },
        ),
        ("stw [r1+2, 1", MalformedMemoryOperand { line: 1 }),
        ("stw [r1*2], 1", UnexpectedCharacter { line: 1, ch: '*' }),
        ("r1:\nexit", InvalidLabel { line: 1 }),
        ("a:\nexit\n\na:", DuplicateLabel { line: 4, first: 1 }),
        ("ja nowhere", UndefinedLabel { line: 1 }),
        (
            "ja +32768",
            JumpOutOfRange {
                line: 1,
                offset: 32768,
            },
        ),
        (
            "ja32 -2147483649",
            JumpOutOfRange {
                line: 1,
                offset: -2147483649,
            },
        ),
        ("mov r0,, 1", UnexpectedToken { line: 1 }),
        (": exit", UnexpectedToken { line: 1 }),
        ("+1", UnexpectedToken { line: 1 }),
    ];
    for (text, expected) in cases {
        let got = assemble(text);
        assert_eq!(got, Err(*expected), "{text}");
        // Every error displays with its line number first.
        let shown = expected.to_string();
        assert!(
            shown.starts_with(&alloc::format!("line {}: ", expected.line())),
            "{shown}"
        );
    }
}

#[test]
fn empty_and_comment_only_text_assembles_to_nothing() {
    assert_eq!(assemble(""), Ok(Vec::new()));
    assert_eq!(assemble("# c\n\n  ; c\n// c\r\n"), Ok(Vec::new()));
    assert_eq!(assemble("exit\r\nexit\r\n").map(|c| c.len()), Ok(16));
}

#[test]
fn disassembler_errors() {
    assert_eq!(
        disassemble(&[0x95, 0, 0, 0]),
        Err(DisasmError::TruncatedProgram { len: 4 })
    );
    let bad = hex("95 00 00 00 00 00 00 00 ff 00 00 00 00 00 00 00");
    assert_eq!(
        disassemble(&bad),
        Err(DisasmError::InvalidInstruction {
            pc: 1,
            reason: crate::error::DecodeError::UnknownOpcode { opcode: 0xff }
        })
    );
    let lone_lddw = hex("18 00 00 00 00 00 00 00");
    assert_eq!(
        disassemble(&lone_lddw),
        Err(DisasmError::InvalidInstruction {
            pc: 0,
            reason: crate::error::DecodeError::IncompleteLddw
        })
    );
    assert_eq!(disassemble(&[]), Ok(String::new()));
    let err = DisasmError::InvalidInstruction {
        pc: 3,
        reason: crate::error::DecodeError::IncompleteLddw,
    };
    assert_eq!(err.to_string(), "pc 3: lddw is missing its second slot");
    assert!(core::error::Error::source(&err).is_some());
}

#[test]
fn listing_labels_and_symbols() {
    let code = assemble(
        "call local f\nja +1\nlddw r1, 3\nja -3\nexit\nf:\nmov r0, 1\njeq r0, 1, -1\nexit",
    )
    .expect("valid");
    let text = disassemble(&code).expect("valid");
    assert_eq!(
        text,
        "    call local fn_6\n    ja +1\nlbb_2:\n    lddw r1, 0x3\n    ja lbb_2\n    exit\n\
         fn_6:\n    mov r0, 1\nlbb_7:\n    jeq r0, 1, lbb_7\n    exit\n"
    );
    assert_eq!(assemble(&text), Ok(code.clone()));

    let names = |pc: usize| match pc {
        0 => Some("main"),
        6 => Some("helper.cold"),
        4 => Some("not a label"),
        7 => Some("main"),
        _ => None,
    };
    let text = disassemble_with(&code, &names).expect("valid");
    assert_eq!(
        text,
        "main:\n    call local helper.cold\n    ja +1\nlbb_2:\n    lddw r1, 0x3\n\
         # not a label\n    ja lbb_2\n    exit\n\nhelper.cold:\n    mov r0, 1\n\
         # main\nlbb_7:\n    jeq r0, 1, lbb_7\n    exit\n"
    );
    assert_eq!(assemble(&text), Ok(code));
}

#[test]
fn jump_into_lddw_stays_relative() {
    let code = assemble("ja +1\nlddw r0, 1\nexit").expect("valid");
    let text = disassemble(&code).expect("valid");
    assert_eq!(text, "    ja +1\n    lddw r0, 0x1\n    exit\n");
}

/// A tiny deterministic generator (xorshift64*), so the smoke needs no dependency.
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

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The oracle: whatever the input, no panic; and what assembles decodes,
/// disassembles, and assembles back to the same bytes.
fn check_text(text: &str) {
    if let Ok(code) = assemble(text) {
        let listing = disassemble(&code).expect("assembler output must decode");
        assert_eq!(assemble(&listing), Ok(code), "{text:?} -> {listing:?}");
    }
}

const FRAGMENTS: &[&str] = &[
    "mov",
    "add32",
    "lddw",
    "ldxw",
    "stxdw",
    "stw",
    "lock",
    "fetch",
    "xchg",
    "cmpxchg32",
    "ja",
    "ja32",
    "jeq",
    "jne32",
    "call",
    "local",
    "callx",
    "exit",
    "be16",
    "bswap64",
    "movsx3264",
    "neg",
    "ldabsw",
    "ldindh",
    "r0",
    "r10",
    "%r1",
    "r11",
    "%r",
    "r",
    "0",
    "-1",
    "+3",
    "0x",
    "0xffffffff",
    "0x1ffffffff",
    "2147483648",
    "-32769",
    "99999999999999999999999",
    "[",
    "]",
    "[r1+4]",
    "[r10-8]",
    "[r1",
    ",",
    ",,",
    ":",
    "l:",
    "l",
    "exit:",
    "#",
    ";",
    "//",
    "+",
    "-",
    " ",
    "\t",
    "é",
    "\u{0}",
    "\r",
    "lbb_0",
    ".L1",
];

#[test]
fn random_and_mutated_lines_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds: Vec<&str> = ENCODINGS.iter().map(|&(text, _)| text).collect();
    for round in 0..20_000 {
        let mut text = String::new();
        if round % 2 == 0 {
            // Random fragments.
            for _ in 0..rng.below(7) {
                text.push_str(rng.pick(FRAGMENTS));
                text.push(if rng.below(3) == 0 { ',' } else { ' ' });
            }
        } else {
            // A valid line with a few byte-level mutations (kept on char boundaries).
            let mut chars: Vec<char> = rng.pick(&seeds).chars().collect();
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if i < chars.len() => {
                        chars.remove(i);
                    }
                    1 if i < chars.len() => chars[i] = char::from(rng.below(128) as u8),
                    2 => chars.insert(
                        i,
                        rng.pick(&["9", "-", "x", "%", "[", "]", ",", "é"])
                            .chars()
                            .next()
                            .unwrap_or(' '),
                    ),
                    _ => chars.insert(i, char::from(b'0' + rng.below(10) as u8)),
                }
            }
            text = chars.into_iter().collect();
        }
        check_text(&text);
    }
    // Multi-line programs, so labels and jumps get exercised too.
    for _ in 0..2_000 {
        let mut text = String::new();
        for _ in 0..1 + rng.below(8) {
            let line = match rng.below(4) {
                0 => alloc::format!("{}:", rng.pick(&["a", "b", "exit", "lbb_1"])),
                1 => alloc::format!(
                    "{} {}",
                    rng.pick(&["ja", "ja32", "call local", "jeq r1, 0,"]),
                    rng.pick(&["a", "b", "exit", "+1", "-2", "+0"])
                ),
                _ => String::from(rng.pick(&seeds)),
            };
            text.push_str(&line);
            text.push('\n');
        }
        check_text(&text);
    }
}

#[test]
fn is_valid_label_rules() {
    for ok in ["a", "_x", ".LBB0_1", "lbb_12", "exit", "r", "rx", "r1a"] {
        assert!(is_valid_label(ok), "{ok}");
    }
    for bad in ["", "1a", "r1", "r10", "r11", "%r1", "a-b", "a b", "é"] {
        assert!(!is_valid_label(bad), "{bad}");
    }
}

#[test]
fn disasm_of_constructed_instructions() {
    let insn = Instruction::CallReg { reg: Reg::R9 };
    assert_eq!(Disasm(&insn).to_string(), "call r9");
    let insn = Instruction::Ja32 { imm: -7 };
    assert_eq!(Disasm(&insn).to_string(), "ja32 -7");
}
