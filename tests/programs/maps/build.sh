#!/bin/sh
# Rebuilds the map test objects from their C sources (the objects are
# committed; run this only after editing a program).
#
#   NAME.o     -mcpu=v3 -g (BTF, needed by SEC(".maps"))
#   NAME.v1.o  -mcpu=v1 -g
#
# Usage: tests/programs/maps/build.sh   (from any directory)
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
CFLAGS="-target bpf -O2 -g -Wall -Werror -fdebug-prefix-map=$PWD=. -fdebug-compilation-dir=."
for prog in counter kinds oob legacy in_map bad_field bad_size; do
    $CLANG $CFLAGS -mcpu=v3 -c "$prog.c" -o "$prog.o"
    $CLANG $CFLAGS -mcpu=v1 -c "$prog.c" -o "$prog.v1.o"
done
