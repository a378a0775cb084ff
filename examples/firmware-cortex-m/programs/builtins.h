/* Builtins the firmware registers (see src/builtins.rs); the ids are the
 * immediates of `call`. Calling through a constant function pointer makes
 * clang emit `call <id>` with no relocation, so `.text` runs as it is. */
#ifndef FIRMWARE_BUILTINS_H
#define FIRMWARE_BUILTINS_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;

/* Reads channel `channel` of the fake temperature sensor, in millidegrees
 * Celsius. Fails (the program traps) for a channel the board does not have. */
static s32 (*const read_sensor)(u32 channel) = (void *)1;

/* Prints `value` tagged with `tag` on the firmware's console; returns 0. */
static u64 (*const log_value)(u64 tag, u64 value) = (void *)2;

#endif
