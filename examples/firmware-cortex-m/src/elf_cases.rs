//! The ELF cases (feature `elf`): a clang-built relocatable object loaded
//! with `Executable::from_elf`, its calls bound to the board's builtins by
//! name, its constant table in the read-only image and its statistics in the
//! data region. Expected values come from the reference below and the fake
//! sensor's table; the expected trap pc from the loaded program itself.

use ebpfvm::error::{ElfError, Error, Trap};
use ebpfvm::isa::Instruction;
use ebpfvm::{Executable, Runtime};


use crate::board::{self, Board, CHANNELS, NO_SUCH_CHANNEL, READ_SENSOR};
use crate::cases::{sample_block, stored_reading, BUDGET};
use crate::runner::{Expect, Runner};

/// `programs/calibrate.c`, built by `programs/build.sh`.
const CALIBRATE: &[u8] = include_bytes!("../programs/calibrate.o");

/// `offset[]` of `programs/calibrate.c`: added to each channel's reading.
const OFFSETS: [i32; 8] = [-250, 125, 380, -75, 40, -40, 10, -10];

/// `struct stats` of `programs/calibrate.c`, the object's only `.data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stats {
    samples: u32,
    lowest: i32,
    highest: i32,
}

impl Stats {
    /// Its initial value in the C source.
    const EMPTY: Stats = Stats {
        samples: 0,
        lowest: i32::MAX,
        highest: i32::MIN,
    };

    /// Reads it from the start of a data region (`None` if too short).
    fn read(data: &[u8]) -> Option<Stats> {
        let word = |i: usize| -> Option<[u8; 4]> { data.get(4 * i..4 * i + 4)?.try_into().ok() };
        Some(Stats {
            samples: u32::from_le_bytes(word(0)?),
            lowest: i32::from_le_bytes(word(1)?),
            highest: i32::from_le_bytes(word(2)?),
        })
    }

    /// What the program leaves after taking `readings`.
    fn after(readings: &[i32]) -> Stats {
        readings.iter().fold(Stats::EMPTY, |s, &r| Stats {
            samples: s.samples + 1,
            lowest: s.lowest.min(r),
            highest: s.highest.max(r),
        })
    }
}

/// Loads the object and runs every ELF case.
pub fn run_all(loader: &Runtime<Board>, runner: &mut Runner) {
    let name = "elf/load";
    let exe = match Executable::from_elf(CALIBRATE, loader) {
        Ok(exe) => exe,
        Err(e) => {
            say!("[{}] FAIL: {}", name, e);
            runner.expect(name, false, "the object did not load");
            return;
        }
    };
    say!(
        "[{}] ok: {} B object: {} instructions, {} B read-only data, {} B data",
        name,
        CALIBRATE.len(),
        exe.len(),
        exe.ro_section().len() - exe.text().len(),
        exe.data_template().len()
    );
    let template = Stats::read(exe.data_template());
    runner.expect(
        name,
        template == Some(Stats::EMPTY),
        "data template does not hold the initial statistics",
    );

    run_calibrated(runner, &exe);
    rejects_unbound_builtins(runner, loader);
}

fn run_calibrated(runner: &mut Runner, exe: &Executable<Board>) {
    // All channels: the mean corrected reading, each one stored and logged,
    // the statistics updated in the data region.
    let corrected: [i32; CHANNELS as usize] =
        core::array::from_fn(|ch| board::reading(ch as u32).unwrap_or(0) + OFFSETS[ch]);
    let mean = corrected.iter().map(|&r| i64::from(r)).sum::<i64>() / i64::from(CHANNELS);
    let mut block = sample_block(CHANNELS);
    let name = "elf/calibrated";
    if let Some(run) = runner.check(name, exe, &mut block, BUDGET, Expect::Returns(mean as u64)) {
        let stored = (0..CHANNELS as usize).all(|ch| stored_reading(&block, ch) == corrected[ch]);
        runner.expect(
            name,
            stored,
            "corrected readings not stored in the input block",
        );
        runner.expect(
            name,
            run.board.logged == CHANNELS,
            "not every reading logged",
        );
        let stats = Stats::read(&run.data);
        runner.expect(
            name,
            stats == Some(Stats::after(&corrected)),
            "wrong statistics in the data region",
        );
        if let Some(s) = stats {
            say!(
                "[{}]   .data: {} samples, lowest {}, highest {}",
                name,
                s.samples,
                s.lowest,
                s.highest
            );
        }
    }

    // One channel too many: the call the loader bound to `read_sensor` fails.
    let call_pc = exe
        .instructions()
        .find(|(_, i)| *i == Instruction::Call { id: READ_SENSOR })
        .map(|(pc, _)| pc);
    let expect = Expect::Traps(Trap::BuiltinFailed {
        pc: call_pc.unwrap_or(usize::MAX),
        id: READ_SENSOR,
        code: NO_SUCH_CHANNEL,
    });
    let mut block = sample_block(CHANNELS + 1);
    let name = "elf/missing-channel";
    if let Some(run) = runner.check(name, exe, &mut block, BUDGET, expect) {
        // The channels read before the fault stay counted.
        let stats = Stats::read(&run.data);
        runner.expect(
            name,
            stats == Some(Stats::after(&corrected)),
            "wrong statistics in the data region after the fault",
        );
    }
}

/// A loader without the board's builtins cannot bind the object's calls: the
/// load fails, naming one of the builtins.
fn rejects_unbound_builtins(runner: &mut Runner, loader: &Runtime<Board>) {
    let bare = Runtime::<Board>::new(*loader.config());
    let name = "elf/no-builtins";
    match Executable::from_elf(CALIBRATE, &bare) {
        Err(Error::Elf(e @ ElfError::UndefinedSymbol { name: symbol, .. }))
            if [board::READ_SENSOR_NAME, board::LOG_VALUE_NAME].contains(&symbol.as_str()) =>
        {
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
