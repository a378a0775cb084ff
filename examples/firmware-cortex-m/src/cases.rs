//! The programs the firmware runs and what each run must produce. Expected
//! values come from reference implementations in Rust (and the fake sensor's
//! table); expected trap pcs come from the bytecode itself, so recompiling a
//! program with another clang does not break the checks.

use ebpfvm::error::{AccessKind, Trap, VerifierError};
use ebpfvm::isa::{slots, Instruction, INSN_SIZE};
use ebpfvm::memory::MM_INPUT_START;
use ebpfvm::{Executable, Runtime};


use crate::board::{self, Board, CHANNELS, LOG_VALUE, NO_SUCH_CHANNEL, READ_SENSOR};
use crate::runner::{Expect, Runner};

/// RFC 1071 checksum of the input (`programs/checksum.c`).
const CHECKSUM: &[u8] = include_bytes!("../programs/checksum.bin");
/// Samples the sensor through builtins (`programs/sensor.c`).
const SENSOR: &[u8] = include_bytes!("../programs/sensor.bin");
/// Recursive Fibonacci through local calls (`programs/fib.c`).
const FIB: &[u8] = include_bytes!("../programs/fib.bin");
/// Reads one word past its input (`programs/oob.c`).
const OOB: &[u8] = include_bytes!("../programs/oob.bin");
/// Loops forever (`programs/spin.c`).
const SPIN: &[u8] = include_bytes!("../programs/spin.bin");

/// Instruction budget of every run.
pub const BUDGET: u64 = 10_000;

/// Loads every program and runs every case.
pub fn run_all(loader: &Runtime<Board>, runner: &mut Runner) {
    let Some(checksum) = load(runner, "checksum", CHECKSUM, loader) else {
        return;
    };
    run_checksum(
        runner,
        &checksum,
        "checksum/ipv4-header",
        &mut ipv4_header(),
    );
    let mut odd = *b"ebpfvm on a Cortex-M4";
    run_checksum(runner, &checksum, "checksum/odd-length", &mut odd);

    if let Some(sensor) = load(runner, "sensor", SENSOR, loader) {
        run_sensor(runner, &sensor);
    }
    if let Some(fib) = load(runner, "fib", FIB, loader) {
        run_fib(runner, &fib, loader.config().effective_call_depth());
    }
    if let Some(oob) = load(runner, "oob", OOB, loader) {
        let mut words = [0x11u8; 16];
        let load_pc = first_pc(OOB, |i| matches!(i, Instruction::Load { .. }));
        let expect = Expect::Traps(Trap::AccessViolation {
            pc: load_pc.unwrap_or(usize::MAX),
            addr: MM_INPUT_START + words.len() as u64,
            len: 4,
            kind: AccessKind::Load,
        });
        runner.check("oob/past-the-end", &oob, &mut words, BUDGET, expect);
    }
    if let Some(spin) = load(runner, "spin", SPIN, loader) {
        runner.check("spin/budget", &spin, &mut [], 1_000, Expect::ExhaustsBudget);
    }

    // After every fault above, the firmware and the VM still work.
    run_checksum(
        runner,
        &checksum,
        "checksum/after-faults",
        &mut ipv4_header(),
    );

    rejects_unknown_builtin(runner, loader);
}

fn load<'r>(
    runner: &mut Runner,
    name: &str,
    code: &[u8],
    loader: &'r Runtime<Board>,
) -> Option<Executable<'r, Board>> {
    match Executable::from_bytecode(code, loader) {
        Ok(exe) => Some(exe),
        Err(e) => {
            runner.expect(name, false, "verifier rejected the program");
            say!("[{}]   {}", name, e);
            None
        }
    }
}

fn run_checksum(runner: &mut Runner, exe: &Executable<Board>, name: &str, data: &mut [u8]) {
    let expect = Expect::Returns(u64::from(internet_checksum(data)));
    runner.check(name, exe, data, BUDGET, expect);
}

