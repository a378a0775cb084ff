//! Every map type through the helpers (with a real guest mapping) and
//! through the host API.

use alloc::vec;
use alloc::vec::Vec;

use super::helpers::{self, fault, MapContext};
use super::*;
use crate::error::BuiltinError;
use crate::memory::{MemoryMapping, MemoryRegion, MM_MAPS_START, MM_STACK_START};

struct Ctx<'m> {
    maps: &'m mut MapIndex,
}

impl MapContext for Ctx<'_> {
    fn maps(&mut self) -> &mut MapIndex {
        self.maps
    }
}

type Helper<'x> = fn(&mut Ctx<'x>, &mut MemoryMapping<'_>, [u64; 5]) -> Result<u64, BuiltinError>;

/// Runs `f` with a context over `set` and a mapping of a 256-byte stack
/// (scratch at `MM_STACK_START`) holding `scratch`, and the arena.
fn with_run<R>(
    set: &mut MapSet,
    scratch: &mut [u8],
    f: impl FnOnce(&mut Ctx<'_>, &mut MemoryMapping<'_>) -> R,
) -> R {
    let (index, arena) = set.parts();
    let mut ctx = Ctx { maps: index };
    let mut mem =
        MemoryMapping::new([arena, MemoryRegion::writable(scratch, MM_STACK_START)]).unwrap();
    f(&mut ctx, &mut mem)
}

fn call<'x>(h: Helper<'x>, c: &mut Ctx<'x>, m: &mut MemoryMapping<'_>, a: [u64; 5]) -> u64 {
    h(c, m, a).unwrap()
}

const K: u64 = MM_STACK_START; // key scratch
const V: u64 = MM_STACK_START + 64; // value scratch

fn neg(e: Errno) -> u64 {
    e.to_r0()
}

#[test]
fn array_semantics() {
    let mut set = MapSet::new(&[MapSpec::new("a", MapType::Array, 4, 12, 4)], 1).unwrap();
    let h = handle(0);
    let mut s = vec![0u8; 256];
    s[0..4].copy_from_slice(&2u32.to_le_bytes());
    s[64..76].copy_from_slice(&[7; 12]);
    with_run(&mut set, &mut s, |c, m| {
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, BPF_ANY, 0]),
            0
        );
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, BPF_NOEXIST, 0]),
            neg(Errno::Exist)
        );
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, 9, 0]),
            neg(Errno::Inval)
        );
        assert_eq!(
            call(helpers::map_delete_elem, c, m, [h, K, 0, 0, 0]),
            neg(Errno::Inval)
        );
        let p = call(helpers::map_lookup_elem, c, m, [h, K, 0, 0, 0]);
        // Element 2, stride round_up(12, 8) = 16.
        assert_eq!(p, MM_MAPS_START + 32);
        assert_eq!(m.load::<4>(p + 8), Some([7; 4]));
        m.store::<4>(K, 4u32.to_le_bytes());
        assert_eq!(call(helpers::map_lookup_elem, c, m, [h, K, 0, 0, 0]), 0);
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, BPF_ANY, 0]),
            neg(Errno::TooBig)
        );
    });
    assert_eq!(
        set.lookup(0, &2u32.to_le_bytes()).unwrap(),
        Some(&[7u8; 12][..])
    );
    assert_eq!(set.keys(0).unwrap().len(), 4);
    assert_eq!(
        set.delete(0, &0u32.to_le_bytes()),
        Err(MapError::Errno {
            map: 0,
            errno: Errno::Inval
        })
    );
    set.clear(0).unwrap();
    assert_eq!(
        set.lookup(0, &2u32.to_le_bytes()).unwrap(),
        Some(&[0u8; 12][..])
    );
}

