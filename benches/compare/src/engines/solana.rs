//! solana_rbpf 0.8.5: SBPF v1 (the classic ISA), address translation and
//! instruction meter on, the same memory layout as ebpfvm (input at
//! `MM_INPUT_START`, `r1` pointing at it).

use std::sync::Arc;

use solana_rbpf::aligned_memory::AlignedMemory;
use solana_rbpf::ebpf;
use solana_rbpf::elf::Executable;
use solana_rbpf::error::StableResult;
use solana_rbpf::memory_region::{MemoryMapping, MemoryRegion};
use solana_rbpf::program::{BuiltinProgram, FunctionRegistry, SBPFVersion};
use solana_rbpf::verifier::RequisiteVerifier;
use solana_rbpf::vm::{Config, EbpfVm, TestContextObject};

use super::{Outcome, Runner, SetupError};
use crate::BUDGET;

/// The configuration used: defaults, minus the JIT hardening ebpfvm does not
/// do by default (random no-ops, immediate sanitisation).
pub fn config() -> Config {
    Config {
        enable_instruction_meter: true,
        enable_address_translation: true,
        noop_instruction_rate: 0,
        sanitize_user_provided_values: false,
        ..Config::default()
    }
}

/// Loads and verifies `code` as an SBPF v1 program.
pub fn load(code: &[u8]) -> Result<Executable<TestContextObject>, SetupError> {
    let loader = Arc::new(BuiltinProgram::new_loader(
        config(),
        FunctionRegistry::default(),
    ));
    let exe =
        Executable::from_text_bytes(code, loader, SBPFVersion::V1, FunctionRegistry::default())
            .map_err(|e| SetupError::Failed(e.to_string()))?;
    exe.verify::<RequisiteVerifier>()
        .map_err(|e| SetupError::Failed(e.to_string()))?;
    Ok(exe)
}

/// A verified (and maybe compiled) executable and its stack.
pub struct Solana {
    exe: Executable<TestContextObject>,
    stack: AlignedMemory<{ ebpf::HOST_ALIGN }>,
    interpreted: bool,
}

impl Solana {
    fn new(exe: Executable<TestContextObject>, interpreted: bool) -> Self {
        let stack = AlignedMemory::zero_filled(exe.get_config().stack_size());
        Solana {
            exe,
            stack,
            interpreted,
        }
    }

    /// The interpreter.
    pub fn interpreter(code: &[u8]) -> Result<Self, SetupError> {
        Ok(Self::new(load(code)?, true))
    }

    /// The JIT.
    pub fn jit(code: &[u8]) -> Result<Self, SetupError> {
        let mut exe = load(code)?;
        exe.jit_compile()
            .map_err(|e| SetupError::Failed(e.to_string()))?;
        Ok(Self::new(exe, false))
    }
}

impl Runner for Solana {
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String> {
        let stack_len = self.stack.len();
        let regions = vec![
            self.exe.get_ro_region(),
            MemoryRegion::new_writable(self.stack.as_slice_mut(), ebpf::MM_STACK_START),
            MemoryRegion::new_writable(&mut [], ebpf::MM_HEAP_START),
            MemoryRegion::new_writable(input, ebpf::MM_INPUT_START),
        ];
        let version = self.exe.get_sbpf_version();
        let mapping = MemoryMapping::new(regions, self.exe.get_config(), version)
            .map_err(|e| e.to_string())?;
        let mut context = TestContextObject::new(BUDGET);
        let loader = self.exe.get_loader().clone();
        let mut vm = EbpfVm::new(loader, version, &mut context, mapping, stack_len);
        let (count, result) = vm.execute_program(&self.exe, self.interpreted);
        match result {
            StableResult::Ok(r0) => Ok(Outcome {
                r0,
                instructions: Some(count),
            }),
            StableResult::Err(e) => Err(e.to_string()),
        }
    }
}
