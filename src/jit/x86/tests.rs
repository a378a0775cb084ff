//! Golden tests of the encoder, checked against `iced-x86`, an independent
//! decoder: fixed byte sequences for every instruction form, and sweeps over
//! every register and memory-operand shape comparing the decoded operands.

// The test harness links std even when the crate is built without it.
extern crate std;

use super::*;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind};

const R64: [&str; 16] = [
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15",
];
const R32: [&str; 16] = [
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d",
    "r13d", "r14d", "r15d",
];
const R16: [&str; 16] = [
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w",
    "r14w", "r15w",
];
const R8: [&str; 16] = [
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
    "r13b", "r14b", "r15b",
];

fn name(size: Size, r: Reg) -> &'static str {
    let i = r as usize;
    match size {
        Size::S8 => R8[i],
        Size::S16 => R16[i],
        Size::S32 => R32[i],
        Size::S64 => R64[i],
    }
}

fn assemble(f: impl FnOnce(&mut Assembler)) -> Vec<u8> {
    let mut a = Assembler::new();
    f(&mut a);
    a.finish().expect("assembles")
}

/// Decodes exactly one instruction that spans all of `bytes`.
fn decode(bytes: &[u8]) -> Instruction {
    let mut decoder = Decoder::with_ip(64, bytes, 0, DecoderOptions::NONE);
    let insn = decoder.decode();
    assert!(!insn.is_invalid(), "invalid encoding {bytes:02x?}");
    assert_eq!(insn.len(), bytes.len(), "trailing bytes in {bytes:02x?}");
    insn
}

fn intel(bytes: &[u8]) -> String {
    let insn = decode(bytes);
    let mut out = String::new();
    IntelFormatter::new().format(&insn, &mut out);
    out
}

fn reg_name(r: iced_x86::Register) -> String {
    let name = format!("{r:?}").to_lowercase();
    // iced calls r8b..r15b "r8l".."r15l".
    match name.strip_suffix('l') {
        Some(stem) if stem.len() > 1 && stem[1..].bytes().all(|b| b.is_ascii_digit()) => {
            format!("{stem}b")
        }
        _ => name,
    }
}