fn hash_semantics(t: MapType) {
    let mut set = MapSet::new(&[MapSpec::new("h", t, 4, 8, 2)], 1).unwrap();
    let h = handle(0);
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        for k in 1u32..=2 {
            m.store::<4>(K, k.to_le_bytes());
            m.store::<8>(V, (k as u64 * 10).to_le_bytes());
            assert_eq!(
                call(helpers::map_update_elem, c, m, [h, K, V, BPF_NOEXIST, 0]),
                0
            );
        }
        m.store::<4>(K, 9u32.to_le_bytes());
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, BPF_EXIST, 0]),
            neg(Errno::NoEnt)
        );
        assert_eq!(
            call(helpers::map_delete_elem, c, m, [h, K, 0, 0, 0]),
            neg(Errno::NoEnt)
        );
        m.store::<4>(K, 1u32.to_le_bytes());
        assert_eq!(
            call(helpers::map_update_elem, c, m, [h, K, V, BPF_NOEXIST, 0]),
            neg(Errno::Exist)
        );
        // Touch key 1 so key 2 is the least recently used.
        let p = call(helpers::map_lookup_elem, c, m, [h, K, 0, 0, 0]);
        assert_eq!(m.load::<8>(p), Some(10u64.to_le_bytes()));
        m.store::<4>(K, 3u32.to_le_bytes());
        let full = call(helpers::map_update_elem, c, m, [h, K, V, BPF_ANY, 0]);
        if t.is_lru() {
            assert_eq!(full, 0, "LRU evicts");
        } else {
            assert_eq!(full, neg(Errno::TooBig));
        }
    });
    let present = |set: &mut MapSet, k: u32| set.lookup(0, &k.to_le_bytes()).unwrap().is_some();
    assert!(present(&mut set, 1));
    assert_eq!(present(&mut set, 2), !t.is_lru());
    assert_eq!(present(&mut set, 3), t.is_lru());
    set.delete(0, &1u32.to_le_bytes()).unwrap();
    assert_eq!(set.keys(0).unwrap().len(), 1);
}

#[test]
fn hash_and_lru_hash_semantics() {
    hash_semantics(MapType::Hash);
    hash_semantics(MapType::LruHash);
}

#[test]
fn per_cpu_maps_keep_one_value_per_cpu() {
    for t in [
        MapType::PerCpuArray,
        MapType::PerCpuHash,
        MapType::LruPerCpuHash,
    ] {
        let mut set = MapSet::new(&[MapSpec::new("p", t, 4, 4, 4)], 3).unwrap();
        let h = handle(0);
        let mut s = vec![0u8; 256];
        for cpu in 0..3u32 {
            assert!(set.index_mut().set_current_cpu(cpu));
            with_run(&mut set, &mut s, |c, m| {
                m.store::<4>(V, (100 + cpu).to_le_bytes());
                assert_eq!(
                    call(helpers::map_update_elem, c, m, [h, K, V, BPF_ANY, 0]),
                    0
                );
                let p = call(helpers::map_lookup_elem, c, m, [h, K, 0, 0, 0]);
                assert_eq!(p, MM_MAPS_START + cpu as u64 * 8, "{t}");
            });
        }
        assert!(!set.index_mut().set_current_cpu(3));
        let all = set
            .lookup(0, &0u32.to_le_bytes())
            .unwrap()
            .unwrap()
            .to_vec();
        assert_eq!(all.len(), 24, "3 CPUs x round_up(4, 8)");
        for cpu in 0..3u32 {
            assert_eq!(
                set.lookup_cpu(0, &0u32.to_le_bytes(), cpu).unwrap(),
                Some(&(100 + cpu).to_le_bytes()[..])
            );
        }
        let mut values = vec![0u8; 24];
        values[8] = 5;
        set.update(0, &1u32.to_le_bytes(), &values, BPF_ANY)
            .unwrap();
        assert_eq!(
            set.lookup_cpu(0, &1u32.to_le_bytes(), 1).unwrap(),
            Some(&[5, 0, 0, 0][..])
        );
        assert!(set
            .update(0, &1u32.to_le_bytes(), &[0; 4], BPF_ANY)
            .is_err());
    }
}

