//! The memory mapping: a fixed table of regions indexed by slot, with the
//! bounds- and permission-checked accessors every engine and builtin uses.

use super::{AccessKind, MappingError};

use super::{slot_of, MemoryRegion, MAX_REGIONS, MM_INPUT_START, MM_STACK_START};

/// The guest's view of memory: up to [`MAX_REGIONS`] regions, one per 4 GiB
/// slot (see the [module docs](super) for the layout).
///
/// Every access is checked: the region must exist, the whole access must lie
/// inside it, and stores need a writable region. A failed check returns `None`
/// (the engines turn it into [`crate::error::Trap::AccessViolation`]); nothing
/// outside the mapped buffers is ever read or written.
///
/// ```
/// use ebpfvm::memory::{MemoryMapping, MemoryRegion, MM_INPUT_START};
/// let mut input = [1u8, 2, 3, 4];
/// let mut mapping = MemoryMapping::new([MemoryRegion::writable(&mut input, MM_INPUT_START)])?;
/// assert_eq!(mapping.load::<2>(MM_INPUT_START + 1), Some([2, 3]));
/// assert!(mapping.store::<4>(MM_INPUT_START, [9, 9, 9, 9]));
/// assert!(!mapping.store::<4>(MM_INPUT_START + 1, [0; 4])); // crosses the end
/// assert_eq!(mapping.load::<1>(0), None); // null is never mapped
/// # Ok::<(), ebpfvm::error::MappingError>(())
/// ```
#[derive(Debug)]
pub struct MemoryMapping<'a> {
    regions: [Option<MemoryRegion<'a>>; MAX_REGIONS],
}

impl Default for MemoryMapping<'_> {
    fn default() -> Self {
        MemoryMapping {
            regions: [const { None }; MAX_REGIONS],
        }
    }
}

impl<'a> MemoryMapping<'a> {
    /// Builds a mapping from regions; each must sit alone in its slot.
    pub fn new(regions: impl IntoIterator<Item = MemoryRegion<'a>>) -> Result<Self, MappingError> {
        let mut mapping = MemoryMapping::default();
        for region in regions {
            mapping.insert(region)?;
        }
        Ok(mapping)
    }

    /// Adds a region to a free slot.
    pub fn insert(&mut self, region: MemoryRegion<'a>) -> Result<(), MappingError> {
        let slot = region.checked_slot()?;
        let entry = &mut self.regions[slot];
        if entry.is_some() {
            return Err(MappingError::SlotTaken {
                vm_addr: region.vm_addr(),
            });
        }
        *entry = Some(region);
        Ok(())
    }

