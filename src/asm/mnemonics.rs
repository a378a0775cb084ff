//! The mnemonic table, in both directions: which instruction form a mnemonic
//! names (for the assembler) and which mnemonic names an operation (for the
//! disassembler). Keeping both here keeps them from drifting apart.
//!
//! Canonical spellings (what the disassembler prints) are those of the
//! bpf_conformance dialect: ALU64 operations without a suffix (`add`), ALU32
//! with `32` (`add32`), `movsx{8,16}{32,64}`/`movsx3264`, `le16`/`be32`/`bswap64`,
//! `ldxw`, `stxdw`, `lock fetch add32`, `jeq`/`jeq32`, `ja`, `ja32`, `call`,
//! `exit`, `lddw`, `ldabsw`/`ldindw`.
//!
//! Aliases accepted on input: a `64` suffix on ALU operations (`add64`,
//! `mov64`, `neg64`: the rbpf/ubpf dialect), `swapN` for `bswapN`, and
//! `callx reg` for `call reg`.

use crate::isa::{AluOp, AtomicOp, JumpCond, MemSize, SwapKind, Width};

/// The shape of an instruction as named by its mnemonic; the operands fill in the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `op dst, src|imm`
    Alu(Width, AluOp),
    /// `neg dst`
    Neg(Width),
    /// `le16 dst`
    Endian(SwapKind, u8),
    /// `lddw dst, imm64`
    Lddw,
    /// `ldabsw imm`
    LoadAbs(MemSize),
    /// `ldindw src, imm`
    LoadInd(MemSize),
    /// `ldxw dst, [src+off]`
    Load(MemSize),
    /// `ldxsw dst, [src+off]`
    LoadSx(MemSize),
    /// `stw [dst+off], imm`
    Store(MemSize),
    /// `stxw [dst+off], src`
    StoreReg(MemSize),
    /// `lock [fetch] op [dst+off], src`
    Lock,
    /// `ja target`
    Ja,
    /// `ja32 target`
    Ja32,
    /// `jeq dst, src|imm, target`
    Jump(Width, JumpCond),
    /// `call id`, `call reg`, `call local target`, `call label`
    Call,
    /// `callx reg`
    CallX,
    /// `exit`
    Exit,
}

/// The form a mnemonic names, if any. Mnemonics are lowercase.
pub(super) fn lookup(mnemonic: &str) -> Option<Form> {
    use MemSize::*;
    let fixed = match mnemonic {
        "lddw" => Form::Lddw,
        "lock" => Form::Lock,
        "ja" => Form::Ja,
        "ja32" => Form::Ja32,
        "call" => Form::Call,
        "callx" => Form::CallX,
        "exit" => Form::Exit,
        "ldabsb" => Form::LoadAbs(Byte),
        "ldabsh" => Form::LoadAbs(Half),
        "ldabsw" => Form::LoadAbs(Word),
        "ldindb" => Form::LoadInd(Byte),
        "ldindh" => Form::LoadInd(Half),
        "ldindw" => Form::LoadInd(Word),
        "ldxb" => Form::Load(Byte),
        "ldxh" => Form::Load(Half),
        "ldxw" => Form::Load(Word),
        "ldxdw" => Form::Load(DWord),
        "ldxsb" => Form::LoadSx(Byte),
        "ldxsh" => Form::LoadSx(Half),
        "ldxsw" => Form::LoadSx(Word),
        "stb" => Form::Store(Byte),
        "sth" => Form::Store(Half),
        "stw" => Form::Store(Word),
        "stdw" => Form::Store(DWord),
        "stxb" => Form::StoreReg(Byte),
        "stxh" => Form::StoreReg(Half),
        "stxw" => Form::StoreReg(Word),
        "stxdw" => Form::StoreReg(DWord),
        "movsx832" => Form::Alu(Width::W32, AluOp::MovSx8),
        "movsx1632" => Form::Alu(Width::W32, AluOp::MovSx16),
        "movsx864" => Form::Alu(Width::W64, AluOp::MovSx8),
        "movsx1664" => Form::Alu(Width::W64, AluOp::MovSx16),
        "movsx3264" => Form::Alu(Width::W64, AluOp::MovSx32),
        _ => return endian(mnemonic).or_else(|| suffixed(mnemonic)),
    };
    Some(fixed)
}

