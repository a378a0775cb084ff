//! The code buffer, labels and fixups, and the REX/ModRM/SIB encoding core
//! the instruction methods ([`super::insn`]) are built on.

use alloc::vec::Vec;

use super::reg::{Mem, Reg, Size};

/// A position in the code, bound once with [`Assembler::bind`]; branches to
/// it are patched by [`Assembler::finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(u32);

/// Why assembly could not be finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsmError {
    /// A branch refers to a label that was never bound.
    UnboundLabel,
    /// A branch distance does not fit in 32 bits.
    OutOfRange,
}

/// A 32-bit pc-relative field to patch once its label is bound.
struct Fixup {
    /// Offset of the rel32 field; the branch is relative to its end.
    at: usize,
    label: Label,
}

/// The register operand or `/digit` opcode extension of ModRM's reg field.
#[derive(Clone, Copy)]
pub(super) enum RegField {
    Reg(Reg),
    Digit(u8),
}

/// The r/m operand of ModRM.
#[derive(Clone, Copy)]
pub(super) enum Rm {
    Reg(Reg),
    Mem(Mem),
}

/// An x86-64 assembler: appends encoded instructions to a buffer.
///
/// Only the forms the JIT needs exist, each as a typed method, so an operand
/// combination the hardware cannot encode is not expressible. Branches go to
/// [`Label`]s and are patched when the code is finished.
#[derive(Default)]
pub struct Assembler {
    pub(super) code: Vec<u8>,
    labels: Vec<Option<u32>>,
    fixups: Vec<Fixup>,
}

impl Assembler {
    /// An empty assembler.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty assembler with room for `bytes` of code.
    pub fn with_capacity(bytes: usize) -> Self {
        Assembler {
            code: Vec::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Bytes emitted so far.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    /// Whether nothing was emitted yet.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `label` to the current position. Binding a label twice keeps
    /// the first position (callers bind each label once).
    pub fn bind(&mut self, label: Label) {
        let pos = self.code.len() as u32;
        if let Some(slot) = self.labels.get_mut(label.0 as usize) {
            slot.get_or_insert(pos);
        }
    }

    /// The offset `label` is bound to, if it is bound.
    pub fn offset_of(&self, label: Label) -> Option<usize> {
        self.labels
            .get(label.0 as usize)
            .copied()
            .flatten()
            .map(|o| o as usize)
    }

    /// Patches every branch and returns the code.
    pub fn finish(mut self) -> Result<Vec<u8>, AsmError> {
        if self.code.len() > i32::MAX as usize {
            return Err(AsmError::OutOfRange);
        }
        for fixup in &self.fixups {
            let target = self.offset_of(fixup.label).ok_or(AsmError::UnboundLabel)? as i64;
            let rel = target - (fixup.at as i64 + 4);
            let rel = i32::try_from(rel).map_err(|_| AsmError::OutOfRange)?;
            self.code[fixup.at..fixup.at + 4].copy_from_slice(&rel.to_le_bytes());
        }
        Ok(self.code)
    }

    // ----- encoding core -----

    #[inline]
    pub(super) fn byte(&mut self, b: u8) {
        self.code.push(b);
    }

    #[inline]
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.code.extend_from_slice(b);
    }

    #[inline]
    pub(super) fn imm32(&mut self, v: i32) {
        self.bytes(&v.to_le_bytes());
    }

    /// A rel32 field referring to `label`.
    pub(super) fn rel32(&mut self, label: Label) {
        self.fixups.push(Fixup {
            at: self.code.len(),
            label,
        });
        self.imm32(0);
    }

    /// Emits a REX prefix if any of its bits is needed (or `force`).
    #[inline]
    pub(super) fn rex(&mut self, w: bool, r: bool, x: bool, b: bool, force: bool) {
        if w || r || x || b || force {
            self.byte(0x40 | (w as u8) << 3 | (r as u8) << 2 | (x as u8) << 1 | b as u8);
        }
    }

    /// Emits `[lock] [0x66] [REX] opcode ModRM [SIB] [disp]` for an
    /// instruction with a ModRM byte. `size` selects the operand-size
    /// prefix and `REX.W`; `byte_regs` requests a REX prefix when a register
    /// operand is `spl`/`bpl`/`sil`/`dil` (8-bit register operands).
    pub(super) fn op_modrm(
        &mut self,
        lock: bool,
        size: Size,
        opcode: &[u8],
        reg: RegField,
        rm: Rm,
        byte_regs: bool,
    ) {
        if lock {
            self.byte(0xf0);
        }
        if size == Size::S16 {
            self.byte(0x66);
        }
        let (reg_num, reg_is_byte_rex) = match reg {
            RegField::Reg(r) => (r as u8, r.byte_needs_rex()),
            RegField::Digit(d) => (d, false),
        };
        let (x, b, rm_is_byte_rex) = match rm {
            Rm::Reg(r) => (false, r.is_extended(), r.byte_needs_rex()),
            Rm::Mem(m) => (
                m.index.is_some_and(|(i, _)| i.is_extended()),
                m.base.is_extended(),
                false,
            ),
        };
        let force = byte_regs && (reg_is_byte_rex || rm_is_byte_rex);
        self.rex(size == Size::S64, reg_num >= 8, x, b, force);
        self.bytes(opcode);
        let reg3 = reg_num & 7;
        match rm {
            Rm::Reg(r) => self.byte(0xc0 | reg3 << 3 | r.low3()),
            Rm::Mem(m) => self.mem_operand(reg3, m),
        }
    }

    /// ModRM (+ SIB) (+ displacement) for a memory operand.
    fn mem_operand(&mut self, reg3: u8, m: Mem) {
        let base3 = m.base.low3();
        // rbp/r13 as base with mod=00 would mean rip/disp32-only: use disp8 0.
        let (mode, disp_len) = if m.disp == 0 && base3 != 5 {
            (0b00, 0)
        } else if i8::try_from(m.disp).is_ok() {
            (0b01, 1)
        } else {
            (0b10, 4)
        };
        match m.index {
            None if base3 != 4 => self.byte(mode << 6 | reg3 << 3 | base3),
            None => {
                // rsp/r12 as base need a SIB byte with "no index".
                self.byte(mode << 6 | reg3 << 3 | 4);
                self.byte(4 << 3 | base3);
            }
            Some((index, scale)) => {
                self.byte(mode << 6 | reg3 << 3 | 4);
                self.byte((scale as u8) << 6 | index.low3() << 3 | base3);
            }
        }
        match disp_len {
            0 => {}
            1 => self.byte(m.disp as i8 as u8),
            _ => self.imm32(m.disp),
        }
    }

    /// An immediate of the operand size, at most 32 bits.
    pub(super) fn imm_sized(&mut self, size: Size, v: i32) {
        match size {
            Size::S8 => self.byte(v as u8),
            Size::S16 => self.bytes(&(v as u16).to_le_bytes()),
            Size::S32 | Size::S64 => self.imm32(v),
        }
    }
}
