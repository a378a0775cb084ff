//! The map index: every map's host-side structure ([`Map`]) and the set of
//! them a run's context object lends to the helpers ([`MapIndex`]).
//!
//! Operations here decide *where* a value is (a byte offset into the arena)
//! and keep the structure consistent; copying the bytes is left to the
//! caller, which reaches the arena through the guest mapping (helpers) or
//! directly (the host API).

use alloc::vec;
use alloc::vec::Vec;

use super::error::Errno;
use super::hash::{HashIndex, Inserted};
use super::perf::PerfBuffers;
use super::queue::QueueIndex;
use super::ringbuf::RingIndex;
use super::spec::{MapSpec, MapType};
use super::{index_of_handle, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST};

/// An empty program or inner-map table entry.
pub(crate) const NO_ENTRY: u32 = u32::MAX;

/// The structure of one map type.
#[derive(Debug, Clone)]
pub(crate) enum State {
    /// Array and per-CPU array: the index is the key.
    Array,
    /// Hash types with values in the arena.
    Hash(HashIndex),
    /// Queue and stack.
    Queue(QueueIndex),
    /// Ring buffer.
    Ring(RingIndex),
    /// Perf event array.
    Perf(PerfBuffers),
    /// Program array and array of maps: `NO_ENTRY` or a program/map number.
    Table(Vec<u32>),
    /// Hash of maps: keys, and the inner map of each slot.
    HashTable(HashIndex, Vec<u32>),
}

/// Where a lookup found its element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The element's first byte, as an arena offset.
    Value(u64),
    /// A map-in-map entry: the inner map's index.
    Inner(u32),
}

/// One map: its definition, its share of the arena and its structure.
#[derive(Debug, Clone)]
pub struct Map {
    pub(crate) spec: MapSpec,
    /// The arena offset of the map's storage.
    pub(crate) base: u64,
    /// Bytes of one value slot.
    pub(crate) stride: u64,
    /// Bytes of one element (all CPUs).
    pub(crate) element: u64,
    pub(crate) state: State,
}

impl Map {
    pub(crate) fn new(spec: MapSpec, base: u64, cpus: u32, perf_bytes: usize) -> Self {
        let n = spec.max_entries;
        let state = match spec.map_type {
            MapType::Array | MapType::PerCpuArray => State::Array,
            MapType::Hash | MapType::PerCpuHash | MapType::LruHash | MapType::LruPerCpuHash => {
                State::Hash(HashIndex::new(spec.key_size, n, spec.map_type.is_lru()))
            }
            MapType::Queue => State::Queue(QueueIndex::new(n, false)),
            MapType::Stack => State::Queue(QueueIndex::new(n, true)),
            MapType::RingBuf => State::Ring(RingIndex::new(n)),
            MapType::PerfEventArray => State::Perf(PerfBuffers::new(n, perf_bytes)),
            MapType::ProgArray | MapType::ArrayOfMaps => State::Table(vec![NO_ENTRY; n as usize]),
            MapType::HashOfMaps => State::HashTable(
                HashIndex::new(spec.key_size, n, false),
                vec![NO_ENTRY; n as usize],
            ),
        };
        Map {
            stride: spec.value_stride(),
            element: spec.element_bytes(cpus),
            spec,
            base,
            state,
        }
    }

    /// The definition.
    pub fn spec(&self) -> &MapSpec {
        &self.spec
    }

    /// The arena offset of the map's storage.
    pub fn arena_offset(&self) -> u64 {
        self.base
    }

    /// Elements present (array types: `max_entries`; ring and perf: records).
    pub fn len(&self) -> u32 {
        match &self.state {
            State::Array => self.spec.max_entries,
            State::Hash(h) | State::HashTable(h, _) => h.len(),
            State::Queue(q) => q.len(),
            State::Ring(_) | State::Perf(_) => 0,
            State::Table(t) => t.iter().filter(|&&e| e != NO_ENTRY).count() as u32,
        }
    }

