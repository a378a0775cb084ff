//! Arbitrary text through the assembler, disassembler and verifier
//! (`ebpfvm::oracle::assemble_round_trip`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        ebpfvm::oracle::assemble_round_trip(text);
    }
});