/// What one decoded operand must be.
#[derive(Clone, Copy, Debug)]
enum Want {
    R(&'static str),
    M(Mem),
    I(u64),
}

fn check(bytes: &[u8], mnemonic: Mnemonic, want: &[Want]) {
    let insn = decode(bytes);
    let ctx = || format!("{bytes:02x?} = {}", intel(bytes));
    assert_eq!(insn.mnemonic(), mnemonic, "{}", ctx());
    assert_eq!(insn.op_count() as usize, want.len(), "{}", ctx());
    for (i, w) in want.iter().enumerate() {
        let i = i as u32;
        match *w {
            Want::R(r) => {
                assert_eq!(insn.op_kind(i), OpKind::Register, "{}", ctx());
                assert_eq!(reg_name(insn.op_register(i)), r, "{}", ctx());
            }
            Want::M(m) => {
                assert_eq!(insn.op_kind(i), OpKind::Memory, "{}", ctx());
                assert_eq!(
                    reg_name(insn.memory_base()),
                    R64[m.base as usize],
                    "{}",
                    ctx()
                );
                match m.index {
                    None => assert_eq!(insn.memory_index(), iced_x86::Register::None),
                    Some((idx, scale)) => {
                        assert_eq!(
                            reg_name(insn.memory_index()),
                            R64[idx as usize],
                            "{}",
                            ctx()
                        );
                        assert_eq!(insn.memory_index_scale(), 1 << scale as u32, "{}", ctx());
                    }
                }
                assert_eq!(
                    insn.memory_displacement64(),
                    m.disp as i64 as u64,
                    "{}",
                    ctx()
                );
            }
            Want::I(v) => {
                let mask = match insn.op_kind(i) {
                    OpKind::Immediate8 => 0xff,
                    OpKind::Immediate16 | OpKind::Immediate8to16 => 0xffff,
                    OpKind::Immediate32 | OpKind::Immediate8to32 => 0xffff_ffff,
                    _ => u64::MAX,
                };
                assert_eq!(insn.immediate(i) & mask, v, "{}", ctx())
            }
        }
    }
}

/// Every memory-operand shape: each base, with and without an index, each
/// scale, and displacements around the disp8/disp32 boundaries.
fn mems() -> Vec<Mem> {
    let mut out = Vec::new();
    for base in Reg::ALL {
        for disp in [0, 5, -128, 127, 128, -129, 0x1234_5678, -0x1234_5678] {
            out.push(Mem::base(base, disp));
            for index in [Reg::Rax, Reg::Rdx, Reg::Rbp, Reg::R12, Reg::R13] {
                for scale in [Scale::X1, Scale::X2, Scale::X4, Scale::X8] {
                    out.push(Mem::indexed(base, index, scale, disp).expect("not rsp"));
                }
            }
        }
    }
    out
}

const IMMS: [i32; 8] = [0, 1, -1, 127, -128, 128, 0x1234_5678, i32::MIN];

fn sext(size: Size, v: i32) -> u64 {
    match size {
        Size::S8 => v as u8 as u64,
        Size::S16 => v as u16 as u64,
        Size::S32 => v as u32 as u64,
        Size::S64 => v as i64 as u64,
    }
}

fn alu_mnemonic(op: Alu) -> Mnemonic {
    match op {
        Alu::Add => Mnemonic::Add,
        Alu::Or => Mnemonic::Or,
        Alu::And => Mnemonic::And,
        Alu::Sub => Mnemonic::Sub,
        Alu::Xor => Mnemonic::Xor,
        Alu::Cmp => Mnemonic::Cmp,
    }
}

const ALUS: [Alu; 6] = [Alu::Add, Alu::Or, Alu::And, Alu::Sub, Alu::Xor, Alu::Cmp];
const WIDE: [Size; 2] = [Size::S32, Size::S64];

#[test]
fn golden_bytes() {
    use Reg::*;
    let m = |base, disp| Mem::base(base, disp);
    let mi = |base, index, disp| Mem::indexed(base, index, Scale::X1, disp).unwrap();
    let mut cases: Vec<(Vec<u8>, &[u8], &str)> = Vec::new();
    macro_rules! case {
        ($f:expr, $bytes:expr, $text:expr) => {
            cases.push((assemble($f), &$bytes[..], $text))
        };
    }
    case!(
        |a| a.alu_rr(Alu::Add, Size::S64, Rax, Rcx),
        &[0x48, 0x01, 0xc8],
        "add rax,rcx"
    );
    case!(
        |a| a.alu_rr(Alu::Sub, Size::S32, R15, Rsi),
        &[0x41, 0x29, 0xf7],
        "sub r15d,esi"
    );
    case!(
        |a| a.alu_rr(Alu::Xor, Size::S64, R8, R9),
        &[0x4d, 0x31, 0xc8],
        "xor r8,r9"
    );
    case!(
        |a| a.alu_rr(Alu::Cmp, Size::S64, Rdi, R14),
        &[0x4c, 0x39, 0xf7],
        "cmp rdi,r14"
    );
    case!(
        |a| a.alu_ri(Alu::And, Size::S64, Rbx, -16),
        &[0x48, 0x83, 0xe3, 0xf0],
        "and rbx,0FFFFFFFFFFFFFFF0h"
    );
    case!(
        |a| a.alu_ri(Alu::Or, Size::S32, R10, 0x1000),
        &[0x41, 0x81, 0xca, 0, 0x10, 0, 0],
        "or r10d,1000h"
    );
    case!(
        |a| a.alu_ri(Alu::Sub, Size::S64, R11, 3),
        &[0x49, 0x83, 0xeb, 0x03],
        "sub r11,3"
    );
    case!(
        |a| a.alu_rm(Alu::Sub, Size::S64, Rcx, mi(R13, Rdx, 0)),
        &[0x49, 0x2b, 0x4c, 0x15, 0x00],
        "sub rcx,[r13+rdx]"
    );
    case!(
        |a| a.alu_rm(Alu::Cmp, Size::S64, Rcx, mi(R13, Rdx, 0x10)),
        &[0x49, 0x3b, 0x4c, 0x15, 0x10],
        "cmp rcx,[r13+rdx+10h]"
    );
    case!(
        |a| a.alu_rm(Alu::Cmp, Size::S64, Rsp, m(R13, 0x900)),
        &[0x49, 0x3b, 0xa5, 0, 0x09, 0, 0],
        "cmp rsp,[r13+900h]"
    );
    case!(
        |a| a.alu_mr(true, Alu::Add, Size::S32, m(Rcx, 0), Rdi),
        &[0xf0, 0x01, 0x39],
        "lock add [rcx],edi"
    );
    case!(
        |a| a.alu_mr(true, Alu::Xor, Size::S64, m(Rcx, 0), R12),
        &[0xf0, 0x4c, 0x31, 0x21],
        "lock xor [rcx],r12"
    );
    case!(
        |a| a.mov_rr(Size::S64, Rbp, Rsp),
        &[0x48, 0x89, 0xe5],
        "mov rbp,rsp"
    );
    case!(
        |a| a.mov_rr(Size::S32, Rax, Rax),
        &[0x89, 0xc0],
        "mov eax,eax"
    );
    case!(
        |a| a.mov_ri32(R9, 0xdead_beef),
        &[0x41, 0xb9, 0xef, 0xbe, 0xad, 0xde],
        "mov r9d,0DEADBEEFh"
    );
    case!(
        |a| a.mov_ri64(Rax, -2),
        &[0x48, 0xc7, 0xc0, 0xfe, 0xff, 0xff, 0xff],
        "mov rax,0FFFFFFFFFFFFFFFEh"
    );
    case!(
        |a| a.movabs(R14, 0x1122_3344_5566_7788),
        &[0x49, 0xbe, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11],
        "mov r14,1122334455667788h"
    );
    case!(
        |a| a.mov_rm(Size::S64, Rbx, m(Rcx, 0)),
        &[0x48, 0x8b, 0x19],
        "mov rbx,[rcx]"
    );
    case!(
        |a| a.mov_rm(Size::S32, R12, m(Rbp, -8)),
        &[0x44, 0x8b, 0x65, 0xf8],
        "mov r12d,[rbp-8]"
    );
    case!(
        |a| a.mov_rm(Size::S64, Rax, m(R12, 8)),
        &[0x49, 0x8b, 0x44, 0x24, 0x08],
        "mov rax,[r12+8]"
    );
    case!(
        |a| a.mov_mr(Size::S8, m(Rcx, 0), Rsi),
        &[0x40, 0x88, 0x31],
        "mov [rcx],sil"
    );
    case!(
        |a| a.mov_mr(Size::S16, m(Rcx, 0), R8),
        &[0x66, 0x44, 0x89, 0x01],
        "mov [rcx],r8w"
    );
    case!(
        |a| a.mov_mr(Size::S64, m(R13, 0x40), R15),
        &[0x4d, 0x89, 0x7d, 0x40],
        "mov [r13+40h],r15"
    );
    case!(
        |a| a.mov_mi(Size::S8, m(Rcx, 0), -1),
        &[0xc6, 0x01, 0xff],
        "mov byte ptr [rcx],0FFh"
    );
    case!(
        |a| a.mov_mi(Size::S16, m(Rcx, 0), 0x1234),
        &[0x66, 0xc7, 0x01, 0x34, 0x12],
        "mov word ptr [rcx],1234h"
    );
    case!(
        |a| a.mov_mi(Size::S64, m(Rcx, 0), -1),
        &[0x48, 0xc7, 0x01, 0xff, 0xff, 0xff, 0xff],
        "mov qword ptr [rcx],0FFFFFFFFFFFFFFFFh"
    );
    case!(
        |a| a.movzx_rm(Rdi, m(Rcx, 0), Size::S8),
        &[0x0f, 0xb6, 0x39],
        "movzx edi,byte ptr [rcx]"
    );
    case!(
        |a| a.movzx_rm(R14, m(Rcx, 0), Size::S16),
        &[0x44, 0x0f, 0xb7, 0x31],
        "movzx r14d,word ptr [rcx]"
    );
    case!(
        |a| a.movzx_rr(Rax, Rdi, Size::S8),
        &[0x40, 0x0f, 0xb6, 0xc7],
        "movzx eax,dil"
    );
    case!(
        |a| a.movzx_rr(R10, R10, Size::S16),
        &[0x45, 0x0f, 0xb7, 0xd2],
        "movzx r10d,r10w"
    );
    case!(
        |a| a.movsx_rm(Size::S64, Rsi, m(Rcx, 0), Size::S8),
        &[0x48, 0x0f, 0xbe, 0x31],
        "movsx rsi,byte ptr [rcx]"
    );
    case!(
        |a| a.movsx_rm(Size::S64, Rbx, m(Rcx, 0), Size::S32),
        &[0x48, 0x63, 0x19],
        "movsxd rbx,[rcx]"
    );
    case!(
        |a| a.movsx_rr(Size::S32, Rdx, Rsi, Size::S8),
        &[0x40, 0x0f, 0xbe, 0xd6],
        "movsx edx,sil"
    );
    case!(
        |a| a.movsx_rr(Size::S64, R9, Rax, Size::S16),
        &[0x4c, 0x0f, 0xbf, 0xc8],
        "movsx r9,ax"
    );
    case!(
        |a| a.lea(Rcx, m(Rbp, -512)),
        &[0x48, 0x8d, 0x8d, 0x00, 0xfe, 0xff, 0xff],
        "lea rcx,[rbp-200h]"
    );
    case!(
        |a| a.lea(Rcx, mi(Rcx, Rdi, 7)),
        &[0x48, 0x8d, 0x4c, 0x39, 0x07],
        "lea rcx,[rcx+rdi+7]"
    );
    case!(
        |a| a.shift_ri(Shift::Shr, Size::S64, Rdx, 26),
        &[0x48, 0xc1, 0xea, 0x1a],
        "shr rdx,1Ah"
    );
    case!(
        |a| a.shift_ri(Shift::Rol, Size::S16, Rsi, 8),
        &[0x66, 0xc1, 0xc6, 0x08],
        "rol si,8"
    );
    case!(
        |a| a.shift_cl(Shift::Sar, Size::S32, R15),
        &[0x41, 0xd3, 0xff],
        "sar r15d,cl"
    );
    case!(
        |a| a.imul_rr(Size::S64, Rax, R8),
        &[0x49, 0x0f, 0xaf, 0xc0],
        "imul rax,r8"
    );
    case!(
        |a| a.imul_rri(Size::S32, Rbx, Rbx, 1000),
        &[0x69, 0xdb, 0xe8, 0x03, 0, 0],
        "imul ebx,3E8h"
    );
    case!(
        |a| a.div(Size::S64, false, Rcx),
        &[0x48, 0xf7, 0xf1],
        "div rcx"
    );
    case!(|a| a.div(Size::S32, true, Rcx), &[0xf7, 0xf9], "idiv ecx");
    case!(|a| a.neg(Size::S64, R10), &[0x49, 0xf7, 0xda], "neg r10");
    case!(|a| a.cqo(), &[0x48, 0x99], "cqo");
    case!(|a| a.cdq(), &[0x99], "cdq");
    case!(
        |a| a.bswap(Size::S64, R12),
        &[0x49, 0x0f, 0xcc],
        "bswap r12"
    );
    case!(|a| a.bswap(Size::S32, Rsi), &[0x0f, 0xce], "bswap esi");
    case!(
        |a| a.test_rr(Size::S64, Rsi, Rdi),
        &[0x48, 0x85, 0xfe],
        "test rsi,rdi"
    );
    case!(
        |a| a.test_ri(Size::S32, R9, 0x80),
        &[0x41, 0xf7, 0xc1, 0x80, 0, 0, 0],
        "test r9d,80h"
    );
    case!(
        |a| a.xchg_mr(Size::S64, m(Rcx, 0), Rbx),
        &[0x48, 0x87, 0x19],
        "xchg [rcx],rbx"
    );
    case!(
        |a| a.lock_xadd_mr(Size::S32, m(Rcx, 0), Rdx),
        &[0xf0, 0x0f, 0xc1, 0x11],
        "lock xadd [rcx],edx"
    );
    case!(
        |a| a.lock_cmpxchg_mr(Size::S64, m(Rcx, 0), R14),
        &[0xf0, 0x4c, 0x0f, 0xb1, 0x31],
        "lock cmpxchg [rcx],r14"
    );
    case!(|a| a.push(R15), &[0x41, 0x57], "push r15");
    case!(|a| a.pop(Rbx), &[0x5b], "pop rbx");
    case!(|a| a.call_r(Rcx), &[0xff, 0xd1], "call rcx");
    case!(
        |a| a.call_m(m(R13, 0x800)),
        &[0x41, 0xff, 0x95, 0, 0x08, 0, 0],
        "call qword ptr [r13+800h]"
    );
    case!(|a| a.ret(), &[0xc3], "ret");
    case!(|a| a.int3(), &[0xcc], "int3");
    for (emitted, bytes, text) in cases {
        assert_eq!(intel(bytes), text, "the golden bytes decode as written");
        assert_eq!(emitted, bytes, "{text}");
    }
}

#[test]
fn branches_reach_their_labels() {
    let mut a = Assembler::new();
    let back = a.new_label();
    let fwd = a.new_label();
    a.bind(back);
    a.int3();
    a.jmp(fwd); // at 1
    a.jcc(Cond::Be, back); // at 6
    a.call(fwd); // at 12
    a.bind(fwd); // at 17
    let code = a.finish().unwrap();
    assert_eq!(code.len(), 17);
    for (at, target, mnemonic) in [
        (1, 17, Mnemonic::Jmp),
        (6, 0, Mnemonic::Jbe),
        (12, 17, Mnemonic::Call),
    ] {
        let mut decoder = Decoder::with_ip(64, &code[at..], at as u64, DecoderOptions::NONE);
        let insn = decoder.decode();
        assert_eq!(insn.mnemonic(), mnemonic);
        assert_eq!(insn.near_branch_target(), target);
    }
    assert_eq!(&code[6..8], &[0x0f, 0x86]);
    for (cond, text) in [
        (Cond::B, "jb"),
        (Cond::Ae, "jae"),
        (Cond::E, "je"),
        (Cond::Ne, "jne"),
        (Cond::Be, "jbe"),
        (Cond::A, "ja"),
        (Cond::L, "jl"),
        (Cond::Ge, "jge"),
        (Cond::Le, "jle"),
        (Cond::G, "jg"),
    ] {
        let code = assemble(|a| {
            let l = a.new_label();
            a.bind(l);
            a.jcc(cond, l);
        });
        assert!(intel(&code).starts_with(text), "{text}");
    }
}

#[test]
fn unbound_labels_are_reported() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.jmp(l);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel));
}

