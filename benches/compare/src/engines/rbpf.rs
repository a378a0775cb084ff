//! rbpf 0.4.1: `EbpfVmRaw` (the input buffer is the program's memory; `r1`
//! holds its host address). The interpreter checks every access against the
//! input and stack buffers; the JIT checks nothing.

use rbpf::EbpfVmRaw;

use super::{Outcome, Runner, SetupError};
use crate::kernels::HEADER_LEN;

fn failed(e: std::io::Error) -> SetupError {
    SetupError::Failed(e.to_string())
}

/// rbpf's interpreter.
pub struct RbpfInterpreter<'a> {
    vm: EbpfVmRaw<'a>,
}

impl<'a> RbpfInterpreter<'a> {
    /// Loads and verifies `code`.
    pub fn new(code: &'a [u8]) -> Result<Self, SetupError> {
        Ok(RbpfInterpreter {
            vm: EbpfVmRaw::new(Some(code)).map_err(failed)?,
        })
    }
}

impl Runner for RbpfInterpreter<'_> {
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String> {
        let r0 = self.vm.execute_program(input).map_err(|e| e.to_string())?;
        Ok(Outcome {
            r0,
            instructions: None,
        })
    }
}

/// rbpf's JIT, restricted to inputs proven in bounds on rbpf's interpreter.
pub struct RbpfJit<'a> {
    vm: EbpfVmRaw<'a>,
    /// Length and header of the input checked in `new`: the kernels' memory
    /// accesses depend on nothing else.
    shape: (usize, [u8; HEADER_LEN]),
}

fn shape(input: &[u8]) -> Option<(usize, [u8; HEADER_LEN])> {
    Some((input.len(), input.get(..HEADER_LEN)?.try_into().ok()?))
}

impl<'a> RbpfJit<'a> {
    /// Loads `code`, runs it on rbpf's bounds-checked interpreter with
    /// `input`, and compiles it.
    pub fn new(code: &'a [u8], input: &[u8]) -> Result<Self, SetupError> {
        let shape =
            shape(input).ok_or(SetupError::Failed("input shorter than its header".into()))?;
        let mut vm = EbpfVmRaw::new(Some(code)).map_err(failed)?;
        vm.execute_program(&mut input.to_vec()).map_err(failed)?;
        vm.jit_compile().map_err(failed)?;
        Ok(RbpfJit { vm, shape })
    }
}

impl Runner for RbpfJit<'_> {
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String> {
        if shape(input) != Some(self.shape) {
            return Err("rbpf's JIT only runs inputs checked on its interpreter".into());
        }
        // SAFETY: rbpf's JIT code does not check memory accesses. This program
        // ran on rbpf's bounds-checked interpreter without a fault in `new`,
        // on an input of this length and header, and the kernels' addresses
        // depend only on those (`kernels` module docs: they address memory
        // relative to `r1` using the header's sizes), so every access stays
        // inside `input` or rbpf's stack. The program calls no helpers.
        let r0 = unsafe { self.vm.execute_program_jit(input) }.map_err(|e| e.to_string())?;
        Ok(Outcome {
            r0,
            instructions: None,
        })
    }
}
