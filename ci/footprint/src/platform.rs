//! What every image has in common: a heap that records its peak, stack
//! painting, a line printer without `core::fmt`, and the semihosting exit.

use core::alloc::{GlobalAlloc, Layout};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicUsize, Ordering};

use cortex_m_semihosting::{debug, hio};
use embedded_alloc::LlffHeap;

const HEAP_SIZE: usize = 16 * 1024;

struct PeakHeap {
    heap: LlffHeap,
    used: AtomicUsize,
    peak: AtomicUsize,
}

// SAFETY: forwards every call unchanged to `LlffHeap`; the counters only
// observe sizes.
unsafe impl GlobalAlloc for PeakHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees, forwarded.
        let ptr = unsafe { self.heap.alloc(layout) };
        if !ptr.is_null() {
            let now = self.used.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this `layout`.
        unsafe { self.heap.dealloc(ptr, layout) };
        self.used.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static HEAP: PeakHeap = PeakHeap {
    heap: LlffHeap::empty(),
    used: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
};

pub fn init_heap() {
    static mut MEMORY: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
    // SAFETY: called once, before any allocation; the heap owns `MEMORY` from now on.
    unsafe { HEAP.heap.init(&raw mut MEMORY as usize, HEAP_SIZE) }
}

pub fn heap_used() -> usize {
    HEAP.used.load(Ordering::Relaxed)
}

pub fn heap_peak() -> usize {
    HEAP.peak.load(Ordering::Relaxed)
}

pub fn reset_heap_peak() {
    HEAP.peak.store(heap_used(), Ordering::Relaxed);
}

const PAINT: u32 = 0x5afe_c0de;

extern "C" {
    /// First free byte after static RAM (cortex-m-rt's linker script).
    static __sheap: u32;
}

/// Runs `f` and returns the bytes of stack it used: the free stack is painted
/// first, and the lowest overwritten word marks the high-water line.
#[inline(never)]
pub fn measure_stack<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = cortex_m::register::msp::read() as usize;
    let bottom = (&raw const __sheap) as usize;
    paint(bottom);
    let result = call_below(f);
    let mut addr = bottom;
    // SAFETY: `[__sheap, base)` is free RAM below every live frame of this
    // function's callers; reading it is reading our own paint or stale stack.
    while addr < base && unsafe { core::ptr::read_volatile(addr as *const u32) } == PAINT {
        addr += 4;
    }
    (result, base - addr)
}

#[inline(never)]
fn paint(bottom: usize) {
    let end = cortex_m::register::msp::read() as usize - 16;
    let mut addr = bottom;
    while addr < end {
        // SAFETY: below the stack pointer and above static data: no live
        // object is there. `addr` is 4-aligned (cortex-m-rt aligns `__sheap`).
        unsafe { core::ptr::write_volatile(addr as *mut u32, PAINT) };
        addr += 4;
    }
}

/// A frame of its own, so whatever is inlined into it is below `base`.
#[inline(never)]
fn call_below<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// A line of output built without `core::fmt`.
pub struct Line {
    buf: [u8; 96],
    len: usize,
}

impl Line {
    pub fn new() -> Self {
        Line {
            buf: [0; 96],
            len: 0,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    /// Appends `value` in decimal. (32-bit on purpose: 64-bit division
    /// would link `__aeabi_uldivmod` into the baseline and hide that cost.)
    pub fn push_u32(&mut self, mut value: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        self.push(&digits[i..]);
    }

    pub fn print(&self) {
        if let Ok(mut out) = hio::hstdout() {
            let _ = out.write_all(&self.buf[..self.len]);
        }
    }
}

pub fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::wfi();
    }
}
