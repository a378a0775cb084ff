#!/usr/bin/env bash
# Rebuilds the eBPF programs the firmware embeds: each `NAME.c` becomes
# `NAME.bin`, the raw `.text` of the object (what `Executable::from_bytecode`
# takes), with `entry` first so execution starts at pc 0. The `.bin` files are
# committed, so building the firmware needs no BPF toolchain; rerun this after
# editing a program (needs clang-19 and llvm-objcopy-19, or set CLANG, OBJCOPY
# and NM).
set -euo pipefail
cd "$(dirname "$0")"

CLANG=${CLANG:-clang-19}
OBJCOPY=${OBJCOPY:-llvm-objcopy-19}
NM=${NM:-llvm-nm-19}
OBJDIR=$(mktemp -d)
trap 'rm -rf "$OBJDIR"' EXIT

for src in *.c; do
	name=${src%.c}
	obj="$OBJDIR/$name.o"
	"$CLANG" -target bpfel -mcpu=v4 -O2 -Wall -Werror -fno-stack-protector \
		-c "$src" -o "$obj"
	# Raw bytecode has no symbol table: the entry must be the first
	# instruction, and nothing may need relocating.
	entry=$("$NM" "$obj" | awk '$3 == "entry" { print $1 }')
	if [[ "$entry" != 0000000000000000 ]]; then
		echo "$src: 'entry' is at offset ${entry:-<missing>} of .text, not 0" >&2
		exit 1
	fi
	if "$NM" "$obj" | grep -q ' U '; then
		echo "$src: has undefined symbols; raw .text cannot be relocated" >&2
		exit 1
	fi
	"$OBJCOPY" -O binary -j .text "$obj" "$name.bin"
	echo "$name.bin: $(($(stat -c %s "$name.bin") / 8)) instructions"
done
