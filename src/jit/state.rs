//! The JIT's run-time state block: a `#[repr(C)]` struct whose address lives
//! in a pinned register for the whole run (not the host's context object).
//!
//! Soundness: generated code trusts the region tables built here
//! ([`JitState::refresh_regions`]) to bound every guest access; they are
//! derived only from the live, borrowed [`MemoryMapping`].
//!
//! It holds the region tables of the inline memory check, the spilled eBPF
//! registers, the instruction meter, the host stack bounds of local calls,
//! the trap record, and the helper entry points. The compiler addresses its
//! fields by their `offset_of!` offsets.

use core::ffi::c_void;
use core::mem::offset_of;

use crate::isa::Reg as EbpfReg;
use crate::memory::{MemoryMapping, MAX_REGIONS};

/// One slot of a region table (64 bytes, so `slot * 64` indexes it).
///
/// `bound[i]` is the exclusive upper limit of `addr - vm_start` for an
/// access of `1 << i` bytes: `len - size + 1`, or 0 (nothing passes) when the
/// region is shorter than the access, the slot is empty, or (in the store
/// table) the region is read-only. One unsigned compare of the offset then
/// checks both ends of the access: an address below `vm_start` wraps to a
/// huge offset.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
pub(crate) struct RegionEntry {
    pub(crate) vm_start: u64,
    pub(crate) host: u64,
    pub(crate) bound: [u64; 4],
    _pad: [u64; 2],
}

const _: () = assert!(core::mem::size_of::<RegionEntry>() == 1 << ENTRY_SHIFT);
const _: () = assert!(MAX_REGIONS == 16);

/// log2 of the size of a [`RegionEntry`].
pub(crate) const ENTRY_SHIFT: u32 = 6;

/// How a run ended (`JitState::status`).
pub(crate) mod status {
    /// The entry function exited; `r0` is the result.
    pub(crate) const EXITED: u64 = 0;
    /// A load or store failed its check: see `fault_addr` / `fault_info`.
    pub(crate) const ACCESS_VIOLATION: u64 = 1;
    /// The instruction budget ran out before the pc in `fault_info`.
    pub(crate) const METER: u64 = 2;
    /// A local call at the pc in `fault_info` would exceed the depth limit.
    pub(crate) const CALL_DEPTH: u64 = 3;
    /// A helper recorded a trap (or a builtin panicked) on the Rust side.
    pub(crate) const HELPER: u64 = 4;
}

/// Packs what an access-violation stub knows statically.
pub(crate) fn fault_info(pc: usize, len: u8, store: bool) -> u64 {
    pc as u64 | (len as u64) << 32 | (store as u64) << 40
}

/// Unpacks [`fault_info`]: `(pc, len, store)`.
pub(crate) fn unpack_fault_info(info: u64) -> (usize, u8, bool) {
    (
        (info & 0xffff_ffff) as usize,
        (info >> 32) as u8,
        (info >> 40) & 1 == 1,
    )
}

/// `extern "C" fn(ctx, pc) -> u64`: runs the builtin of the `call` at `pc`.
pub(crate) type BuiltinHelper = extern "C" fn(*mut JitState, u64) -> u64;
/// `extern "C" fn(ctx, pc, value) -> u64`: resolves (and for builtins runs)
/// the `callx` at `pc`.
pub(crate) type CallxHelper = extern "C" fn(*mut JitState, u64, u64) -> u64;

/// The block of state shared by generated code and the Rust side of a run.
#[repr(C, align(64))]
pub(crate) struct JitState {
    /// Region table checked by loads.
    pub(crate) load: [RegionEntry; MAX_REGIONS],
    /// Region table checked by stores and atomics (read-only regions have
    /// zero bounds).
    pub(crate) store: [RegionEntry; MAX_REGIONS],
    /// eBPF registers `r0..=r10` whenever control is outside generated code.
    pub(crate) regs: [u64; EbpfReg::COUNT],
    /// Instructions the program may still execute before the budget check
    /// fails (`budget - pending`); the meter register when spilled.
    pub(crate) meter: u64,
    /// The budget as last read from the context object.
    pub(crate) budget: u64,
    /// Instructions already charged to the context object.
    pub(crate) charged: u64,
    /// A local call traps when the host stack pointer is at or below this.
    pub(crate) call_limit: u64,
    /// Host stack pointer of the entry frame, for unwinding on a trap.
    pub(crate) host_rsp: u64,
    /// Start of the input region (base of legacy packet loads).
    pub(crate) input_start: u64,
    /// How the run ended (see [`status`]).
    pub(crate) status: u64,
    /// Faulting address of an access violation.
    pub(crate) fault_addr: u64,
    /// Packed pc/len/kind of an access violation, or the pc of a meter or
    /// call-depth trap.
    pub(crate) fault_info: u64,
    /// Helper for `call imm`.
    pub(crate) builtin_helper: Option<BuiltinHelper>,
    /// Helper for `callx`.
    pub(crate) callx_helper: Option<CallxHelper>,
    /// Type-erased pointer to the Rust-side run state of the helpers.
    pub(crate) env: *mut c_void,
}

/// Field offsets, as displacements from the context register.
pub(crate) mod offset {
    use super::*;

