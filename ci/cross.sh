#!/usr/bin/env bash
# Cross builds: the bare no_std core for five microcontroller targets, and
# the default (hosted) feature set for a non-x86 host, where the JIT must
# compile away to its "unsupported" path. Installs missing targets with rustup.
set -euo pipefail
cd "$(dirname "$0")/.."

# (The list is captured first: `grep -q` closing the pipe early can fail it under pipefail.)
ensure_target() {
    grep -qx "$1" <<<"$(rustup target list --installed)" || rustup target add "$1"
}

# thumbv6m (Cortex-M0) and riscv32imc have no atomic read-modify-write: the core
# must not need them (no `Arc`; executables borrow their runtime).
for target in thumbv7em-none-eabihf thumbv7m-none-eabi riscv32imac-unknown-none-elf \
    thumbv6m-none-eabi riscv32imc-unknown-none-elf; do
    ensure_target "$target"
    echo "--- no_std core: $target"
    cargo build --quiet -p ebpfvm --lib --no-default-features --target "$target"
    echo "--- no_std core + defmt: $target"
    cargo build --quiet -p ebpfvm --lib --no-default-features --features defmt --target "$target"
done

# Library only: linking binaries would need an aarch64 C toolchain.
ensure_target aarch64-unknown-linux-gnu
echo "--- hosted, default features: aarch64-unknown-linux-gnu"
cargo build --quiet -p ebpfvm --lib --target aarch64-unknown-linux-gnu
echo "--- hosted, all features: aarch64-unknown-linux-gnu"
cargo build --quiet -p ebpfvm --lib --all-features --target aarch64-unknown-linux-gnu
echo "cross: all builds OK"