#[test]
fn register_forms_encode_every_register() {
    for dst in Reg::ALL {
        for src in Reg::ALL {
            for size in WIDE {
                let (d, s) = (name(size, dst), name(size, src));
                for op in ALUS {
                    let code = assemble(|a| a.alu_rr(op, size, dst, src));
                    check(&code, alu_mnemonic(op), &[Want::R(d), Want::R(s)]);
                }
                let code = assemble(|a| a.mov_rr(size, dst, src));
                check(&code, Mnemonic::Mov, &[Want::R(d), Want::R(s)]);
                let code = assemble(|a| a.imul_rr(size, dst, src));
                check(&code, Mnemonic::Imul, &[Want::R(d), Want::R(s)]);
                let code = assemble(|a| a.test_rr(size, dst, src));
                check(&code, Mnemonic::Test, &[Want::R(d), Want::R(s)]);
                for imm in IMMS {
                    let code = assemble(|a| a.imul_rri(size, dst, src, imm));
                    check(
                        &code,
                        Mnemonic::Imul,
                        &[Want::R(d), Want::R(s), Want::I(sext(size, imm))],
                    );
                }
                let code = assemble(|a| a.movsx_rr(size, dst, src, Size::S8));
                check(
                    &code,
                    Mnemonic::Movsx,
                    &[Want::R(d), Want::R(name(Size::S8, src))],
                );
                let code = assemble(|a| a.movsx_rr(size, dst, src, Size::S16));
                check(
                    &code,
                    Mnemonic::Movsx,
                    &[Want::R(d), Want::R(name(Size::S16, src))],
                );
            }
            let code = assemble(|a| a.movsx_rr(Size::S64, dst, src, Size::S32));
            check(
                &code,
                Mnemonic::Movsxd,
                &[Want::R(R64[dst as usize]), Want::R(R32[src as usize])],
            );
            for from in [Size::S8, Size::S16] {
                let code = assemble(|a| a.movzx_rr(dst, src, from));
                check(
                    &code,
                    Mnemonic::Movzx,
                    &[Want::R(R32[dst as usize]), Want::R(name(from, src))],
                );
            }
        }
    }
}

