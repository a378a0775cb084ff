//! Human-readable listings of any bytecode ([`listing`]): a pc column, jump
//! labels, function names and helper names; slots that do not decode are
//! marked, not refused.
//!
//! A listing is for reading (debugging a program that does not verify, for
//! instance), not for assembling back: [`disassemble`](super::disassemble)
//! is the round-trip form.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use super::disasm::{branch_target, label_names, write_insn, Label};
use crate::error::DecodeError;
use crate::isa::{slots, Instruction, INSN_SIZE};

/// What a [`Listing`] line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// An instruction that decodes.
    Instruction,
    /// A slot that does not decode.
    Invalid,
    /// The trailing bytes of a program whose length is not a multiple of 8.
    Truncated,
    /// The end of the program, shown because a branch targets it.
    End,
}

/// One line of a [`Listing`]: an instruction, an invalid slot, the
/// trailing bytes of a program whose length is not a multiple of 8, or the
/// end of the program when a branch targets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// What the line shows.
    pub kind: EntryKind,
    /// The slot index the line starts at.
    pub pc: usize,
    /// The label defined at this pc: a symbol name, or the generated
    /// `fn_<pc>`/`lbb_<pc>` of a call or jump target.
    pub label: Option<String>,
    /// Whether `label` is a symbol name (a function) rather than generated.
    pub symbol: bool,
    /// The decoded instruction; `None` for an invalid slot or trailing bytes.
    pub instruction: Option<Instruction>,
    /// The instruction text (branch targets as labels where there is one),
    /// or `<invalid>`/`<truncated>` followed by the raw bytes.
    pub text: String,
    /// A remark: the helper a `call` names, why a slot is invalid, a branch
    /// target outside the program.
    pub note: Option<String>,
}

/// A listing of a whole program; `Display` prints it with the pc column.
///
/// ```
/// use ebpfvm::asm::{assemble, listing};
///
/// let mut code = assemble("jeq r1, 0, +1\ncall 6\nexit")?;
/// code.extend_from_slice(&[0x8f, 0, 0, 0, 0, 0, 0, 0]); // no such opcode
/// let helpers = |id: u32| (id == 6).then_some("bpf_trace_printk");
/// let list = listing(&code, &|_| None, &helpers);
/// let text = list.to_string();
/// assert!(text.contains("    0  jeq r1, 0, lbb_2"), "{text}");
/// assert!(text.contains("call 6") && text.contains("; bpf_trace_printk"), "{text}");
/// assert!(text.contains("lbb_2:\n    2  exit"), "{text}");
/// assert!(text.contains("    3  <invalid> 8f 00 00 00 00 00 00 00"), "{text}");
/// assert_eq!(list.invalid_count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The lines, by increasing pc.
    pub entries: Vec<Entry>,
}

impl Listing {
    /// How many lines are invalid slots or trailing bytes.
    pub fn invalid_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Invalid | EntryKind::Truncated))
            .count()
    }
}

/// Column of the `;` note, after the pc column and the instruction.
const NOTE_COLUMN: usize = 40;

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, entry) in self.entries.iter().enumerate() {
            if let Some(label) = &entry.label {
                if entry.symbol && i > 0 {
                    f.write_str("\n")?;
                }
                writeln!(f, "{label}:")?;
            }
            let line = format!("{:>5}  {}", entry.pc, entry.text);
            match &entry.note {
                Some(note) => writeln!(f, "{line:<NOTE_COLUMN$} ; {note}")?,
                None => writeln!(f, "{line}")?,
            }
        }
        Ok(())
    }
}

/// Lists `code`, whatever it holds: every slot that decodes is shown as an
/// instruction, every one that does not as `<invalid>` with its bytes and the
/// reason, and a partial last slot as `<truncated>`. `symbols(pc)` names
/// functions (e.g. from an ELF symbol table), `helpers(id)` names builtins
/// (`call id` gets the name as a note, or "unknown helper"). Never fails.
pub fn listing<'s, 'h>(
    code: &[u8],
    symbols: &dyn Fn(usize) -> Option<&'s str>,
    helpers: &dyn Fn(u32) -> Option<&'h str>,
) -> Listing {
    let raw: Vec<_> = slots(code).collect();
    let end = raw.len();
    // Decode what decodes; an invalid slot is skipped one slot at a time.
    let mut decoded: Vec<(usize, Result<Instruction, DecodeError>)> = Vec::new();
    let mut pc = 0;
    while let Some(&first) = raw.get(pc) {
        let insn = Instruction::decode(first, raw.get(pc + 1).copied());
        decoded.push((pc, insn));
        pc += insn.map_or(1, |i| i.slots());
    }
    let valid: Vec<(usize, Instruction)> = decoded
        .iter()
        .filter_map(|&(pc, insn)| insn.ok().map(|i| (pc, i)))
        .collect();
    let (labels, comments) = label_names(&valid, end, symbols);
    let label_at = |pc: usize| match labels.get(&pc) {
        Some(Label::Symbol(name)) => (Some(String::from(*name)), true),
        Some(Label::Generated(name)) => (Some(name.clone()), false),
        None => (comments.get(&pc).map(|n| String::from(*n)), true),
    };
    let mut entries = Vec::with_capacity(decoded.len() + 2);
    for (pc, insn) in decoded {
        let (label, symbol) = label_at(pc);
        let bytes = raw[pc].to_bytes();
        let (kind, instruction, text, note) = match insn {
            Ok(insn) => {
                let target = branch_target(pc, &insn, end);
                let name = target.and_then(|(t, _)| labels.get(&t)).map(Label::name);
                let mut text = String::new();
                let _ = write_insn(&mut text, &insn, name);
                let note = note_for(pc, &insn, end, name, helpers);
                (EntryKind::Instruction, Some(insn), text, note)
            }
            Err(reason) => (
                EntryKind::Invalid,
                None,
                hex("<invalid>", &bytes),
                Some(format!("{reason}")),
            ),
        };
        entries.push(Entry {
            kind,
            pc,
            label,
            symbol,
            instruction,
            text,
            note,
        });
    }
    let tail = &code[end * INSN_SIZE..];
    if !tail.is_empty() {
        let (label, symbol) = label_at(end);
        entries.push(Entry {
            kind: EntryKind::Truncated,
            pc: end,
            label,
            symbol,
            instruction: None,
            text: hex("<truncated>", tail),
            note: Some(format!(
                "{} trailing bytes, not a whole instruction",
                tail.len()
            )),
        });
    } else if let (Some(label), symbol) = label_at(end) {
        // A jump to the end of the program: show where it lands.
        entries.push(Entry {
            kind: EntryKind::End,
            pc: end,
            label: Some(label),
            symbol,
            instruction: None,
            text: String::from("<end of program>"),
            note: None,
        });
    }
    Listing { entries }
}

