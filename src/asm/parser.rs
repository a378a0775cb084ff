//! One source line to at most one label definition and one statement.
//!
//! A statement is either a finished [`Instruction`] or a branch (jump or local
//! call) whose target is a label that only the whole program can resolve; see
//! [`super::assembler`] for that second pass. Everything a single line can get
//! wrong is reported here, with the line number.

use super::error::{AsmError, Expected};
use super::lexer::{tokenize, Token};
use super::mnemonics::{self, Form};
use super::operand::{self, Num, Operand};
use crate::isa::{AluOp, AtomicOp, Instruction, JumpCond, Operand as Src, Reg, Width};

/// A parsed line: `label:`, an instruction, both, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line<'a> {
    pub label: Option<&'a str>,
    pub stmt: Option<Stmt<'a>>,
}

/// An instruction, possibly waiting for its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stmt<'a> {
    Done(Instruction),
    Branch(Branch, Target<'a>),
}

impl Stmt<'_> {
    /// Slots the statement occupies.
    pub fn slots(&self) -> usize {
        match self {
            Stmt::Done(insn) => insn.slots(),
            Stmt::Branch(..) => 1,
        }
    }
}

/// Where a branch goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target<'a> {
    Label(&'a str),
    /// Slots relative to the next instruction.
    Relative(i64),
}

/// A branch instruction without its offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Branch {
    Ja,
    Ja32,
    Jump {
        width: Width,
        cond: JumpCond,
        dst: Reg,
        src: Src,
    },
    CallLocal,
}

impl Branch {
    /// The instruction with its relative offset filled in, if it fits the field.
    pub fn build(self, rel: i64, line: usize) -> Result<Instruction, AsmError> {
        let too_far = AsmError::JumpOutOfRange { line, offset: rel };
        let off16 = || i16::try_from(rel).map_err(|_| too_far);
        let imm32 = || i32::try_from(rel).map_err(|_| too_far);
        Ok(match self {
            Branch::Ja => Instruction::Ja { off: off16()? },
            Branch::Ja32 => Instruction::Ja32 { imm: imm32()? },
            Branch::Jump {
                width,
                cond,
                dst,
                src,
            } => Instruction::Jump {
                width,
                cond,
                dst,
                src,
                off: off16()?,
            },
            Branch::CallLocal => Instruction::CallLocal { imm: imm32()? },
        })
    }
}

/// Whether `name` can be a label: an identifier (ASCII letters, digits, `_`,
/// `.`; not starting with a digit) that is not a register name.
///
/// ```
/// use ebpfvm::asm::is_valid_label;
/// assert!(is_valid_label(".LBB0_1"));
/// assert!(!is_valid_label("r10"));
/// assert!(!is_valid_label("2nd"));
/// ```
pub fn is_valid_label(name: &str) -> bool {
    let mut chars = name.chars();
    let head_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '.');
    head_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && matches!(operand::register(name, 0), Ok(None))
}

/// Parses one line of source. `line` is the 1-based line number for errors.
pub(super) fn parse_line(text: &str, line: usize) -> Result<Line<'_>, AsmError> {
    let tokens = tokenize(text, line)?;
    let (label, rest) = match tokens.as_slice() {
        [Token::Word(name), Token::Colon, rest @ ..] => {
            if !is_valid_label(name) {
                return Err(AsmError::InvalidLabel { line });
            }
            (Some(*name), rest)
        }
        rest => (None, rest),
    };
    let stmt = match rest {
        [] => None,
        [Token::Word(mnemonic), operands @ ..] => {
            let form = mnemonics::lookup(mnemonic).ok_or(AsmError::UnknownMnemonic {
                line,
                mnemonic: super::error::Word::new(mnemonic),
            })?;
            let ops = operand::operands(operands, line)?;
            Some(Ops { ops: &ops, line }.build(form)?)
        }
        _ => return Err(AsmError::UnexpectedToken { line }),
    };
    Ok(Line { label, stmt })
}

/// The operands of one instruction, with typed accessors that report errors.
struct Ops<'o, 'a> {
    ops: &'o [Operand<'a>],
    line: usize,
}

