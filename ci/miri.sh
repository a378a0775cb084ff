#!/usr/bin/env bash
# Runs the interpreter, memory, verifier, ISA and ELF loader unit tests under Miri (nightly).
# Skips with a message when the nightly toolchain or its miri component cannot
# be installed on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly miri --version >/dev/null 2>&1; then
    rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1 || true
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "miri: SKIPPED (nightly toolchain with miri is not available here)"
    exit 0
fi
MIRIFLAGS="${MIRIFLAGS:--Zmiri-strict-provenance}" \
    cargo +nightly miri test -p ebpfvm --lib --no-default-features --features asm,elf -- \
    interpreter:: memory:: verifier::tests::rejects isa::tests::reserved builtins:: elf::
