/* Builtins the firmware registers (see src/board.rs), for the programs
 * embedded as raw bytecode: the ids are the immediates of `call`. Calling
 * through a constant function pointer makes clang emit `call <id>` with no
 * relocation, so `.text` runs as it is. (ELF objects call them by name
 * instead: see calibrate.c.) */
#ifndef FIRMWARE_BUILTINS_H
#define FIRMWARE_BUILTINS_H

#include "types.h"

/* Reads channel `channel` of the fake temperature sensor, in millidegrees
 * Celsius. Fails (the program traps) for a channel the board does not have. */
static s32 (*const read_sensor)(u32 channel) = (void *)1;

/* Prints `value` tagged with `tag` on the firmware's console; returns 0. */
static u64 (*const log_value)(u64 tag, u64 value) = (void *)2;

#endif
