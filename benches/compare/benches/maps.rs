//! Hash-map lookup/update from a BPF program (ebpfvm's map helpers, on the
//! interpreter and the JIT) against the same operations on a native Rust
//! `hashbrown::HashMap`.
//!
//! Each iteration performs 256 counter bumps over 64 distinct keys: look
//! the key up, increment the value in place if present, insert 1
//! otherwise — from the program through `bpf_map_lookup_elem` /
//! `bpf_map_update_elem`, natively through `HashMap::get_mut` / `insert`.
//! Throughput is in operations (criterion's "elem/s").
//!
//! ```text
//! cargo bench -p ebpfvm-bench --bench maps [--features ebpfvm-jit]
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use ebpfvm::maps::helpers::{self, MapContext};
use ebpfvm::maps::{handle, MapIndex, MapSet, MapSpec, MapType};
use ebpfvm::{Budget, Config, ContextObject, EbpfVm, Engine, Executable, Prepared, Runtime};

const OPS: u64 = 256;
const KEYS: u64 = 64;

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

/// The counter loop: r6 = i, key at [r10-4], value 1 at [r10-16].
fn source() -> String {
    format!(
        "
    mov r6, 0
    mov r1, 1
    stxdw [r10-16], r1
loop:
    mov r1, r6
    and r1, {mask}
    stxw [r10-4], r1
    lddw r1, {h:#x}
    mov r2, r10
    add r2, -4
    call 1
    jeq r0, 0, insert
    ldxdw r1, [r0+0]
    add r1, 1
    stxdw [r0+0], r1
    ja next
insert:
    lddw r1, {h:#x}
    mov r2, r10
    add r2, -4
    mov r3, r10
    add r3, -16
    mov r4, 0
    call 2
next:
    add r6, 1
    jlt r6, {ops}, loop
    mov r0, 0
    exit
",
        mask = KEYS - 1,
        h = handle(0),
        ops = OPS
    )
}

fn bench(c: &mut Criterion) {
    let mut runtime = Runtime::<MapRun>::new(Config::default());
    let mut registry = ebpfvm::builtins::BuiltinRegistry::new();
    helpers::register_all(&mut registry).expect("map helpers register");
    for b in registry.iter() {
        runtime.register(b.id, b.name, b.func).expect("fits");
    }
    let code = ebpfvm::asm::assemble(&source()).expect("assembles");
    let exe = Executable::from_bytecode(&code, &runtime).expect("verifies");
    let mut group = c.benchmark_group("maps");
    group.throughput(Throughput::Elements(OPS));
    for &engine in Engine::available() {
        let name = engine.name();
        let prepared = Prepared::new(engine, &exe).expect("prepares");
        let mut set =
            MapSet::new(&[MapSpec::new("counts", MapType::Hash, 4, 8, 1024)], 1).expect("creates");
        let mut stack = vec![0u8; exe.config().stack_size()];
        group.bench_function(format!("hash_lookup_update/{name}"), |b| {
            b.iter(|| {
                let mut ctx = MapRun {
                    budget: Budget::new(1 << 20),
                    maps: set.take_index(),
                };
                let result = {
                    let mut data = [];
                    let mut input = [];
                    let mut mapping = exe
                        .standard_mapping(&mut stack, &mut data, &mut input)
                        .expect("maps");
                    mapping.insert(set.arena_region()).expect("slot 6 free");
                    EbpfVm::new(&exe, &mut ctx, mapping)
                        .execute(&prepared)
                        .result
                };
                set.put_index(ctx.maps);
                assert_eq!(result, Ok(0));
            })
        });
    }
    let mut native: hashbrown::HashMap<u32, u64> = hashbrown::HashMap::with_capacity(1024);
    group.bench_function("hash_lookup_update/native_hashbrown", |b| {
        b.iter(|| {
            for i in 0..OPS {
                let key = black_box((i & (KEYS - 1)) as u32);
                match native.get_mut(&key) {
                    Some(v) => *v += 1,
                    None => {
                        native.insert(key, 1);
                    }
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
