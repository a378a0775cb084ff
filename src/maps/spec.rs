//! Map definitions: the type and the four numbers every BPF map is made of.

use alloc::string::String;

use super::error::SpecProblem;
use super::{round8, MAX_CPUS, MAX_KEY_SIZE};

/// The map types this VM implements, with their Linux `enum bpf_map_type` ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MapType {
    /// `BPF_MAP_TYPE_HASH`.
    Hash,
    /// `BPF_MAP_TYPE_ARRAY`.
    Array,
    /// `BPF_MAP_TYPE_PROG_ARRAY`.
    ProgArray,
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`.
    PerfEventArray,
    /// `BPF_MAP_TYPE_PERCPU_HASH`.
    PerCpuHash,
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`.
    PerCpuArray,
    /// `BPF_MAP_TYPE_LRU_HASH`.
    LruHash,
    /// `BPF_MAP_TYPE_LRU_PERCPU_HASH`.
    LruPerCpuHash,
    /// `BPF_MAP_TYPE_ARRAY_OF_MAPS`.
    ArrayOfMaps,
    /// `BPF_MAP_TYPE_HASH_OF_MAPS`.
    HashOfMaps,
    /// `BPF_MAP_TYPE_QUEUE`.
    Queue,
    /// `BPF_MAP_TYPE_STACK`.
    Stack,
    /// `BPF_MAP_TYPE_RINGBUF`.
    RingBuf,
}

impl MapType {
    /// Every type, for tables and tests.
    pub const ALL: [MapType; 13] = [
        MapType::Hash,
        MapType::Array,
        MapType::ProgArray,
        MapType::PerfEventArray,
        MapType::PerCpuHash,
        MapType::PerCpuArray,
        MapType::LruHash,
        MapType::LruPerCpuHash,
        MapType::ArrayOfMaps,
        MapType::HashOfMaps,
        MapType::Queue,
        MapType::Stack,
        MapType::RingBuf,
    ];

    /// The Linux id.
    pub const fn id(self) -> u32 {
        match self {
            MapType::Hash => 1,
            MapType::Array => 2,
            MapType::ProgArray => 3,
            MapType::PerfEventArray => 4,
            MapType::PerCpuHash => 5,
            MapType::PerCpuArray => 6,
            MapType::LruHash => 9,
            MapType::LruPerCpuHash => 10,
            MapType::ArrayOfMaps => 12,
            MapType::HashOfMaps => 13,
            MapType::Queue => 22,
            MapType::Stack => 23,
            MapType::RingBuf => 27,
        }
    }

    /// The type with Linux id `id`, if this VM has it.
    pub fn from_id(id: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }

    /// The Linux name (`"BPF_MAP_TYPE_HASH"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            MapType::Hash => "BPF_MAP_TYPE_HASH",
            MapType::Array => "BPF_MAP_TYPE_ARRAY",
            MapType::ProgArray => "BPF_MAP_TYPE_PROG_ARRAY",
            MapType::PerfEventArray => "BPF_MAP_TYPE_PERF_EVENT_ARRAY",
            MapType::PerCpuHash => "BPF_MAP_TYPE_PERCPU_HASH",
            MapType::PerCpuArray => "BPF_MAP_TYPE_PERCPU_ARRAY",
            MapType::LruHash => "BPF_MAP_TYPE_LRU_HASH",
            MapType::LruPerCpuHash => "BPF_MAP_TYPE_LRU_PERCPU_HASH",
            MapType::ArrayOfMaps => "BPF_MAP_TYPE_ARRAY_OF_MAPS",
            MapType::HashOfMaps => "BPF_MAP_TYPE_HASH_OF_MAPS",
            MapType::Queue => "BPF_MAP_TYPE_QUEUE",
            MapType::Stack => "BPF_MAP_TYPE_STACK",
            MapType::RingBuf => "BPF_MAP_TYPE_RINGBUF",
        }
    }

    /// Whether each element has one value per CPU.
    pub const fn is_per_cpu(self) -> bool {
        matches!(
            self,
            MapType::PerCpuArray | MapType::PerCpuHash | MapType::LruPerCpuHash
        )
    }

    /// Whether the type is keyed by a hash table.
    pub const fn is_hash(self) -> bool {
        matches!(
            self,
            MapType::Hash
                | MapType::PerCpuHash
                | MapType::LruHash
                | MapType::LruPerCpuHash
                | MapType::HashOfMaps
        )
    }

    /// Whether a full hash map evicts its least recently used element.
    pub const fn is_lru(self) -> bool {
        matches!(self, MapType::LruHash | MapType::LruPerCpuHash)
    }
}

impl core::fmt::Display for MapType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// `BPF_F_NO_PREALLOC`: accepted and ignored (every map is preallocated).
pub const BPF_F_NO_PREALLOC: u32 = 1 << 0;
/// `BPF_F_NO_COMMON_LRU`: accepted (the LRU list is one exact list).
pub const BPF_F_NO_COMMON_LRU: u32 = 1 << 1;
/// `BPF_F_RDONLY_PROG`: accepted (not enforced: values share one arena).
pub const BPF_F_RDONLY_PROG: u32 = 1 << 7;
/// `BPF_F_WRONLY_PROG`: accepted (not enforced).
pub const BPF_F_WRONLY_PROG: u32 = 1 << 8;
/// `BPF_F_MMAPABLE`: accepted (every array is host-visible).
pub const BPF_F_MMAPABLE: u32 = 1 << 10;
/// `BPF_F_RDONLY`, `BPF_F_WRONLY` (syscall-side), `BPF_F_NUMA_NODE`,
/// `BPF_F_ZERO_SEED`, `BPF_F_INNER_MAP`: accepted, no effect here.
const HARMLESS_FLAGS: u32 = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 6) | (1 << 12);