#[test]
fn queue_and_stack() {
    let specs = [
        MapSpec::new("q", MapType::Queue, 0, 4, 2),
        MapSpec::new("s", MapType::Stack, 0, 4, 2),
    ];
    let mut set = MapSet::new(&specs, 1).unwrap();
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        for h in [handle(0), handle(1)] {
            for v in 1u32..=3 {
                m.store::<4>(V, v.to_le_bytes());
                let r = call(helpers::map_push_elem, c, m, [h, V, BPF_ANY, 0, 0]);
                assert_eq!(r, if v == 3 { neg(Errno::TooBig) } else { 0 });
            }
            m.store::<4>(V, 3u32.to_le_bytes());
            assert_eq!(
                call(helpers::map_push_elem, c, m, [h, V, BPF_EXIST, 0, 0]),
                0
            );
        }
        // Queue now holds 2, 3 (1 overwritten); stack holds 2, 3 (top 3).
        assert_eq!(
            call(helpers::map_peek_elem, c, m, [handle(0), K, 0, 0, 0]),
            0
        );
        assert_eq!(m.load::<4>(K), Some(2u32.to_le_bytes()));
        assert_eq!(
            call(helpers::map_pop_elem, c, m, [handle(1), K, 0, 0, 0]),
            0
        );
        assert_eq!(m.load::<4>(K), Some(3u32.to_le_bytes()));
        assert_eq!(
            helpers::map_pop_elem(c, m, [handle(1), 0, 0, 0, 0]),
            Err(BuiltinError {
                code: fault::BAD_POINTER
            })
        );
        assert_eq!(
            helpers::map_lookup_elem(c, m, [handle(0), K, 0, 0, 0]),
            Err(BuiltinError {
                code: fault::WRONG_MAP_TYPE
            })
        );
    });
    assert_eq!(set.pop(0, true).unwrap(), Some(2u32.to_le_bytes().to_vec()));
    assert_eq!(set.pop(0, true).unwrap(), Some(3u32.to_le_bytes().to_vec()));
    assert_eq!(set.pop(0, true).unwrap(), None);
    set.push(1, &[9, 9, 9, 9], BPF_ANY).unwrap();
    assert_eq!(set.pop(1, false).unwrap(), Some(vec![9; 4]));
}

#[test]
fn ring_buffer_records() {
    let mut set = MapSet::new(&[MapSpec::new("rb", MapType::RingBuf, 0, 0, 64)], 1).unwrap();
    let h = handle(0);
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        let a = call(helpers::ringbuf_reserve, c, m, [h, 4, 0, 0, 0]);
        assert_eq!(a, MM_MAPS_START + 8);
        assert!(m.store::<4>(a, *b"evt1"));
        let b = call(helpers::ringbuf_reserve, c, m, [h, 8, 0, 0, 0]);
        assert_eq!(
            call(helpers::ringbuf_reserve, c, m, [h, 8, 1, 0, 0]),
            0,
            "flags"
        );
        assert_eq!(call(helpers::ringbuf_discard, c, m, [b, 0, 0, 0, 0]), 0);
        assert_eq!(call(helpers::ringbuf_submit, c, m, [a, 0, 0, 0, 0]), 0);
        assert_eq!(
            helpers::ringbuf_submit(c, m, [a, 0, 0, 0, 0]),
            Err(BuiltinError {
                code: fault::BAD_RECORD
            })
        );
        m.store::<4>(V, *b"out!");
        assert_eq!(call(helpers::ringbuf_output, c, m, [h, V, 4, 0, 0]), 0);
        assert_eq!(call(helpers::ringbuf_query, c, m, [h, 0, 0, 0, 0]), 48);
        assert_eq!(call(helpers::ringbuf_query, c, m, [h, 1, 0, 0, 0]), 64);
        assert_eq!(
            call(helpers::ringbuf_output, c, m, [h, V, 40, 0, 0]),
            neg(Errno::Again)
        );
    });
    let mut got = Vec::new();
    assert_eq!(set.drain_ringbuf(0, |r| got.push(r.to_vec())).unwrap(), 2);
    assert_eq!(got, [b"evt1".to_vec(), b"out!".to_vec()]);
}