#[test]
fn single_register_forms_encode_every_register() {
    for r in Reg::ALL {
        for size in WIDE {
            let n = name(size, r);
            for op in ALUS {
                for imm in IMMS {
                    let code = assemble(|a| a.alu_ri(op, size, r, imm));
                    check(
                        &code,
                        alu_mnemonic(op),
                        &[Want::R(n), Want::I(sext(size, imm))],
                    );
                }
            }
            for imm in IMMS {
                let code = assemble(|a| a.test_ri(size, r, imm));
                check(
                    &code,
                    Mnemonic::Test,
                    &[Want::R(n), Want::I(sext(size, imm))],
                );
            }
            let code = assemble(|a| a.neg(size, r));
            check(&code, Mnemonic::Neg, &[Want::R(n)]);
            let code = assemble(|a| a.bswap(size, r));
            check(&code, Mnemonic::Bswap, &[Want::R(n)]);
            for signed in [false, true] {
                let code = assemble(|a| a.div(size, signed, r));
                let m = if signed {
                    Mnemonic::Idiv
                } else {
                    Mnemonic::Div
                };
                check(&code, m, &[Want::R(n)]);
            }
        }
        for size in [Size::S16, Size::S32, Size::S64] {
            let n = name(size, r);
            for (op, m) in [
                (Shift::Rol, Mnemonic::Rol),
                (Shift::Ror, Mnemonic::Ror),
                (Shift::Shl, Mnemonic::Shl),
                (Shift::Shr, Mnemonic::Shr),
                (Shift::Sar, Mnemonic::Sar),
            ] {
                for imm in [0u8, 1, 8, 31, 63] {
                    let code = assemble(|a| a.shift_ri(op, size, r, imm));
                    check(&code, m, &[Want::R(n), Want::I(imm as u64)]);
                }
                let code = assemble(|a| a.shift_cl(op, size, r));
                check(&code, m, &[Want::R(n), Want::R("cl")]);
            }
        }
        let code = assemble(|a| a.mov_ri32(r, 0x8000_0001));
        check(
            &code,
            Mnemonic::Mov,
            &[Want::R(R32[r as usize]), Want::I(0x8000_0001)],
        );
        for v in [
            0i64,
            7,
            -1,
            i32::MIN as i64,
            u32::MAX as i64,
            1 << 40,
            i64::MIN,
        ] {
            let code = assemble(|a| a.mov_ri64(r, v));
            let insn = decode(&code);
            assert_eq!(insn.mnemonic(), Mnemonic::Mov);
            let reg = reg_name(insn.op_register(0));
            let value = insn.immediate(1);
            if u32::try_from(v).is_ok() {
                assert_eq!((reg.as_str(), value), (R32[r as usize], v as u64));
            } else {
                assert_eq!((reg.as_str(), value), (R64[r as usize], v as u64));
            }
            let code = assemble(|a| a.movabs(r, v));
            check(
                &code,
                Mnemonic::Mov,
                &[Want::R(R64[r as usize]), Want::I(v as u64)],
            );
        }
        let code = assemble(|a| a.push(r));
        check(&code, Mnemonic::Push, &[Want::R(R64[r as usize])]);
        let code = assemble(|a| a.pop(r));
        check(&code, Mnemonic::Pop, &[Want::R(R64[r as usize])]);
        let code = assemble(|a| a.call_r(r));
        check(&code, Mnemonic::Call, &[Want::R(R64[r as usize])]);
    }
}

