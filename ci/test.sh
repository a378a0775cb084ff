#!/usr/bin/env bash
# The project's test command (README "Quick start"): unit, integration,
# conformance (when ../shared is present) and doc tests of the library and
# of the `ebpfvm` tool (cli/), for the default feature set and for the bare
# no_std core.
set -euo pipefail
cd "$(dirname "$0")/.."

# Quiet output hides a test's own "SKIPPED" line: say it here.
suite="${EBPFVM_CONFORMANCE_DIR:-../shared/conformance/bpf_conformance/tests}"
if [ ! -d "$suite" ]; then
    echo "SKIPPED: the shared bpf_conformance suite ($suite) is absent;"
    echo "         its 313 cases do not run (set EBPFVM_CONFORMANCE_DIR)."
fi

# Library and tool (both are default workspace members).
cargo test --quiet
cargo test --quiet -p ebpfvm --lib --no-default-features
cargo test --quiet -p ebpfvm --lib --no-default-features --features asm
cargo test --quiet -p ebpfvm --lib --no-default-features --features elf
# The JIT without std (no panic catching, errno unknown).
cargo test --quiet -p ebpfvm --lib --no-default-features --features jit
# The size-oriented interpreter (every engine test, conformance and JIT
# differential included, then runs against it).
cargo test --quiet -p ebpfvm --features compact
cargo test --quiet -p ebpfvm --lib --no-default-features --features compact
# The tool without the JIT and the ELF loader.
cargo test --quiet -p ebpfvm-cli --no-default-features
