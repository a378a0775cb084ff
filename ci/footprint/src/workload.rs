//! The measured workload: one small program, valid for both VMs, that sums
//! the input bytes in a loop, spills to the stack, and calls helper 1
//! (which doubles its argument). The baseline computes the same in Rust; the
//! `elf` image loads the same computation compiled from C as an ELF object.

#[cfg(feature = "ebpfvm")]
use ebpfvm::{Budget, Executable, Runtime};

/// Bytes of input the program sums.
pub const INPUT_LEN: usize = 16;

/// The program (hand-encoded; r1 = input address at entry in both VMs).
#[cfg(any(all(feature = "ebpfvm", not(feature = "elf")), feature = "rbpf"))]
#[rustfmt::skip]
const PROGRAM: [u8; 88] = [
    0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // mov r0, 0
    0xb7, 0x02, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, // mov r2, 16
    0x71, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ldxb r3, [r1]
    0x0f, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // add r0, r3
    0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // add r1, 1
    0x17, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // sub r2, 1
    0x55, 0x02, 0xfb, 0xff, 0x00, 0x00, 0x00, 0x00, // jne r2, 0, -5 (to ldxb)
    0x7b, 0x0a, 0xf8, 0xff, 0x00, 0x00, 0x00, 0x00, // stxdw [r10-8], r0
    0x79, 0xa1, 0xf8, 0xff, 0x00, 0x00, 0x00, 0x00, // ldxdw r1, [r10-8]
    0x85, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // call 1
    0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // exit
];

/// What the program returns for `input`.
pub fn reference(input: &[u8; INPUT_LEN]) -> u64 {
    input.iter().map(|&b| u64::from(b)).sum::<u64>() * 2
}

/// The baseline: the same result without a VM (one allocation, so the
/// allocator is linked as in the VM images).
#[cfg(not(any(feature = "ebpfvm", feature = "rbpf")))]
pub fn run(input: &[u8; INPUT_LEN]) -> Option<u64> {
    let copy = alloc::vec::Vec::from(core::hint::black_box(&input[..]));
    Some(copy.iter().map(|&b| u64::from(b)).sum::<u64>() * 2)
}

#[cfg(feature = "ebpfvm")]
pub fn run(input: &[u8; INPUT_LEN]) -> Option<u64> {
    use ebpfvm::error::BuiltinError;
    use ebpfvm::memory::{MemoryMapping, MemoryRegion, MM_INPUT_START, MM_STACK_START};
    use ebpfvm::{Config, EbpfVm};

    fn double(_: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
        Ok(a[0].wrapping_mul(2))
    }

    let mut runtime = Runtime::new(Config::default());
    runtime.register(1, "double", double).ok()?;
    let exe = load(&runtime)?;
    let mut stack = alloc::vec![0u8; exe.config().stack_size()];
    let mut input = *input;
    let mapping = MemoryMapping::new([
        exe.ro_region(),
        MemoryRegion::writable(&mut stack, MM_STACK_START),
        MemoryRegion::writable(&mut input, MM_INPUT_START),
    ])
    .ok()?;
    let mut budget = Budget::new(1_000);
    let mut vm = EbpfVm::new(&exe, &mut budget, mapping);
    vm.execute_interpreted().result.ok()
}

/// Verifies the hand-encoded program.
#[cfg(all(feature = "ebpfvm", not(feature = "elf")))]
fn load(runtime: &Runtime<Budget>) -> Option<Executable<'_, Budget>> {
    Executable::from_bytecode(core::hint::black_box(&PROGRAM), runtime).ok()
}

/// Loads the same computation compiled from `programs/workload.c`; the ELF
/// loader binds its call to "double" by name. (The object has no data, so
/// the mapping is the same as for the bytecode.)
#[cfg(feature = "elf")]
fn load(runtime: &Runtime<Budget>) -> Option<Executable<'_, Budget>> {
    const OBJECT: &[u8] = include_bytes!("../programs/workload.o");
    Executable::from_elf(core::hint::black_box(OBJECT), runtime).ok()
}

#[cfg(feature = "rbpf")]
pub fn run(input: &[u8; INPUT_LEN]) -> Option<u64> {
    fn double(a: u64, _: u64, _: u64, _: u64, _: u64) -> u64 {
        a.wrapping_mul(2)
    }

    let program = core::hint::black_box(&PROGRAM);
    let mut vm = rbpf::EbpfVmRaw::new(Some(program)).ok()?;
    vm.register_helper(1, double).ok()?;
    let mut input = *input;
    vm.execute_program(&mut input).ok()
}