#[test]
fn memory_forms_encode_every_operand_shape() {
    let regs = [
        Reg::Rax,
        Reg::Rsp,
        Reg::Rbp,
        Reg::Rsi,
        Reg::R8,
        Reg::R12,
        Reg::R13,
        Reg::R15,
    ];
    for mem in mems() {
        let code = assemble(|a| a.lea(Reg::Rcx, mem));
        check(&code, Mnemonic::Lea, &[Want::R("rcx"), Want::M(mem)]);
        let code = assemble(|a| a.call_m(mem));
        check(&code, Mnemonic::Call, &[Want::M(mem)]);
        for r in regs {
            for size in WIDE {
                let n = name(size, r);
                for op in ALUS {
                    let code = assemble(|a| a.alu_rm(op, size, r, mem));
                    check(&code, alu_mnemonic(op), &[Want::R(n), Want::M(mem)]);
                }
                let code = assemble(|a| a.mov_rm(size, r, mem));
                check(&code, Mnemonic::Mov, &[Want::R(n), Want::M(mem)]);
                for from in [Size::S8, Size::S16] {
                    let code = assemble(|a| a.movsx_rm(size, r, mem, from));
                    check(&code, Mnemonic::Movsx, &[Want::R(n), Want::M(mem)]);
                }
                for lock in [false, true] {
                    let code = assemble(|a| a.alu_mr(lock, Alu::And, size, mem, r));
                    check(&code, Mnemonic::And, &[Want::M(mem), Want::R(n)]);
                    assert_eq!(decode(&code).has_lock_prefix(), lock);
                }
                let code = assemble(|a| a.xchg_mr(size, mem, r));
                check(&code, Mnemonic::Xchg, &[Want::M(mem), Want::R(n)]);
                let code = assemble(|a| a.lock_xadd_mr(size, mem, r));
                check(&code, Mnemonic::Xadd, &[Want::M(mem), Want::R(n)]);
                let code = assemble(|a| a.lock_cmpxchg_mr(size, mem, r));
                check(&code, Mnemonic::Cmpxchg, &[Want::M(mem), Want::R(n)]);
            }
            let code = assemble(|a| a.movsx_rm(Size::S64, r, mem, Size::S32));
            check(
                &code,
                Mnemonic::Movsxd,
                &[Want::R(R64[r as usize]), Want::M(mem)],
            );
            for from in [Size::S8, Size::S16] {
                let code = assemble(|a| a.movzx_rm(r, mem, from));
                check(
                    &code,
                    Mnemonic::Movzx,
                    &[Want::R(R32[r as usize]), Want::M(mem)],
                );
            }
            for size in [Size::S8, Size::S16, Size::S32, Size::S64] {
                let code = assemble(|a| a.mov_mr(size, mem, r));
                check(
                    &code,
                    Mnemonic::Mov,
                    &[Want::M(mem), Want::R(name(size, r))],
                );
            }
        }
        for size in [Size::S8, Size::S16, Size::S32, Size::S64] {
            for imm in IMMS {
                let code = assemble(|a| a.mov_mi(size, mem, imm));
                check(
                    &code,
                    Mnemonic::Mov,
                    &[Want::M(mem), Want::I(sext(size, imm))],
                );
            }
        }
    }
}

