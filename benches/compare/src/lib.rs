//! Side-by-side benchmarks of ebpfvm against the `rbpf` 0.4.1 and
//! `solana_rbpf` 0.8.5 crates, on identical bytecode and input.
//!
//! This crate is not part of the library: it exists so the peers never become
//! dependencies of `ebpfvm`, and it is only built when asked for
//! (`cargo run --release -p ebpfvm-bench --bin report`,
//! `cargo bench -p ebpfvm-bench`).
//!
//! - [`kernels`]: the compute kernels (shared with `tests/kernels.rs`, which
//!   checks them against their Rust versions).
//! - [`c_kernels`]: clang-compiled C kernels (`c/`), their BPF objects at
//!   `-mcpu=v1` and `v3`, and the same C compiled for the host.
//! - [`engines`]: one [`Runner`](engines::Runner) per engine, all running
//!   the same bytecode on the same input.
//! - [`synthetic`]: a large straight-line program for the verifier and JIT
//!   compile-time benchmarks.
//! - [`measure`]: the fixed-repetition timing the `report` binary uses.
//!
//! # Fairness
//!
//! Every engine runs with the safety it has: ebpfvm and solana_rbpf check
//! every memory access and meter instructions (budget far above the kernel's
//! count, so the meter never stops a run); rbpf's interpreter checks bounds
//! and has no meter; rbpf's JIT checks nothing. solana_rbpf's JIT hardening
//! that ebpfvm does not do by default (random no-op insertion, immediate
//! sanitisation) is turned off; its address translation and meter stay on.
//! Instruction counts come from ebpfvm and are cross-checked against
//! solana_rbpf's meter, so MIPS figures are comparable.

#[path = "../../kernels/mod.rs"]
pub mod kernels;

pub mod c_kernels;
pub mod engines;
pub mod measure;
pub mod synthetic;

/// Instruction budget given to metered engines: far above any kernel, so the
/// meter is consulted as usual but never stops a run.
pub const BUDGET: u64 = 1 << 40;
