#!/usr/bin/env bash
# Rebuilds the eBPF programs the firmware embeds (clang -target bpfel
# -mcpu=v4 -O2), both kinds committed so that building the firmware needs no
# BPF toolchain; rerun this after editing a program (needs clang-19,
# llvm-objcopy-19 and llvm-nm-19, or set CLANG, OBJCOPY and NM).
#
# - NAME.c -> NAME.bin: the raw `.text` of the object (what
#   `Executable::from_bytecode` takes), with `entry` first so execution
#   starts at pc 0, and nothing to relocate.
# - ELF programs (listed below) -> NAME.o, the relocatable object itself (what
#   `Executable::from_elf` takes, with the firmware's `elf` feature); it must
#   define `entrypoint`, the loader's default entry.
set -euo pipefail
cd "$(dirname "$0")"

CLANG=${CLANG:-clang-19}
OBJCOPY=${OBJCOPY:-llvm-objcopy-19}
NM=${NM:-llvm-nm-19}
ELF_PROGRAMS=(calibrate)
OBJDIR=$(mktemp -d)
trap 'rm -rf "$OBJDIR"' EXIT

is_elf_program() {
	local p
	for p in "${ELF_PROGRAMS[@]}"; do [[ $p == "$1" ]] && return 0; done
	return 1
}

for src in *.c; do
	name=${src%.c}
	obj="$OBJDIR/$name.o"
	# No -g: debug info and BTF would only add flash.
	"$CLANG" -target bpfel -mcpu=v4 -O2 -Wall -Werror -fno-stack-protector \
		-c "$src" -o "$obj"
	if is_elf_program "$name"; then
		if ! "$NM" "$obj" | grep -q ' T entrypoint$'; then
			echo "$src: defines no global function 'entrypoint'" >&2
			exit 1
		fi
		cp "$obj" "$name.o"
		echo "$name.o: $(stat -c %s "$name.o") bytes"
		continue
	fi
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
