//! Measures how much of the main stack a closure uses, by painting.
//!
//! Everything between the end of static RAM (`__sheap`, where cortex-m-rt
//! ends `.bss`; this firmware's heap lives inside `.bss`) and the current stack
//! pointer is free stack. [`measure`] fills it with a pattern, runs the
//! closure, and finds the lowest word the pattern no longer holds: the
//! distance from there to the stack pointer at the call is what the closure
//! (and everything it called) used. No interrupts are enabled, so nothing else
//! runs on this stack meanwhile.

const PAINT: u32 = 0x5afe_c0de;

extern "C" {
    /// First free byte after static RAM (linker-provided by cortex-m-rt).
    static __sheap: u32;
}

/// Runs `f`, returning its result and the bytes of stack it used.
#[inline(never)]
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = cortex_m::register::msp::read() as usize;
    paint();
    let result = call_below(f);
    let lowest = lowest_touched(base);
    (result, base - lowest)
}

/// Calls `f` in a frame of its own, so whatever the compiler inlines into it
/// lands below `measure`'s stack pointer and is counted.
#[inline(never)]
fn call_below<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Fills the free stack below this function's own frame with [`PAINT`].
#[inline(never)]
fn paint() {
    let start = (&raw const __sheap) as usize;
    // Stay clear of this frame: everything below the stack pointer is free.
    let end = cortex_m::register::msp::read() as usize - 16;
    let mut addr = start;
    while addr < end {
        // SAFETY: `[__sheap, sp)` is RAM no live object occupies (static data
        // ends at `__sheap`, live frames are above `sp`); `addr` is 4-aligned
        // (cortex-m-rt aligns `__sheap`) and inside that range.
        unsafe { core::ptr::write_volatile(addr as *mut u32, PAINT) };
        addr += 4;
    }
}

/// The lowest address below `base` whose paint was overwritten (`base` if none).
fn lowest_touched(base: usize) -> usize {
    let mut addr = (&raw const __sheap) as usize;
    while addr < base {
        // SAFETY: as in `paint`: RAM between `__sheap` and the stack pointer
        // at the call, read-only here and 4-aligned.
        if unsafe { core::ptr::read_volatile(addr as *const u32) } != PAINT {
            return addr;
        }
        addr += 4;
    }
    base
}
