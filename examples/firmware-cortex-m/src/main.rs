//! ebpfvm in Cortex-M firmware, run under QEMU (`mps2-an386`, a Cortex-M4).
//!
//! Loads eBPF programs embedded in flash (raw bytecode, and with the `elf`
//! feature a relocatable ELF object), registers the board's builtins (a fake
//! temperature sensor and a log line), maps an input region and runs each
//! program under an instruction budget, checking every result against a
//! reference computed here. Programs that fault (out-of-bounds load, call
//! depth, failing builtin, exhausted budget) show their trap and the firmware
//! goes on. The last lines report the RAM a VM needs and a summary; QEMU exits
//! with success only if every check passed.

#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

#[macro_use]
mod console;
mod board;
mod cases;
#[cfg(feature = "elf")]
mod elf_cases;
#[allow(unsafe_code)]
mod heap;
mod runner;
#[allow(unsafe_code)]
mod stack;


use cortex_m_rt::{entry, exception, ExceptionFrame};
use ebpfvm::{Config, EbpfVm, Executable, Runtime};

use board::Board;
use runner::Runner;

#[entry]
fn main() -> ! {
    heap::init();
    let config = Config::default();
    say!(
        "ebpfvm firmware: ISA {}, stack {} frames x {} bytes, budget {} instructions",
        config.version,
        config.max_call_depth,
        config.stack_frame_size,
        cases::BUDGET
    );

    // Everything on the heap from here on is what the VM needs: the runtime,
    // the VM stack region, the executables and the verifier's scratch.
    let heap_before = heap::HEAP.used();
    heap::HEAP.reset_peak();
    let mut loader = Runtime::new(config);
    if let Err(e) = board::register(&mut loader) {
        say!("cannot register builtins: {}", e);
        console::exit(false);
    }
    let mut runner = Runner::new(config.stack_size());

    cases::run_all(&loader, &mut runner);
    #[cfg(feature = "elf")]
    elf_cases::run_all(&loader, &mut runner);

    say!(
        "ram: vm struct {} B, vm stack {} B, native stack of a run {} B (builtins included), heap peak {} B",
        core::mem::size_of::<EbpfVm<'static, Board>>(),
        config.stack_size(),
        runner.peak_native_stack,
        heap::HEAP.peak() - heap_before,
    );
    say!(
        "ram: executable struct {} B, runtime {} B",
        core::mem::size_of::<Executable<Board>>(),
        core::mem::size_of::<Runtime<Board>>()
    );
    say!(
        "firmware: {} passed, {} failed",
        runner.passed,
        runner.failed
    );
    console::exit(runner.failed == 0 && runner.passed > 0);
}

#[cfg(not(feature = "defmt"))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    say!("panic: {}", info);
    console::exit(false)
}

#[cfg(feature = "defmt")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    match info.location() {
        Some(at) => say!("panic at {}:{}", at.file(), at.line()),
        None => say!("panic"),
    }
    console::exit(false)
}

#[exception]
#[allow(unsafe_code)]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    say!("hard fault at pc {:#x}", frame.pc());
    console::exit(false)
}
