#!/usr/bin/env bash
# Builds the Cortex-M firmware example (examples/firmware-cortex-m) and runs
# it under QEMU (mps2-an386, Cortex-M4), checking what it prints: every case
# passes, each fault shows the expected trap, and QEMU exits with success.
# Three images:
#   default features  text console, with the ELF cases (feature `elf`)
#   no default        text console, bytecode only: links nothing of the ELF loader
#   defmt             the default image logging through defmt; its frames are
#                     decoded and checked when `defmt-print` is installed
#                     (otherwise only its exit status is)
# The text images must link nothing of defmt.
#
# Installs what it needs when missing: qemu-system-arm and llvm-19 (llvm-nm-19,
# for the symbol checks) with apt-get, the Rust target with rustup.
set -euo pipefail
cd "$(dirname "$0")/../examples/firmware-cortex-m"

TARGET=thumbv7em-none-eabihf
ELF=target/$TARGET/release/ebpfvm-firmware-cortex-m
NM=${LLVM_NM:-llvm-nm-19}
# Same machine as the runner in .cargo/config.toml.
QEMU=(qemu-system-arm -cpu cortex-m4 -machine mps2-an386 -nographic -monitor none
      -serial none -semihosting-config enable=on,target=native -kernel)
# Every check in src/cases.rs (bytecode) and src/elf_cases.rs (ELF).
BYTECODE_CHECKS=13
ELF_CHECKS=8