fn endian(mnemonic: &str) -> Option<Form> {
    let (kind, bits) = if let Some(b) = mnemonic.strip_prefix("le") {
        (SwapKind::ToLe, b)
    } else if let Some(b) = mnemonic.strip_prefix("be") {
        (SwapKind::ToBe, b)
    } else if let Some(b) = mnemonic.strip_prefix("bswap") {
        (SwapKind::Bswap, b)
    } else if let Some(b) = mnemonic.strip_prefix("swap") {
        (SwapKind::Bswap, b)
    } else {
        return None;
    };
    let bits = match bits {
        "16" => 16,
        "32" => 32,
        "64" => 64,
        _ => return None,
    };
    Some(Form::Endian(kind, bits))
}

/// ALU operations and conditional jumps, whose width is a `32`/`64` suffix.
fn suffixed(mnemonic: &str) -> Option<Form> {
    let (base, width, explicit64) = if let Some(b) = mnemonic.strip_suffix("32") {
        (b, Width::W32, false)
    } else if let Some(b) = mnemonic.strip_suffix("64") {
        (b, Width::W64, true)
    } else {
        (mnemonic, Width::W64, false)
    };
    if let Some(op) = alu_op(base) {
        return Some(Form::Alu(width, op));
    }
    if base == "neg" {
        return Some(Form::Neg(width));
    }
    // Jumps take `32` or no suffix; `jeq64` is not a mnemonic.
    jump_cond(base)
        .filter(|_| !explicit64)
        .map(|cond| Form::Jump(width, cond))
}

fn alu_op(base: &str) -> Option<AluOp> {
    Some(match base {
        "add" => AluOp::Add,
        "sub" => AluOp::Sub,
        "mul" => AluOp::Mul,
        "div" => AluOp::Div,
        "sdiv" => AluOp::SDiv,
        "or" => AluOp::Or,
        "and" => AluOp::And,
        "lsh" => AluOp::Lsh,
        "rsh" => AluOp::Rsh,
        "mod" => AluOp::Mod,
        "smod" => AluOp::SMod,
        "xor" => AluOp::Xor,
        "mov" => AluOp::Mov,
        "arsh" => AluOp::Arsh,
        _ => return None,
    })
}

fn jump_cond(base: &str) -> Option<JumpCond> {
    Some(match base {
        "jeq" => JumpCond::Eq,
        "jgt" => JumpCond::Gt,
        "jge" => JumpCond::Ge,
        "jset" => JumpCond::Set,
        "jne" => JumpCond::Ne,
        "jsgt" => JumpCond::Sgt,
        "jsge" => JumpCond::Sge,
        "jlt" => JumpCond::Lt,
        "jle" => JumpCond::Le,
        "jslt" => JumpCond::Slt,
        "jsle" => JumpCond::Sle,
        _ => return None,
    })
}

/// The atomic operation after `lock [fetch]`, e.g. `add32` or `cmpxchg`.
pub(super) fn atomic_op(word: &str) -> Option<(Width, AtomicOp)> {
    let (base, width) = match word.strip_suffix("32") {
        Some(b) => (b, Width::W32),
        None => (word, Width::W64),
    };
    let op = match base {
        "add" => AtomicOp::Add,
        "and" => AtomicOp::And,
        "or" => AtomicOp::Or,
        "xor" => AtomicOp::Xor,
        "xchg" => AtomicOp::Xchg,
        "cmpxchg" => AtomicOp::CmpXchg,
        _ => return None,
    };
    Some((width, op))
}

/// `""` for 64-bit, `"32"` for 32-bit.
pub(super) fn width_suffix(width: Width) -> &'static str {
    match width {
        Width::W32 => "32",
        Width::W64 => "",
    }
}