    /// Whether no element is present.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn element_offset(&self, slot: u32) -> u64 {
        self.base + slot as u64 * self.element
    }

    /// The array index a 4-byte key names.
    fn array_index(key: &[u8]) -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&key[..4]);
        u32::from_le_bytes(b)
    }

    /// Finds `key` (`key_size` bytes); `touch` updates the LRU order.
    pub(crate) fn lookup(&mut self, key: &[u8], touch: bool) -> Result<Option<Found>, Errno> {
        Ok(match &mut self.state {
            State::Array => {
                let i = Self::array_index(key);
                (i < self.spec.max_entries).then(|| Found::Value(self.element_offset(i)))
            }
            State::Hash(h) => {
                let slot = h.find(key, touch);
                slot.map(|s| Found::Value(self.element_offset(s)))
            }
            State::Table(t) if self.spec.map_type == MapType::ArrayOfMaps => {
                let i = Self::array_index(key) as usize;
                t.get(i)
                    .filter(|&&e| e != NO_ENTRY)
                    .map(|&e| Found::Inner(e))
            }
            State::HashTable(h, t) => h.get(key).map(|s| Found::Inner(t[s as usize])),
            _ => return Err(Errno::NotSupp),
        })
    }

    /// Finds or creates the element of `key` for an update with `flags`:
    /// its arena offset, and whether it is new (its bytes must be zeroed).
    pub(crate) fn update_slot(&mut self, key: &[u8], flags: u64) -> Result<(u64, bool), Errno> {
        let mode = flags & !BPF_F_LOCK;
        if mode > BPF_EXIST {
            return Err(Errno::Inval);
        }
        match &mut self.state {
            State::Array => {
                let i = Self::array_index(key);
                if i >= self.spec.max_entries {
                    return Err(Errno::TooBig);
                }
                if mode == BPF_NOEXIST {
                    return Err(Errno::Exist);
                }
                Ok((self.element_offset(i), false))
            }
            State::Hash(h) => {
                let present = h.get(key).is_some();
                if present && mode == BPF_NOEXIST {
                    return Err(Errno::Exist);
                }
                if !present && mode == BPF_EXIST {
                    return Err(Errno::NoEnt);
                }
                match h.insert(key) {
                    Some((Inserted::Existing(s), _)) => Ok((self.element_offset(s), false)),
                    Some((Inserted::New(s), _)) => Ok((self.element_offset(s), true)),
                    None => Err(Errno::TooBig),
                }
            }
            _ => Err(Errno::Inval),
        }
    }

    /// Sets a program-array or map-in-map entry to `value` (a program or
    /// inner map number).
    pub(crate) fn update_table(&mut self, key: &[u8], value: u32, flags: u64) -> Result<(), Errno> {
        let mode = flags & !BPF_F_LOCK;
        if mode > BPF_EXIST {
            return Err(Errno::Inval);
        }
        match &mut self.state {
            State::Table(t) => {
                let i = Self::array_index(key) as usize;
                let entry = t.get_mut(i).ok_or(Errno::TooBig)?;
                if mode == BPF_NOEXIST {
                    return Err(Errno::Exist);
                }
                *entry = value;
                Ok(())
            }
            State::HashTable(h, t) => {
                let present = h.get(key).is_some();
                if present && mode == BPF_NOEXIST {
                    return Err(Errno::Exist);
                }
                if !present && mode == BPF_EXIST {
                    return Err(Errno::NoEnt);
                }
                let (Inserted::Existing(s) | Inserted::New(s)) =
                    h.insert(key).ok_or(Errno::TooBig)?.0;
                t[s as usize] = value;
                Ok(())
            }
            _ => Err(Errno::Inval),
        }
    }

    /// Deletes `key`: array types `-EINVAL`, absent `-ENOENT`.
    pub(crate) fn delete(&mut self, key: &[u8]) -> Result<(), Errno> {
        match &mut self.state {
            State::Hash(h) => h.remove(key).map(|_| ()).ok_or(Errno::NoEnt),
            State::HashTable(h, t) => {
                let s = h.remove(key).ok_or(Errno::NoEnt)?;
                t[s as usize] = NO_ENTRY;
                Ok(())
            }
            State::Table(t) => {
                let i = Self::array_index(key) as usize;
                let entry = t.get_mut(i).ok_or(Errno::TooBig)?;
                if *entry == NO_ENTRY {
                    return Err(Errno::NoEnt);
                }
                *entry = NO_ENTRY;
                Ok(())
            }
            _ => Err(Errno::Inval),
        }
    }

    /// `BPF_MAP_GET_NEXT_KEY`: writes the key after `key` (the first when
    /// `key` is `None` or absent) into `out`; `-ENOENT` after the last.
    pub(crate) fn next_key(&self, key: Option<&[u8]>, out: &mut [u8]) -> Result<(), Errno> {
        match &self.state {
            State::Array | State::Table(_) => {
                let next = match key.map(Self::array_index) {
                    Some(i) if i < self.spec.max_entries => i + 1,
                    _ => 0,
                };
                if next >= self.spec.max_entries {
                    return Err(Errno::NoEnt);
                }
                out.copy_from_slice(&next.to_le_bytes());
                Ok(())
            }
            State::Hash(h) | State::HashTable(h, _) => {
                let slot = h.next_slot(key).ok_or(Errno::NoEnt)?;
                out.copy_from_slice(h.key(slot));
                Ok(())
            }
            _ => Err(Errno::Inval),
        }
    }

    /// Empties the structure (array values are zeroed by the caller).
    pub(crate) fn clear(&mut self) {
        match &mut self.state {
            State::Array => {}
            State::Hash(h) => h.clear(),
            State::Queue(q) => q.clear(),
            State::Ring(r) => r.clear(),
            State::Perf(p) => p.clear(),
            State::Table(t) => t.fill(NO_ENTRY),
            State::HashTable(h, t) => {
                h.clear();
                t.fill(NO_ENTRY);
            }
        }
    }
}