#[test]
fn perf_event_output_to_host() {
    let mut set = MapSet::with_perf_buffer(
        &[MapSpec::new("events", MapType::PerfEventArray, 4, 4, 0)],
        2,
        64,
    )
    .unwrap();
    assert_eq!(set.spec(0).unwrap().max_entries, 2, "0 means one per CPU");
    let h = handle(0);
    let mut s = vec![0u8; 256];
    set.index_mut().set_current_cpu(1);
    with_run(&mut set, &mut s, |c, m| {
        m.store::<4>(V, *b"ping");
        let cur = perf::BPF_F_CURRENT_CPU;
        assert_eq!(call(helpers::perf_event_output, c, m, [0, h, cur, V, 4]), 0);
        assert_eq!(call(helpers::perf_event_output, c, m, [0, h, 0, V, 2]), 0);
        assert_eq!(
            call(helpers::perf_event_output, c, m, [0, h, 5, V, 2]),
            neg(Errno::TooBig)
        );
        assert_eq!(
            call(helpers::perf_event_output, c, m, [0, h, 0, V, 100]),
            neg(Errno::NoSpc)
        );
        assert_eq!(
            call(helpers::perf_event_output, c, m, [0, h, 1 << 60, V, 2]),
            neg(Errno::Inval)
        );
        assert_eq!(
            helpers::perf_event_output(c, m, [0, h, 1 << 32, V, 2]),
            Err(BuiltinError {
                code: fault::UNSUPPORTED
            })
        );
    });
    let records = set.drain_perf(0).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!((records[0].cpu, &records[0].data[..]), (0, &b"pi"[..]));
    assert_eq!((records[1].cpu, &records[1].data[..]), (1, &b"ping"[..]));
    assert_eq!(set.perf_lost(0).unwrap(), 1);
}

#[test]
fn prog_array_and_tail_call_limits() {
    let mut set = MapSet::new(&[MapSpec::new("jmp", MapType::ProgArray, 4, 4, 2)], 1).unwrap();
    set.update(0, &1u32.to_le_bytes(), &7u32.to_le_bytes(), BPF_ANY)
        .unwrap();
    assert_eq!(set.lookup_entry(0, &1u32.to_le_bytes()).unwrap(), Some(7));
    let h = handle(0);
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        assert_eq!(
            call(helpers::tail_call, c, m, [0, h, 0, 0, 0]),
            neg(Errno::NoEnt)
        );
        assert_eq!(
            call(helpers::tail_call, c, m, [0, h, 9, 0, 0]),
            neg(Errno::NoEnt)
        );
        assert_eq!(
            helpers::map_delete_elem(c, m, [h, K, 0, 0, 0]),
            Err(BuiltinError {
                code: fault::WRONG_MAP_TYPE
            }),
            "programs do not delete from program arrays"
        );
        assert_eq!(
            helpers::tail_call(c, m, [0, h, 1, 0, 0]),
            Err(BuiltinError {
                code: fault::TAIL_CALL_UNSUPPORTED
            })
        );
    });
    set.delete(0, &1u32.to_le_bytes()).unwrap();
    assert_eq!(
        set.delete(0, &1u32.to_le_bytes()),
        Err(MapError::Errno {
            map: 0,
            errno: Errno::NoEnt
        })
    );
}

