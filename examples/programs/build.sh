#!/bin/sh
# Rebuilds the example eBPF objects from their C sources.
#
# The compiled objects are committed next to the sources, so the tests and
# examples never need clang; run this only after editing a program.
#
#   NAME.o      -mcpu=v3 with -g (debug info and BTF: exercises the loader's
#               skipping of non-loaded sections and their relocations)
#   NAME.v1.o   -mcpu=v1 (no 32-bit jumps or ALU32 subregisters)
#   NAME.v4.o   -mcpu=v4 (sign-extending loads and moves, bswap, gotol, ...)
#   linked.o    two translation units linked as LLVM bitcode, then compiled
#               into one relocatable object (what bpf-linker does)
#
# Usage: examples/programs/build.sh   (from any directory)
# Tools: CLANG, LLVM_LINK and LLC override clang-19, llvm-link-19 and llc-19.
set -eu

cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
LLVM_LINK=${LLVM_LINK:-llvm-link-19}
LLC=${LLC:-llc-19}

# Paths in the debug info are relative, so the objects do not depend on
# where the repository is checked out.
CFLAGS="-target bpf -O2 -Wall -Wextra -Werror -fdebug-prefix-map=$PWD=. -fdebug-compilation-dir=."

for prog in packet_filter checksum sort strings recursion helpers counter; do
    $CLANG $CFLAGS -mcpu=v3 -g -c "$prog.c" -o "$prog.o"
done

for prog in packet_filter checksum sort; do
    for cpu in v1 v4; do
        $CLANG $CFLAGS -mcpu=$cpu -c "$prog.c" -o "$prog.$cpu.o"
    done
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$CLANG $CFLAGS -emit-llvm -c linked/main.c -o "$tmp/main.bc"
$CLANG $CFLAGS -emit-llvm -c linked/stats.c -o "$tmp/stats.bc"
$LLVM_LINK "$tmp/main.bc" "$tmp/stats.bc" -o "$tmp/linked.bc"
$LLC -march=bpf -mcpu=v3 -O2 -filetype=obj "$tmp/linked.bc" -o linked.o

echo "built: $(ls *.o | tr '\n' ' ')"
