//! [`Executable`]: a verified program with everything an engine needs to run
//! it: pre-decoded ops, function table, entry point, read-only image and
//! writable data template.

use alloc::vec::Vec;

use super::decoded::{predecode, Op};
use super::names::{Function, FunctionNames};
use super::runtime::Runtime;
use crate::builtins::BuiltinRegistry;
use crate::config::Config;
use crate::isa::{Instruction, RawInsn, INSN_SIZE};
use crate::memory::MappingError;
use crate::memory::{
    MemoryMapping, MemoryRegion, MM_DATA_START, MM_INPUT_START, MM_PROGRAM_START, MM_STACK_START,
};
use crate::verifier::verify;
use crate::verifier::VerifierError;

/// Everything a program is made of before verification: what the ELF loader
/// produces, or what a host assembles by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgramImage {
    /// The read-only image mapped at [`MM_PROGRAM_START`]: the bytecode at
    /// offset 0 (`text_len` bytes), then read-only data.
    pub ro_section: Vec<u8>,
    /// Length of the bytecode at the start of `ro_section` (a multiple of 8).
    pub text_len: usize,
    /// Initial contents of the writable data region ([`crate::memory::MM_DATA_START`]).
    pub data: Vec<u8>,
    /// Where execution starts.
    pub entry_pc: usize,
    /// Named functions (also valid `callx` targets).
    pub functions: Vec<Function>,
}

/// What a `callx` register value designates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CallTarget {
    /// A registered builtin, by table index.
    Builtin(usize),
    /// A function of the program, by pc.
    Local(usize),
}

/// A verified, pre-decoded program bound to (borrowing) its [`Runtime`].
///
/// Built only through verification, so every executable is safe to run in any
/// engine.
///
/// ```
/// use ebpfvm::{Budget, Config, Executable, Runtime};
/// // mov r0, 7 ; exit
/// let code = [0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
/// let runtime = Runtime::<Budget>::new(Config::default());
/// let executable = Executable::from_bytecode(&code, &runtime)?;
/// assert_eq!(executable.entry_pc(), 0);
/// assert_eq!(executable.len(), 2);
/// # Ok::<(), ebpfvm::error::VerifierError>(())
/// ```
pub struct Executable<'r, C> {
    runtime: &'r Runtime<C>,
    ro_section: Vec<u8>,
    text_len: usize,
    data: Vec<u8>,
    entry_pc: usize,
    functions: Vec<usize>,
    names: FunctionNames,
    ops: Vec<Op>,
    run_lengths: Vec<u32>,
}

impl<C> core::fmt::Debug for Executable<'_, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Executable")
            .field("slots", &self.ops.len())
            .field("entry_pc", &self.entry_pc)
            .field("functions", &self.functions)
            .finish()
    }
}

impl<'r, C> Executable<'r, C> {
    /// Verifies raw bytecode (entry at pc 0, no data) and pre-decodes it.
    pub fn from_bytecode(code: &[u8], runtime: &'r Runtime<C>) -> Result<Self, VerifierError> {
        Self::from_image(
            ProgramImage {
                ro_section: code.to_vec(),
                text_len: code.len(),
                ..ProgramImage::default()
            },
            runtime,
        )
    }

    /// Verifies a program image and pre-decodes it.
    pub fn from_image(image: ProgramImage, runtime: &'r Runtime<C>) -> Result<Self, VerifierError> {
        let text =
            image
                .ro_section
                .get(..image.text_len)
                .ok_or(VerifierError::TruncatedInstruction {
                    len: image.text_len,
                })?;
        let extra: Vec<usize> = image.functions.iter().map(|f| f.pc).collect();
        let program = verify(
            text,
            runtime.config(),
            runtime.builtins(),
            image.entry_pc,
            &extra,
        )?;
        let ops = predecode(&program, runtime.builtins());
        // The fast interpreter's metering table; the compact loop needs none.
        let run_lengths = if cfg!(all(feature = "compact", not(feature = "fast"))) {
            Vec::new()
        } else {
            super::runs::run_lengths(&ops)
        };
        let names = FunctionNames::new(image.functions);
        Ok(Executable {
            ro_section: image.ro_section,
            text_len: image.text_len,
            data: image.data,
            entry_pc: program.entry_pc(),
            functions: program.functions().to_vec(),
            names,
            ops,
            run_lengths,
            runtime,
        })
    }

