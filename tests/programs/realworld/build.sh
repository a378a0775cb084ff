#!/bin/sh
# Regenerates every <name>.v1.o and <name>.v3.o of the realworld corpus.
set -e
cd "$(dirname "$0")"
for src in *.c; do
	name=${src%.c}
	for cpu in v1 v3; do
		clang-19 -target bpf -O2 -g -mcpu=$cpu -Wall -Wno-unused-variable -Wno-unused-function \
			-c "$src" -o "$name.$cpu.o"
	done
done
