#!/usr/bin/env bash
# Measures what ebpfvm costs in a Cortex-M4 firmware image, next to rbpf 0.4.1.
#
# Builds ci/footprint (thumbv7em-none-eabihf, opt-level "s", fat LTO,
# codegen-units 1, panic = "abort") three times: the baseline (platform code
# only), with ebpfvm (verifier + interpreter + bytecode loader; no asm, elf,
# jit or std) and with rbpf (no_std). Each image loads and runs the same
# program; the differences in section sizes are what each VM adds. Each image
# is also run under QEMU (mps2-an386) and reports the stack and heap its
# load + run used, measured by stack painting and a peak-tracking allocator.
#
# Prints Markdown tables (the README's footprint table comes from here) and the
# largest functions each VM adds. Fails if an image does not build or run
# correctly, or if ebpfvm adds more flash than rbpf.
#
# `ci/footprint.sh --attribute` also rebuilds the ebpfvm image with inlining
# disabled and sums its code by ebpfvm module (sizes shift without inlining,
# but the proportions show where the flash goes).
set -euo pipefail
attribute=false
[[ ${1:-} == --attribute ]] && attribute=true
cd "$(dirname "$0")/footprint"

TARGET=thumbv7em-none-eabihf
SIZE=${LLVM_SIZE:-llvm-size-19}
NM=${LLVM_NM:-llvm-nm-19}
QEMU=(qemu-system-arm -cpu cortex-m4 -machine mps2-an386 -nographic -monitor none
      -serial none -semihosting-config enable=on,target=native -kernel)

missing=()
command -v qemu-system-arm >/dev/null || missing+=(qemu-system-arm)
command -v "$SIZE" >/dev/null && command -v "$NM" >/dev/null || missing+=(llvm-19)
if (( ${#missing[@]} )); then
    echo "installing ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! rustup target list --installed | grep -qx "$TARGET"; then
    rustup target add "$TARGET"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# section NAME IMAGE: size in bytes of a section (0 if absent).
section() {
    "$SIZE" -A "$2" | awk -v s="$1" '$1 == s { n = $2 } END { print n + 0 }'
}

declare -A text rodata sram stack heap
for image in baseline ebpfvm rbpf; do
    features=()
    [[ $image != baseline ]] && features=(--features "$image")
    cargo build --release --quiet "${features[@]}" 2>/dev/null ||
        cargo build --release "${features[@]}" # again, to show the errors
    cp "target/$TARGET/release/ebpfvm-footprint" "$out/$image.elf"
    text[$image]=$(section .text "$out/$image.elf")
    rodata[$image]=$(section .rodata "$out/$image.elf")
    sram[$image]=$(($(section .data "$out/$image.elf") + $(section .bss "$out/$image.elf") +
        $(section .uninit "$out/$image.elf")))
    report=$(timeout 30 "${QEMU[@]}" "$out/$image.elf") || {
        echo "footprint: the $image image failed under QEMU: $report" >&2
        exit 1
    }
    stack[$image]=$(sed -n 's/.* stack=\([0-9]*\).*/\1/p' <<<"$report")
    heap[$image]=$(sed -n 's/.* heap=\([0-9]*\).*/\1/p' <<<"$report")
done

kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

echo "### Section sizes (bytes), $TARGET, opt-level=s, LTO, panic=abort"
echo
echo "| image | .text | .rodata | .data+.bss | stack used | heap peak |"
echo "|---|---:|---:|---:|---:|---:|"
for image in baseline ebpfvm rbpf; do
    echo "| $image | ${text[$image]} | ${rodata[$image]} | ${sram[$image]} | ${stack[$image]} | ${heap[$image]} |"
done
echo
echo "### What each VM adds to the baseline"
echo
echo "| VM | flash (.text + .rodata) | .text | static RAM (.data + .bss) | run-time RAM (stack + heap) |"
echo "|---|---:|---:|---:|---:|"
declare -A flash
for vm in ebpfvm rbpf; do
    dtext=$((text[$vm] - text[baseline]))
    flash[$vm]=$((dtext + rodata[$vm] - rodata[baseline]))
    dsram=$((sram[$vm] - sram[baseline]))
    dstack=$((stack[$vm] - stack[baseline]))
    dheap=$((heap[$vm] - heap[baseline]))
    echo "| $vm | ${flash[$vm]} B ($(kib "${flash[$vm]}")) | $dtext B | $dsram B |" \
        "$((dstack + dheap)) B ($dstack stack + $dheap heap) |"
done
echo

# The largest functions an image has that the baseline does not (LTO inlines
# most of a VM into the workload function, so that one dominates).
symbols() {
    "$NM" -C -S --size-sort --radix=d "$1" |
        awk '$3 ~ /^[tT]$/ { size = $2 + 0; $1 = $2 = $3 = ""; sub(/^ +/, ""); print size "\t" $0 }' |
        sed -E 's/::h[0-9a-f]{16}$//'
}
symbols "$out/baseline.elf" | cut -f2 | sort -u >"$out/baseline.syms"
for vm in ebpfvm rbpf; do
    echo "### Largest functions in the $vm image and not in the baseline"
    echo
    echo '```'
    symbols "$out/$vm.elf" | awk -F'\t' 'NR == FNR { base[$0] = 1; next } !($2 in base)' \
        "$out/baseline.syms" - | sort -rn | head -12
    echo '```'
    echo
done

if $attribute; then
    echo "### ebpfvm code by module, inlining disabled (bytes)"
    echo
    RUSTFLAGS="-C link-arg=-Tlink.x -C llvm-args=-inline-threshold=-20000" \
        CARGO_TARGET_DIR=target/attribute cargo build --release --quiet --features ebpfvm
    echo '```'
    symbols target/attribute/$TARGET/release/ebpfvm-footprint |
        awk -F'\t' '{
            name = $2
            if (match(name, /ebpfvm::[a-z_]+/)) { m = substr(name, RSTART, RLENGTH) }
            else if (name ~ /^(core|alloc)::/) { m = "core/alloc (generic code)" }
            else { next }
            if (name ~ /^ebpfvm_footprint/) next
            sum[m] += $1
        } END { for (m in sum) print sum[m] "\t" m }' | sort -rn
    echo '```'
    echo
fi

if ((flash[ebpfvm] >= flash[rbpf])); then
    echo "footprint: ebpfvm adds ${flash[ebpfvm]} B of flash, not less than rbpf's ${flash[rbpf]} B" >&2
    exit 1
fi
echo "footprint: ebpfvm adds ${flash[ebpfvm]} B of flash (rbpf: ${flash[rbpf]} B)"
