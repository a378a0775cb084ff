//! BPF maps in the `no_std` core: the map types of Linux, with fixed capacity
//! and every byte reserved when the map set is created.
//!
//! # Layout
//!
//! A [`MapSet`] has two parts, kept apart on purpose:
//!
//! - the **arena**: one byte buffer holding every map's value storage
//!   (array elements, hash values, queue/stack slots, ring-buffer data). The
//!   host maps it writable at [`MM_MAPS_START`](crate::memory::MM_MAPS_START)
//!   (slot 6), so a pointer that `bpf_map_lookup_elem` returns is checked
//!   like any other guest access, on every engine;
//! - the **index** ([`MapIndex`]): keys, occupancy, LRU order, queue and
//!   ring-buffer positions, program and inner-map tables, perf output. It is
//!   host memory the program cannot address, so a guest store can corrupt a
//!   value but never a map's structure.
//!
//! Every value slot is `round_up(value_size, 8)` bytes (the kernel's
//! per-element alignment); a per-CPU map keeps the CPUs' copies of one
//! element next to each other, so the host sees one element as
//! `cpus * round_up(value_size, 8)` bytes, exactly as libbpf does.
//!
//! # Types and semantics
//!
//! | type | Linux id | index | notes |
//! |---|---:|---|---|
//! | [`MapType::Hash`] | 1 | open addressing, linear probing, backward-shift delete | full → `-E2BIG` |
//! | [`MapType::Array`] | 2 | none | delete → `-EINVAL`, `BPF_NOEXIST` → `-EEXIST` |
//! | [`MapType::ProgArray`] | 3 | program table | for `bpf_tail_call` |
//! | [`MapType::PerfEventArray`] | 4 | per-CPU host buffers | host-drained records |
//! | [`MapType::PerCpuHash`] | 5 | as hash | one value per emulated CPU |
//! | [`MapType::PerCpuArray`] | 6 | none | one value per emulated CPU |
//! | [`MapType::LruHash`] | 9 | as hash + exact LRU list | full → evicts the least recently used |
//! | [`MapType::LruPerCpuHash`] | 10 | as LRU hash | |
//! | [`MapType::ArrayOfMaps`] | 12 | inner-map table | lookup yields the inner map's handle |
//! | [`MapType::HashOfMaps`] | 13 | as hash | lookup yields the inner map's handle |
//! | [`MapType::Queue`] | 22 | ring positions | FIFO; `BPF_EXIST` push overwrites the oldest |
//! | [`MapType::Stack`] | 23 | ring positions | LIFO; `BPF_EXIST` push overwrites the oldest |
//! | [`MapType::RingBuf`] | 27 | record list | 8-byte header, 8-byte aligned records |
//!
//! Map operations fail with a Linux [`Errno`]; the helpers return it to the
//! program as a negative number, the host API as
//! [`MapError::Errno`].
//!
//! Why an own hash table rather than `hashbrown`: keys have a size known
//! only at run time, so a `hashbrown::HashMap` needs an owned key per entry
//! (an allocation per insert) or its raw `HashTable` plus a side slab, whose
//! in-place rehashing after many deletes is an implementation detail. A
//! fixed table of `u32` slot numbers with linear probing and backward-shift
//! deletion has no tombstones, never rehashes, never allocates after
//! creation, and hashes with FNV-1a (deterministic, no random source).

pub mod error;
pub mod helpers;
pub mod pseudo;

mod hash;
mod index;
mod perf;
mod queue;
mod ringbuf;
mod set;
mod spec;

#[cfg(test)]
mod tests;

pub use error::{Errno, MapError, MapName, SpecProblem};
pub use index::{Map, MapIndex};
pub use perf::PerfRecord;
pub use set::MapSet;
pub use spec::{MapSpec, MapType};

/// `BPF_ANY`: create a new element or update an existing one.
pub const BPF_ANY: u64 = 0;
/// `BPF_NOEXIST`: create a new element only.
pub const BPF_NOEXIST: u64 = 1;
/// `BPF_EXIST`: update an existing element only (queue/stack: overwrite the
/// oldest element when full).
pub const BPF_EXIST: u64 = 2;
/// `BPF_F_LOCK`: update under the value's spin lock (accepted; see
/// [`helpers`] on spin locks).
pub const BPF_F_LOCK: u64 = 4;

/// The largest key a map accepts (the kernel's limit: the BPF stack size).
pub const MAX_KEY_SIZE: u32 = 512;
/// The most CPUs a map set emulates.
pub const MAX_CPUS: u32 = 64;
/// The kernel's limit on chained tail calls.
pub const MAX_TAIL_CALLS: u32 = 33;

/// The value `lddw` with `BPF_PSEUDO_MAP_FD` loads for map `index`: this
/// base plus the index. It lies outside every memory slot, so a program that
/// dereferences a map handle traps instead of reading host state.
pub const MAP_HANDLE_BASE: u64 = 0x4d41_5000_0000_0000;

/// The handle of map `index` (what `lddw rX, map` loads).
pub const fn handle(index: u32) -> u64 {
    MAP_HANDLE_BASE | index as u64
}

/// The map index of a handle, if it is one.
pub const fn index_of_handle(handle: u64) -> Option<u32> {
    if handle & !0xffff_ffff == MAP_HANDLE_BASE {
        Some(handle as u32)
    } else {
        None
    }
}

/// Rounds `n` up to a multiple of 8.
pub(crate) const fn round8(n: u64) -> u64 {
    (n + 7) & !7
}
