//! The disassembler: one instruction as text ([`Disasm`]) and whole programs as
//! listings with labels ([`disassemble`], [`disassemble_with`]).
//!
//! The output format (the canonical spelling of the assembler's dialect) is
//! described in the [module documentation](crate::asm#disassembly).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use super::error::DisasmError;
use super::mnemonics::{alu_name, atomic_name, jump_name, size_suffix, swap_name, width_suffix};
use super::parser::is_valid_label;
use crate::isa::{slots, Instruction, Operand, Reg, INSN_SIZE};

/// Displays one instruction in the canonical dialect, with jump and call
/// targets as relative offsets (`+N`/`-N` slots after the next instruction).
///
/// ```
/// use ebpfvm::asm::Disasm;
/// use ebpfvm::isa::{Instruction, MemSize, Reg};
///
/// let insn = Instruction::Load { size: MemSize::Word, dst: Reg::R0, src: Reg::R1, off: -4 };
/// assert_eq!(Disasm(&insn).to_string(), "ldxw r0, [r1-4]");
/// assert_eq!(Disasm(&Instruction::Ja { off: 2 }).to_string(), "ja +2");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Disasm<'a>(pub &'a Instruction);

impl fmt::Display for Disasm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_insn(f, self.0, None)
    }
}

struct R(Reg);

impl fmt::Display for R {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0.num())
    }
}

struct Src(Operand);

impl fmt::Display for Src {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Operand::Reg(r) => R(r).fmt(f),
            Operand::Imm(imm) => write!(f, "{imm}"),
        }
    }
}

struct Mem(Reg, i16);

impl fmt::Display for Mem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}{:+}]", R(self.0), self.1)
    }
}

/// A branch target: the label if there is one, else the relative offset.
struct Target<'a>(Option<&'a str>, i64);

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(label) => f.write_str(label),
            None => write!(f, "{:+}", self.1),
        }
    }
}

/// Writes one instruction; `label` replaces the relative target of a branch.
pub(super) fn write_insn(
    out: &mut dyn Write,
    insn: &Instruction,
    label: Option<&str>,
) -> fmt::Result {
    use Instruction::*;
    match *insn {
        Alu {
            width,
            op,
            dst,
            src,
        } => {
            let (name, suffix) = alu_name(width, op);
            write!(out, "{name}{suffix} {}, {}", R(dst), Src(src))
        }
        Neg { width, dst } => write!(out, "neg{} {}", width_suffix(width), R(dst)),
        Endian { kind, bits, dst } => write!(out, "{}{bits} {}", swap_name(kind), R(dst)),
        LoadImm64 { dst, imm } => write!(out, "lddw {}, {imm:#x}", R(dst)),
        LoadPacket {
            size,
            src: None,
            imm,
        } => write!(out, "ldabs{} {imm}", size_suffix(size)),
        LoadPacket {
            size,
            src: Some(src),
            imm,
        } => write!(out, "ldind{} {}, {imm}", size_suffix(size), R(src)),
        Load {
            size,
            dst,
            src,
            off,
        } => write!(
            out,
            "ldx{} {}, {}",
            size_suffix(size),
            R(dst),
            Mem(src, off)
        ),
        LoadSx {
            size,
            dst,
            src,
            off,
        } => write!(
            out,
            "ldxs{} {}, {}",
            size_suffix(size),
            R(dst),
            Mem(src, off)
        ),
        Store {
            size,
            dst,
            off,
            imm,
        } => write!(out, "st{} {}, {imm}", size_suffix(size), Mem(dst, off)),
        StoreReg {
            size,
            dst,
            src,
            off,
        } => write!(
            out,
            "stx{} {}, {}",
            size_suffix(size),
            Mem(dst, off),
            R(src)
        ),
        Atomic {
            width,
            op,
            fetch,
            dst,
            src,
            off,
        } => {
            // `xchg` and `cmpxchg` always fetch; the flag is implied by the name.
            let fetch = fetch
                && !matches!(
                    op,
                    crate::isa::AtomicOp::Xchg | crate::isa::AtomicOp::CmpXchg
                );
            write!(
                out,
                "lock {}{}{} {}, {}",
                if fetch { "fetch " } else { "" },
                atomic_name(op),
                width_suffix(width),
                Mem(dst, off),
                R(src)
            )
        }
        Ja { off } => write!(out, "ja {}", Target(label, off.into())),
        Ja32 { imm } => write!(out, "ja32 {}", Target(label, imm.into())),
        Jump {
            width,
            cond,
            dst,
            src,
            off,
        } => write!(
            out,
            "{}{} {}, {}, {}",
            jump_name(cond),
            width_suffix(width),
            R(dst),
            Src(src),
            Target(label, off.into())
        ),
        Call { id } if id > i32::MAX as u32 => write!(out, "call {id:#x}"),
        Call { id } => write!(out, "call {id}"),
        CallLocal { imm } => write!(out, "call local {}", Target(label, imm.into())),
        CallReg { reg } => write!(out, "call {}", R(reg)),
        Exit => out.write_str("exit"),
    }
}