impl<'a> Ops<'_, 'a> {
    fn count(&self, expected: u8) -> Result<(), AsmError> {
        if self.ops.len() == usize::from(expected) {
            Ok(())
        } else {
            Err(self.count_error(expected))
        }
    }

    fn count_error(&self, expected: u8) -> AsmError {
        AsmError::OperandCount {
            line: self.line,
            expected,
            found: u8::try_from(self.ops.len()).unwrap_or(u8::MAX),
        }
    }

    fn expected(&self, i: usize, expected: Expected) -> AsmError {
        AsmError::Expected {
            line: self.line,
            operand: u8::try_from(i + 1).unwrap_or(u8::MAX),
            expected,
        }
    }

    fn reg(&self, i: usize) -> Result<Reg, AsmError> {
        match self.ops.get(i) {
            Some(Operand::Reg(r)) => Ok(*r),
            _ => Err(self.expected(i, Expected::Register)),
        }
    }

    fn num(&self, i: usize) -> Result<Num, AsmError> {
        match self.ops.get(i) {
            Some(Operand::Num(n)) => Ok(*n),
            _ => Err(self.expected(i, Expected::Immediate)),
        }
    }

    fn imm32(&self, i: usize) -> Result<i32, AsmError> {
        self.num(i)?.imm32(self.line)
    }

    fn src(&self, i: usize) -> Result<Src, AsmError> {
        match self.ops.get(i) {
            Some(Operand::Reg(r)) => Ok(Src::Reg(*r)),
            Some(Operand::Num(n)) => Ok(Src::Imm(n.imm32(self.line)?)),
            _ => Err(self.expected(i, Expected::RegisterOrImmediate)),
        }
    }

    fn mem(&self, i: usize) -> Result<(Reg, i16), AsmError> {
        match self.ops.get(i) {
            Some(Operand::Mem { base, off }) => Ok((*base, *off)),
            _ => Err(self.expected(i, Expected::MemoryOperand)),
        }
    }

    fn target(&self, i: usize) -> Result<Target<'a>, AsmError> {
        match self.ops.get(i) {
            Some(Operand::Word(w)) => Ok(Target::Label(w)),
            Some(Operand::Num(n)) => Ok(Target::Relative(n.relative())),
            _ => Err(self.expected(i, Expected::Target)),
        }
    }

    fn build(&self, form: Form) -> Result<Stmt<'a>, AsmError> {
        use Instruction as I;
        let done = |insn: Instruction| Ok(Stmt::Done(insn));
        match form {
            Form::Alu(width, op) => {
                self.count(2)?;
                let dst = self.reg(0)?;
                // Sign-extending moves exist only with a register source.
                let src = if matches!(op, AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32) {
                    Src::Reg(self.reg(1)?)
                } else {
                    self.src(1)?
                };
                done(I::Alu {
                    width,
                    op,
                    dst,
                    src,
                })
            }
            Form::Neg(width) => {
                self.count(1)?;
                done(I::Neg {
                    width,
                    dst: self.reg(0)?,
                })
            }
            Form::Endian(kind, bits) => {
                self.count(1)?;
                done(I::Endian {
                    kind,
                    bits,
                    dst: self.reg(0)?,
                })
            }
            Form::Lddw => {
                self.count(2)?;
                let dst = self.reg(0)?;
                let imm = self.num(1)?.imm64(self.line)?;
                done(I::LoadImm64 { dst, imm })
            }
            Form::LoadAbs(size) => {
                self.count(1)?;
                done(I::LoadPacket {
                    size,
                    src: None,
                    imm: self.imm32(0)?,
                })
            }
            Form::LoadInd(size) => {
                self.count(2)?;
                let src = Some(self.reg(0)?);
                done(I::LoadPacket {
                    size,
                    src,
                    imm: self.imm32(1)?,
                })
            }
            Form::Load(size) | Form::LoadSx(size) => {
                self.count(2)?;
                let dst = self.reg(0)?;
                let (src, off) = self.mem(1)?;
                done(if matches!(form, Form::Load(_)) {
                    I::Load {
                        size,
                        dst,
                        src,
                        off,
                    }
                } else {
                    I::LoadSx {
                        size,
                        dst,
                        src,
                        off,
                    }
                })
            }
            Form::Store(size) => {
                self.count(2)?;
                let (dst, off) = self.mem(0)?;
                done(I::Store {
                    size,
                    dst,
                    off,
                    imm: self.imm32(1)?,
                })
            }
            Form::StoreReg(size) => {
                self.count(2)?;
                let (dst, off) = self.mem(0)?;
                done(I::StoreReg {
                    size,
                    dst,
                    src: self.reg(1)?,
                    off,
                })
            }
            Form::Lock => self.lock(),
            Form::Ja | Form::Ja32 => {
                self.count(1)?;
                let branch = if form == Form::Ja {
                    Branch::Ja
                } else {
                    Branch::Ja32
                };
                Ok(Stmt::Branch(branch, self.target(0)?))
            }
            Form::Jump(width, cond) => {
                self.count(3)?;
                let branch = Branch::Jump {
                    width,
                    cond,
                    dst: self.reg(0)?,
                    src: self.src(1)?,
                };
                Ok(Stmt::Branch(branch, self.target(2)?))
            }
            Form::Call => self.call(),
            Form::CallX => {
                self.count(1)?;
                done(I::CallReg { reg: self.reg(0)? })
            }
            Form::Exit => {
                self.count(0)?;
                done(I::Exit)
            }
        }
    }

    /// `lock [fetch] op [dst+off], src`.
    fn lock(&self) -> Result<Stmt<'a>, AsmError> {
        let fetch = matches!(self.ops.first(), Some(Operand::Word("fetch")));
        let at = usize::from(fetch);
        self.count(3 + at as u8)?;
        let (width, op) = match self.ops.get(at) {
            Some(Operand::Word(w)) => mnemonics::atomic_op(w),
            _ => None,
        }
        .ok_or(self.expected(at, Expected::AtomicOperation))?;
        let (dst, off) = self.mem(at + 1)?;
        let src = self.reg(at + 2)?;
        Ok(Stmt::Done(Instruction::Atomic {
            width,
            op,
            // `xchg` and `cmpxchg` always fetch.
            fetch: fetch || matches!(op, AtomicOp::Xchg | AtomicOp::CmpXchg),
            dst,
            src,
            off,
        }))
    }

    /// `call id`, `call reg`, `call local target`, `call label`.
    fn call(&self) -> Result<Stmt<'a>, AsmError> {
        match self.ops {
            [Operand::Word("local")] => Err(self.count_error(2)),
            [Operand::Num(n)] => Ok(Stmt::Done(Instruction::Call {
                id: n.imm32(self.line)? as u32,
            })),
            [Operand::Reg(reg)] => Ok(Stmt::Done(Instruction::CallReg { reg: *reg })),
            [Operand::Word(label)] => Ok(Stmt::Branch(Branch::CallLocal, Target::Label(label))),
            [Operand::Word("local"), _] => Ok(Stmt::Branch(Branch::CallLocal, self.target(1)?)),
            [_] | [_, _] => Err(self.expected(0, Expected::CallTarget)),
            [] => Err(self.count_error(1)),
            _ => Err(self.count_error(2)),
        }
    }
}