/// The note of an instruction: the helper a call names, or a branch target
/// that has no label (outside the program or inside an `lddw`).
fn note_for<'h>(
    pc: usize,
    insn: &Instruction,
    end: usize,
    target_label: Option<&str>,
    helpers: &dyn Fn(u32) -> Option<&'h str>,
) -> Option<String> {
    if let Instruction::Call { id } = *insn {
        return Some(match helpers(id) {
            Some(name) => String::from(name),
            None => String::from("unknown helper"),
        });
    }
    let rel = match *insn {
        Instruction::Ja { off } | Instruction::Jump { off, .. } => i64::from(off),
        Instruction::Ja32 { imm } | Instruction::CallLocal { imm } => i64::from(imm),
        _ => return None,
    };
    if target_label.is_some() {
        return None;
    }
    let target = pc as i64 + 1 + rel;
    Some(if (0..=end as i64).contains(&target) {
        format!("target {target} is not an instruction start")
    } else {
        format!("target {target} is outside the program")
    })
}

fn hex(prefix: &str, bytes: &[u8]) -> String {
    let mut out = String::from(prefix);
    for b in bytes {
        let _ = write!(out, " {b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn none(_: usize) -> Option<&'static str> {
        None
    }

    fn no_helpers(_: u32) -> Option<&'static str> {
        None
    }

    #[test]
    fn lists_what_does_not_verify() {
        // mov r10, 1 (verifier: r10 is read-only), an unknown opcode, a
        // jump out of the program, and a truncated last slot.
        let code = [
            0xb7, 0x0a, 0, 0, 1, 0, 0, 0, //
            0xff, 0, 0, 0, 0, 0, 0, 0, //
            0x05, 0, 0x10, 0, 0, 0, 0, 0, //
            0x95, 0, 0,
        ];
        let list = listing(&code, &none, &no_helpers);
        let pcs: Vec<usize> = list.entries.iter().map(|e| e.pc).collect();
        assert_eq!(pcs, [0, 1, 2, 3]);
        assert_eq!(list.entries[0].text, "mov r10, 1");
        assert_eq!(list.entries[1].text, "<invalid> ff 00 00 00 00 00 00 00");
        assert!(list.entries[1].note.is_some());
        assert_eq!(list.entries[2].text, "ja +16");
        assert_eq!(
            list.entries[2].note.as_deref(),
            Some("target 19 is outside the program")
        );
        assert_eq!(list.entries[3].text, "<truncated> 95 00 00");
        assert_eq!(list.invalid_count(), 2);
        let text = list.to_string();
        assert!(text.starts_with("    0  mov r10, 1\n"), "{text}");
    }

    #[test]
    fn function_names_and_labels() {
        // call local +1; exit; f: jeq r1, 0, +0 (to pc 3); exit
        let code = [
            0x85, 0x10, 0, 0, 1, 0, 0, 0, //
            0x95, 0, 0, 0, 0, 0, 0, 0, //
            0x15, 0x01, 0, 0, 0, 0, 0, 0, //
            0x95, 0, 0, 0, 0, 0, 0, 0,
        ];
        let names = |pc: usize| (pc == 2).then_some("helper_fn");
        let list = listing(&code, &names, &no_helpers);
        assert_eq!(list.entries[0].text, "call local helper_fn");
        assert_eq!(list.entries[2].label.as_deref(), Some("helper_fn"));
        assert!(list.entries[2].symbol);
        assert_eq!(list.entries[3].label.as_deref(), Some("lbb_3"));
        assert!(!list.entries[3].symbol);
        let text = list.to_string();
        assert!(
            text.contains("\nhelper_fn:\n    2  jeq r1, 0, lbb_3\nlbb_3:\n    3  exit\n"),
            "{text}"
        );
    }

    #[test]
    fn a_jump_to_the_end_shows_the_end() {
        // jeq r1, 0, +1 (to pc 2 = the end); exit
        let code = [0x15, 0x01, 1, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
        let list = listing(&code, &none, &no_helpers);
        assert_eq!(list.entries[0].text, "jeq r1, 0, lbb_2");
        assert_eq!(list.entries[2].kind, EntryKind::End);
        assert_eq!(list.invalid_count(), 0);
    }

    #[test]
    fn a_truncated_lddw_is_marked() {
        let code = [0x18, 0, 0, 0, 1, 0, 0, 0];
        let list = listing(&code, &none, &no_helpers);
        assert_eq!(list.entries.len(), 1);
        assert!(list.entries[0].instruction.is_none());
        assert!(list.entries[0].text.starts_with("<invalid> 18"));
    }
}
