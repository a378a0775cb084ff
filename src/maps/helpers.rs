//! The map helpers, with their Linux ids and names, as generic builtins any
//! context object implementing [`MapContext`] can register.
//!
//! Keys and values are read from and written to guest memory through the
//! [`MemoryMapping`], so a bad pointer stops the program with
//! [`Trap::BuiltinFailed`](crate::error::Trap::BuiltinFailed) and one of the
//! [`fault`] codes — never a host read. Values are copied into and out of the
//! arena (mapped at [`MM_MAPS_START`]) the same way, so the mapping must hold
//! the [`MapSet`](super::MapSet)'s region. Failures the kernel reports to the
//! program (a missing key, a full map, bad flags) are returned in `r0` as
//! `-errno`.
//!
//! | id | name | notes |
//! |---:|---|---|
//! | 1 | `bpf_map_lookup_elem` | value pointer into the arena, or 0; map-in-map: the inner map's handle |
//! | 2 | `bpf_map_update_elem` | per-CPU maps: the current CPU's value only |
//! | 3 | `bpf_map_delete_elem` | |
//! | 12 | `bpf_tail_call` | an empty slot, an index past the array or the 33-call limit return `-ENOENT` (the program goes on, as in the kernel); a populated slot traps with [`fault::TAIL_CALL_UNSUPPORTED`]: the engines cannot replace the running program yet |
//! | 25 | `bpf_perf_event_output` | flags: slot index or `BPF_F_CURRENT_CPU`; context capture (`BPF_F_CTXLEN_MASK`) traps with [`fault::UNSUPPORTED`] |
//! | 87, 88, 89 | `bpf_map_push_elem`, `bpf_map_pop_elem`, `bpf_map_peek_elem` | queue and stack |
//! | 93, 94 | `bpf_spin_lock`, `bpf_spin_unlock` | no-ops returning 0: a run is single-threaded and no other program or host thread touches the maps during it, so the lock is never contended |
//! | 130..=134 | `bpf_ringbuf_output`, `_reserve`, `_submit`, `_discard`, `_query` | |
//! | 164 | `bpf_for_each_map_elem` | traps with [`fault::UNSUPPORTED`]: calling back into the program needs engine support |

use crate::builtins::{BuiltinFn, BuiltinRegistry};
use crate::error::{AccessKind, BuiltinError, RegistryError};
use crate::memory::{MemoryMapping, MM_MAPS_START};

use super::error::Errno;
use super::index::{Found, Map, MapIndex, State, NO_ENTRY};
use super::perf::BPF_F_CURRENT_CPU;
use super::spec::MapType;
use super::{handle, MAX_TAIL_CALLS};

/// The [`BuiltinError`] codes map helpers stop a program with. Each is a
/// case the kernel's verifier would have refused at load time.
pub mod fault {
    /// The map argument is not a map handle of this set.
    pub const BAD_HANDLE: u64 = 0x4d41_5001;
    /// A key, value or data pointer that is not readable (or, for results,
    /// writable) for the size the map needs.
    pub const BAD_POINTER: u64 = 0x4d41_5002;
    /// The operation does not exist for the map's type (lookup in a ring
    /// buffer, push to a hash, ...).
    pub const WRONG_MAP_TYPE: u64 = 0x4d41_5003;
    /// `bpf_ringbuf_submit`/`discard` of a pointer that is not a reserved
    /// record.
    pub const BAD_RECORD: u64 = 0x4d41_5004;
    /// `bpf_tail_call` to a populated slot: the engines cannot replace the
    /// running program yet.
    pub const TAIL_CALL_UNSUPPORTED: u64 = 0x4d41_5005;
    /// A helper or flag this VM does not implement (`bpf_for_each_map_elem`,
    /// perf context capture).
    pub const UNSUPPORTED: u64 = 0x4d41_5006;
    /// The arena is not mapped at `MM_MAPS_START`.
    pub const NO_ARENA: u64 = 0x4d41_5007;
}

/// A context object that lends its maps to the helpers.
///
/// ```
/// use ebpfvm::maps::{helpers::MapContext, MapIndex};
/// struct Ctx<'m> { maps: &'m mut MapIndex }
/// impl MapContext for Ctx<'_> {
///     fn maps(&mut self) -> &mut MapIndex { self.maps }
/// }
/// ```
pub trait MapContext {
    /// The maps of the run.
    fn maps(&mut self) -> &mut MapIndex;
}

fn err(code: u64) -> BuiltinError {
    BuiltinError { code }
}

/// `-errno` in `r0`.
fn errno(e: Errno) -> Result<u64, BuiltinError> {
    Ok(e.to_r0())
}

fn map_of(maps: &mut MapIndex, h: u64) -> Result<&mut Map, BuiltinError> {
    maps.by_handle(h)
        .map(|(_, m)| m)
        .ok_or(err(fault::BAD_HANDLE))
}