#[test]
fn byte_stores_reach_every_low_byte_register() {
    // Without REX, sil/dil/spl/bpl would be encoded as dh/bh/ah/ch.
    for r in Reg::ALL {
        let code = assemble(|a| a.mov_mr(Size::S8, Mem::base(Reg::Rcx, 0), r));
        assert_eq!(intel(&code), format!("mov [rcx],{}", R8[r as usize]));
    }
}

/// Cross-checks a block of code with `llvm-objdump` (wrapped into an ELF
/// object by `llvm-objcopy`) when both are installed; skips otherwise.
#[test]
fn llvm_objdump_agrees() {
    use std::process::Command;
    let runs = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !runs("llvm-objdump-19") || !runs("llvm-objcopy-19") {
        std::eprintln!("skipping: llvm-objdump-19 or llvm-objcopy-19 is not installed");
        return;
    }
    let mut a = Assembler::new();
    let mem = Mem::indexed(Reg::R13, Reg::Rdx, Scale::X1, 16).unwrap();
    a.lea(Reg::Rcx, Mem::base(Reg::Rbp, -8));
    a.alu_rm(Alu::Sub, Size::S64, Reg::Rcx, mem);
    a.movzx_rr(Reg::Rax, Reg::Rdi, Size::S8);
    a.lock_cmpxchg_mr(Size::S32, Mem::base(Reg::Rcx, 0), Reg::R14);
    a.mov_mr(Size::S8, Mem::base(Reg::Rcx, 0), Reg::Rsi);
    a.shift_ri(Shift::Rol, Size::S16, Reg::R9, 8);
    a.movsx_rm(Size::S64, Reg::R8, Mem::base(Reg::R12, 0), Size::S32);
    a.imul_rri(Size::S64, Reg::R15, Reg::Rbx, -3);
    let code = a.finish().unwrap();
    let dir = std::env::temp_dir().join(format!("ebpfvm-objdump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (bin, obj) = (dir.join("code.bin"), dir.join("code.o"));
    std::fs::write(&bin, &code).unwrap();
    let wrapped = Command::new("llvm-objcopy-19")
        .args(["-I", "binary", "-O", "elf64-x86-64"])
        .arg(&bin)
        .arg(&obj)
        .status()
        .unwrap();
    assert!(wrapped.success());
    let out = Command::new("llvm-objdump-19")
        .args(["-D", "-j", ".data", "-M", "intel", "--no-show-raw-insn"])
        .arg(&obj)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<String> = text
        .lines()
        .filter_map(|l| l.split_once(":\t").or_else(|| l.split_once(':')))
        .filter(|(addr, _)| addr.trim().bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|(_, insn)| insn.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let want = [
        "lea rcx, [rbp - 0x8]",
        "sub rcx, qword ptr [r13 + rdx + 0x10]",
        "movzx eax, dil",
        // llvm-objdump prints the lock prefix on a line of its own.
        "lock",
        "cmpxchg dword ptr [rcx], r14d",
        "mov byte ptr [rcx], sil",
        "rol r9w, 0x8",
        "movsxd r8, dword ptr [r12]",
        "imul r15, rbx, -0x3",
    ];
    assert_eq!(lines, want, "llvm-objdump output:\n{text}");
}
