//! Maps from BPF C programs (tests/programs/maps, clang -O2 -g, v1 and v3),
//! on every engine: each map type through the helpers, persistence across
//! runs, the host API, bad definitions, and a trap through a value pointer.

use ebpfvm::elf::InitialValue;
use ebpfvm::error::{AccessKind, ElfError, Error, MapDefProblem, SymbolName, Trap};
use ebpfvm::maps::helpers::{self, MapContext};
use ebpfvm::maps::{MapIndex, MapSet, MapType, SpecProblem, BPF_ANY};
use ebpfvm::memory::MM_MAPS_START;
use ebpfvm::RunOutcome;
use ebpfvm::{Budget, Config, ContextObject, EbpfVm, Engine, Executable, Prepared, Runtime};

/// The context of a run: the budget and the maps' index.
#[derive(Default)]
struct MapRun {
    budget: Budget,
    maps: MapIndex,
}

impl ContextObject for MapRun {
    fn consume(&mut self, amount: u64) {
        self.budget.consume(amount)
    }
    fn remaining(&self) -> u64 {
        self.budget.remaining()
    }
}

impl MapContext for MapRun {
    fn maps(&mut self) -> &mut MapIndex {
        &mut self.maps
    }
}

fn object(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/programs/maps/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A runtime with the map helpers.
fn runtime() -> Runtime<MapRun> {
    let mut runtime = Runtime::<MapRun>::new(Config::default());
    let mut registry = ebpfvm::builtins::BuiltinRegistry::new();
    helpers::register_all(&mut registry).unwrap();
    for b in registry.iter() {
        runtime.register(b.id, b.name, b.func).unwrap();
    }
    runtime
}

/// An object loaded once, with its maps and data region, which persist
/// across runs.
struct Loaded<'r> {
    exe: Executable<'r, MapRun>,
    maps: MapSet,
    data: Vec<u8>,
}

fn load<'r>(runtime: &'r Runtime<MapRun>, file: &str, entry: &str, cpus: u32) -> Loaded<'r> {
    let bytes = object(file);
    let exe = Executable::from_elf_with_entry(&bytes, runtime, entry).unwrap();
    let maps = ebpfvm::elf::maps(&bytes).unwrap().create(cpus).unwrap();
    let data = exe.data_template().to_vec();
    Loaded { exe, maps, data }
}

fn run_one(
    exe: &Executable<'_, MapRun>,
    maps: &mut MapSet,
    data: &mut [u8],
    input: &[u8],
    prepared: &Prepared<'_, MapRun>,
) -> RunOutcome {
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut input = input.to_vec();
    let mut ctx = MapRun {
        budget: Budget::new(100_000),
        maps: maps.take_index(),
    };
    let outcome = {
        let mut mapping = exe.standard_mapping(&mut stack, data, &mut input).unwrap();
        mapping.insert(maps.arena_region()).unwrap();
        EbpfVm::new(exe, &mut ctx, mapping).execute(prepared)
    };
    maps.put_index(ctx.maps);
    outcome
}

/// Runs on every engine of `Engine::available()` from the same map and
/// data state, asserts they agree on the outcome, the maps (index and
/// arena) and the data; keeps the first engine's (the interpreter's) state.
fn run(l: &mut Loaded<'_>, input: &[u8]) -> RunOutcome {
    let (maps0, data0) = (l.maps.clone(), l.data.clone());
    let mut reference = None;
    for &engine in Engine::available() {
        let prepared = Prepared::new(engine, &l.exe).unwrap();
        l.maps = maps0.clone();
        l.data = data0.clone();
        let outcome = run_one(&l.exe, &mut l.maps, &mut l.data, input, &prepared);
        let state = (
            outcome,
            format!("{:?}", l.maps.index()),
            l.maps.arena().to_vec(),
            l.data.clone(),
        );
        match &reference {
            None => reference = Some((state, l.maps.clone(), l.data.clone())),
            Some((r, _, _)) => assert_eq!(r, &state, "{engine:?} differs from the interpreter"),
        }
    }
    let ((outcome, ..), maps, data) = reference.unwrap();
    l.maps = maps;
    l.data = data;
    outcome
}

