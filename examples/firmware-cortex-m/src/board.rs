//! The host side programs see: a fake temperature sensor and a log line,
//! exposed as builtins, and [`Board`], the context object that holds the
//! instruction budget and what the builtins did.

use ebpfvm::error::{BuiltinError, RegistryError};
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{ContextObject, Runtime};

/// Builtin id of `read_sensor(channel) -> millidegrees` (see `programs/builtins.h`).
pub const READ_SENSOR: u32 = 1;
/// Builtin id of `log_value(tag, value) -> 0`.
pub const LOG_VALUE: u32 = 2;
/// The builtins' names: ELF objects call them by name.
pub const READ_SENSOR_NAME: &str = "read_sensor";
/// See [`READ_SENSOR_NAME`].
pub const LOG_VALUE_NAME: &str = "log_value";

/// Error code of `read_sensor` for a channel the board does not have.
pub const NO_SUCH_CHANNEL: u64 = 0xe001;

/// What each sensor channel reads, in millidegrees Celsius: three on-board
/// probes and an outdoor one.
const READINGS: [i32; 4] = [21_500, 22_250, 19_875, -4_250];

/// The reading of `channel`, or `None` if the board has no such channel.
pub fn reading(channel: u32) -> Option<i32> {
    READINGS.get(channel as usize).copied()
}

/// Number of sensor channels.
pub const CHANNELS: u32 = READINGS.len() as u32;

/// The context object: the instruction budget of a run, and counters of the
/// builtin calls it made.
#[derive(Debug, Default)]
pub struct Board {
    /// Instructions the program may still execute.
    pub budget: u64,
    /// `read_sensor` calls that succeeded.
    pub sensor_reads: u32,
    /// `log_value` calls.
    pub logged: u32,
}

impl Board {
    /// A fresh board state with a budget of `instructions`.
    pub fn with_budget(instructions: u64) -> Self {
        Board {
            budget: instructions,
            ..Board::default()
        }
    }
}

impl ContextObject for Board {
    fn consume(&mut self, amount: u64) {
        self.budget = self.budget.saturating_sub(amount);
    }

    fn remaining(&self) -> u64 {
        self.budget
    }
}

fn read_sensor(
    board: &mut Board,
    _: &mut MemoryMapping<'_>,
    args: [u64; 5],
) -> Result<u64, BuiltinError> {
    let value = u32::try_from(args[0])
        .ok()
        .and_then(reading)
        .ok_or(BuiltinError {
            code: NO_SUCH_CHANNEL,
        })?;
    board.sensor_reads += 1;
    // The program declares an `s32` return: sign-extend like a BPF helper.
    Ok(value as i64 as u64)
}

fn log_value(
    board: &mut Board,
    _: &mut MemoryMapping<'_>,
    args: [u64; 5],
) -> Result<u64, BuiltinError> {
    board.logged += 1;
    say!("    log: tag {} value {}", args[0], args[1] as i64);
    Ok(0)
}

/// Registers the board's builtins with `loader`.
pub fn register(loader: &mut Runtime<Board>) -> Result<(), RegistryError> {
    loader.register(READ_SENSOR, READ_SENSOR_NAME, read_sensor)?;
    loader.register(LOG_VALUE, LOG_VALUE_NAME, log_value)
}