fn run_sensor(runner: &mut Runner, exe: &Executable<Board>) {
    // All channels: the mean reading, each reading stored, each one logged.
    let mut block = sample_block(CHANNELS);
    let readings: [i32; CHANNELS as usize] =
        core::array::from_fn(|ch| board::reading(ch as u32).unwrap_or(0));
    let mean = readings.iter().map(|&r| i64::from(r)).sum::<i64>() / i64::from(CHANNELS);
    let name = "sensor/all-channels";
    if let Some(run) = runner.check(name, exe, &mut block, BUDGET, Expect::Returns(mean as u64)) {
        let stored = (0..CHANNELS as usize).all(|ch| stored_reading(&block, ch) == readings[ch]);
        runner.expect(name, stored, "readings not stored in the input block");
        runner.expect(
            name,
            run.board.logged == CHANNELS,
            "not every reading logged",
        );
    }

    // One channel too many: the builtin fails and the run stops at its call.
    let mut block = sample_block(CHANNELS + 1);
    let call_pc = first_pc(SENSOR, |i| *i == Instruction::Call { id: READ_SENSOR });
    let expect = Expect::Traps(Trap::BuiltinFailed {
        pc: call_pc.unwrap_or(usize::MAX),
        id: READ_SENSOR,
        code: NO_SUCH_CHANNEL,
    });
    let name = "sensor/missing-channel";
    if let Some(run) = runner.check(name, exe, &mut block, BUDGET, expect) {
        let reads = run.board.sensor_reads == CHANNELS;
        runner.expect(name, reads, "wrong number of sensor reads before the fault");
    }
}

fn run_fib(runner: &mut Runner, exe: &Executable<Board>, max_depth: usize) {
    // fib(n) needs n + 1 active frames (the entry function and fib(n)..fib(1)).
    let fits = (max_depth - 1) as u64;
    let mut n = fits.to_le_bytes();
    runner.check("fib/fits", exe, &mut n, BUDGET, Expect::Returns(fib(fits)));

    let mut n = (fits + 1).to_le_bytes();
    // The recursive call is the local call that jumps backwards.
    let recursion = first_pc(
        FIB,
        |i| matches!(i, Instruction::CallLocal { imm } if *imm < 0),
    );
    let expect = Expect::Traps(Trap::CallDepthExceeded {
        pc: recursion.unwrap_or(usize::MAX),
        depth: max_depth,
    });
    runner.check("fib/too-deep", exe, &mut n, BUDGET, expect);
}

/// A loader without the board's builtins rejects the sensor program at load
/// time, naming the first call it cannot resolve.
fn rejects_unknown_builtin(runner: &mut Runner, loader: &Runtime<Board>) {
    let bare = Runtime::<Board>::new(*loader.config());
    let first_call = first_pc(SENSOR, |i| matches!(i, Instruction::Call { .. }));
    let id = match first_call.and_then(|pc| instruction_at(SENSOR, pc)) {
        Some(Instruction::Call { id }) => id,
        _ => LOG_VALUE,
    };
    let want = VerifierError::UnknownBuiltin {
        pc: first_call.unwrap_or(usize::MAX),
        id,
    };
    let name = "sensor/no-builtins";
    match Executable::from_bytecode(SENSOR, &bare) {
        Err(e) if e == want => {
            say!("[{}] ok: rejected at load time as expected: {}", name, e);
            runner.expect(name, true, "");
        }
        Err(e) => {
            say!("[{}]   got: {}", name, e);
            runner.expect(name, false, "rejected for the wrong reason");
        }
        Ok(_) => runner.expect(name, false, "loaded without its builtins"),
    }
}

/// The pc of the first instruction of `code` that satisfies `pred`.
fn first_pc(code: &[u8], pred: impl Fn(&Instruction) -> bool) -> Option<usize> {
    (0..code.len() / INSN_SIZE).find(|&pc| instruction_at(code, pc).is_some_and(|i| pred(&i)))
}

/// The instruction at `pc` of `code`, if it decodes there.
fn instruction_at(code: &[u8], pc: usize) -> Option<Instruction> {
    let mut raw = slots(code).skip(pc);
    Instruction::decode(raw.next()?, raw.next()).ok()
}

/// Reference RFC 1071 checksum (big-endian 16-bit words, odd byte padded).
fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|w| u32::from(w[0]) << 8 | u32::from(w.get(1).copied().unwrap_or(0)))
        .sum();
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Reference Fibonacci.
fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

/// An IPv4 header with its checksum field zeroed.
fn ipv4_header() -> [u8; 20] {
    [
        0x45, 0x00, 0x00, 0x54, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00, 0xc0, 0xa8, 0x00,
        0x01, 0xc0, 0xa8, 0x00, 0xc7,
    ]
}

/// `struct sample_block` of `programs/sensor.c` (and `calibrate.c`):
/// `channels`, then 8 readings.
pub fn sample_block(channels: u32) -> [u8; 36] {
    let mut block = [0u8; 36];
    block[..4].copy_from_slice(&channels.to_le_bytes());
    block
}

/// Reading `channel` of a sample block.
pub fn stored_reading(block: &[u8; 36], channel: usize) -> i32 {
    let at = 4 + 4 * channel;
    i32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
}
