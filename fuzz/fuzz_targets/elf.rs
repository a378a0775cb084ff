//! Arbitrary bytes as an ELF object through the loader, the verifier and
//! every engine (`ebpfvm::oracle::load_elf`). Seed the corpus with the
//! example objects: `cp examples/programs/*.o fuzz/corpus/elf/`.
#![no_main]

use ebpfvm::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ebpfvm::oracle::load_elf(&[0x45; 64], data, Engine::available());
});
