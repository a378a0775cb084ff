//! Straight-line runs: where one ends, and how long each is. The one
//! definition both instruction meters (the interpreter's and the JIT's) and
//! the JIT's block splitter use, since exact metering parity between the
//! engines rests on it.
//!
//! A run ends at every control-flow op: a jump (`ja` or conditional), a call
//! (builtin, local, `callx`) or `exit`. A run starts at the op after one, at
//! every jump or call target, at the entry point and at every function entry.

use alloc::vec::Vec;

use super::{Op, OpCode};

/// Whether `code` is a conditional jump (`jeq` .. `jsle`, both widths).
#[inline]
pub fn is_conditional_jump(code: OpCode) -> bool {
    (OpCode::Jeq64Imm as u8..=OpCode::Jsle32Reg as u8).contains(&(code as u8))
}

/// Whether `code` ends a straight-line run: a jump, a call or `exit`.
#[inline]
pub fn ends_run(code: OpCode) -> bool {
    use OpCode::*;
    is_conditional_jump(code) || matches!(code, Ja | CallBuiltin | CallLocal | CallReg | Exit)
}

/// The pc an op may transfer control to inside the program (`ja`, a
/// conditional jump, a local call), if it has one.
#[inline]
pub fn jump_target(op: &Op) -> Option<usize> {
    let jumps =
        op.code == OpCode::Ja || op.code == OpCode::CallLocal || is_conditional_jump(op.code);
    if jumps {
        usize::try_from(op.off).ok()
    } else {
        None
    }
}

/// For every pc, the number of instructions from it through the next op that
/// ends a run (`lddw` counts once; its second slot repeats the next value).
pub fn run_lengths(ops: &[Op]) -> Vec<u32> {
    let mut lens = alloc::vec![0u32; ops.len()];
    let mut next = 0u32;
    for (pc, op) in ops.iter().enumerate().rev() {
        next = match op.code {
            OpCode::LddwTail => next,
            code if ends_run(code) => 1,
            _ => next.saturating_add(1),
        };
        lens[pc] = next;
    }
    lens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_control_flow_ops_end_runs() {
        let mut ending = 0;
        for i in 0..=u8::MAX {
            let Some(code) = OpCode::from_index(i) else {
                continue;
            };
            let name = alloc::format!("{code:?}");
            let control = name.starts_with('J') || name.starts_with("Call") || name == "Exit";
            assert_eq!(ends_run(code), control, "{name}");
            ending += usize::from(control);
        }
        // ja, 22 conditional jumps per width, 3 calls, exit.
        assert_eq!(ending, 1 + 44 + 3 + 1);
    }
}
