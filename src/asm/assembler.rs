//! The whole-program assembler: parses every line, places labels at slot
//! indices, then resolves label targets into relative offsets.
//!
//! Pass one parses each line (stopping at the first error) and records label
//! definitions; the label `exit` is implicitly defined at the first `exit`
//! instruction unless the source defines `exit:` itself. Pass two turns each
//! label target into `target - pc - 1` slots and range-checks it.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::error::AsmError;
use super::parser::{parse_line, Stmt, Target};
use crate::isa::Instruction;

/// Assembles source text into instructions.
///
/// Each [`Instruction`] is one entry; `lddw` occupies one entry but two slots
/// of bytecode. See [the module documentation](crate::asm) for the dialect.
///
/// ```
/// use ebpfvm::asm::assemble_instructions;
/// use ebpfvm::isa::{Instruction, JumpCond, Operand, Reg, Width};
///
/// let insns = assemble_instructions("jeq r1, 0, done\nmov r0, 1\ndone:\nexit")?;
/// assert_eq!(
///     insns[0],
///     Instruction::Jump { width: Width::W64, cond: JumpCond::Eq, dst: Reg::R1, src: Operand::Imm(0), off: 1 }
/// );
/// assert_eq!(insns[2], Instruction::Exit);
/// # Ok::<(), ebpfvm::asm::AsmError>(())
/// ```
pub fn assemble_instructions(text: &str) -> Result<Vec<Instruction>, AsmError> {
    struct Pending<'a> {
        line: usize,
        pc: usize,
        stmt: Stmt<'a>,
    }
    let mut labels: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut first_exit: Option<usize> = None;
    let mut pending = Vec::new();
    let mut pc = 0usize;
    for (i, source) in text.lines().enumerate() {
        let line = i + 1;
        let parsed = parse_line(source, line)?;
        if let Some(name) = parsed.label {
            if let Some(&(_, first)) = labels.get(name) {
                return Err(AsmError::DuplicateLabel { line, first });
            }
            labels.insert(name, (pc, line));
        }
        if let Some(stmt) = parsed.stmt {
            if stmt == Stmt::Done(Instruction::Exit) && first_exit.is_none() {
                first_exit = Some(pc);
            }
            pending.push(Pending { line, pc, stmt });
            pc += stmt.slots();
        }
    }

    let resolve = |name: &str| match labels.get(name) {
        Some(&(pc, _)) => Some(pc),
        None if name == "exit" => first_exit,
        None => None,
    };
    pending
        .into_iter()
        .map(|Pending { line, pc, stmt }| match stmt {
            Stmt::Done(insn) => Ok(insn),
            Stmt::Branch(branch, Target::Relative(rel)) => branch.build(rel, line),
            Stmt::Branch(branch, Target::Label(name)) => {
                let target = resolve(name).ok_or(AsmError::UndefinedLabel { line })?;
                // Both are slot indices of a `Vec`, so they fit in i64.
                let rel = target as i64 - pc as i64 - 1;
                branch.build(rel, line)
            }
        })
        .collect()
}

/// Assembles source text into bytecode (8-byte little-endian slots).
///
/// ```
/// use ebpfvm::asm::assemble;
///
/// let code = assemble("mov %r0, 42   # conformance dialect\nexit")?;
/// assert_eq!(code, [0xb7, 0, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
/// assert_eq!(assemble("mov64 r0, 42 ; rbpf dialect\nexit")?, code);
/// # Ok::<(), ebpfvm::asm::AsmError>(())
/// ```
pub fn assemble(text: &str) -> Result<Vec<u8>, AsmError> {
    let mut code = Vec::new();
    for insn in assemble_instructions(text)? {
        code.extend(insn.encode().bytes());
    }
    Ok(code)
}
