//! Criterion benchmarks, grouped as in the house style:
//!
//! - `verify`: load + verify (+ ebpfvm's pre-decoding) per program slot;
//! - `interpret`: each kernel on the three interpreters, throughput in
//!   instructions (criterion's "elem/s" = instructions per second);
//! - `jit_compile`: compile time per program slot;
//! - `jit_exec`: each kernel on the JITs and as native Rust;
//! - `elf_load`: ebpfvm's ELF loader (parse, relocate, verify, pre-decode) on
//!   the clang-built example objects. ebpfvm only: rbpf 0.4.1 has no ELF
//!   loader in its library, and solana_rbpf 0.8.5 loads only linked shared
//!   objects, which stock LLVM 19 cannot produce for BPF (`ld.lld` rejects
//!   `EM_BPF`).
//!
//! ebpfvm's JIT rows need `--features ebpfvm-jit`.
//!
//! ```text
//! cargo bench -p ebpfvm-bench [--features ebpfvm-jit] [-- <group>/<kernel>]
//! ```

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};

use ebpfvm_bench::engines::{self, EngineId, Workload};
use ebpfvm_bench::kernels::KERNELS;
use ebpfvm_bench::synthetic;

/// Slots of the synthetic program in `verify` and `jit_compile`.
const SYNTHETIC_SLOTS: usize = 16 * 1024;

/// rbpf 0.4.1's JIT emits into one fixed 4 KiB page and panics on larger
/// output; it is only asked to compile programs this small.
const RBPF_JIT_MAX_SLOTS: usize = 256;

fn workloads() -> Vec<Workload> {
    KERNELS
        .iter()
        .map(|k| Workload::new(k).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The programs of the compile-time groups: every kernel, and the synthetic one.
fn programs() -> Vec<(&'static str, Vec<u8>)> {
    let mut programs: Vec<(&'static str, Vec<u8>)> = KERNELS
        .iter()
        .map(|k| {
            (
                k.name,
                ebpfvm::asm::assemble(k.source).expect("kernel assembles"),
            )
        })
        .collect();
    programs.push(("synthetic_16k", synthetic::bytecode(SYNTHETIC_SLOTS)));
    programs
}

fn ebpfvm_runtime() -> ebpfvm::Runtime<ebpfvm::Budget> {
    ebpfvm::Runtime::new(ebpfvm::Config::default())
}

fn verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    for (name, code) in programs() {
        group.throughput(Throughput::Elements((code.len() / 8) as u64));
        let runtime = ebpfvm_runtime();
        group.bench_with_input(BenchmarkId::new("ebpfvm", name), &code, |b, code| {
            b.iter(|| ebpfvm::Executable::from_bytecode(code, &runtime).expect("verifies"))
        });
        group.bench_with_input(BenchmarkId::new("rbpf", name), &code, |b, code| {
            b.iter(|| rbpf::EbpfVmRaw::new(Some(code)).expect("verifies"))
        });
        group.bench_with_input(BenchmarkId::new("solana_rbpf", name), &code, |b, code| {
            b.iter(|| engines::solana_load(code).expect("verifies"))
        });
    }
    group.finish();
}

/// Times `engines` on every kernel in `group`.
fn execution_group(c: &mut Criterion, group_name: &str, engines: &[EngineId]) {
    let mut group = c.benchmark_group(group_name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let engines: Vec<EngineId> = engines
        .iter()
        .copied()
        .filter(|engine| match engine.unavailable() {
            Some(why) => {
                eprintln!("{group_name}/{}: skipped ({why})", engine.bench_id());
                false
            }
            None => true,
        })
        .collect();
    for workload in &workloads() {
        group.throughput(Throughput::Elements(workload.instructions));
        for &engine in &engines {
            // Set up on first use only, so a filtered-out benchmark costs nothing.
            let mut runner = None;
            let mut input = workload.input.clone();
            let id = BenchmarkId::new(engine.bench_id(), &workload.name);
            group.bench_function(id, |b| {
                let runner = runner.get_or_insert_with(|| {
                    workload
                        .checked_runner(engine)
                        .unwrap_or_else(|e| panic!("{e}"))
                });
                b.iter(|| runner.run(&mut input).expect("checked run"));
            });
        }
    }
    group.finish();
}

fn interpret(c: &mut Criterion) {
    execution_group(c, "interpret", &EngineId::INTERPRETERS);
}

fn jit_exec(c: &mut Criterion) {
    execution_group(c, "jit_exec", &EngineId::COMPILED);
}

fn jit_compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("jit_compile");
    for (name, code) in programs() {
        group.throughput(Throughput::Elements((code.len() / 8) as u64));
        #[cfg(feature = "ebpfvm-jit")]
        {
            let runtime = ebpfvm_runtime();
            let exe = ebpfvm::Executable::from_bytecode(&code, &runtime).expect("verifies");
            group.bench_with_input(BenchmarkId::new("ebpfvm", name), &exe, |b, exe| {
                b.iter(|| exe.jit_compile().expect("compiles"))
            });
        }
        group.bench_with_input(BenchmarkId::new("solana_rbpf", name), &code, |b, code| {
            b.iter_batched(
                || engines::solana_load(code).expect("verifies"),
                |mut exe| {
                    exe.jit_compile().expect("compiles");
                    exe
                },
                BatchSize::SmallInput,
            )
        });
        if code.len() / 8 > RBPF_JIT_MAX_SLOTS {
            continue;
        }
        group.bench_with_input(BenchmarkId::new("rbpf", name), &code, |b, code| {
            b.iter_batched(
                || rbpf::EbpfVmRaw::new(Some(code)).expect("verifies"),
                |mut vm| {
                    vm.jit_compile().expect("compiles");
                    vm
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// The example objects `elf_load` loads (relative to `examples/programs/`):
/// plain, with debug info and BTF, a linked two-unit object, one with data.
const ELF_OBJECTS: [&str; 5] = [
    "packet_filter.v1.o",
    "packet_filter.o",
    "strings.o",
    "linked.o",
    "counter.o",
];

fn elf_load(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/programs");
    let mut group = c.benchmark_group("elf_load");
    for name in ELF_OBJECTS {
        let object = match std::fs::read(format!("{dir}/{name}")) {
            Ok(object) => object,
            Err(e) => {
                eprintln!("elf_load/{name}: skipped ({e})");
                continue;
            }
        };
        group.throughput(Throughput::Bytes(object.len() as u64));
        let runtime = ebpfvm_runtime();
        group.bench_with_input(BenchmarkId::new("ebpfvm", name), &object, |b, object| {
            b.iter(|| ebpfvm::Executable::from_elf(object, &runtime).expect("loads"))
        });
    }
    group.finish();
}

criterion_group!(benches, verify, interpret, jit_compile, jit_exec, elf_load);
criterion_main!(benches);