fn words(w: &[u32]) -> Vec<u8> {
    w.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn r0_i32(o: &RunOutcome) -> i32 {
    o.result.expect("the program exits") as u32 as i32
}

#[test]
fn hash_array_and_per_cpu_counter_persist_across_runs() {
    let rt = runtime();
    for file in ["counter.o", "counter.v1.o"] {
        let mut l = load(&rt, file, "count", 2);
        let counts = l.maps.index_of("counts").unwrap();
        let totals = l.maps.index_of("totals").unwrap();
        let per_cpu = l.maps.index_of("per_cpu").unwrap();
        assert_eq!(l.maps.spec(counts).unwrap().map_type, MapType::Hash);
        let mut expect = Vec::new();
        for (i, key) in [1u32, 2, 1, 3, 4, 1].into_iter().enumerate() {
            l.maps.index_mut().set_current_cpu((i % 2) as u32);
            expect.push(r0_i32(&run(&mut l, &words(&[key]))));
        }
        assert_eq!(expect, [1, 1, 2, 1, 1, 3], "{file}");
        // A fifth key does not fit: -E2BIG, counted in totals[1].
        assert_eq!(r0_i32(&run(&mut l, &words(&[5]))), -7, "{file}");
        let total = |l: &mut Loaded<'_>, i: u32| {
            let v = l.maps.lookup(totals, &i.to_le_bytes()).unwrap().unwrap();
            u64::from_le_bytes(v.try_into().unwrap())
        };
        assert_eq!(total(&mut l, 0), 7);
        assert_eq!(total(&mut l, 1), 1);
        let count = l.maps.lookup(counts, &1u32.to_le_bytes()).unwrap().unwrap();
        assert_eq!(count, 3u64.to_le_bytes());
        // Per-CPU: CPU 0 ran keys 1, 1, 4; CPU 1 ran 2, 3, 1, then 5.
        let cpu = |l: &mut Loaded<'_>, c| {
            let v = l
                .maps
                .lookup_cpu(per_cpu, &0u32.to_le_bytes(), c)
                .unwrap()
                .unwrap();
            u64::from_le_bytes(v.try_into().unwrap())
        };
        assert_eq!((cpu(&mut l, 0), cpu(&mut l, 1)), (6, 11));
        // Host API: iterate, update, delete, clear.
        let mut keys: Vec<u32> = l
            .maps
            .keys(counts)
            .unwrap()
            .iter()
            .map(|k| u32::from_le_bytes(k[..].try_into().unwrap()))
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, [1, 2, 3, 4]);
        l.maps.delete(counts, &4u32.to_le_bytes()).unwrap();
        l.maps
            .update(counts, &9u32.to_le_bytes(), &41u64.to_le_bytes(), BPF_ANY)
            .unwrap();
        assert_eq!(r0_i32(&run(&mut l, &words(&[9]))), 42, "host value seen");
        l.maps.clear(counts).unwrap();
        assert_eq!(l.maps.keys(counts).unwrap().len(), 0);
        assert_eq!(r0_i32(&run(&mut l, &words(&[9]))), 1);
    }
}

