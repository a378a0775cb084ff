#!/usr/bin/env bash
# Formatting and lints for every feature set of the library and the tool (cli/).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p ebpfvm --lib --no-default-features -- -D warnings
cargo clippy -p ebpfvm --lib --no-default-features --features asm -- -D warnings
cargo clippy -p ebpfvm --lib --no-default-features --features elf -- -D warnings
cargo clippy -p ebpfvm --lib --no-default-features --features jit -- -D warnings
# The size-oriented interpreter replaces the fast loop: lint both.
cargo clippy -p ebpfvm --all-targets --features compact -- -D warnings
cargo clippy -p ebpfvm --lib --no-default-features --features compact -- -D warnings
# The tool (cli/) without the JIT and the ELF loader.
cargo clippy -p ebpfvm-cli --all-targets --no-default-features -- -D warnings
# The ELF loader stays no_std (goblin without default features).
cargo build --quiet -p ebpfvm --lib --no-default-features --features elf --target thumbv7em-none-eabihf
# The JIT feature compiles to its "unsupported" stub off x86_64 unix.
cargo build --quiet -p ebpfvm --lib --no-default-features --features jit --target thumbv7em-none-eabihf
cargo clippy --all-targets --all-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --quiet -p ebpfvm -p ebpfvm-cli
