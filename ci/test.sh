#!/usr/bin/env bash
# The project's test command (README "Quick start"): unit, integration,
# conformance (when ../shared is present) and doc tests, for the default
# feature set and for the bare no_std core.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --quiet
cargo test --quiet --lib --no-default-features
cargo test --quiet --lib --no-default-features --features asm
cargo test --quiet --lib --no-default-features --features elf
# The JIT without std (no panic catching, errno unknown).
cargo test --quiet --lib --no-default-features --features jit
# The size-oriented interpreter (every engine test, conformance and JIT
# differential included, then runs against it).
cargo test --quiet --features compact
cargo test --quiet --lib --no-default-features --features compact