/// The canonical ALU mnemonic, suffix included (`add32`, `movsx3264`).
pub(super) fn alu_name(width: Width, op: AluOp) -> (&'static str, &'static str) {
    let base = match (op, width) {
        (AluOp::MovSx8, Width::W32) => return ("movsx832", ""),
        (AluOp::MovSx16, Width::W32) => return ("movsx1632", ""),
        // Not an RFC 9669 instruction (decode rejects it); printed for completeness.
        (AluOp::MovSx32, Width::W32) => return ("movsx3232", ""),
        (AluOp::MovSx8, Width::W64) => return ("movsx864", ""),
        (AluOp::MovSx16, Width::W64) => return ("movsx1664", ""),
        (AluOp::MovSx32, Width::W64) => return ("movsx3264", ""),
        (AluOp::Add, _) => "add",
        (AluOp::Sub, _) => "sub",
        (AluOp::Mul, _) => "mul",
        (AluOp::Div, _) => "div",
        (AluOp::SDiv, _) => "sdiv",
        (AluOp::Or, _) => "or",
        (AluOp::And, _) => "and",
        (AluOp::Lsh, _) => "lsh",
        (AluOp::Rsh, _) => "rsh",
        (AluOp::Mod, _) => "mod",
        (AluOp::SMod, _) => "smod",
        (AluOp::Xor, _) => "xor",
        (AluOp::Mov, _) => "mov",
        (AluOp::Arsh, _) => "arsh",
    };
    (base, width_suffix(width))
}

/// The canonical jump mnemonic without its width suffix (`jeq`).
pub(super) fn jump_name(cond: JumpCond) -> &'static str {
    match cond {
        JumpCond::Eq => "jeq",
        JumpCond::Gt => "jgt",
        JumpCond::Ge => "jge",
        JumpCond::Set => "jset",
        JumpCond::Ne => "jne",
        JumpCond::Sgt => "jsgt",
        JumpCond::Sge => "jsge",
        JumpCond::Lt => "jlt",
        JumpCond::Le => "jle",
        JumpCond::Slt => "jslt",
        JumpCond::Sle => "jsle",
    }
}

/// The endian mnemonic prefix (`le`, `be`, `bswap`).
pub(super) fn swap_name(kind: SwapKind) -> &'static str {
    match kind {
        SwapKind::ToLe => "le",
        SwapKind::ToBe => "be",
        SwapKind::Bswap => "bswap",
    }
}

/// The atomic operation name without its width suffix (`add`, `cmpxchg`).
pub(super) fn atomic_name(op: AtomicOp) -> &'static str {
    match op {
        AtomicOp::Add => "add",
        AtomicOp::Or => "or",
        AtomicOp::And => "and",
        AtomicOp::Xor => "xor",
        AtomicOp::Xchg => "xchg",
        AtomicOp::CmpXchg => "cmpxchg",
    }
}

/// The size suffix of loads and stores (`b`, `h`, `w`, `dw`).
pub(super) fn size_suffix(size: MemSize) -> &'static str {
    match size {
        MemSize::Byte => "b",
        MemSize::Half => "h",
        MemSize::Word => "w",
        MemSize::DWord => "dw",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_select_the_width() {
        assert_eq!(lookup("add"), Some(Form::Alu(Width::W64, AluOp::Add)));
        assert_eq!(lookup("add64"), lookup("add"));
        assert_eq!(lookup("add32"), Some(Form::Alu(Width::W32, AluOp::Add)));
        assert_eq!(lookup("neg64"), Some(Form::Neg(Width::W64)));
        assert_eq!(lookup("jeq32"), Some(Form::Jump(Width::W32, JumpCond::Eq)));
        assert_eq!(lookup("jeq64"), None);
        assert_eq!(lookup("swap16"), lookup("bswap16"));
    }

    #[test]
    fn near_misses_are_unknown() {
        for m in [
            "movsx32",
            "movsx3232",
            "movsx8",
            "movsx",
            "le8",
            "be",
            "bswap128",
            "ldxsdw",
            "ldabsdw",
            "ja64",
            "exit32",
            "lock32",
            "add16",
            "ADD",
            "",
            "32",
        ] {
            assert_eq!(lookup(m), None, "{m}");
        }
    }

    #[test]
    fn canonical_names_assemble_back_to_their_form() {
        use AluOp::*;
        for op in [
            Add, Sub, Mul, Div, SDiv, Or, And, Lsh, Rsh, Mod, SMod, Xor, Mov, MovSx8, MovSx16, Arsh,
        ] {
            for width in [Width::W32, Width::W64] {
                let (base, suffix) = alu_name(width, op);
                let mut name = alloc::string::String::from(base);
                name.push_str(suffix);
                assert_eq!(lookup(&name), Some(Form::Alu(width, op)), "{name}");
            }
        }
        let (base, suffix) = alu_name(Width::W64, MovSx32);
        assert_eq!(
            lookup(&alloc::format!("{base}{suffix}")),
            Some(Form::Alu(Width::W64, MovSx32))
        );
    }
}