    /// The runtime this executable was verified against.
    pub fn runtime(&self) -> &'r Runtime<C> {
        self.runtime
    }

    /// The runtime's configuration.
    pub fn config(&self) -> &'r Config {
        self.runtime.config()
    }

    /// The runtime's builtins.
    pub fn builtins(&self) -> &'r BuiltinRegistry<C> {
        self.runtime.builtins()
    }

    /// The pre-decoded ops, one per slot.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// For every pc, the instructions from it through the next control-flow
    /// instruction (the interpreter's metering unit).
    #[cfg_attr(all(feature = "compact", not(feature = "fast")), allow(dead_code))] // the compact meter needs none
    pub(crate) fn run_lengths(&self) -> &[u32] {
        &self.run_lengths
    }

    /// Number of 8-byte slots.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Always `false`: verified programs are non-empty.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The bytecode.
    pub fn text(&self) -> &[u8] {
        &self.ro_section[..self.text_len]
    }

    /// The read-only image (bytecode, then read-only data).
    pub fn ro_section(&self) -> &[u8] {
        &self.ro_section
    }

    /// The read-only image as a region at [`MM_PROGRAM_START`].
    pub fn ro_region(&self) -> MemoryRegion<'_> {
        MemoryRegion::readonly(&self.ro_section, MM_PROGRAM_START)
    }

    /// The usual mapping for a run: the program image, `stack` at
    /// [`MM_STACK_START`], `data` (a copy of [`data_template`](Self::data_template),
    /// mapped only if non-empty) at [`MM_DATA_START`] and `input` at
    /// [`MM_INPUT_START`].
    ///
    /// ```
    /// use ebpfvm::{Budget, Config, Executable, Runtime};
    /// let code = [0x95, 0, 0, 0, 0, 0, 0, 0];
    /// let runtime = Runtime::<Budget>::new(Config::default());
    /// let exe = Executable::from_bytecode(&code, &runtime)?;
    /// let mut stack = vec![0; exe.config().stack_size()];
    /// let mut data = exe.data_template().to_vec();
    /// let mut input = [0u8; 16];
    /// let mapping = exe.standard_mapping(&mut stack, &mut data, &mut input)?;
    /// assert_eq!(mapping.input().1, 16);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn standard_mapping<'a>(
        &'a self,
        stack: &'a mut [u8],
        data: &'a mut [u8],
        input: &'a mut [u8],
    ) -> Result<MemoryMapping<'a>, MappingError> {
        let mut mapping = MemoryMapping::new([
            self.ro_region(),
            MemoryRegion::writable(stack, MM_STACK_START),
            MemoryRegion::writable(input, MM_INPUT_START),
        ])?;
        if !data.is_empty() {
            mapping.insert(MemoryRegion::writable(data, MM_DATA_START))?;
        }
        Ok(mapping)
    }

    /// The initial contents of the writable data region; copy it into a
    /// buffer mapped at [`crate::memory::MM_DATA_START`] for each run.
    pub fn data_template(&self) -> &[u8] {
        &self.data
    }

    /// The pc where execution starts.
    pub fn entry_pc(&self) -> usize {
        self.entry_pc
    }

    /// Sorted pcs of every function entry.
    pub fn functions(&self) -> &[usize] {
        &self.functions
    }

    /// Named functions, sorted by pc.
    pub fn function_names(&self) -> &[Function] {
        self.names.all()
    }

    /// The name of the function starting at `pc`, if it has one.
    pub fn function_name(&self, pc: usize) -> Option<&str> {
        self.names.name_at(pc)
    }

    /// The pc of the function called `name`.
    pub fn function_by_name(&self, name: &str) -> Option<usize> {
        self.names.pc_of(name)
    }

    /// The decoded instructions with their pcs (`lddw` once, at its first slot).
    pub fn instructions(&self) -> impl Iterator<Item = (usize, Instruction)> + '_ {
        let text = self.text();
        (0..self.ops.len()).filter_map(move |pc| {
            let slot = |i: usize| {
                let bytes = text.get(i * INSN_SIZE..(i + 1) * INSN_SIZE)?;
                Some(RawInsn::from_bytes(bytes.try_into().ok()?))
            };
            // Verified code decodes; second lddw slots decode to nothing.
            if self.ops[pc].code == super::OpCode::LddwTail {
                return None;
            }
            let insn = Instruction::decode(slot(pc)?, slot(pc + 1)).ok()?;
            Some((pc, insn))
        })
    }

    /// The virtual address `callx` uses for the function at `pc`.
    pub fn function_address(pc: usize) -> u64 {
        MM_PROGRAM_START + (pc as u64) * INSN_SIZE as u64
    }

    /// Resolves a `callx` register value: a registered builtin id, or the
    /// address ([`function_address`](Self::function_address)) of a function
    /// entry. Anything else is `None` (the engines trap).
    pub fn resolve_callx(&self, value: u64) -> Option<CallTarget> {
        if let Ok(id) = u32::try_from(value) {
            return self.builtins().index_of(id).map(CallTarget::Builtin);
        }
        let off = value.checked_sub(MM_PROGRAM_START)?;
        if off % INSN_SIZE as u64 != 0 {
            return None;
        }
        let pc = usize::try_from(off / INSN_SIZE as u64).ok()?;
        self.functions
            .binary_search(&pc)
            .ok()
            .map(|_| CallTarget::Local(pc))
    }
}