#[test]
fn map_in_map_lookup_yields_inner_handle() {
    let mut outer = MapSpec::new("outer", MapType::ArrayOfMaps, 4, 4, 2);
    outer.inner_map = Some(1);
    let mut houter = MapSpec::new("houter", MapType::HashOfMaps, 4, 4, 2);
    houter.inner_map = Some(1);
    let specs = [
        outer,
        MapSpec::new("inner", MapType::Array, 4, 8, 1),
        houter,
        MapSpec::new("other", MapType::Hash, 4, 8, 1),
    ];
    let mut set = MapSet::new(&specs, 1).unwrap();
    set.update(0, &0u32.to_le_bytes(), &1u32.to_le_bytes(), BPF_ANY)
        .unwrap();
    set.update(2, &5u32.to_le_bytes(), &1u32.to_le_bytes(), BPF_ANY)
        .unwrap();
    assert!(
        set.update(0, &1u32.to_le_bytes(), &3u32.to_le_bytes(), BPF_ANY)
            .is_err(),
        "incompatible inner map"
    );
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        assert_eq!(
            call(helpers::map_lookup_elem, c, m, [handle(0), K, 0, 0, 0]),
            handle(1)
        );
        m.store::<4>(K, 5u32.to_le_bytes());
        assert_eq!(
            call(helpers::map_lookup_elem, c, m, [handle(2), K, 0, 0, 0]),
            handle(1)
        );
        m.store::<4>(K, 1u32.to_le_bytes());
        assert_eq!(
            call(helpers::map_lookup_elem, c, m, [handle(0), K, 0, 0, 0]),
            0
        );
    });
}

#[test]
fn bad_handles_pointers_and_specs_are_errors() {
    let mut set = MapSet::new(&[MapSpec::new("h", MapType::Hash, 8, 8, 1)], 1).unwrap();
    let mut s = vec![0u8; 256];
    with_run(&mut set, &mut s, |c, m| {
        let bad = |code| Err(BuiltinError { code });
        assert_eq!(
            helpers::map_lookup_elem(c, m, [handle(3), K, 0, 0, 0]),
            bad(fault::BAD_HANDLE)
        );
        assert_eq!(
            helpers::map_lookup_elem(c, m, [1, K, 0, 0, 0]),
            bad(fault::BAD_HANDLE)
        );
        assert_eq!(
            helpers::map_lookup_elem(c, m, [handle(0), 0, 0, 0, 0]),
            bad(fault::BAD_POINTER)
        );
        assert_eq!(
            helpers::map_lookup_elem(c, m, [handle(0), K + 250, 0, 0, 0]),
            bad(fault::BAD_POINTER),
            "key crosses the end of the stack"
        );
        assert_eq!(
            helpers::map_update_elem(c, m, [handle(0), K, 8, 0, 0]),
            bad(fault::BAD_POINTER)
        );
        assert_eq!(
            helpers::for_each_map_elem(c, m, [0; 5]),
            bad(fault::UNSUPPORTED)
        );
    });
    let err = MapSet::new(&[MapSpec::new("blocklist", MapType::Array, 8, 4, 1)], 1).unwrap_err();
    assert_eq!(
        err,
        MapError::BadSpec {
            name: MapName::new("blocklist"),
            problem: SpecProblem::KeySize { size: 8 }
        }
    );
    assert!(alloc::format!("{err}").contains("blocklist"));
    assert!(MapSet::new(&[MapSpec::new("r", MapType::RingBuf, 0, 0, 100)], 1).is_err());
    assert!(MapSet::new(&[MapSpec::new("z", MapType::Hash, 4, 4, 0)], 1).is_err());
    assert!(MapSet::new(&[], 0).is_err());
    assert!(
        set.update(0, &[0; 4], &[0; 8], BPF_ANY).is_err(),
        "short key"
    );
    assert!(set.index_of("nope").is_err());
}

#[test]
fn registry_has_every_helper_by_linux_id() {
    let mut r = crate::builtins::BuiltinRegistry::<Ctx<'static>>::new();
    helpers::register_all(&mut r).unwrap();
    for (id, name) in [
        (1, "bpf_map_lookup_elem"),
        (12, "bpf_tail_call"),
        (131, "bpf_ringbuf_reserve"),
    ] {
        assert_eq!(r.by_id(id).map(|b| b.name), Some(name));
    }
    assert_eq!(r.len(), 16);
}
