//! Static checks on bytecode. [`verify`] is the only way to obtain a
//! [`VerifiedProgram`], and only verified programs can be executed.
//!
//! The checks make every later stage total: after verification each slot
//! decodes, register numbers are valid, no instruction writes `r10`, every jump
//! and local call lands on an instruction start inside the program, every
//! `call id` names a registered builtin, execution cannot run past the last
//! instruction, no `callx r10`, and no instruction is newer than the configured ISA version.
//! Dynamic properties (memory bounds, division, call depth, `callx` targets,
//! the instruction budget) are checked at run time by the engines.

use alloc::vec::Vec;

use crate::builtins::BuiltinRegistry;
mod error;

pub use error::VerifierError;

use crate::config::Config;
use crate::isa::{AluOp, Instruction, Operand, RawInsn, Width, INSN_SIZE};

/// A program that passed [`verify`]: one decoded instruction per slot (`None`
/// for the second slot of an `lddw`), the entry point and the sorted
/// function entry points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedProgram {
    slots: Vec<Option<Instruction>>,
    entry_pc: usize,
    functions: Vec<usize>,
}

impl VerifiedProgram {
    /// The decoded instruction at each pc; `None` for `lddw` second slots.
    pub fn slots(&self) -> &[Option<Instruction>] {
        &self.slots
    }

    /// Number of 8-byte slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Always `false`: verified programs have at least one instruction.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The pc where execution starts.
    pub fn entry_pc(&self) -> usize {
        self.entry_pc
    }

    /// Sorted, de-duplicated pcs of every function entry: the entry point,
    /// every local-call target and the extra entries given to [`verify`].
    pub fn functions(&self) -> &[usize] {
        &self.functions
    }

    /// Whether `pc` is a function entry (a valid `callx` target).
    pub fn is_function(&self, pc: usize) -> bool {
        self.functions.binary_search(&pc).is_ok()
    }
}

/// Verifies `code` (whole 8-byte slots) for `config` with the builtins in
/// `builtins`, starting at `entry_pc`; `extra_functions` adds function entries
/// (e.g. ELF symbols) that become valid `callx` targets.
///
/// ```
/// use ebpfvm::{verifier::verify, builtins::BuiltinRegistry, Config};
/// use ebpfvm::error::VerifierError;
/// let exit = [0x95, 0, 0, 0, 0, 0, 0, 0];
/// let registry = BuiltinRegistry::<()>::new();
/// assert!(verify(&exit, &Config::default(), &registry, 0, &[]).is_ok());
/// let call_7 = [0x85, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
/// assert_eq!(
///     verify(&call_7, &Config::default(), &registry, 0, &[]),
///     Err(VerifierError::UnknownBuiltin { pc: 0, id: 7 })
/// );
/// ```
pub fn verify<C>(
    code: &[u8],
    config: &Config,
    builtins: &BuiltinRegistry<C>,
    entry_pc: usize,
    extra_functions: &[usize],
) -> Result<VerifiedProgram, VerifierError> {
    if code.is_empty() {
        return Err(VerifierError::EmptyProgram);
    }
    if code.len() % INSN_SIZE != 0 {
        return Err(VerifierError::TruncatedInstruction { len: code.len() });
    }
    let count = code.len() / INSN_SIZE;
    if count > config.max_program_slots {
        return Err(VerifierError::ProgramTooLarge {
            slots: count,
            max: config.max_program_slots,
        });
    }
    let raw: Vec<RawInsn> = crate::isa::slots(code).collect();
    let slots = decode_all(&raw, config)?;

    // One flag per slot instead of a list to sort: the function table comes
    // out sorted and de-duplicated in one pass (and firmware links no sort).
    let mut is_function = alloc::vec![false; count];
    for (pc, insn) in slots.iter().enumerate() {
        let Some(insn) = insn else { continue };
        check_targets(pc, insn, &slots, builtins, &mut is_function)?;
    }
    for &pc in core::iter::once(&entry_pc).chain(extra_functions) {
        if !matches!(slots.get(pc), Some(Some(_))) {
            return Err(VerifierError::InvalidEntryPoint { pc });
        }
        is_function[pc] = true;
    }
    check_end(&slots, &is_function)?;
    let functions = (0..count).filter(|&pc| is_function[pc]).collect();
    Ok(VerifiedProgram {
        slots,
        entry_pc,
        functions,
    })
}