#[test]
fn lru_queue_stack_ringbuf_perf_tail_call_per_cpu_hash() {
    let rt = runtime();
    for file in ["kinds.o", "kinds.v1.o"] {
        // LRU: 2 entries; touching 1, 2, 1, 3 evicts 2.
        let mut l = load(&rt, file, "lru", 1);
        assert_eq!(r0_i32(&run(&mut l, &words(&[1, 2, 1, 3]))), 3);
        let recent = l.maps.index_of("recent").unwrap();
        let present =
            |l: &mut Loaded<'_>, k: u32| l.maps.lookup(recent, &k.to_le_bytes()).unwrap().is_some();
        assert!(
            present(&mut l, 1) && present(&mut l, 3) && !present(&mut l, 2),
            "{file}"
        );

        let mut l = load(&rt, file, "queue_stack", 1);
        // Queue 1,2,3 + EXIST 4 -> 2,3,4: pop 2. Stack 1,2,3 + EXIST 4 -> 2,3,4: pop 4.
        assert_eq!(r0_i32(&run(&mut l, &[])), 200 + 40 + 1, "{file}");
        let fifo = l.maps.index_of("fifo").unwrap();
        assert_eq!(
            l.maps.pop(fifo, true).unwrap(),
            Some(3u32.to_le_bytes().to_vec())
        );

        let mut l = load(&rt, file, "ringbuf", 1);
        // 5 events: 3 submitted, 2 discarded (still in the ring until
        // consumed), then one output: 6 records of 16 bytes available.
        assert_eq!(r0_i32(&run(&mut l, &words(&[5]))), 6 * 16, "{file}");
        let events = l.maps.index_of("events").unwrap();
        let mut records = Vec::new();
        l.maps
            .drain_ringbuf(events, |r| records.push(r.to_vec()))
            .unwrap();
        assert_eq!(
            records,
            [
                words(&[1, 0]),
                words(&[1, 2]),
                words(&[1, 4]),
                words(&[2, 5])
            ]
        );
        // 16 records of 16 bytes fill the 256-byte ring exactly: the final
        // bpf_ringbuf_output finds no room (-EAGAIN), the program says -2.
        assert_eq!(r0_i32(&run(&mut l, &words(&[16]))), -2);
        // Undrained, the next run's first reserve already fails.
        assert_eq!(r0_i32(&run(&mut l, &words(&[1]))), -1);

        let mut l = load(&rt, file, "perf_out", 2);
        l.maps.index_mut().set_current_cpu(1);
        assert_eq!(r0_i32(&run(&mut l, &words(&[77]))), 0, "{file}");
        let perf = l.maps.index_of("perf").unwrap();
        let out = l.maps.drain_perf(perf).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].cpu, out[0].data.clone()), (1, words(&[3, 77])));

        let mut l = load(&rt, file, "tail", 1);
        assert_eq!(
            r0_i32(&run(&mut l, &[])),
            1000 - 2,
            "empty slot: -ENOENT, falls through"
        );
        let jumps = l.maps.index_of("jumps").unwrap();
        let pc = l.exe.entry_pc() as u32;
        l.maps
            .update(jumps, &2u32.to_le_bytes(), &pc.to_le_bytes(), BPF_ANY)
            .unwrap();
        let outcome = run(&mut l, &[]);
        assert!(
            matches!(outcome.result, Err(Trap::BuiltinFailed { id: 12, code, .. }) if code == helpers::fault::TAIL_CALL_UNSUPPORTED),
            "a real tail call is refused loudly: {outcome:?}"
        );

        let mut l = load(&rt, file, "per_cpu_hash", 2);
        for (cpu, add) in [(0, 5u32), (1, 7), (0, 1)] {
            l.maps.index_mut().set_current_cpu(cpu);
            assert_eq!(r0_i32(&run(&mut l, &words(&[add]))), 0);
        }
        let h = l.maps.index_of("pcpu_hash").unwrap();
        let v = |l: &mut Loaded<'_>, c| {
            l.maps
                .lookup_cpu(h, &7u32.to_le_bytes(), c)
                .unwrap()
                .unwrap()
                .to_vec()
        };
        assert_eq!(v(&mut l, 0), 6u64.to_le_bytes());
        assert_eq!(v(&mut l, 1), 7u64.to_le_bytes());
    }
}

#[test]
fn value_pointer_is_bounds_checked_on_every_engine() {
    let rt = runtime();
    for file in ["oob.o", "oob.v1.o"] {
        let mut l = load(&rt, file, "oob", 1);
        let only = l.maps.index_of("only").unwrap();
        l.maps
            .update(
                only,
                &0u32.to_le_bytes(),
                &0x1122_3344_5566_7788u64.to_le_bytes(),
                BPF_ANY,
            )
            .unwrap();
        assert_eq!(run(&mut l, &words(&[1])).result, Ok(0x77));
        let outcome = run(&mut l, &words(&[8]));
        // The faulting load: the first ldxb of the program.
        let code = l.exe.ro_region();
        let text = code.bytes();
        let ldxb_pc = text.chunks(8).position(|i| i[0] == 0x71).unwrap();
        assert_eq!(
            outcome.result,
            Err(Trap::AccessViolation {
                pc: ldxb_pc,
                addr: MM_MAPS_START + 8,
                len: 1,
                kind: AccessKind::Load
            }),
            "{file}"
        );
    }
}