/// The map's key, read in place from guest memory.
fn read_key<'k>(mem: &'k MemoryMapping<'_>, map: &Map, ptr: u64) -> Result<&'k [u8], BuiltinError> {
    mem.slice(ptr, map.spec.key_size as u64)
        .ok_or(err(fault::BAD_POINTER))
}

/// Copies `len` guest bytes from `src` to `dst` (both virtual addresses),
/// through a small buffer so source and destination may share the mapping.
fn copy(mem: &mut MemoryMapping<'_>, src: u64, dst: u64, len: u64) -> Result<(), BuiltinError> {
    let mut buf = [0u8; 64];
    let mut done = 0u64;
    while done < len {
        let n = (len - done).min(buf.len() as u64) as usize;
        let s = mem
            .slice(src.wrapping_add(done), n as u64)
            .ok_or(err(fault::BAD_POINTER))?;
        buf[..n].copy_from_slice(s);
        let d = mem
            .slice_mut(dst.wrapping_add(done), n as u64)
            .ok_or(err(fault::BAD_POINTER))?;
        d.copy_from_slice(&buf[..n]);
        done += n as u64;
    }
    Ok(())
}

fn arena_mut<'m>(
    mem: &'m mut MemoryMapping<'_>,
    off: u64,
    len: u64,
) -> Result<&'m mut [u8], BuiltinError> {
    mem.slice_mut(MM_MAPS_START + off, len)
        .ok_or(err(fault::NO_ARENA))
}

fn readable(mem: &MemoryMapping<'_>, ptr: u64, len: u64) -> Result<(), BuiltinError> {
    let len = usize::try_from(len).map_err(|_| err(fault::BAD_POINTER))?;
    if mem.is_accessible(ptr, len, AccessKind::Load) {
        Ok(())
    } else {
        Err(err(fault::BAD_POINTER))
    }
}

/// The byte offset of the current CPU's value inside an element.
fn cpu_offset(map: &Map, cpu: u32) -> u64 {
    if map.spec.map_type.is_per_cpu() {
        cpu as u64 * map.stride
    } else {
        0
    }
}

/// `void *bpf_map_lookup_elem(map, const void *key)` (id 1).
pub fn map_lookup_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let maps = c.maps();
    let cpu = maps.current_cpu();
    let map = map_of(maps, a[0])?;
    let key = read_key(mem, map, a[1])?;
    match map.lookup(key, true) {
        Ok(Some(Found::Value(off))) => Ok(MM_MAPS_START + off + cpu_offset(map, cpu)),
        Ok(Some(Found::Inner(i))) => Ok(handle(i)),
        Ok(None) => Ok(0),
        Err(_) => Err(err(fault::WRONG_MAP_TYPE)),
    }
}

/// `long bpf_map_update_elem(map, const void *key, const void *value, u64 flags)` (id 2).
pub fn map_update_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let maps = c.maps();
    let cpu = maps.current_cpu();
    let map = map_of(maps, a[0])?;
    let key = read_key(mem, map, a[1])?;
    let size = map.spec.value_size as u64;
    readable(mem, a[2], size)?;
    match (&map.state, map.spec.map_type) {
        (State::Array | State::Hash(_), _) => {}
        // The kernel refuses program updates of program arrays and
        // map-in-map (they hold file descriptors).
        _ => return Err(err(fault::WRONG_MAP_TYPE)),
    }
    let (off, fresh) = match map.update_slot(key, a[3]) {
        Ok(r) => r,
        Err(e) => return errno(e),
    };
    if fresh {
        arena_mut(mem, off, map.element)?.fill(0);
    }
    let dst = MM_MAPS_START + off + cpu_offset(map, cpu);
    copy(mem, a[2], dst, size)?;
    Ok(0)
}

/// `long bpf_map_delete_elem(map, const void *key)` (id 3).
pub fn map_delete_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let map = map_of(c.maps(), a[0])?;
    // The kernel's verifier allows program deletes only on hash and array
    // types (program arrays and map-in-map are changed from user space).
    if !matches!(map.state, State::Array | State::Hash(_)) {
        return Err(err(fault::WRONG_MAP_TYPE));
    }
    let key = read_key(mem, map, a[1])?;
    match map.delete(key) {
        Ok(()) => Ok(0),
        Err(e) => errno(e),
    }
}

/// `long bpf_tail_call(ctx, prog_array, u32 index)` (id 12).
pub fn tail_call<C: MapContext>(
    c: &mut C,
    _mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let maps = c.maps();
    let count = maps.tail_calls;
    let map = map_of(maps, a[1])?;
    let State::Table(t) = &map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    if map.spec.map_type != MapType::ProgArray {
        return Err(err(fault::WRONG_MAP_TYPE));
    }
    let entry = t.get(a[2] as u32 as usize).copied().unwrap_or(NO_ENTRY);
    if entry == NO_ENTRY || count >= MAX_TAIL_CALLS {
        return errno(Errno::NoEnt);
    }
    Err(err(fault::TAIL_CALL_UNSUPPORTED))
}