/// Decodes a whole program into `(pc, instruction)` pairs, `pc` being the
/// slot index (an `lddw` takes two slots).
///
/// ```
/// use ebpfvm::asm::{assemble, decode_program};
/// use ebpfvm::isa::Instruction;
///
/// let code = assemble("lddw r0, 1\nexit")?;
/// let insns = decode_program(&code)?;
/// assert_eq!(insns[1], (2, Instruction::Exit));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_program(code: &[u8]) -> Result<Vec<(usize, Instruction)>, DisasmError> {
    if code.len() % INSN_SIZE != 0 {
        return Err(DisasmError::TruncatedProgram { len: code.len() });
    }
    let raw: Vec<_> = slots(code).collect();
    let mut out = Vec::new();
    let mut pc = 0;
    while let Some(&first) = raw.get(pc) {
        let insn = Instruction::decode(first, raw.get(pc + 1).copied())
            .map_err(|reason| DisasmError::InvalidInstruction { pc, reason })?;
        out.push((pc, insn));
        pc += insn.slots();
    }
    Ok(out)
}

/// Disassembles bytecode into a listing, one instruction per line, with
/// generated labels (`lbb_<pc>`, `fn_<pc>`) at jump and call targets.
///
/// ```
/// use ebpfvm::asm::{assemble, disassemble};
///
/// let code = assemble("jeq %r1, 0, +1\nmov %r0, 1\nexit")?;
/// let text = disassemble(&code)?;
/// assert_eq!(text, "    jeq r1, 0, lbb_2\n    mov r0, 1\nlbb_2:\n    exit\n");
/// assert_eq!(assemble(&text)?, code);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn disassemble(code: &[u8]) -> Result<String, DisasmError> {
    disassemble_with(code, &|_| None)
}

/// Like [`disassemble`], naming instructions with `symbols(pc)` (for example
/// function names from an ELF symbol table).
///
/// A name becomes the label of its pc (preceded by a blank line) and is used
/// for every branch to that pc. Names that could not be assembled back as
/// labels (not an identifier, a register name, a duplicate, or the generated
/// `lbb_N`/`fn_N` form) are printed as a `# name` comment instead.
///
/// ```
/// use ebpfvm::asm::{assemble, disassemble_with};
///
/// let code = assemble("call local +1\nexit\nmov r0, 7\nexit")?;
/// let names = |pc: usize| (pc == 2).then_some("answer");
/// let text = disassemble_with(&code, &names)?;
/// assert_eq!(text, "    call local answer\n    exit\n\nanswer:\n    mov r0, 7\n    exit\n");
/// assert_eq!(assemble(&text)?, code);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn disassemble_with<'s>(
    code: &[u8],
    symbols: &dyn Fn(usize) -> Option<&'s str>,
) -> Result<String, DisasmError> {
    let insns = decode_program(code)?;
    let end = code.len() / INSN_SIZE;
    let (labels, comments) = label_names(&insns, end, symbols);
    let mut out = String::new();
    let write_label = |out: &mut String, pc: usize| match labels.get(&pc) {
        Some(Label::Symbol(name)) => {
            let blank = if pc == 0 { "" } else { "\n" };
            let _ = writeln!(out, "{blank}{name}:");
        }
        Some(Label::Generated(name)) => {
            let _ = writeln!(out, "{name}:");
        }
        None => {}
    };
    for &(pc, insn) in &insns {
        if let Some(name) = comments.get(&pc) {
            let _ = writeln!(out, "# {name}");
        }
        write_label(&mut out, pc);
        let label = branch_target(pc, &insn, end)
            .and_then(|(t, _)| labels.get(&t))
            .map(Label::name);
        out.push_str("    ");
        let _ = write_insn(&mut out, &insn, label);
        out.push('\n');
    }
    write_label(&mut out, end);
    Ok(out)
}