/// The largest arena share one map may take (1 GiB; the whole arena must
/// fit its 4 GiB memory slot).
pub const MAX_MAP_BYTES: u64 = 1 << 30;

/// One map definition, as `SEC(".maps")` or `bpf_map_def` declare it.
///
/// ```
/// use ebpfvm::maps::{MapSpec, MapType};
/// let spec = MapSpec::new("counts", MapType::Hash, 4, 8, 1024);
/// assert_eq!(spec.validate(1), Ok(()));
/// assert!(MapSpec::new("bad", MapType::Array, 8, 8, 4).validate(1).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapSpec {
    /// The map's name (its symbol).
    pub name: String,
    /// The type.
    pub map_type: MapType,
    /// Key size in bytes.
    pub key_size: u32,
    /// Value size in bytes.
    pub value_size: u32,
    /// Capacity (ring buffer: data size in bytes).
    pub max_entries: u32,
    /// `map_flags`.
    pub flags: u32,
    /// Map-in-map: the index, in the same set, of the inner map template.
    pub inner_map: Option<u32>,
}

impl MapSpec {
    /// A definition with no flags and no inner map.
    pub fn new(
        name: &str,
        map_type: MapType,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
    ) -> Self {
        MapSpec {
            name: String::from(name),
            map_type,
            key_size,
            value_size,
            max_entries,
            flags: 0,
            inner_map: None,
        }
    }

    /// Checks the numbers against the type's rules, as `BPF_MAP_CREATE` does.
    pub fn validate(&self, cpus: u32) -> Result<(), SpecProblem> {
        use MapType::*;
        let (k, v, n) = (self.key_size, self.value_size, self.max_entries);
        let known = BPF_F_NO_PREALLOC
            | BPF_F_NO_COMMON_LRU
            | BPF_F_RDONLY_PROG
            | BPF_F_WRONLY_PROG
            | BPF_F_MMAPABLE
            | HARMLESS_FLAGS;
        if self.flags & !known != 0 {
            return Err(SpecProblem::Flags {
                flags: self.flags & !known,
            });
        }
        if n == 0 {
            return Err(SpecProblem::MaxEntries { max_entries: n });
        }
        let key_ok = match self.map_type {
            Array | PerCpuArray | ProgArray | PerfEventArray | ArrayOfMaps => k == 4,
            Queue | Stack | RingBuf => k == 0,
            Hash | PerCpuHash | LruHash | LruPerCpuHash | HashOfMaps => k > 0 && k <= MAX_KEY_SIZE,
        };
        if !key_ok {
            return Err(SpecProblem::KeySize { size: k });
        }
        let value_ok = match self.map_type {
            ProgArray | PerfEventArray | ArrayOfMaps | HashOfMaps => v == 4,
            RingBuf => v == 0,
            _ => v > 0,
        };
        if !value_ok {
            return Err(SpecProblem::ValueSize { size: v });
        }
        if self.map_type == RingBuf && (!n.is_power_of_two() || n < 8) {
            return Err(SpecProblem::MaxEntries { max_entries: n });
        }
        if matches!(self.map_type, ArrayOfMaps | HashOfMaps) != self.inner_map.is_some() {
            return Err(SpecProblem::InnerMap);
        }
        let bytes = self.arena_bytes(cpus).max(self.index_bytes());
        if bytes > MAX_MAP_BYTES {
            return Err(SpecProblem::too_large(bytes));
        }
        Ok(())
    }

    /// Host bytes the index takes, roughly (keys, buckets, links, tables).
    pub fn index_bytes(&self) -> u64 {
        let n = self.max_entries as u64;
        if self.map_type.is_hash() {
            n.saturating_mul(self.key_size as u64 + 32)
        } else {
            n.saturating_mul(4)
        }
    }

    /// Bytes of one value slot: `round_up(value_size, 8)`.
    pub fn value_stride(&self) -> u64 {
        round8(self.value_size as u64)
    }

    /// Bytes of one element as the host sees it: the value slot, times the
    /// CPU count for per-CPU maps.
    pub fn element_bytes(&self, cpus: u32) -> u64 {
        let cpus = if self.map_type.is_per_cpu() {
            cpus.clamp(1, MAX_CPUS)
        } else {
            1
        };
        self.value_stride().saturating_mul(cpus as u64)
    }

    /// Bytes of the arena this map takes.
    pub fn arena_bytes(&self, cpus: u32) -> u64 {
        match self.map_type {
            // Program and inner-map tables and perf buffers are host-side.
            MapType::ProgArray
            | MapType::PerfEventArray
            | MapType::ArrayOfMaps
            | MapType::HashOfMaps => 0,
            // Twice the size, so a record that wraps stays contiguous (the
            // kernel maps the data pages twice for the same reason).
            MapType::RingBuf => 2 * self.max_entries as u64,
            _ => self
                .element_bytes(cpus)
                .saturating_mul(self.max_entries as u64),
        }
    }
}
