#!/usr/bin/env bash
# Rebuilds the checked-in BPF objects of the C kernels (bpf/NAME.vN.o) and
# their programs (bpf/NAME.vN.bin: the object's .text, raw bytecode every
# engine loads). Run after editing a kernel; the host versions are built by
# the crate's build.rs through the `cc` crate.
#
#   benches/compare/c/build.sh        (needs clang-19 and llvm-objcopy-19)
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
OBJCOPY=${OBJCOPY:-llvm-objcopy-19}
READELF=${READELF:-llvm-readelf-19}
for src in *.c; do
    name=${src%.c}
    for cpu in v1 v3; do
        obj=bpf/$name.$cpu.o
        "$CLANG" -target bpf -O2 -mcpu=$cpu -fno-strict-aliasing -fno-builtin -c "$src" -o "$obj"
        # One function, no relocations (no calls, globals or .rodata): the
        # .text is the whole program.
        if "$READELF" -S "$obj" | grep -Eq '\.rel|\.rodata|\.data|\.bss'; then
            echo "build.sh: $obj has relocations or data sections" >&2
            "$READELF" -S "$obj" >&2
            exit 1
        fi
        "$OBJCOPY" -O binary --only-section=.text "$obj" "bpf/$name.$cpu.bin"
        printf '%-28s %5d instructions\n' "$obj" $(($(stat -c %s "bpf/$name.$cpu.bin") / 8))
    done
done
