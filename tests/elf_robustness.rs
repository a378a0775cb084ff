//! The ELF loader on hostile input: every truncated prefix and thousands of
//! byte-mutated copies of every example object, through the fuzz oracle
//! `ebpfvm::oracle::load_elf` (a bounded smoke of the `elf` fuzz target).
//! Loading must never panic: it returns a typed error, or a consistent image
//! whose program then runs in every engine (under a small budget, engines
//! agreeing) without panicking either.
//!
//! A failing case prints the object, the seed and the mutated offsets, so it
//! can be replayed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use ebpfvm::builtins::BuiltinRegistry;
use ebpfvm::oracle::load_elf;
use ebpfvm::Engine;

/// The input memory of every run.
const INPUT: [u8; 64] = [0x45; 64];

/// Mutated copies per object; `EBPFVM_ELF_MUTANTS` overrides it for a
/// longer campaign (e.g. `EBPFVM_ELF_MUTANTS=200000 cargo test --release
/// --test elf_robustness`).
fn mutants_per_object() -> u64 {
    std::env::var("EBPFVM_ELF_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn objects() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programs");
    let mut objects: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "o"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    objects.sort();
    assert!(objects.len() >= 10, "example objects in {}", dir.display());
    objects
}

#[test]
fn every_truncated_prefix_is_a_typed_error() {
    let no_builtins = BuiltinRegistry::<()>::new();
    for (name, bytes) in objects() {
        // clang writes the section header table last, so every proper
        // prefix lacks part of it (or more) and must be rejected, with an
        // error that says why.
        for len in 0..bytes.len() {
            let prefix = &bytes[..len];
            let what = format!("{name} cut to {len} bytes");
            match catch_unwind(|| ebpfvm::elf::load(prefix, &no_builtins, None)) {
                Ok(Err(e)) => assert!(!e.to_string().is_empty(), "{what}"),
                Ok(Ok(_)) => panic!("{what}: loaded"),
                Err(_) => panic!("{what}: the loader panicked"),
            }
            let oracle = catch_unwind(|| load_elf(&INPUT, prefix, Engine::available()));
            assert!(matches!(oracle, Ok(None)), "{what}: oracle {oracle:?}");
        }
        let whole = load_elf(&INPUT, &bytes, Engine::available());
        assert!(whole.is_some(), "{name} itself loads and runs");
    }
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The byte ranges that steer the loader (ELF header, section headers,
/// symbol and relocation tables, code), where mutations are most telling.
fn structural_ranges(bytes: &[u8]) -> Vec<(usize, usize)> {
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap()) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().unwrap()) as usize;
    let shoff = u64_at(0x28);
    let shnum = u16_at(0x3c);
    let mut ranges = vec![(0, 64), (shoff, shoff + 64 * shnum)];
    for i in 0..shnum {
        let sh = shoff + 64 * i;
        let (sh_type, flags) = (u32_at(sh + 4), u64_at(sh + 8));
        let (offset, size) = (u64_at(sh + 24), u64_at(sh + 32));
        // SHT_SYMTAB, SHT_REL, or allocated code.
        if sh_type == 2 || sh_type == 9 || (flags & 0x6 == 0x6 && sh_type == 1) {
            ranges.push((offset, offset + size));
        }
    }
    ranges.retain(|&(s, e)| s < e && e <= bytes.len());
    ranges
}

#[test]
fn mutated_objects_never_panic() {
    let (mut loaded, mut rejected) = (0u64, 0u64);
    for (name, original) in objects() {
        let ranges = structural_ranges(&original);
        for seed in 0..mutants_per_object() {
            let mut rng = Rng(seed ^ 0x5eed);
            let mut bytes = original.clone();
            let mut edits = Vec::new();
            for _ in 0..1 + rng.below(4) {
                // Three in four edits hit a structural range.
                let at = if rng.below(4) < 3 {
                    let (start, end) = ranges[rng.below(ranges.len())];
                    start + rng.below(end - start)
                } else {
                    rng.below(bytes.len())
                };
                let value = match rng.below(4) {
                    0 => bytes[at] ^ (1 << rng.below(8)),
                    1 => [0x00, 0xff, 0x7f, 0x80, 0x01][rng.below(5)],
                    _ => rng.next() as u8,
                };
                bytes[at] = value;
                edits.push((at, value));
            }
            match catch_unwind(AssertUnwindSafe(|| {
                load_elf(&INPUT, &bytes, Engine::available())
            })) {
                Ok(Some(_)) => loaded += 1,
                Ok(None) => rejected += 1,
                Err(_) => panic!("{name}, seed {seed}: panicked with edits {edits:x?}"),
            }
        }
    }
    // Both outcomes must occur, or the mutations test nothing.
    println!("mutants: {loaded} loaded and ran, {rejected} rejected");
    assert!(loaded > 0 && rejected > 0);
}
