//! Every C kernel, at `-mcpu=v1` and `v3`, returns on both ebpfvm engines
//! what the same C compiled for the host returns, with the same instruction
//! count on the interpreter and the JIT, for the benchmarked input and the
//! edge cases; and the checked-in objects are what `c/build.sh` builds.

use ebpfvm_bench::c_kernels::{CKernel, Cpu, C_KERNELS};
use ebpfvm_bench::engines::EngineId;

/// The ebpfvm engines of this build.
fn engines() -> Vec<EngineId> {
    [EngineId::EbpfvmInterpreter, EngineId::EbpfvmJit]
        .into_iter()
        .filter(|e| e.unavailable().is_none())
        .collect()
}

fn check(kernel: &CKernel, cpu: Cpu, a: u64, b: u64) {
    let input = (kernel.build)(a, b);
    let expected = (kernel.native)(&mut input.clone());
    let mut counts = Vec::new();
    for engine in engines() {
        let mut runner = engine
            .runner(kernel.native, kernel.code(cpu), &input)
            .unwrap_or_else(|e| panic!("{} on {}: {e}", kernel.id(cpu), engine.label()));
        let mut guest = input.clone();
        let outcome = runner
            .run(&mut guest)
            .unwrap_or_else(|e| panic!("{} ({a}, {b}) on {}: {e}", kernel.id(cpu), engine.label()));
        assert_eq!(
            outcome.r0,
            expected,
            "{} ({a}, {b}) on {}: r0 {:#x}, native {expected:#x}",
            kernel.id(cpu),
            engine.label(),
            outcome.r0
        );
        // The guest wrote what the native code wrote (sorted copies, tables).
        let mut native_memory = input.clone();
        (kernel.native)(&mut native_memory);
        assert!(
            guest == native_memory,
            "{} ({a}, {b}) on {}: memory differs from native",
            kernel.id(cpu),
            engine.label()
        );
        counts.push(outcome.instructions);
    }
    assert!(
        counts.windows(2).all(|w| w[0] == w[1]),
        "{} ({a}, {b}): instruction counts differ between engines: {counts:?}",
        kernel.id(cpu)
    );
}

#[test]
fn every_c_kernel_matches_native_on_every_ebpfvm_engine() {
    assert!(C_KERNELS.len() >= 10);
    for kernel in C_KERNELS {
        for cpu in Cpu::ALL {
            check(kernel, cpu, kernel.bench.0, kernel.bench.1);
            for &(a, b) in kernel.edge_cases {
                check(kernel, cpu, a, b);
            }
        }
    }
}

#[test]
fn v3_objects_use_32_bit_instructions_and_v1_objects_do_not() {
    // BPF_ALU (class 4) and BPF_JMP32 (class 6): what -mcpu=v3 adds.
    let uses_32_bit = |code: &[u8]| code.chunks(8).any(|i| matches!(i[0] & 7, 4 | 6));
    for kernel in C_KERNELS {
        assert!(
            !uses_32_bit(kernel.v1),
            "{}: v1 object has 32-bit ops",
            kernel.name
        );
    }
    assert!(
        C_KERNELS.iter().filter(|k| uses_32_bit(k.v3)).count() >= C_KERNELS.len() / 2,
        "most v3 objects use the 32-bit ALU or JMP32"
    );
}

#[test]
fn checked_in_objects_match_their_sources() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/c");
    let clang = std::process::Command::new("clang-19")
        .arg("--version")
        .output();
    if clang.is_err() {
        eprintln!("SKIPPED checked_in_objects_match_their_sources: clang-19 is not installed");
        return;
    }
    let out = std::env::temp_dir().join(format!("ebpfvm-c-kernels-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temp dir");
    for kernel in C_KERNELS {
        for cpu in Cpu::ALL {
            let obj = out.join(format!("{}.{}.o", kernel.name, cpu.label()));
            let bin = out.join(format!("{}.{}.bin", kernel.name, cpu.label()));
            let status = std::process::Command::new("clang-19")
                .args(["-target", "bpf", "-O2", &format!("-mcpu={}", cpu.label())])
                .args(["-fno-strict-aliasing", "-fno-builtin", "-c"])
                .arg(format!("{dir}/{}.c", kernel.name))
                .arg("-o")
                .arg(&obj)
                .status()
                .expect("run clang-19");
            assert!(status.success(), "clang-19 failed on {}", kernel.name);
            let status = std::process::Command::new("llvm-objcopy-19")
                .args(["-O", "binary", "--only-section=.text"])
                .arg(&obj)
                .arg(&bin)
                .status()
                .expect("run llvm-objcopy-19");
            assert!(status.success());
            let built = std::fs::read(&bin).expect("read the built program");
            assert!(
                built == kernel.code(cpu),
                "{}: c/bpf/ is stale: run benches/compare/c/build.sh",
                kernel.id(cpu)
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}
