#!/usr/bin/env bash
# Builds the Cortex-M firmware example (examples/firmware-cortex-m) and runs
# it under QEMU (mps2-an386, Cortex-M4), checking what it prints: every case
# passes, each fault shows the expected trap, and QEMU exits with success.
# Also builds and runs the defmt variant (its frames are decoded and checked
# when `defmt-print` is installed; otherwise only its exit status is), and
# checks that the plain image links nothing of defmt.
#
# Installs qemu-system-arm (apt-get) and the Rust target (rustup) if missing.
set -euo pipefail
cd "$(dirname "$0")/../examples/firmware-cortex-m"

TARGET=thumbv7em-none-eabihf
ELF=target/$TARGET/release/ebpfvm-firmware-cortex-m
# Same machine as the runner in .cargo/config.toml.
QEMU=(qemu-system-arm -cpu cortex-m4 -machine mps2-an386 -nographic -monitor none
      -serial none -semihosting-config enable=on,target=native -kernel)
# Every case in src/cases.rs, and the checks beside them.
EXPECTED_PASSED=13

if ! command -v qemu-system-arm >/dev/null; then
    echo "installing qemu-system-arm"
    apt-get update -qq && apt-get install -y -qq qemu-system-arm >/dev/null
fi
if ! rustup target list --installed | grep -qx "$TARGET"; then
    rustup target add "$TARGET"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0
fail() {
    echo "firmware: MISMATCH: $*" >&2
    failures=$((failures + 1))
}

# Runs the image; stdout to $1, QEMU's exit status returned.
run_qemu() {
    local status=0
    timeout 60 "${QEMU[@]}" "$ELF" >"$1" || status=$?
    return "$status"
}

# Checks the text log $1 (plain console or decoded defmt) line by line.
check_log() {
    local log=$1 variant=$2
    local -a want=(
        '^\[checksum/ipv4-header\] ok: r0 = '
        '^\[checksum/odd-length\] ok: r0 = '
        '^\[sensor/all-channels\] ok: r0 = 14843 '
        '^    log: tag 3 value -4250$'
        '^\[fib/fits\] ok: r0 = 13 '
        '^\[checksum/after-faults\] ok: r0 = '
        "^firmware: $EXPECTED_PASSED passed, 0 failed$"
    )
    if [[ $variant == text ]]; then
        want+=(
            '^\[sensor/missing-channel\] ok: trapped as expected .*: pc [0-9]+: builtin 1 failed with code 57345$'
            '^\[fib/too-deep\] ok: trapped as expected .*: pc [0-9]+: call depth limit 8 exceeded$'
            '^\[oob/past-the-end\] ok: trapped as expected .*: pc [0-9]+: access violation: load of 4 bytes at 0x400000010$'
            '^\[spin/budget\] ok: trapped as expected after 1000 instructions: pc [0-9]+: instruction budget exhausted$'
            '^\[sensor/no-builtins\] ok: rejected at load time as expected: pc [0-9]+: call to unregistered builtin 2$'
        )
    else
        want+=(
            '^\[sensor/missing-channel\] ok: trapped as expected .*: BuiltinFailed \{ pc: [0-9]+, id: 1, code: 57345 \}$'
            '^\[fib/too-deep\] ok: trapped as expected .*: CallDepthExceeded \{ pc: [0-9]+, depth: 8 \}$'
            '^\[oob/past-the-end\] ok: trapped as expected .*: AccessViolation \{ pc: [0-9]+, addr: 17179869200, len: 4, kind: Load \}$'
            '^\[spin/budget\] ok: trapped as expected after 1000 instructions: ExceededMaxInstructions \{ pc: [0-9]+ \}$'
            '^\[sensor/no-builtins\] ok: rejected at load time as expected: UnknownBuiltin \{ pc: [0-9]+, id: 2 \}$'
        )
    fi
    for pattern in "${want[@]}"; do
        grep -Eq -- "$pattern" "$log" || fail "$variant: no line matches /$pattern/"
    done
    if grep -q 'FAIL' "$log"; then
        fail "$variant: the firmware reported failures:"
        grep 'FAIL' "$log" >&2
    fi
}

echo "--- firmware (semihosting text console)"
cargo build --release --quiet
if run_qemu "$out/text.log"; then :; else fail "text: QEMU exited with status $?"; fi
cat "$out/text.log"
check_log "$out/text.log" text
if llvm-nm-19 "$ELF" 2>/dev/null | grep -qi defmt; then
    fail "text: the image links defmt symbols"
fi

echo "--- firmware (defmt over semihosting)"
cargo build --release --quiet --features defmt
if run_qemu "$out/defmt.bin"; then :; else fail "defmt: QEMU exited with status $?"; fi
if command -v defmt-print >/dev/null; then
    defmt-print -e "$ELF" <"$out/defmt.bin" >"$out/defmt.log" 2>&1 || true
    cat "$out/defmt.log"
    check_log "$out/defmt.log" defmt
else
    echo "(defmt-print not installed: checked the exit status only;" \
        "'cargo install defmt-print' to decode $(wc -c <"$out/defmt.bin") bytes of frames)"
fi

if ((failures)); then
    echo "firmware: $failures check(s) failed" >&2
    exit 1
fi
echo "firmware: QEMU runs OK (text and defmt)"