/// The last instruction must be `exit` or `ja`, so execution cannot run past
/// the end. The rule is syntactic: it holds for an unreachable last
/// instruction too, which gets its own error so the message says what is wrong.
fn check_end(slots: &[Option<Instruction>], is_function: &[bool]) -> Result<(), VerifierError> {
    let ends = |insn: &Option<Instruction>| {
        matches!(
            insn,
            Some(Instruction::Exit | Instruction::Ja { .. } | Instruction::Ja32 { .. })
        )
    };
    let Some(last) = slots.iter().rposition(Option::is_some) else {
        return Err(VerifierError::EmptyProgram);
    };
    if ends(&slots[last]) {
        return Ok(());
    }
    // Reached by falling through from the instruction before it, as a
    // function entry, or as the target of a jump?
    let falls_in = match slots[..last].iter().rposition(Option::is_some) {
        Some(prev) => !ends(&slots[prev]),
        None => true,
    };
    let targeted = slots.iter().enumerate().any(|(pc, insn)| {
        let rel = match insn {
            Some(Instruction::Ja { off } | Instruction::Jump { off, .. }) => i64::from(*off),
            Some(Instruction::Ja32 { imm }) => i64::from(*imm),
            _ => return false,
        };
        pc as i64 + 1 + rel == last as i64
    });
    if falls_in || targeted || is_function[last] {
        Err(VerifierError::FallsOffEnd { pc: last })
    } else {
        Err(VerifierError::UnreachableEndNotExit { pc: last })
    }
}

/// Decodes every slot and applies the per-instruction rules.
fn decode_all(raw: &[RawInsn], config: &Config) -> Result<Vec<Option<Instruction>>, VerifierError> {
    let mut slots = Vec::with_capacity(raw.len());
    let mut pc = 0;
    while pc < raw.len() {
        let insn = Instruction::decode(raw[pc], raw.get(pc + 1).copied())
            .map_err(|reason| VerifierError::InvalidInstruction { pc, reason })?;
        check_instruction(pc, &insn, config)?;
        slots.push(Some(insn));
        if insn.slots() == 2 {
            slots.push(None);
        }
        pc += insn.slots();
    }
    Ok(slots)
}

fn check_instruction(pc: usize, insn: &Instruction, config: &Config) -> Result<(), VerifierError> {
    let needs = insn.min_version();
    if needs > config.version {
        return Err(VerifierError::UnsupportedVersion {
            pc,
            needs,
            configured: config.version,
        });
    }
    if insn.written_register().is_some_and(|r| r.num() == 10) {
        return Err(VerifierError::WriteToFramePointer { pc });
    }
    if matches!(insn, Instruction::CallReg { reg } if reg.num() == 10) {
        return Err(VerifierError::CallThroughFramePointer { pc });
    }
    match *insn {
        Instruction::Alu {
            width,
            op: AluOp::Lsh | AluOp::Rsh | AluOp::Arsh,
            src: Operand::Imm(imm),
            ..
        } if config.reject_out_of_range_shifts => {
            let bits = if width == Width::W32 { 32 } else { 64 };
            if !(0..bits).contains(&imm) {
                return Err(VerifierError::ShiftOutOfRange { pc, imm });
            }
        }
        Instruction::LoadPacket { .. } if !config.enable_packet_access => {
            return Err(VerifierError::PacketAccessDisabled { pc });
        }
        _ => {}
    }
    Ok(())
}

/// Checks jump, call and builtin targets of one instruction.
fn check_targets<C>(
    pc: usize,
    insn: &Instruction,
    slots: &[Option<Instruction>],
    builtins: &BuiltinRegistry<C>,
    is_function: &mut [bool],
) -> Result<(), VerifierError> {
    let relative = match *insn {
        Instruction::Ja { off } | Instruction::Jump { off, .. } => Some(off as i64),
        Instruction::Ja32 { imm } => Some(imm as i64),
        Instruction::CallLocal { imm } => {
            let target = pc as i64 + 1 + imm as i64;
            match slot_at(slots, target) {
                Some(Some(_)) => is_function[target as usize] = true,
                Some(None) => {
                    return Err(VerifierError::CallIntoLddw {
                        pc,
                        target: target as usize,
                    })
                }
                None => return Err(VerifierError::CallOutOfBounds { pc, target }),
            }
            None
        }
        Instruction::Call { id } => {
            if builtins.index_of(id).is_none() {
                return Err(VerifierError::UnknownBuiltin { pc, id });
            }
            None
        }
        _ => None,
    };
    if let Some(rel) = relative {
        let target = pc as i64 + 1 + rel;
        match slot_at(slots, target) {
            Some(Some(_)) => {}
            Some(None) => {
                return Err(VerifierError::JumpIntoLddw {
                    pc,
                    target: target as usize,
                })
            }
            None => return Err(VerifierError::JumpOutOfBounds { pc, target }),
        }
    }
    Ok(())
}

fn slot_at(slots: &[Option<Instruction>], target: i64) -> Option<Option<Instruction>> {
    usize::try_from(target)
        .ok()
        .and_then(|t| slots.get(t))
        .copied()
}

#[cfg(test)]
mod tests;
