//! A minimal Cortex-M4 image for measuring what an eBPF VM costs.
//!
//! Built five ways by `ci/footprint.sh`: with the `ebpfvm` feature (load,
//! verify and interpret a program with ebpfvm), with `compact` (the same with
//! ebpfvm's size-oriented interpreter), with `elf` (the same, the program
//! loaded from an ELF object), with `rbpf` (the same program in rbpf
//! 0.4.1), and with neither (the baseline: the same platform code, the
//! workload computed in Rust). The difference in section sizes between an
//! image and the baseline is what the VM adds. Each image also runs under QEMU
//! and reports, without `core::fmt`, the stack and heap its workload used:
//! `footprint: result=R stack=S heap=H`.

#![no_std]
#![no_main]

#[cfg(all(feature = "ebpfvm", feature = "rbpf"))]
compile_error!("build one VM per image");

extern crate alloc;

mod platform;
mod workload;

use cortex_m_rt::entry;

#[entry]
fn main() -> ! {
    platform::init_heap();
    let input: [u8; workload::INPUT_LEN] = core::array::from_fn(|i| (i * 37 + 11) as u8);
    let expected = workload::reference(&input);

    let heap_base = platform::heap_used();
    platform::reset_heap_peak();
    let (result, stack) = platform::measure_stack(|| workload::run(&input));
    let heap = platform::heap_peak() - heap_base;

    let mut line = platform::Line::new();
    line.push(b"footprint: result=");
    line.push_u32(result.map_or(u32::MAX, |r| r as u32));
    line.push(b" stack=");
    line.push_u32(stack as u32);
    line.push(b" heap=");
    line.push_u32(heap as u32);
    line.push(b"\n");
    line.print();
    platform::exit(result == Some(expected));
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    platform::exit(false)
}
