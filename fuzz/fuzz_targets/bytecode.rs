//! Arbitrary bytecode through the verifier and every engine
//! (`ebpfvm::oracle::run_bytecode`).
#![no_main]

use ebpfvm::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (input, code) = ebpfvm::oracle::split_input(data);
    ebpfvm::oracle::run_bytecode(input, code, Engine::available());
});