pub(super) enum Label<'s> {
    Symbol(&'s str),
    Generated(String),
}

impl Label<'_> {
    pub(super) fn name(&self) -> &str {
        match self {
            Label::Symbol(s) => s,
            Label::Generated(s) => s,
        }
    }
}

/// The target pc of a branch, if it is an instruction start of the program (or
/// its end), and whether the branch is a call.
pub(super) fn branch_target(pc: usize, insn: &Instruction, end: usize) -> Option<(usize, bool)> {
    let (rel, call) = match *insn {
        Instruction::Ja { off } | Instruction::Jump { off, .. } => (i64::from(off), false),
        Instruction::Ja32 { imm } => (i64::from(imm), false),
        Instruction::CallLocal { imm } => (i64::from(imm), true),
        _ => return None,
    };
    let target = usize::try_from(pc as i64 + 1 + rel).ok()?;
    (target <= end).then_some((target, call))
}

pub(super) type Names<'s> = (BTreeMap<usize, Label<'s>>, BTreeMap<usize, &'s str>);

/// Chooses the label of every pc that needs one, and the symbol comments.
pub(super) fn label_names<'s>(
    insns: &[(usize, Instruction)],
    end: usize,
    symbols: &dyn Fn(usize) -> Option<&'s str>,
) -> Names<'s> {
    let mut starts: BTreeSet<usize> = insns.iter().map(|&(pc, _)| pc).collect();
    starts.insert(end);
    let mut labels = BTreeMap::new();
    let mut comments = BTreeMap::new();
    let mut used = BTreeSet::new();
    for &(pc, _) in insns {
        let Some(name) = symbols(pc) else { continue };
        if is_valid_label(name) && !is_generated(name) && used.insert(name) {
            labels.insert(pc, Label::Symbol(name));
        } else if !name.chars().any(char::is_control) {
            comments.insert(pc, name);
        }
    }
    // Call targets first, so a pc that is both is named as a function.
    for calls in [true, false] {
        for &(pc, insn) in insns {
            match branch_target(pc, &insn, end) {
                Some((target, call)) if call == calls && starts.contains(&target) => {
                    labels.entry(target).or_insert_with(|| {
                        let prefix = if call { "fn" } else { "lbb" };
                        Label::Generated(format!("{prefix}_{target}"))
                    });
                }
                _ => {}
            }
        }
    }
    (labels, comments)
}

/// Whether `name` has the form of a generated label (`lbb_N`, `fn_N`).
fn is_generated(name: &str) -> bool {
    ["lbb_", "fn_"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_are_recognised() {
        assert!(is_generated("lbb_12"));
        assert!(is_generated("fn_0"));
        assert!(!is_generated("lbb_"));
        assert!(!is_generated("lbb_x"));
        assert!(!is_generated("main"));
    }

    #[test]
    fn out_of_program_targets_stay_relative() {
        let insns = [(0, Instruction::Ja { off: 5 })];
        assert_eq!(branch_target(0, &insns[0].1, 1), None);
        assert_eq!(
            branch_target(3, &Instruction::Ja { off: -4 }, 9),
            Some((0, false))
        );
        assert_eq!(branch_target(0, &Instruction::Ja { off: -2 }, 9), None);
    }
}
