#!/usr/bin/env bash
# Measures what ebpfvm costs in a Cortex-M4 firmware image, next to rbpf 0.4.1.
#
# Builds ci/footprint (thumbv7em-none-eabihf, opt-level "s", fat LTO,
# codegen-units 1, panic = "abort") five times: the baseline (platform code
# only), with ebpfvm (verifier + interpreter + bytecode loader; no asm, elf,
# jit or std), with ebpfvm-compact (the same with the size-oriented
# interpreter, feature `compact`), with ebpfvm+elf (the same program loaded
# from a clang-built ELF object: the ELF loader on top) and with rbpf
# (no_std). Each image loads
# and runs the same program; the differences in section sizes are what each VM
# adds. Each image is also run under QEMU (mps2-an386) and reports the stack
# and heap its load + run used, measured by stack painting and a
# peak-tracking allocator.
#
# Prints Markdown tables (the README's footprint table comes from here) and the
# largest functions each VM adds. Fails if an image does not build or run
# correctly, or if ebpfvm (either interpreter) adds more flash than rbpf.
#
# `ci/footprint.sh --attribute` also rebuilds the ebpfvm images
# with inlining disabled and sums their code by ebpfvm module (sizes shift
# without inlining, but the proportions show where the flash goes).
#
# Installs what it needs when missing: qemu-system-arm and llvm-19
# (llvm-size-19, llvm-nm-19) with apt-get, the Rust target with rustup.
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
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# (The list is captured first: `grep -q` closing the pipe early can fail it under pipefail.)
if ! grep -qx "$TARGET" <<<"$(rustup target list --installed)"; then
    rustup target add "$TARGET"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# section NAME IMAGE: size in bytes of a section (0 if absent).
section() {
    "$SIZE" -A "$2" | awk -v s="$1" '$1 == s { n = $2 } END { print n + 0 }'
}

IMAGES=(baseline ebpfvm ebpfvm-compact ebpfvm+elf rbpf)
# The cargo feature that builds each image (ci/footprint/Cargo.toml).
declare -A feature=([baseline]="" [ebpfvm]=ebpfvm [ebpfvm-compact]=compact [ebpfvm+elf]=elf [rbpf]=rbpf)

declare -A text rodata sram stack heap
for image in "${IMAGES[@]}"; do
    features=()
    [[ -n ${feature[$image]} ]] && features=(--features "${feature[$image]}")
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
for image in "${IMAGES[@]}"; do
    echo "| $image | ${text[$image]} | ${rodata[$image]} | ${sram[$image]} | ${stack[$image]} | ${heap[$image]} |"
done
echo
# added IMAGE BASE LABEL: a table row of what IMAGE adds to BASE; sets
# flash[IMAGE] when BASE is the baseline.
declare -A flash
added() {
    local image=$1 base=$2 label=$3
    local dtext=$((text[$image] - text[$base]))
    local dflash=$((dtext + rodata[$image] - rodata[$base]))
    local dsram=$((sram[$image] - sram[$base]))
    local dstack=$((stack[$image] - stack[$base]))
    local dheap=$((heap[$image] - heap[$base]))
    [[ $base == baseline ]] && flash[$image]=$dflash
    echo "| $label | $dflash B ($(kib "$dflash")) | $dtext B | $dsram B |" \
        "$((dstack + dheap)) B ($dstack stack + $dheap heap) |"
}

echo "### What each VM adds to the baseline"
echo
echo "| VM | flash (.text + .rodata) | .text | static RAM (.data + .bss) | run-time RAM (stack + heap) |"
echo "|---|---:|---:|---:|---:|"
for vm in ebpfvm ebpfvm-compact ebpfvm+elf rbpf; do
    added "$vm" baseline "$vm"
done
added ebpfvm+elf ebpfvm "ELF loader (ebpfvm+elf - ebpfvm)"
echo
echo "(.rodata holds the program: 88 B of bytecode in the ebpfvm, ebpfvm-compact and rbpf images,"
echo "the $(stat -c %s programs/workload.o) B object programs/workload.o in the ebpfvm+elf image.)"
echo

# The largest functions an image has that the baseline does not (LTO inlines
# most of a VM into the workload function, so that one dominates).
symbols() {
    "$NM" -C -S --size-sort --radix=d "$1" |
        awk '$3 ~ /^[tT]$/ { size = $2 + 0; $1 = $2 = $3 = ""; sub(/^ +/, ""); print size "\t" $0 }' |
        sed -E 's/::h[0-9a-f]{16}$//'
}
for pair in ebpfvm:baseline ebpfvm-compact:baseline ebpfvm+elf:ebpfvm rbpf:baseline; do
    image=${pair%%:*} base=${pair#*:}
    echo "### Largest functions in the $image image and not in the $base image"
    echo
    echo '```'
    symbols "$out/$base.elf" | cut -f2 | sort -u >"$out/base.syms"
    symbols "$out/$image.elf" | awk -F'\t' 'NR == FNR { base[$0] = 1; next } !($2 in base)' \
        "$out/base.syms" - | sort -rn | head -12
    echo '```'
    echo
done

if $attribute; then
    for image in ebpfvm ebpfvm-compact ebpfvm+elf; do
        echo "### $image code by module, inlining disabled (bytes)"
        echo
        RUSTFLAGS="-C link-arg=-Tlink.x -C llvm-args=-inline-threshold=-20000" \
            CARGO_TARGET_DIR=target/attribute cargo build --release --quiet \
            --features "${feature[$image]}" 2>/dev/null
        echo '```'
        symbols target/attribute/$TARGET/release/ebpfvm-footprint |
            awk -F'\t' '{
                name = $2
                if (name ~ /^ebpfvm_footprint/) next
                # Paths appear as a::b, or a..b inside impl names.
                if (match(name, /ebpfvm(::|\.\.)[a-z_]+/)) {
                    m = substr(name, RSTART, RLENGTH); gsub(/\.\./, "::", m)
                }
                else if (name ~ /goblin|scroll/) { m = "goblin + scroll (ELF parsing)" }
                else if (name ~ /(core|alloc)(::|\.\.)fmt|core::unicode/) { m = "core::fmt (formatting)" }
                else if (name ~ /^(<|_\$LT\$)?(core|alloc)(::|\.\.)/) { m = "core/alloc (generic code)" }
                else { next }
                sum[m] += $1
            } END { for (m in sum) print sum[m] "\t" m }' | sort -rn
        echo '```'
        echo
    done
fi

for vm in ebpfvm ebpfvm-compact; do
    if ((flash[$vm] >= flash[rbpf])); then
        echo "footprint: $vm adds ${flash[$vm]} B of flash, not less than rbpf's ${flash[rbpf]} B" >&2
        exit 1
    fi
done
echo "footprint: ebpfvm adds ${flash[ebpfvm]} B of flash, ebpfvm-compact ${flash[ebpfvm-compact]} B (rbpf: ${flash[rbpf]} B)"
