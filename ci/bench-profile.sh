#!/usr/bin/env bash
# Host instructions executed per eBPF instruction (callgrind `Ir`), for every
# kernel on the given engines (default: the three interpreters). Unlike the
# wall-clock MIPS of the `report` binary, this figure does not depend on the
# load of a shared machine. Not part of CI (slow: everything runs under
# valgrind); run it by hand:
#
#   ci/bench-profile.sh [ENGINE...]      engines: see `profile` (ebpfvm, rbpf, solana_rbpf, ...)
set -euo pipefail
cd "$(dirname "$0")/.."

engines=("$@")
if [ ${#engines[@]} -eq 0 ]; then
    engines=(ebpfvm rbpf solana_rbpf)
fi
kernels=(alu_mix sieve checksum fnv1a parse)

command -v valgrind >/dev/null || { echo "bench-profile: valgrind is not installed" >&2; exit 2; }
cargo build --quiet --release -p ebpfvm-bench --bin profile
bin=target/release/profile
out=$(mktemp)
trap 'rm -f "$out"' EXIT

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
            awk -v ir="$ir" -v n="$count" 'BEGIN { printf " %.1f |", ir / n }'
        fi
    done
    echo
done
