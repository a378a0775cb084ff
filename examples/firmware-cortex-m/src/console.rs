//! The console: `say!` prints a line as text over semihosting, or as a defmt
//! frame (also over semihosting) with the `defmt` feature.
//!
//! Format strings must be ones both `core::fmt` and defmt accept: `{}` and
//! `{:#x}` only. Under `{}` an ebpfvm error prints through its hand-written
//! `Display` as text, and through its `defmt::Format` impl with `defmt`.

#[cfg(not(feature = "defmt"))]
macro_rules! say {
    ($($arg:tt)*) => {
        cortex_m_semihosting::hprintln!($($arg)*)
    };
}

#[cfg(feature = "defmt")]
macro_rules! say {
    ($($arg:tt)*) => {
        defmt::println!($($arg)*)
    };
}

// The global defmt logger: frames go to the host's stdout through semihosting.
#[cfg(feature = "defmt")]
use defmt_semihosting as _;

/// Ends the QEMU session with `success` as its exit status.
pub fn exit(success: bool) -> ! {
    use cortex_m_semihosting::debug;
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached without a debugger or emulator that handles semihosting.
    loop {
        cortex_m::asm::wfi();
    }
}