/// `long bpf_perf_event_output(ctx, map, u64 flags, void *data, u64 size)` (id 25).
pub fn perf_event_output<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let maps = c.maps();
    let cpu = maps.current_cpu();
    let map = map_of(maps, a[1])?;
    let State::Perf(p) = &mut map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    // BPF_F_CTXLEN_MASK (bits 32..52): context capture, not implemented;
    // any other unknown flag is -EINVAL, as in the kernel.
    if a[2] >> 52 != 0 {
        return errno(Errno::Inval);
    }
    if a[2] >> 32 != 0 {
        return Err(err(fault::UNSUPPORTED));
    }
    let slot = match a[2] & 0xffff_ffff {
        BPF_F_CURRENT_CPU => cpu as u64,
        i => i,
    };
    let data = mem.slice(a[3], a[4]).ok_or(err(fault::BAD_POINTER))?;
    match p.output(slot, data) {
        Ok(()) => Ok(0),
        Err(e) => errno(e),
    }
}

/// `long bpf_map_push_elem(map, const void *value, u64 flags)` (id 87).
pub fn map_push_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let map = map_of(c.maps(), a[0])?;
    let (base, stride, size) = (map.base, map.stride, map.spec.value_size as u64);
    let State::Queue(q) = &mut map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    readable(mem, a[1], size)?;
    match q.push(a[2]) {
        Ok(slot) => {
            copy(mem, a[1], MM_MAPS_START + base + slot as u64 * stride, size)?;
            Ok(0)
        }
        Err(e) => errno(e),
    }
}

fn pop_or_peek<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
    remove: bool,
) -> Result<u64, BuiltinError> {
    let map = map_of(c.maps(), a[0])?;
    let (base, stride, size) = (map.base, map.stride, map.spec.value_size as u64);
    let State::Queue(q) = &mut map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    if !mem.is_accessible(a[1], size as usize, AccessKind::Store) {
        return Err(err(fault::BAD_POINTER));
    }
    match q.take(remove) {
        Ok(slot) => {
            copy(mem, MM_MAPS_START + base + slot as u64 * stride, a[1], size)?;
            Ok(0)
        }
        Err(e) => errno(e),
    }
}

/// `long bpf_map_pop_elem(map, void *value)` (id 88).
pub fn map_pop_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    pop_or_peek(c, mem, a, true)
}

/// `long bpf_map_peek_elem(map, void *value)` (id 89).
pub fn map_peek_elem<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    pop_or_peek(c, mem, a, false)
}

/// `long bpf_spin_lock(struct bpf_spin_lock *lock)` (id 93): a no-op (see
/// the [module docs](self)).
pub fn spin_lock<C>(
    _: &mut C,
    _: &mut MemoryMapping<'_>,
    _: [u64; 5],
) -> Result<u64, BuiltinError> {
    Ok(0)
}

/// `long bpf_spin_unlock(struct bpf_spin_lock *lock)` (id 94): a no-op.
pub fn spin_unlock<C>(
    _: &mut C,
    _: &mut MemoryMapping<'_>,
    _: [u64; 5],
) -> Result<u64, BuiltinError> {
    Ok(0)
}

fn ring_of(maps: &mut MapIndex, h: u64) -> Result<&mut Map, BuiltinError> {
    let map = map_of(maps, h)?;
    if matches!(map.state, State::Ring(_)) {
        Ok(map)
    } else {
        Err(err(fault::WRONG_MAP_TYPE))
    }
}

/// `long bpf_ringbuf_output(ringbuf, void *data, u64 size, u64 flags)` (id 130).
pub fn ringbuf_output<C: MapContext>(
    c: &mut C,
    mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let map = ring_of(c.maps(), a[0])?;
    let base = map.base;
    let State::Ring(r) = &mut map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    if a[3] > 3 {
        return errno(Errno::Inval);
    }
    readable(mem, a[1], a[2])?;
    let Some(off) = r.reserve(a[2]) else {
        return errno(Errno::Again);
    };
    copy(mem, a[1], MM_MAPS_START + base + off, a[2])?;
    r.finish(off, false);
    Ok(0)
}

/// `void *bpf_ringbuf_reserve(ringbuf, u64 size, u64 flags)` (id 131): the
/// record's data pointer, or 0 when there is no room or `flags` is not 0.
pub fn ringbuf_reserve<C: MapContext>(
    c: &mut C,
    _mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let map = ring_of(c.maps(), a[0])?;
    let base = map.base;
    let State::Ring(r) = &mut map.state else {
        return Err(err(fault::WRONG_MAP_TYPE));
    };
    if a[2] != 0 {
        return Ok(0);
    }
    Ok(r.reserve(a[1]).map_or(0, |off| MM_MAPS_START + base + off))
}