/// The maps' host-side structure, lent to the helpers during a run through
/// [`MapContext`](super::helpers::MapContext).
#[derive(Debug, Clone, Default)]
pub struct MapIndex {
    pub(crate) maps: Vec<Map>,
    pub(crate) cpus: u32,
    pub(crate) cpu: u32,
    pub(crate) tail_calls: u32,
}

impl MapIndex {
    /// Number of maps.
    pub fn len(&self) -> usize {
        self.maps.len()
    }

    /// Whether there is no map.
    pub fn is_empty(&self) -> bool {
        self.maps.is_empty()
    }

    /// Map `index`.
    pub fn get(&self, index: u32) -> Option<&Map> {
        self.maps.get(index as usize)
    }

    /// The index of the map called `name`.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        self.maps
            .iter()
            .position(|m| m.spec.name == name)
            .map(|i| i as u32)
    }

    /// The map a handle (as `lddw` of a map loads it) designates.
    pub(crate) fn by_handle(&mut self, handle: u64) -> Option<(u32, &mut Map)> {
        let index = index_of_handle(handle)?;
        Some((index, self.maps.get_mut(index as usize)?))
    }

    /// Number of emulated CPUs.
    pub fn cpus(&self) -> u32 {
        self.cpus
    }

    /// The CPU the program runs on (`bpf_get_smp_processor_id`, and the
    /// per-CPU value it sees).
    pub fn current_cpu(&self) -> u32 {
        self.cpu
    }

    /// Sets the CPU the next runs happen on; `false` if `cpu` is not below
    /// [`cpus`](Self::cpus).
    pub fn set_current_cpu(&mut self, cpu: u32) -> bool {
        if cpu < self.cpus {
            self.cpu = cpu;
            true
        } else {
            false
        }
    }

    /// Resets the tail-call counter (the host calls this before each run).
    pub fn begin_run(&mut self) {
        self.tail_calls = 0;
    }
}
