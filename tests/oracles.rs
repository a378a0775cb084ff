//! Bounded smoke runs of the fuzz oracles (`ebpfvm::oracle`): the same checks
//! the fuzz targets make, on a few thousand deterministic pseudo-random inputs.

mod common;

use common::random_program::{generate, Rng, Shape};
use ebpfvm::oracle::{run_bytecode, split_input};
use ebpfvm::Engine;

fn engines() -> Vec<Engine> {
    Engine::available().to_vec()
}

#[test]
fn structured_random_programs_keep_every_invariant() {
    let mut rng = Rng::new(0x5eed_0001);
    let shape = Shape {
        max_extra_functions: 2,
        max_body: 24,
        frame_size: 512,
        input_len: 64,
        loops: true,
    };
    let mut accepted = 0;
    let mut trapped = 0;
    for _ in 0..3_000 {
        let code = generate(&mut rng, &shape);
        let input: Vec<u8> = (0..rng.below(64)).map(|_| rng.next_u64() as u8).collect();
        if let Some(outcome) = run_bytecode(&input, &code, &engines()) {
            accepted += 1;
            trapped += usize::from(outcome.result.is_err());
        }
    }
    // The oracle's loader has only the conformance suite's helper 5, so
    // programs calling the generator's other builtins are rejected; the rest
    // must run, and both endings must be well represented.
    println!("{accepted} of 3000 verified, {trapped} trapped");
    assert!(accepted > 500, "only {accepted} programs verified");
    assert!(
        trapped > 100 && trapped < accepted,
        "{trapped} of {accepted} trapped"
    );
}

#[test]
fn arbitrary_bytes_keep_every_invariant() {
    let mut rng = Rng::new(0x5eed_0002);
    for _ in 0..5_000 {
        let len = rng.below(200) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        // Keep some inputs plausible: valid classes and registers, exit at the end.
        if rng.below(2) == 0 {
            for chunk in data.chunks_mut(8) {
                if chunk.len() > 1 {
                    chunk[1] &= 0x99;
                }
            }
            data.extend_from_slice(&[0x95, 0, 0, 0, 0, 0, 0, 0]);
        }
        let (input, code) = split_input(&data);
        run_bytecode(input, code, &engines());
    }
}

#[test]
fn random_assembly_text_round_trips() {
    let mut rng = Rng::new(0x5eed_0003);
    let words = [
        "mov", "add32", "lddw", "ldxw", "stxdw", "ja", "jeq", "jset32", "call", "exit", "lock",
        "fetch", "xchg", "r1", "%r2", "r10", "[r1+4]", "[r10-8]", "0x10", "-1", "+1", ",", "l:",
        "l", "local", "be16", "movsx832", "ldxsb", "ja32", "#", "\n",
    ];
    for _ in 0..5_000 {
        let n = 1 + rng.below(12);
        let text: Vec<&str> = (0..n).map(|_| rng.pick(&words)).collect();
        ebpfvm::oracle::assemble_round_trip(&text.join(" "));
    }
}