#[test]
fn legacy_maps_and_globals() {
    let rt = runtime();
    for file in ["legacy.o", "legacy.v1.o"] {
        let mut l = load(&rt, file, "legacy", 1);
        let hash = l.maps.index_of("legacy_hash").unwrap();
        let array = l.maps.index_of("legacy_array").unwrap();
        assert_eq!(l.maps.spec(hash).unwrap().max_entries, 16);
        assert_eq!(l.maps.spec(array).unwrap().value_size, 8);
        assert_eq!(r0_i32(&run(&mut l, &words(&[3, 30]))), 101 + 2, "{file}");
        assert_eq!(
            r0_i32(&run(&mut l, &words(&[4, 40]))),
            102 + 4,
            ".data persists"
        );
        assert_eq!(
            l.maps.lookup(hash, &4u32.to_le_bytes()).unwrap(),
            Some(&40u32.to_le_bytes()[..])
        );
        assert_eq!(
            l.maps.lookup(array, &3u32.to_le_bytes()).unwrap(),
            Some(&10u64.to_le_bytes()[..])
        );
    }
}

#[test]
fn map_in_map_with_initialiser() {
    let rt = runtime();
    for file in ["in_map.o", "in_map.v1.o"] {
        let maps = ebpfvm::elf::maps(&object(file)).unwrap();
        let outer = maps.specs.iter().position(|s| s.name == "outer").unwrap() as u32;
        let inner = maps.specs.iter().position(|s| s.name == "inner_a").unwrap() as u32;
        let of_outer: Vec<_> = maps.initial.iter().filter(|e| e.map == outer).collect();
        assert_eq!(of_outer.len(), 1);
        assert_eq!(
            (of_outer[0].index, &of_outer[0].value),
            (0, &InitialValue::Map(inner))
        );
        let mut l = load(&rt, file, "in_map", 1);
        assert_eq!(r0_i32(&run(&mut l, &[])), 1, "{file}");
        assert_eq!(r0_i32(&run(&mut l, &[])), 2);
        assert_eq!(
            l.maps.lookup(inner, &0u32.to_le_bytes()).unwrap(),
            Some(&2u32.to_le_bytes()[..])
        );
        assert_eq!(
            l.maps.lookup_entry(outer, &0u32.to_le_bytes()).unwrap(),
            Some(inner)
        );
    }
}

#[test]
fn bad_map_definitions_name_the_map() {
    let rt = runtime();
    let err = ebpfvm::elf::maps(&object("bad_field.o")).unwrap_err();
    assert_eq!(
        err,
        ElfError::InvalidMap {
            name: SymbolName::new("painted.colour"),
            problem: MapDefProblem::UnknownField
        }
    );
    assert_eq!(err.to_string(), "map \"painted\": unknown field \"colour\"");
    assert_eq!(
        Executable::from_elf(&object("bad_field.o"), &rt).unwrap_err(),
        Error::Elf(err)
    );
    let err = ebpfvm::elf::maps(&object("bad_size.v1.o")).unwrap_err();
    assert_eq!(
        err,
        ElfError::InvalidMap {
            name: SymbolName::new("wide_key"),
            problem: MapDefProblem::Spec(SpecProblem::KeySize { size: 8 })
        }
    );
}

#[test]
fn map_programs_without_map_helpers_are_refused() {
    let rt = runtime();
    let plain = Runtime::<Budget>::new(Config::default());
    assert!(Executable::from_elf(&object("counter.o"), &plain).is_err());
    drop(rt);
}

