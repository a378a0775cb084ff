#!/usr/bin/env bash
# Host instructions executed per eBPF instruction (callgrind `Ir`), for every
# kernel on the given engines (default: the three interpreters). Unlike the
# wall-clock MIPS of the `report` binary, this figure does not depend on the
# load of a shared machine. Not part of CI (slow: everything runs under
# valgrind); run it by hand:
#
#   ci/bench-profile.sh [--c] [ENGINE...]   engines: see `profile` (ebpfvm, rbpf, solana_rbpf, ...)
#
# --c: the clang-compiled C kernels (benches/compare/c, each at v1 and v3)
# instead of the assembly kernels; default engines then ebpfvm-jit, rbpf-jit
# and native (the same C built for the host: its host instructions per eBPF
# instruction of the same work are the floor a JIT is measured against).
set -euo pipefail
cd "$(dirname "$0")/.."

suite=asm
if [ "${1:-}" = "--c" ]; then
    suite=c
    shift
fi
engines=("$@")
if [ "$suite" = c ]; then
    [ ${#engines[@]} -eq 0 ] && engines=(ebpfvm-jit rbpf-jit native)
    kernels=()
    for src in benches/compare/c/*.c; do
        name=$(basename "$src" .c)
        kernels+=("$name/v1" "$name/v3")
    done
else
    [ ${#engines[@]} -eq 0 ] && engines=(ebpfvm rbpf solana_rbpf)
    kernels=(alu_mix sieve checksum fnv1a parse)
fi

command -v valgrind >/dev/null || { echo "bench-profile: valgrind is not installed" >&2; exit 2; }
cargo build --quiet --release -p ebpfvm-bench --bin profile
bin=target/release/profile
out=$(mktemp)
trap 'rm -f "$out"' EXIT

declare -A geo
printf '| kernel |'; printf ' %s |' "${engines[@]}"; echo
printf '|---|'; printf -- '--:|%.0s' "${engines[@]}"; echo
for kernel in "${kernels[@]}"; do
    printf '| %s |' "$kernel"
    for engine in "${engines[@]}"; do
        count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            --toggle-collect='profile::timed_runs' "$bin" "$engine" "$kernel" 1 2>"$out")
        ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out")
        if [ -z "$ir" ] || [ -z "$count" ]; then
            printf ' n/a |'
        else
            v=$(awk -v ir="$ir" -v n="$count" 'BEGIN { printf "%.2f", ir / n }')
            printf ' %s |' "$v"
            geo[$engine]="${geo[$engine]:-} $v"
        fi
    done
    echo
done
if [ ${#geo[@]} -gt 0 ]; then
    printf '| **geometric mean** |'
    for engine in "${engines[@]}"; do
        printf ' %s |' "$(printf '%s\n' ${geo[$engine]:-} | awk '$1 > 0 { s += log($1); n++ } END { if (n) printf "**%.2f**", exp(s / n); else printf "n/a" }')"
    done
    echo
fi
