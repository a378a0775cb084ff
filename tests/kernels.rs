//! The benchmark kernels (`benches/kernels/`) compute what their Rust
//! versions compute, on the interpreter, for the benchmarked input and for
//! edge cases; and they stay inside the ISA subset every benchmarked peer VM
//! runs identically. A wrong kernel fails here instead of being benchmarked.

#![cfg(feature = "asm")]

#[path = "../benches/kernels/mod.rs"]
mod kernels;

use ebpfvm::isa::{AluOp, Instruction, IsaVersion, Width};
use ebpfvm::{Budget, Config, EbpfVm, Executable, RunOutcome, Runtime};
use kernels::{Kernel, KERNELS};

fn load(kernel: &Kernel, config: Config) -> Executable<'static, Budget> {
    let runtime: &'static Runtime<Budget> = Box::leak(Box::new(Runtime::new(config)));
    Executable::from_asm(kernel.source, runtime)
        .unwrap_or_else(|e| panic!("kernel {} does not load: {e}", kernel.name))
}

fn run(exe: &Executable<Budget>, input: &mut [u8]) -> RunOutcome {
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut data = exe.data_template().to_vec();
    let mapping = exe
        .standard_mapping(&mut stack, &mut data, input)
        .expect("standard mapping");
    let mut budget = Budget::new(100_000_000);
    let outcome = EbpfVm::new(exe, &mut budget, mapping).execute_interpreted();
    assert_eq!(
        budget.remaining,
        100_000_000 - outcome.instruction_count,
        "the meter is charged with every executed instruction"
    );
    outcome
}

fn check(kernel: &Kernel, exe: &Executable<Budget>, a: u64, b: u64) -> u64 {
    let input = (kernel.build)(a, b);
    let expected = (kernel.native)(&mut input.clone());
    let mut guest_input = input;
    let outcome = run(exe, &mut guest_input);
    assert_eq!(
        outcome.result,
        Ok(expected),
        "kernel {} with parameters ({a}, {b})",
        kernel.name
    );
    outcome.instruction_count
}

#[test]
fn kernels_match_their_rust_versions_on_edge_cases() {
    for kernel in &KERNELS {
        let exe = load(kernel, Config::default());
        for &(a, b) in kernel.edge_cases {
            check(kernel, &exe, a, b);
        }
    }
}

#[test]
fn checksum_kernel_method_equals_the_textbook_rfc_1071_checksum() {
    // The kernel (and its Rust version) sums little-endian 32-bit words and
    // swaps at the end; the textbook sums big-endian 16-bit words.
    let kernel = kernels::by_name("checksum").expect("checksum kernel");
    let data = (kernel.build)(5000, 1);
    let data = &data[kernels::HEADER_LEN..];
    for len in (0..=300).chain([4095, 4096, 4097, 5000]) {
        assert_eq!(
            kernels::internet_checksum_le32(&data[..len]),
            kernels::internet_checksum(&data[..len]),
            "length {len}"
        );
    }
    // RFC 1071 section 3's worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
    let example = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    assert_eq!(kernels::internet_checksum(&example), !0xddf2);
    assert_eq!(kernels::internet_checksum_le32(&example), !0xddf2);
}

#[test]
fn benchmarked_runs_match_and_execute_one_to_ten_million_instructions() {
    for kernel in &KERNELS {
        let exe = load(kernel, Config::default());
        let (a, b) = kernel.bench;
        let count = check(kernel, &exe, a, b);
        assert!(
            (1_000_000..=10_000_000).contains(&count),
            "kernel {} executes {count} instructions; keep it within 1e6..1e7",
            kernel.name
        );
    }
}

#[test]
fn kernels_use_only_the_isa_subset_the_peers_share() {
    // v2 = v1 + jlt/jle/jslt/jsle: no JMP32, atomics beyond add, v4 forms.
    let config = Config {
        version: IsaVersion::V2,
        ..Config::default()
    };
    for kernel in &KERNELS {
        let exe = load(kernel, config);
        for (pc, insn) in exe.instructions() {
            let portable = match insn {
                // solana_rbpf's v1 sign-extends 32-bit ALU results, and its
                // division traps on a zero divisor where RFC 9669 gives 0.
                Instruction::Alu { width, op, .. } => {
                    width == Width::W64 && !matches!(op, AluOp::Div | AluOp::Mod)
                }
                Instruction::Neg { width, .. } => width == Width::W64,
                Instruction::Atomic { .. }
                | Instruction::LoadPacket { .. }
                | Instruction::Call { .. }
                | Instruction::CallLocal { .. }
                | Instruction::CallReg { .. } => false,
                _ => true,
            };
            assert!(portable, "kernel {} pc {pc}: {insn:?}", kernel.name);
        }
    }
}

#[test]
fn kernels_do_not_depend_on_r2_or_leftover_registers() {
    // rbpf and solana_rbpf do not set r2; solana_rbpf keeps registers between
    // runs. A kernel must give the same result whatever r2..r9 hold at entry:
    // check that none reads a register before writing it.
    for kernel in &KERNELS {
        let exe = load(kernel, Config::default());
        let text = ebpfvm::asm::disassemble(exe.text()).expect("disassembles");
        let first_use = |reg: &str| {
            text.lines()
                .map(str::trim)
                .find(|line| line.split([' ', ',', '[', '+', ']']).any(|t| t == reg))
                .map(str::to_owned)
        };
        for reg in ["r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"] {
            if let Some(line) = first_use(reg) {
                let mut words = line.split([' ', ',']).filter(|w| !w.is_empty());
                let mnemonic = words.next().unwrap_or_default();
                let dst = words.next().unwrap_or_default();
                assert!(
                    matches!(
                        mnemonic,
                        "mov" | "lddw" | "ldxdw" | "ldxb" | "ldxw" | "ldxh"
                    ) && dst == reg,
                    "kernel {}: {reg} is read before it is written (`{line}`)",
                    kernel.name
                );
            }
        }
    }
}
