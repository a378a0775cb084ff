//! [`MapSet`]: the maps of one program (or several), their arena, and the
//! host API a libbpf user has from user space.

use alloc::vec;
use alloc::vec::Vec;

use super::error::MapName;
use super::error::{Errno, MapError, SpecProblem};
use super::index::{Found, Map, MapIndex, State};
use super::perf::{PerfRecord, PERF_BUFFER_BYTES};
use super::spec::{MapSpec, MapType};
use super::{handle, MAX_CPUS};
use crate::memory::{MemoryRegion, MM_MAPS_START};

/// The most arena bytes one map set holds (its memory slot is 4 GiB; the
/// limit keeps offsets in `u32` range with room to spare).
pub const MAX_ARENA_BYTES: u64 = 1 << 31;

/// A set of maps: the host-side index and the arena of values.
///
/// Created once from definitions (all memory reserved then), kept by the
/// host across runs, lent to each run as a [`MapIndex`] (through the context
/// object) plus a writable region at [`MM_MAPS_START`].
///
/// ```
/// use ebpfvm::maps::{MapSet, MapSpec, MapType, BPF_ANY, BPF_NOEXIST};
/// let mut maps = MapSet::new(&[MapSpec::new("counts", MapType::Hash, 4, 8, 2)], 1)?;
/// let counts = maps.index_of("counts")?;
/// maps.update(counts, &7u32.to_le_bytes(), &100u64.to_le_bytes(), BPF_ANY)?;
/// assert_eq!(maps.lookup(counts, &7u32.to_le_bytes())?, Some(&100u64.to_le_bytes()[..]));
/// // BPF_NOEXIST on a present key: -EEXIST, as for a program.
/// assert!(maps.update(counts, &7u32.to_le_bytes(), &[0; 8], BPF_NOEXIST).is_err());
/// assert_eq!(maps.keys(counts)?, vec![7u32.to_le_bytes().to_vec()]);
/// # Ok::<(), ebpfvm::maps::MapError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MapSet {
    index: MapIndex,
    arena: Vec<u8>,
}

impl MapSet {
    /// Creates every map of `specs` (in order: map `i` is `specs[i]`) for
    /// `cpus` emulated CPUs (1 to [`MAX_CPUS`]), reserving all their memory.
    pub fn new(specs: &[MapSpec], cpus: u32) -> Result<Self, MapError> {
        Self::with_perf_buffer(specs, cpus, PERF_BUFFER_BYTES)
    }

    /// Like [`new`](Self::new), with `perf_bytes` of output per perf event
    /// array slot.
    pub fn with_perf_buffer(
        specs: &[MapSpec],
        cpus: u32,
        perf_bytes: usize,
    ) -> Result<Self, MapError> {
        if cpus == 0 || cpus > MAX_CPUS {
            return Err(MapError::NoSuchCpu { cpu: cpus });
        }
        let mut base = 0u64;
        let mut maps = Vec::with_capacity(specs.len());
        for spec in specs {
            let bad = |problem| MapError::BadSpec {
                name: MapName::new(&spec.name),
                problem,
            };
            let mut spec = spec.clone();
            // libbpf sizes a perf event array with max_entries 0 to the CPUs.
            if spec.map_type == MapType::PerfEventArray && spec.max_entries == 0 {
                spec.max_entries = cpus;
            }
            spec.validate(cpus).map_err(bad)?;
            if spec.map_type == MapType::PerfEventArray {
                let host = (spec.max_entries as u64).saturating_mul(perf_bytes as u64);
                if host > super::spec::MAX_MAP_BYTES {
                    return Err(bad(SpecProblem::too_large(host)));
                }
            }
            if let Some(inner) = spec.inner_map {
                let ok = specs.get(inner as usize).is_some_and(|i| {
                    !matches!(i.map_type, MapType::ArrayOfMaps | MapType::HashOfMaps)
                });
                if !ok {
                    return Err(bad(SpecProblem::InnerMap));
                }
            }
            let bytes = spec.arena_bytes(cpus);
            if base.saturating_add(bytes) > MAX_ARENA_BYTES {
                return Err(bad(SpecProblem::too_large(base.saturating_add(bytes))));
            }
            maps.push(Map::new(spec, base, cpus, perf_bytes));
            base += bytes;
        }
        Ok(MapSet {
            index: MapIndex {
                maps,
                cpus,
                cpu: 0,
                tail_calls: 0,
            },
            arena: vec![0; base as usize],
        })
    }