    pub(crate) const LOAD_TABLE: i32 = offset_of!(JitState, load) as i32;
    pub(crate) const STORE_TABLE: i32 = offset_of!(JitState, store) as i32;
    pub(crate) const VM_START: i32 = offset_of!(RegionEntry, vm_start) as i32;
    pub(crate) const HOST: i32 = offset_of!(RegionEntry, host) as i32;
    pub(crate) const BOUND: i32 = offset_of!(RegionEntry, bound) as i32;
    pub(crate) const REGS: i32 = offset_of!(JitState, regs) as i32;
    pub(crate) const METER: i32 = offset_of!(JitState, meter) as i32;
    pub(crate) const CALL_LIMIT: i32 = offset_of!(JitState, call_limit) as i32;
    pub(crate) const HOST_RSP: i32 = offset_of!(JitState, host_rsp) as i32;
    pub(crate) const INPUT_START: i32 = offset_of!(JitState, input_start) as i32;
    pub(crate) const STATUS: i32 = offset_of!(JitState, status) as i32;
    pub(crate) const FAULT_ADDR: i32 = offset_of!(JitState, fault_addr) as i32;
    pub(crate) const FAULT_INFO: i32 = offset_of!(JitState, fault_info) as i32;
    pub(crate) const BUILTIN_HELPER: i32 = offset_of!(JitState, builtin_helper) as i32;
    pub(crate) const CALLX_HELPER: i32 = offset_of!(JitState, callx_helper) as i32;
}

impl JitState {
    /// A context with empty tables and zeroed state.
    pub(crate) fn new() -> Self {
        JitState {
            load: [RegionEntry::default(); MAX_REGIONS],
            store: [RegionEntry::default(); MAX_REGIONS],
            regs: [0; EbpfReg::COUNT],
            meter: 0,
            budget: 0,
            charged: 0,
            call_limit: 0,
            host_rsp: 0,
            input_start: 0,
            status: status::EXITED,
            fault_addr: 0,
            fault_info: 0,
            builtin_helper: None,
            callx_helper: None,
            env: core::ptr::null_mut(),
        }
    }

    /// Rebuilds both region tables from the mapping's current regions.
    ///
    /// Called before entering generated code and after every builtin (which
    /// may map new regions), so the host pointers are always derived from
    /// the latest borrow of the mapping.
    pub(crate) fn refresh_regions(&mut self, memory: &mut MemoryMapping<'_>) {
        for (slot, region) in memory.slots_mut().iter_mut().enumerate() {
            let (load, store) = match region {
                Some(region) => {
                    let writable = region.is_writable();
                    let vm_start = region.vm_addr();
                    let len = region.len();
                    let mut entry = RegionEntry {
                        vm_start,
                        host: region.host_addr() as u64,
                        ..RegionEntry::default()
                    };
                    for (i, bound) in entry.bound.iter_mut().enumerate() {
                        *bound = (len as u64).saturating_sub((1 << i) - 1);
                    }
                    let mut store = entry;
                    if !writable {
                        store.bound = [0; 4];
                    }
                    (entry, store)
                }
                None => (RegionEntry::default(), RegionEntry::default()),
            };
            self.load[slot] = load;
            self.store[slot] = store;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{MemoryRegion, MM_INPUT_START, MM_PROGRAM_START};

    /// The check the generated code performs, in Rust.
    fn passes(table: &[RegionEntry; MAX_REGIONS], addr: u64, size_log2: usize) -> bool {
        let entry = &table[((addr >> 32) & 15) as usize];
        addr.wrapping_sub(entry.vm_start) < entry.bound[size_log2]
    }

    #[test]
    fn tables_match_the_mapping_checks() {
        let ro = [1u8; 8];
        let mut rw = [0u8; 3];
        let mut mapping = MemoryMapping::new([
            MemoryRegion::readonly(&ro, MM_PROGRAM_START + 4),
            MemoryRegion::writable(&mut rw, MM_INPUT_START),
        ])
        .unwrap();
        let mut ctx = JitState::new();
        ctx.refresh_regions(&mut mapping);
        let interesting = [
            0,
            MM_PROGRAM_START,
            MM_PROGRAM_START + 3,
            MM_PROGRAM_START + 4,
            MM_PROGRAM_START + 8,
            MM_PROGRAM_START + 11,
            MM_PROGRAM_START + 12,
            MM_INPUT_START - 1,
            MM_INPUT_START,
            MM_INPUT_START + 1,
            MM_INPUT_START + 2,
            MM_INPUT_START + 3,
            MM_INPUT_START + (16 << 32),
            MM_PROGRAM_START + (16 << 32) + 4,
            u64::MAX,
            u64::MAX - 2,
        ];
        for addr in interesting {
            for (i, len) in [1usize, 2, 4, 8].into_iter().enumerate() {
                use crate::error::AccessKind::{Load, Store};
                assert_eq!(
                    passes(&ctx.load, addr, i),
                    mapping.is_accessible(addr, len, Load),
                    "load {addr:#x} {len}"
                );
                assert_eq!(
                    passes(&ctx.store, addr, i),
                    mapping.is_accessible(addr, len, Store),
                    "store {addr:#x} {len}"
                );
            }
        }
    }

    #[test]
    fn fault_info_round_trips() {
        assert_eq!(
            unpack_fault_info(fault_info(123_456, 8, true)),
            (123_456, 8, true)
        );
        assert_eq!(unpack_fault_info(fault_info(0, 1, false)), (0, 1, false));
    }
}
