//! The kernel's Rust version as a runner: the native-code baseline.

use std::hint::black_box;

use super::{Outcome, Runner};

/// Runs a kernel's native version, hiding the input from the optimiser.
pub struct Native {
    native: fn(&mut [u8]) -> u64,
}

impl Native {
    pub fn new(native: fn(&mut [u8]) -> u64) -> Self {
        Native { native }
    }
}

impl Runner for Native {
    fn run(&mut self, input: &mut [u8]) -> Result<Outcome, String> {
        let r0 = black_box((self.native)(black_box(input)));
        Ok(Outcome {
            r0,
            instructions: None,
        })
    }
}
