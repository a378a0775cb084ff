//! The ELF loader on hostile input: every truncated prefix and thousands of
//! byte-mutated copies of every example object. Loading must never panic;
//! it returns a typed error, or an executable that then runs (under a small
//! budget) without panicking either.
//!
//! A failing case prints the object, the seed and the mutated offsets, so it
//! can be replayed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use ebpfvm::error::{BuiltinError, Error};
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Loader};

/// Mutated copies per object; `EBPFVM_ELF_MUTANTS` overrides it for a
/// longer campaign (e.g. `EBPFVM_ELF_MUTANTS=200000 cargo test --release
/// --test elf_robustness`).
fn mutants_per_object() -> u64 {
    std::env::var("EBPFVM_ELF_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn echo(_: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(a[0])
}

fn loader() -> Arc<Loader<Budget>> {
    let mut loader = Loader::new(Config::default());
    loader.register(1, "get_seed", echo).unwrap();
    loader.register(2, "fnv1a_step", echo).unwrap();
    Arc::new(loader)
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

/// Loads `bytes`; if that succeeds, runs the program briefly. Returns the
/// load error, if any. Panics propagate to the caller's `catch_unwind`.
fn load_and_run(bytes: &[u8], loader: &Arc<Loader<Budget>>) -> Result<(), Error> {
    let exe = Executable::from_elf(bytes, loader.clone())?;
    let mut stack = vec![0u8; exe.config().stack_size()];
    let mut data = exe.data_template().to_vec();
    let mut input = [0x45u8; 64];
    let mapping = exe
        .standard_mapping(&mut stack, &mut data, &mut input)
        .map_err(Error::Mapping)?;
    let mut budget = Budget::new(2_000);
    let _ = EbpfVm::new(&exe, &mut budget, mapping).execute_program(Engine::Interpreter);
    Ok(())
}

/// The error of a load that must fail, checked to be a load-stage error with
/// a message.
fn expect_load_error(result: Result<(), Error>, what: &str) {
    match result {
        Err(e @ (Error::Elf(_) | Error::Verifier(_))) => {
            assert!(!e.to_string().is_empty(), "{what}: empty message")
        }
        Err(other) => panic!("{what}: unexpected error kind {other:?}"),
        Ok(()) => panic!("{what}: loaded"),
    }
}

#[test]
fn every_truncated_prefix_is_a_typed_error() {
    let loader = loader();
    for (name, bytes) in objects() {
        // clang writes the section header table last, so every proper
        // prefix lacks part of it (or more) and must be rejected.
        for len in 0..bytes.len() {
            let result = catch_unwind(AssertUnwindSafe(|| load_and_run(&bytes[..len], &loader)));
            match result {
                Ok(r) => expect_load_error(r, &format!("{name} cut to {len} bytes")),
                Err(_) => panic!("{name} cut to {len} bytes: the loader panicked"),
            }
        }
        assert!(load_and_run(&bytes, &loader).is_ok(), "{name} itself loads");
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
    let loader = loader();
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
            match catch_unwind(AssertUnwindSafe(|| load_and_run(&bytes, &loader))) {
                Ok(Ok(())) => loaded += 1,
                Ok(Err(e)) => {
                    assert!(!e.to_string().is_empty());
                    rejected += 1;
                }
                Err(_) => panic!("{name}, seed {seed}: panicked with edits {edits:x?}"),
            }
        }
    }
    // Both outcomes must occur, or the mutations test nothing.
    println!("mutants: {loaded} loaded and ran, {rejected} rejected");
    assert!(loaded > 0 && rejected > 0);
}