missing=()
command -v qemu-system-arm >/dev/null || missing+=(qemu-system-arm)
command -v "$NM" >/dev/null || missing+=(llvm-19)
if ((${#missing[@]})); then
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
failures=0
fail() {
    echo "firmware: MISMATCH: $*" >&2
    failures=$((failures + 1))
}

# build VARIANT CARGO-ARGS...: builds the image and lists its symbols in
# $out/VARIANT.syms (to a file first: `nm | grep -q` under pipefail can fail
# with SIGPIPE exactly when grep finds a match).
build() {
    local variant=$1
    shift
    cargo build --release --quiet "$@"
    "$NM" -C "$ELF" >"$out/$variant.syms"
}

# Runs the image; stdout to $1, QEMU's exit status returned.
run_qemu() {
    local status=0
    timeout 60 "${QEMU[@]}" "$ELF" >"$1" || status=$?
    return "$status"
}

# check_log LOG FORMAT ELF-CASES: checks the text log LOG (plain console, or
# decoded defmt when FORMAT is defmt) line by line; ELF-CASES is yes or no.
check_log() {
    local log=$1 format=$2 elf=$3
    local checks=$BYTECODE_CHECKS
    [[ $elf == yes ]] && checks=$((checks + ELF_CHECKS))
    local -a want=(
        '^\[checksum/ipv4-header\] ok: r0 = '
        '^\[checksum/odd-length\] ok: r0 = '
        '^\[sensor/all-channels\] ok: r0 = 14843 '
        '^    log: tag 3 value -4250$'
        '^\[fib/fits\] ok: r0 = 13 '
        '^\[checksum/after-faults\] ok: r0 = '
        "^firmware: $checks passed, 0 failed$"
    )
    if [[ $elf == yes ]]; then
        want+=(
            '^\[elf/load\] ok: [0-9]+ B object: [0-9]+ instructions, [0-9]+ B read-only data, 12 B data$'
            '^\[elf/calibrated\] ok: r0 = 14888 '
            '^\[elf/calibrated\]   \.data: 4 samples, lowest -4325, highest 22375$'
            '^    log: tag 3 value -4325$'
        )
    fi
    if [[ $format == text ]]; then
        want+=(
            '^\[sensor/missing-channel\] ok: trapped as expected .*: pc [0-9]+: builtin 1 failed with code 57345$'
            '^\[fib/too-deep\] ok: trapped as expected .*: pc [0-9]+: call depth limit 8 exceeded$'
            '^\[oob/past-the-end\] ok: trapped as expected .*: pc [0-9]+: access violation: load of 4 bytes at 0x400000010$'
            '^\[spin/budget\] ok: trapped as expected after 1000 instructions: pc [0-9]+: instruction budget exhausted$'
            '^\[sensor/no-builtins\] ok: rejected at load time as expected: pc [0-9]+: call to unregistered builtin 2$'
        )
        if [[ $elf == yes ]]; then
            want+=(
                '^\[elf/missing-channel\] ok: trapped as expected .*: pc [0-9]+: builtin 1 failed with code 57345$'
                '^\[elf/no-builtins\] ok: rejected at load time as expected: .*: undefined symbol `(read_sensor|log_value)`'
            )
        fi
    else
        want+=(
            '^\[sensor/missing-channel\] ok: trapped as expected .*: BuiltinFailed \{ pc: [0-9]+, id: 1, code: 57345 \}$'
            '^\[fib/too-deep\] ok: trapped as expected .*: CallDepthExceeded \{ pc: [0-9]+, depth: 8 \}$'
            '^\[oob/past-the-end\] ok: trapped as expected .*: AccessViolation \{ pc: [0-9]+, addr: 17179869200, len: 4, kind: Load \}$'
            '^\[spin/budget\] ok: trapped as expected after 1000 instructions: ExceededMaxInstructions \{ pc: [0-9]+ \}$'
            '^\[sensor/no-builtins\] ok: rejected at load time as expected: UnknownBuiltin \{ pc: [0-9]+, id: 2 \}$'
        )
        if [[ $elf == yes ]]; then
            want+=(
                '^\[elf/missing-channel\] ok: trapped as expected .*: BuiltinFailed \{ pc: [0-9]+, id: 1, code: 57345 \}$'
                '^\[elf/no-builtins\] ok: rejected at load time as expected: UndefinedSymbol \{ name: "(read_sensor|log_value)", section: [0-9]+, offset: [0-9]+ \}$'
            )
        fi
    fi
    local pattern
    for pattern in "${want[@]}"; do
        grep -Eq -- "$pattern" "$log" || fail "$format: no line matches /$pattern/"
    done
    if [[ $elf == no ]] && grep -q '^\[elf/' "$log"; then
        fail "$format: ELF cases ran in an image without the elf feature"
    fi
    if grep -q 'FAIL' "$log"; then
        fail "$format: the firmware reported failures:"
        grep 'FAIL' "$log" >&2
    fi
}

echo "--- firmware: text console, ELF cases (default features)"
build elf
if run_qemu "$out/elf.log"; then :; else fail "elf: QEMU exited with status $?"; fi
cat "$out/elf.log"
check_log "$out/elf.log" text yes
if grep -qi defmt "$out/elf.syms"; then fail "elf: the text image links defmt symbols"; fi

echo "--- firmware: text console, bytecode only (--no-default-features)"
build bytecode --no-default-features
if run_qemu "$out/bytecode.log"; then :; else fail "bytecode: QEMU exited with status $?"; fi
cat "$out/bytecode.log"
check_log "$out/bytecode.log" text no
if grep -qi defmt "$out/bytecode.syms"; then
    fail "bytecode: the text image links defmt symbols"
fi
if grep -Eq 'goblin|ebpfvm::elf' "$out/bytecode.syms"; then
    fail "bytecode: the image links the ELF loader without the elf feature"
fi

echo "--- firmware: defmt over semihosting (default features + defmt)"
build defmt --features defmt
if run_qemu "$out/defmt.bin"; then :; else fail "defmt: QEMU exited with status $?"; fi
if command -v defmt-print >/dev/null; then
    defmt-print -e "$ELF" <"$out/defmt.bin" >"$out/defmt.log" 2>&1 || true
    cat "$out/defmt.log"
    check_log "$out/defmt.log" defmt yes
else
    echo "(defmt-print not installed: checked the exit status only;" \
        "'cargo install defmt-print' to decode $(wc -c <"$out/defmt.bin") bytes of frames)"
fi

if ((failures)); then
    echo "firmware: $failures check(s) failed" >&2
    exit 1
fi
echo "firmware: QEMU runs OK (text with and without ELF, defmt)"