    /// The index and the arena region for one run: give the index to the
    /// context object and insert the region into the mapping.
    pub fn parts(&mut self) -> (&mut MapIndex, MemoryRegion<'_>) {
        self.index.begin_run();
        (
            &mut self.index,
            MemoryRegion::writable(&mut self.arena, MM_MAPS_START),
        )
    }

    /// Moves the index out, for a context object that owns it during a
    /// run (the arena stays here: map it with
    /// [`arena_region`](Self::arena_region)); give it back with
    /// [`put_index`](Self::put_index). Until then the host API sees no maps.
    pub fn take_index(&mut self) -> MapIndex {
        self.index.begin_run();
        core::mem::take(&mut self.index)
    }

    /// Returns the index [`take_index`](Self::take_index) lent out.
    pub fn put_index(&mut self, index: MapIndex) {
        self.index = index;
    }

    /// The arena as a writable region at [`MM_MAPS_START`].
    pub fn arena_region(&mut self) -> MemoryRegion<'_> {
        MemoryRegion::writable(&mut self.arena, MM_MAPS_START)
    }

    /// The index (maps, CPUs).
    pub fn index(&self) -> &MapIndex {
        &self.index
    }

    /// The index, mutably (to set the current CPU).
    pub fn index_mut(&mut self) -> &mut MapIndex {
        &mut self.index
    }

    /// The arena: every map's value storage.
    pub fn arena(&self) -> &[u8] {
        &self.arena
    }

    /// Number of maps.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the set has no map.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The index of the map called `name`.
    pub fn index_of(&self, name: &str) -> Result<u32, MapError> {
        self.index.index_of(name).ok_or(MapError::NoSuchName {
            name: MapName::new(name),
        })
    }

    /// The handle of map `index` (what `lddw rX, map` loads).
    pub fn handle(&self, index: u32) -> Result<u64, MapError> {
        self.map(index).map(|_| handle(index))
    }

    /// Map `index`.
    pub fn map(&self, index: u32) -> Result<&Map, MapError> {
        self.index.get(index).ok_or(MapError::NoSuchMap { index })
    }

    /// The definition of map `index`.
    pub fn spec(&self, index: u32) -> Result<&MapSpec, MapError> {
        self.map(index).map(Map::spec)
    }

    fn map_mut(&mut self, index: u32) -> Result<&mut Map, MapError> {
        self.index
            .maps
            .get_mut(index as usize)
            .ok_or(MapError::NoSuchMap { index })
    }

    fn check_len(map: u32, expected: u64, got: usize) -> Result<(), MapError> {
        if expected == got as u64 {
            Ok(())
        } else {
            Err(MapError::WrongSize {
                map,
                expected,
                got: got as u64,
            })
        }
    }

    /// Sets `key` to `value` under `flags` (`BPF_ANY`, `BPF_NOEXIST`,
    /// `BPF_EXIST`). A per-CPU map takes every CPU's value, each padded to
    /// 8 bytes (libbpf's layout); a program array or map-in-map takes the
    /// program or inner map number as 4 bytes.
    pub fn update(
        &mut self,
        map: u32,
        key: &[u8],
        value: &[u8],
        flags: u64,
    ) -> Result<(), MapError> {
        let cpus = self.index.cpus;
        let m = self.map_mut(map)?;
        let errno = |errno| MapError::Errno { map, errno };
        Self::check_len(map, m.spec.key_size as u64, key.len())?;
        match (&m.state, m.spec.map_type) {
            (State::Table(_) | State::HashTable(..), t) => {
                Self::check_len(map, 4, value.len())?;
                let v = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
                if t != MapType::ProgArray {
                    self.check_inner(map, v)?;
                }
                let m = self.map_mut(map)?;
                m.update_table(key, v, flags).map_err(errno)
            }
            (State::Array | State::Hash(_), t) => {
                let expected = if t.is_per_cpu() {
                    m.stride * cpus as u64
                } else {
                    m.spec.value_size as u64
                };
                Self::check_len(map, expected, value.len())?;
                let (off, _) = m.update_slot(key, flags).map_err(errno)?;
                let element = m.element as usize;
                let dst = &mut self.arena[off as usize..off as usize + element];
                dst.fill(0);
                dst[..value.len()].copy_from_slice(value);
                Ok(())
            }
            _ => Err(errno(Errno::Inval)),
        }
    }

    /// An inner map must exist and match the outer map's template.
    fn check_inner(&self, outer: u32, inner: u32) -> Result<(), MapError> {
        let errno = MapError::Errno {
            map: outer,
            errno: Errno::Inval,
        };
        let template = self.spec(outer)?.inner_map.ok_or(errno)?;
        let (t, i) = (self.spec(template)?, self.spec(inner).map_err(|_| errno)?);
        let same = t.map_type == i.map_type
            && t.key_size == i.key_size
            && t.value_size == i.value_size
            && t.max_entries == i.max_entries;
        if same {
            Ok(())
        } else {
            Err(errno)
        }
    }

    /// The value of `key`: `None` if absent. Per-CPU maps return every
    /// CPU's value, each padded to 8 bytes. Program arrays and map-in-map
    /// hold numbers: read them with [`lookup_entry`](Self::lookup_entry).
    /// Does not touch the LRU order (the kernel's syscall lookup does not
    /// either).
    pub fn lookup(&mut self, map: u32, key: &[u8]) -> Result<Option<&[u8]>, MapError> {
        let m = self.map_mut(map)?;
        Self::check_len(map, m.spec.key_size as u64, key.len())?;
        if matches!(m.state, State::Table(_) | State::HashTable(..)) {
            // The entries are numbers, not bytes: see `lookup_entry`.
            return Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            });
        }
        let per_cpu = m.spec.map_type.is_per_cpu();
        let len = if per_cpu {
            m.element
        } else {
            m.spec.value_size as u64
        };
        match m
            .lookup(key, false)
            .map_err(|errno| MapError::Errno { map, errno })?
        {
            None => Ok(None),
            Some(Found::Value(off)) => Ok(Some(&self.arena[off as usize..(off + len) as usize])),
            Some(Found::Inner(_)) => Err(MapError::Errno {
                map,
                errno: Errno::NotSupp,
            }),
        }
    }

    /// The program or inner map number at `key` of a program array or
    /// map-in-map.
    pub fn lookup_entry(&mut self, map: u32, key: &[u8]) -> Result<Option<u32>, MapError> {
        let m = self.map_mut(map)?;
        Self::check_len(map, m.spec.key_size as u64, key.len())?;
        match &m.state {
            State::Table(t) => {
                let i = u32::from_le_bytes([key[0], key[1], key[2], key[3]]) as usize;
                Ok(t.get(i).copied().filter(|&e| e != super::index::NO_ENTRY))
            }
            State::HashTable(..) => match m.lookup(key, false) {
                Ok(Some(Found::Inner(i))) => Ok(Some(i)),
                _ => Ok(None),
            },
            _ => Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            }),
        }
    }

    /// `cpu`'s value of `key` in a per-CPU map (the first `value_size` bytes).
    pub fn lookup_cpu(
        &mut self,
        map: u32,
        key: &[u8],
        cpu: u32,
    ) -> Result<Option<&[u8]>, MapError> {
        if cpu >= self.index.cpus {
            return Err(MapError::NoSuchCpu { cpu });
        }
        let (stride, size) = {
            let m = self.map(map)?;
            (m.stride as usize, m.spec.value_size as usize)
        };
        let all = self.lookup(map, key)?;
        Ok(all.and_then(|v| v.get(cpu as usize * stride..cpu as usize * stride + size)))
    }

    /// Deletes `key` (`-ENOENT` if absent, `-EINVAL` for arrays).
    pub fn delete(&mut self, map: u32, key: &[u8]) -> Result<(), MapError> {
        let m = self.map_mut(map)?;
        Self::check_len(map, m.spec.key_size as u64, key.len())?;
        m.delete(key)
            .map_err(|errno| MapError::Errno { map, errno })
    }

    /// The key after `key` in iteration order (the first for `None` or an
    /// absent key), or `None` after the last one.
    pub fn next_key(&self, map: u32, key: Option<&[u8]>) -> Result<Option<Vec<u8>>, MapError> {
        let m = self.map(map)?;
        if let Some(k) = key {
            Self::check_len(map, m.spec.key_size as u64, k.len())?;
        }
        let mut out = vec![0u8; m.spec.key_size as usize];
        match m.next_key(key, &mut out) {
            Ok(()) => Ok(Some(out)),
            Err(Errno::NoEnt) => Ok(None),
            Err(errno) => Err(MapError::Errno { map, errno }),
        }
    }

    /// Every key, in `get_next_key` order.
    pub fn keys(&self, map: u32) -> Result<Vec<Vec<u8>>, MapError> {
        let mut keys = Vec::new();
        let mut key = self.next_key(map, None)?;
        while let Some(k) = key {
            key = self.next_key(map, Some(&k))?;
            keys.push(k);
        }
        Ok(keys)
    }

    /// Empties a map: no keys, zeroed values, no records.
    pub fn clear(&mut self, map: u32) -> Result<(), MapError> {
        let cpus = self.index.cpus;
        let m = self.map_mut(map)?;
        m.clear();
        let (base, bytes) = (m.base as usize, m.spec.arena_bytes(cpus) as usize);
        self.arena[base..base + bytes].fill(0);
        Ok(())
    }

    /// Pushes `value` onto a queue or stack (`BPF_EXIST` overwrites the
    /// oldest element when full).
    pub fn push(&mut self, map: u32, value: &[u8], flags: u64) -> Result<(), MapError> {
        let m = self.map_mut(map)?;
        Self::check_len(map, m.spec.value_size as u64, value.len())?;
        let State::Queue(q) = &mut m.state else {
            return Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            });
        };
        let slot = q
            .push(flags)
            .map_err(|errno| MapError::Errno { map, errno })?;
        let off = (m.base + slot as u64 * m.stride) as usize;
        self.arena[off..off + value.len()].copy_from_slice(value);
        Ok(())
    }

    /// Pops (or with `remove` false, peeks) a queue or stack element.
    pub fn pop(&mut self, map: u32, remove: bool) -> Result<Option<Vec<u8>>, MapError> {
        let m =
            (self.index.maps.get_mut(map as usize)).ok_or(MapError::NoSuchMap { index: map })?;
        let State::Queue(q) = &mut m.state else {
            return Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            });
        };
        match q.take(remove) {
            Ok(slot) => {
                let off = (m.base + slot as u64 * m.stride) as usize;
                Ok(Some(
                    self.arena[off..off + m.spec.value_size as usize].to_vec(),
                ))
            }
            Err(Errno::NoEnt) => Ok(None),
            Err(errno) => Err(MapError::Errno { map, errno }),
        }
    }

    /// Hands each committed ring-buffer record to `f`, in order, consuming
    /// it; stops at the first record still reserved. Returns the count.
    pub fn drain_ringbuf(&mut self, map: u32, mut f: impl FnMut(&[u8])) -> Result<usize, MapError> {
        let m =
            (self.index.maps.get_mut(map as usize)).ok_or(MapError::NoSuchMap { index: map })?;
        let base = m.base as usize;
        let State::Ring(r) = &mut m.state else {
            return Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            });
        };
        let mut count = 0;
        while let Some(record) = r.consume() {
            if let Some((off, len)) = record {
                let at = base + off as usize;
                f(&self.arena[at..at + len as usize]);
                count += 1;
            }
        }
        Ok(count)
    }

    /// Takes every perf event output record, slot by slot.
    pub fn drain_perf(&mut self, map: u32) -> Result<Vec<PerfRecord>, MapError> {
        let m = self.map_mut(map)?;
        let State::Perf(p) = &mut m.state else {
            return Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            });
        };
        let mut out = Vec::new();
        p.drain(|cpu, data| {
            out.push(PerfRecord {
                cpu,
                data: data.to_vec(),
            })
        });
        Ok(out)
    }

    /// Perf records lost to full buffers.
    pub fn perf_lost(&self, map: u32) -> Result<u64, MapError> {
        match &self.map(map)?.state {
            State::Perf(p) => Ok(p.lost()),
            _ => Err(MapError::Errno {
                map,
                errno: Errno::Inval,
            }),
        }
    }
}