/// Submits or discards the record at `ptr` in whichever ring buffer holds it.
fn finish<C: MapContext>(c: &mut C, ptr: u64, discard: bool) -> Result<u64, BuiltinError> {
    let off = ptr.wrapping_sub(MM_MAPS_START);
    for map in c.maps().maps.iter_mut() {
        let (base, size) = (map.base, 2 * map.spec.max_entries as u64);
        if let State::Ring(r) = &mut map.state {
            if (base..base + size).contains(&off) && r.finish(off - base, discard) {
                return Ok(0);
            }
        }
    }
    Err(err(fault::BAD_RECORD))
}

/// `void bpf_ringbuf_submit(void *data, u64 flags)` (id 132).
pub fn ringbuf_submit<C: MapContext>(
    c: &mut C,
    _mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    finish(c, a[0], false)
}

/// `void bpf_ringbuf_discard(void *data, u64 flags)` (id 133).
pub fn ringbuf_discard<C: MapContext>(
    c: &mut C,
    _mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    finish(c, a[0], true)
}

/// `u64 bpf_ringbuf_query(ringbuf, u64 flags)` (id 134).
pub fn ringbuf_query<C: MapContext>(
    c: &mut C,
    _mem: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let map = ring_of(c.maps(), a[0])?;
    match &map.state {
        State::Ring(r) => Ok(r.query(a[1])),
        _ => Err(err(fault::WRONG_MAP_TYPE)),
    }
}

/// `long bpf_for_each_map_elem(map, callback, ctx, flags)` (id 164): traps
/// with [`fault::UNSUPPORTED`] (callbacks need engine support).
pub fn for_each_map_elem<C>(
    _: &mut C,
    _: &mut MemoryMapping<'_>,
    _: [u64; 5],
) -> Result<u64, BuiltinError> {
    Err(err(fault::UNSUPPORTED))
}

/// Every map helper: `(Linux id, name, function)`.
pub fn table<C: MapContext>() -> [(u32, &'static str, BuiltinFn<C>); 16] {
    [
        (1, "bpf_map_lookup_elem", map_lookup_elem::<C>),
        (2, "bpf_map_update_elem", map_update_elem::<C>),
        (3, "bpf_map_delete_elem", map_delete_elem::<C>),
        (12, "bpf_tail_call", tail_call::<C>),
        (25, "bpf_perf_event_output", perf_event_output::<C>),
        (87, "bpf_map_push_elem", map_push_elem::<C>),
        (88, "bpf_map_pop_elem", map_pop_elem::<C>),
        (89, "bpf_map_peek_elem", map_peek_elem::<C>),
        (93, "bpf_spin_lock", spin_lock::<C>),
        (94, "bpf_spin_unlock", spin_unlock::<C>),
        (130, "bpf_ringbuf_output", ringbuf_output::<C>),
        (131, "bpf_ringbuf_reserve", ringbuf_reserve::<C>),
        (132, "bpf_ringbuf_submit", ringbuf_submit::<C>),
        (133, "bpf_ringbuf_discard", ringbuf_discard::<C>),
        (134, "bpf_ringbuf_query", ringbuf_query::<C>),
        (164, "bpf_for_each_map_elem", for_each_map_elem::<C>),
    ]
}

/// `u32 bpf_get_smp_processor_id(void)` (id 8): the map set's current CPU,
/// so per-CPU values and this id agree. Not in [`table`]: the helper
/// profile that owns the environment decides whether to bind it.
pub fn get_smp_processor_id<C: MapContext>(
    c: &mut C,
    _: &mut MemoryMapping<'_>,
    _: [u64; 5],
) -> Result<u64, BuiltinError> {
    Ok(c.maps().current_cpu() as u64)
}

/// Registers every helper of [`table`] into `registry`.
///
/// ```
/// use ebpfvm::builtins::BuiltinRegistry;
/// use ebpfvm::maps::{helpers, MapIndex};
/// struct Ctx { maps: MapIndex }
/// impl helpers::MapContext for Ctx {
///     fn maps(&mut self) -> &mut MapIndex { &mut self.maps }
/// }
/// let mut registry = BuiltinRegistry::<Ctx>::new();
/// helpers::register_all(&mut registry)?;
/// assert_eq!(registry.by_id(1).map(|b| b.name), Some("bpf_map_lookup_elem"));
/// # Ok::<(), ebpfvm::error::RegistryError>(())
/// ```
pub fn register_all<C: MapContext>(registry: &mut BuiltinRegistry<C>) -> Result<(), RegistryError> {
    for (id, name, func) in table::<C>() {
        registry.register(id, name, func)?;
    }
    Ok(())
}
