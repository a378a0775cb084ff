#!/usr/bin/env bash
# The benchmark crate (with the rbpf and solana_rbpf peers) and the fuzz
# targets still build. Neither runs here: benchmarks are measured by hand
# (README "Performance"), fuzzing needs cargo-fuzz and a nightly toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo check --quiet -p ebpfvm-bench --all-targets
(cd fuzz && cargo check --quiet --bins)