#[test]
fn pseudo_map_lddw_in_raw_bytecode() {
    let rt = runtime();
    // r6 = map value (src 2: array `a` + 4); r1 = map handle (src 1);
    // *(u32 *)r6 = 5; key 0 at [r10-4]; r0 = lookup(a, &key); r0 = *(u32 *)(r0 + 4).
    let src = "
        lddw r6, 4
        stw [r6+0], 5
        lddw r1, 0
        stw [r10-4], 0
        mov r2, r10
        add r2, -4
        call 1
        ldxw r0, [r0+4]
        exit
    ";
    let mut code = ebpfvm::asm::assemble(src).unwrap();
    code[1] |= 2 << 4; // BPF_PSEUDO_MAP_VALUE, map 0, offset 4 (next imm)
    code[12..16].copy_from_slice(&4u32.to_le_bytes());
    code[4..8].copy_from_slice(&0u32.to_le_bytes());
    code[3 * 8 + 1] |= 1 << 4; // BPF_PSEUDO_MAP_FD, map 0
    let mut maps = MapSet::new(
        &[ebpfvm::maps::MapSpec::new("a", MapType::Array, 4, 8, 1)],
        1,
    )
    .unwrap();
    let unresolved = Executable::from_bytecode(&code, &rt);
    assert!(
        unresolved.is_err(),
        "pseudo forms are refused until resolved"
    );
    assert_eq!(
        ebpfvm::maps::pseudo::resolve(&mut code, maps.index()),
        Ok(2)
    );
    let exe = Executable::from_bytecode(&code, &rt).unwrap();
    let data = Vec::new();
    let mut l = Loaded {
        exe,
        maps: maps.clone(),
        data,
    };
    assert_eq!(run(&mut l, &[]).result, Ok(5));
    assert_eq!(
        l.maps.lookup(0, &0u32.to_le_bytes()).unwrap(),
        Some(&[0, 0, 0, 0, 5, 0, 0, 0][..])
    );
    // A value offset past the array is refused.
    let mut bad = ebpfvm::asm::assemble("lddw r1, 0\nexit").unwrap();
    bad[1] |= 2 << 4;
    bad[12..16].copy_from_slice(&8u32.to_le_bytes());
    assert!(ebpfvm::maps::pseudo::resolve(&mut bad, maps.index()).is_err());
    maps.clear(0).unwrap();
}

/// A small deterministic generator for the mutation test.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn mutated_and_truncated_map_objects_never_panic() {
    let rt = runtime();
    let mut rng = Lcg(0x6d61_7073);
    let mut refused = 0usize;
    let mut total = 0usize;
    for file in ["counter.o", "kinds.o", "legacy.o", "in_map.v1.o"] {
        let original = object(file);
        for len in (0..original.len()).step_by(7) {
            total += 1;
            refused += ebpfvm::elf::maps(&original[..len]).is_err() as usize;
        }
        for _ in 0..1500 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = (rng.next() as usize) % bytes.len();
                bytes[at] = rng.next() as u8;
            }
            total += 1;
            if let Ok(maps) = ebpfvm::elf::maps(&bytes) {
                // Whatever parses must also create (or fail) cleanly.
                let _ = maps.create(2);
            } else {
                refused += 1;
            }
            let _ = Executable::from_elf(&bytes, &rt);
        }
    }
    assert!(
        refused > 0 && refused < total,
        "{refused} of {total} refused"
    );
}

#[test]
fn prog_array_initialiser_and_hash_of_maps() {
    let rt = runtime();
    for file in ["in_map.o", "in_map.v1.o"] {
        let bytes = object(file);
        let maps = ebpfvm::elf::maps(&bytes).unwrap();
        let progs = maps.specs.iter().position(|s| s.name == "progs").unwrap() as u32;
        let by_id = maps.specs.iter().position(|s| s.name == "by_id").unwrap();
        assert_eq!(maps.specs[by_id].map_type, MapType::HashOfMaps);
        assert!(maps.specs[by_id].inner_map.is_some());
        let exe = Executable::from_elf_with_entry(&bytes, &rt, "jump_target").unwrap();
        let target_pc = exe.entry_pc();
        assert!(maps.initial.iter().any(|e| e.map == progs
            && e.index == 1
            && e.value == InitialValue::Program { pc: target_pc }));
        let mut l = load(&rt, file, "jump", 1);
        assert_eq!(
            l.maps.lookup_entry(progs, &1u32.to_le_bytes()).unwrap(),
            Some(target_pc as u32)
        );
        let outcome = run(&mut l, &[]);
        assert!(
            matches!(outcome.result, Err(Trap::BuiltinFailed { id: 12, code, .. }) if code == helpers::fault::TAIL_CALL_UNSUPPORTED),
            "{file}: {outcome:?}"
        );
    }
}
