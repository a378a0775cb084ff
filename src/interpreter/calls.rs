//! Call frames of the interpreter: a stack of saved callee-saved registers
//! and return pcs, with the depth limit and the frame-pointer arithmetic of
//! local calls. Its capacity is reserved once per run from
//! [`Config::max_call_depth`] and never grows, so a run costs
//! `40 * max_call_depth` bytes of heap, not the [`MAX_CALL_DEPTH`] maximum.

use alloc::vec::Vec;

use crate::config::Config;
#[cfg(doc)]
use crate::config::MAX_CALL_DEPTH;
use crate::engine::Trap;

/// What the interpreter does after a call.
pub(super) enum Flow {
    /// Continue at this pc.
    Continue(usize),
    /// Stop with this trap.
    Trap(Trap),
}

#[derive(Clone, Copy)]
struct Frame {
    saved: [u64; 4],
    return_pc: usize,
}

/// The call stack. Frame `d` (0 = entry function) has
/// `r10 = stack_top - d * frame_size`.
pub(super) struct Calls {
    frames: Vec<Frame>,
    max_depth: usize,
    frame_size: u64,
}

impl Calls {
    pub(super) fn new(config: &Config) -> Self {
        let max_depth = config.effective_call_depth();
        Calls {
            // The entry function has no saved frame.
            frames: Vec::with_capacity(max_depth - 1),
            max_depth,
            frame_size: config.stack_frame_size as u64,
        }
    }

    /// A local call from the instruction before `return_pc` to `target`.
    #[inline]
    pub(super) fn call(&mut self, return_pc: usize, target: usize, regs: &mut [u64; 16]) -> Flow {
        // Active frames = saved frames + the current one.
        if self.frames.len() + 1 >= self.max_depth {
            return Flow::Trap(Trap::CallDepthExceeded {
                pc: return_pc - 1,
                depth: self.max_depth,
            });
        }
        let frame = Frame {
            saved: [regs[6], regs[7], regs[8], regs[9]],
            return_pc,
        };
        self.frames.push(frame);
        regs[10] = regs[10].wrapping_sub(self.frame_size);
        Flow::Continue(target)
    }

    /// Returns from the current function: the pc to continue at, or `None`
    /// when the entry function exits.
    #[inline]
    pub(super) fn ret(&mut self, regs: &mut [u64; 16]) -> Option<usize> {
        let frame = self.frames.pop()?;
        regs[6..10].copy_from_slice(&frame.saved);
        regs[10] = regs[10].wrapping_add(self.frame_size);
        Some(frame.return_pc)
    }
}