    /// The region in `slot`, if any.
    pub fn region(&self, slot: usize) -> Option<&MemoryRegion<'a>> {
        self.regions.get(slot)?.as_ref()
    }

    /// The region in `slot` for host-side access, if any.
    pub fn region_mut(&mut self, slot: usize) -> Option<&mut MemoryRegion<'a>> {
        self.regions.get_mut(slot)?.as_mut()
    }

    /// All mapped regions, in slot order.
    pub fn regions(&self) -> impl Iterator<Item = &MemoryRegion<'a>> {
        self.regions.iter().flatten()
    }

    /// Mutable access to every slot (for the JIT's region table).
    #[cfg_attr(
        not(all(feature = "jit", target_arch = "x86_64", unix)),
        allow(dead_code)
    )]
    pub(crate) fn slots_mut(&mut self) -> &mut [Option<MemoryRegion<'a>>; MAX_REGIONS] {
        &mut self.regions
    }

    /// The input region's address and length (`r1`, `r2` at entry); `(0, 0)` when absent.
    pub fn input(&self) -> (u64, u64) {
        match self.region(slot_of(MM_INPUT_START)) {
            Some(r) => (r.vm_addr(), r.len() as u64),
            None => (0, 0),
        }
    }

    /// One past the stack region's last byte: `r10` of the first frame.
    pub fn stack_top(&self) -> Option<u64> {
        let r = self.region(slot_of(MM_STACK_START))?;
        Some(r.vm_addr() + r.len() as u64)
    }

    /// The byte offset of `[addr, addr + len)` inside its region, and the region.
    #[inline(always)]
    fn locate(&self, addr: u64, len: usize) -> Option<(&MemoryRegion<'a>, usize)> {
        let region = self.regions.get(slot_of(addr))?.as_ref()?;
        let off = addr.wrapping_sub(region.vm_addr());
        let size = region.len();
        if off > size as u64 || size - (off as usize) < len {
            return None;
        }
        Some((region, off as usize))
    }

    /// Reads `N` bytes at `addr`.
    #[inline(always)]
    pub fn load<const N: usize>(&self, addr: u64) -> Option<[u8; N]> {
        let (region, off) = self.locate(addr, N)?;
        region.bytes().get(off..off + N)?.try_into().ok()
    }

    /// Writes `N` bytes at `addr`; `false` if the access is not allowed.
    #[inline(always)]
    pub fn store<const N: usize>(&mut self, addr: u64, bytes: [u8; N]) -> bool {
        match self.bytes_mut::<N>(addr) {
            Some(dst) => {
                *dst = bytes;
                true
            }
            None => false,
        }
    }

    /// The `N` writable bytes at `addr` (for atomics).
    #[inline(always)]
    pub fn bytes_mut<const N: usize>(&mut self, addr: u64) -> Option<&mut [u8; N]> {
        let (_, off) = self.locate(addr, N)?;
        let region = self.regions.get_mut(slot_of(addr))?.as_mut()?;
        region.bytes_mut()?.get_mut(off..off + N)?.try_into().ok()
    }

    /// The `len` bytes at `addr`, for builtins reading guest buffers.
    pub fn slice(&self, addr: u64, len: u64) -> Option<&[u8]> {
        let len = usize::try_from(len).ok()?;
        let (region, off) = self.locate(addr, len)?;
        region.bytes().get(off..off + len)
    }

    /// The `len` writable bytes at `addr`, for builtins writing guest buffers.
    pub fn slice_mut(&mut self, addr: u64, len: u64) -> Option<&mut [u8]> {
        let len = usize::try_from(len).ok()?;
        let (_, off) = self.locate(addr, len)?;
        let region = self.regions.get_mut(slot_of(addr))?.as_mut()?;
        region.bytes_mut()?.get_mut(off..off + len)
    }

    /// Whether an access of `len` bytes of `kind` at `addr` would succeed.
    pub fn is_accessible(&self, addr: u64, len: usize, kind: AccessKind) -> bool {
        match self.locate(addr, len) {
            Some((region, _)) => kind == AccessKind::Load || region.is_writable(),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{MM_DATA_START, MM_PROGRAM_START};

    #[test]
    fn accesses_are_bounded_and_permission_checked() {
        let ro = [7u8; 8];
        let mut rw = [0u8; 16];
        let mut m = MemoryMapping::new([
            MemoryRegion::readonly(&ro, MM_PROGRAM_START),
            MemoryRegion::writable(&mut rw, MM_STACK_START),
        ])
        .unwrap();
        assert_eq!(m.load::<8>(MM_PROGRAM_START), Some([7; 8]));
        assert_eq!(m.load::<8>(MM_PROGRAM_START + 1), None);
        assert_eq!(m.load::<1>(MM_PROGRAM_START - 1), None);
        assert!(!m.store::<1>(MM_PROGRAM_START, [1]), "read-only region");
        assert!(m.store::<8>(MM_STACK_START + 8, [1; 8]));
        assert!(!m.store::<8>(MM_STACK_START + 9, [1; 8]));
        assert_eq!(m.load::<8>(MM_STACK_START + 8), Some([1; 8]));
        assert_eq!(m.load::<1>(u64::MAX), None);
        assert_eq!(m.load::<1>(MM_DATA_START), None, "unmapped slot");
        assert_eq!(m.slice(MM_STACK_START, 17), None);
        assert_eq!(m.slice(MM_STACK_START, u64::MAX), None);
        assert!(m.slice_mut(MM_PROGRAM_START, 1).is_none());
        assert_eq!(m.stack_top(), Some(MM_STACK_START + 16));
        assert_eq!(m.input(), (0, 0));
    }

    #[test]
    fn regions_must_fit_their_slot() {
        let buf = [0u8; 4];
        assert_eq!(
            MemoryMapping::new([MemoryRegion::readonly(&buf, 0)]).unwrap_err(),
            MappingError::InvalidSlot { vm_addr: 0 }
        );
        let near_end = MM_STACK_START - 2;
        assert_eq!(
            MemoryMapping::new([MemoryRegion::readonly(&buf, near_end)]).unwrap_err(),
            MappingError::RegionTooLarge {
                vm_addr: near_end,
                len: 4
            }
        );
        let high = (MAX_REGIONS as u64) << 32;
        assert!(MemoryMapping::new([MemoryRegion::readonly(&buf, high)]).is_err());
        assert_eq!(
            MemoryMapping::new([
                MemoryRegion::readonly(&buf, MM_PROGRAM_START),
                MemoryRegion::readonly(&buf, MM_PROGRAM_START + 100),
            ])
            .unwrap_err(),
            MappingError::SlotTaken {
                vm_addr: MM_PROGRAM_START + 100
            }
        );
    }

    #[test]
    fn region_may_start_inside_its_slot() {
        let buf = [5u8; 4];
        let m =
            MemoryMapping::new([MemoryRegion::readonly(&buf, MM_PROGRAM_START + 0x100)]).unwrap();
        assert_eq!(m.load::<4>(MM_PROGRAM_START + 0x100), Some([5; 4]));
        assert_eq!(m.load::<1>(MM_PROGRAM_START + 0xff), None);
        assert_eq!(m.load::<1>(MM_PROGRAM_START), None);
    }
}
