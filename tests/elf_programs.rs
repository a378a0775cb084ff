//! The example C programs of `examples/programs/`, loaded from their
//! committed objects and run on every engine, each result checked against a
//! value computed independently here: the same algorithm written again in
//! Rust, a published test vector, or a value worked out by hand (explained
//! where it is used).

use std::path::Path;

use ebpfvm::error::{BuiltinError, ElfError, Error, SymbolName, Trap, VerifierError};
use ebpfvm::isa::IsaVersion;
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Prepared, RunOutcome, Runtime};

// ---------------------------------------------------------------------------
// Harness: loading, the engine loop, input generation.

/// The ids the example programs expect (see helpers.c).
const GET_SEED_ID: u32 = 1;
const FNV1A_STEP_ID: u32 = 2;
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn get_seed(_: &mut Budget, _: &mut MemoryMapping<'_>, _: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(FNV_OFFSET_BASIS)
}

fn fnv1a_step(_: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok((a[0] ^ a[1]).wrapping_mul(FNV_PRIME))
}

/// A loader for `version` with the two helpers of helpers.c registered, and
/// room for deep recursion.
fn loader(version: IsaVersion) -> &'static Runtime<Budget> {
    let config = Config {
        version,
        max_call_depth: ebpfvm::config::MAX_CALL_DEPTH,
        ..Config::default()
    };
    let mut loader = Runtime::new(config);
    loader.register(GET_SEED_ID, "get_seed", get_seed).unwrap();
    loader
        .register(FNV1A_STEP_ID, "fnv1a_step", fnv1a_step)
        .unwrap();
    Box::leak(Box::new(loader))
}

fn object(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/programs")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The ISA version an object was compiled for, from its name (`x.v1.o`,
/// `x.v4.o`; plain `x.o` is v3, see build.sh).
fn version_of(file: &str) -> IsaVersion {
    if file.ends_with(".v1.o") {
        IsaVersion::V1
    } else if file.ends_with(".v4.o") {
        IsaVersion::V4
    } else {
        IsaVersion::V3
    }
}

/// Loads `file` with its own ISA version, so the verifier also proves the
/// object uses no newer instruction.
fn load(file: &str, entry: Option<&str>) -> Executable<'static, Budget> {
    load_with(file, entry, loader(version_of(file)))
}

fn load_with(
    file: &str,
    entry: Option<&str>,
    loader: &'static Runtime<Budget>,
) -> Executable<'static, Budget> {
    let bytes = object(file);
    let result = match entry {
        Some(name) => Executable::from_elf_with_entry(&bytes, loader, name),
        None => Executable::from_elf(&bytes, loader),
    };
    result.unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The engines this build runs ([`Engine::available`]), prepared for `exe`;
/// a preparation failure (a JIT that cannot compile the program) fails the
/// test.
fn engines<'e>(exe: &'e Executable<'_, Budget>) -> Vec<Prepared<'e, Budget>> {
    Engine::available()
        .iter()
        .map(|&engine| {
            Prepared::new(engine, exe)
                .unwrap_or_else(|e| panic!("{engine:?} cannot run this program: {e}"))
        })
        .collect()
}

/// What one run leaves behind.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    outcome: RunOutcome,
    input: Vec<u8>,
    data: Vec<u8>,
}

/// Runs `exe` on every engine, each with its own copies of `input` and of
/// `data` (the initial data region), and checks that all engines agree on
/// the result, the instruction count and the final memory.
fn run(exe: &Executable<'_, Budget>, input: &[u8], data: &[u8]) -> Run {
    let prepared = engines(exe);
    let mut runs = prepared.iter().map(|prepared| {
        let engine = prepared.engine();
        let mut stack = vec![0u8; exe.config().stack_size()];
        let mut input = input.to_vec();
        let mut data = data.to_vec();
        let outcome = {
            let mapping = exe
                .standard_mapping(&mut stack, &mut data, &mut input)
                .unwrap();
            let mut budget = Budget::new(50_000_000);
            EbpfVm::new(exe, &mut budget, mapping).execute(prepared)
        };
        (
            engine,
            Run {
                outcome,
                input,
                data,
            },
        )
    });
    let (first_engine, first) = runs.next().unwrap();
    for (engine, other) in runs {
        assert_eq!(other, first, "{engine:?} disagrees with {first_engine:?}");
    }
    first
}

/// Runs with the executable's own data template.
fn run_fresh(exe: &Executable<'_, Budget>, input: &[u8]) -> Run {
    let data = exe.data_template().to_vec();
    run(exe, input, &data)
}

/// A small deterministic generator (SplitMix64) for test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

// ---------------------------------------------------------------------------
// Every object.

const OBJECTS: &[&str] = &[
    "checksum.o",
    "checksum.v1.o",
    "checksum.v4.o",
    "counter.o",
    "helpers.o",
    "linked.o",
    "packet_filter.o",
    "packet_filter.v1.o",
    "packet_filter.v4.o",
    "recursion.o",
    "sort.o",
    "sort.v1.o",
    "sort.v4.o",
    "strings.o",
];

#[test]
fn every_committed_object_is_covered_and_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programs");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".o"))
        .collect();
    found.sort();
    assert_eq!(found, OBJECTS, "objects in {}", dir.display());
    for file in OBJECTS {
        let exe = load(file, None);
        assert!(exe.len() > 1, "{file}");
        let entry = exe.function_name(exe.entry_pc());
        assert!(entry.is_some(), "{file}: the entry point has a name");
    }
}

// ---------------------------------------------------------------------------
// packet_filter.c

/// The verdict of packet_filter.c, restated from its specification.
fn packet_verdict(p: &[u8]) -> u64 {
    let be16 = |i: usize| u16::from_be_bytes([p[i], p[i + 1]]) as usize;
    if p.len() < 40 {
        return 1;
    }
    let ihl = (p[0] & 0x0f) as usize;
    if p[0] >> 4 != 4 || ihl < 5 {
        return 2;
    }
    let total = be16(2);
    if total > p.len() || total < ihl * 4 + 20 {
        return 3;
    }
    if p[9] != 6 {
        return 4;
    }
    if be16(6) & 0x3fff != 0 {
        return 5;
    }
    let tcp = &p[ihl * 4..];
    let data_offset = (tcp[12] >> 4) as usize;
    if data_offset < 5 || ihl * 4 + data_offset * 4 > total {
        return 6;
    }
    match u16::from_be_bytes([tcp[2], tcp[3]]) {
        22 | 80 | 443 | 8443 => 0,
        _ => 7,
    }
}

/// An IPv4/TCP packet (20-byte IP header, 20-byte TCP header, payload).
fn tcp_packet(dst_port: u16, payload: usize) -> Vec<u8> {
    let total = 40 + payload;
    let mut p = vec![0u8; total];
    p[0] = 0x45; // version 4, IHL 5
    p[2..4].copy_from_slice(&(total as u16).to_be_bytes());
    p[6] = 0x40; // don't fragment
    p[8] = 64; // TTL
    p[9] = 6; // TCP
    p[12..16].copy_from_slice(&[10, 0, 0, 1]);
    p[16..20].copy_from_slice(&[10, 0, 0, 2]);
    p[20..22].copy_from_slice(&40000u16.to_be_bytes());
    p[22..24].copy_from_slice(&dst_port.to_be_bytes());
    p[32] = 5 << 4; // data offset 5
    p[33] = 0x02; // SYN
    p
}

#[test]
fn packet_filter_verdicts() {
    // (packet, verdict by hand)
    let mut cases: Vec<(Vec<u8>, u64)> = vec![
        (tcp_packet(443, 0), 0),
        (tcp_packet(22, 10), 0),
        (tcp_packet(8443, 3), 0),
        (tcp_packet(8080, 0), 7),
        (tcp_packet(80, 0)[..39].to_vec(), 1),
    ];
    let mut p = tcp_packet(80, 0);
    p[0] = 0x65; // IPv6 version nibble
    cases.push((p, 2));
    let mut p = tcp_packet(80, 0);
    p[0] = 0x44; // IHL 4
    cases.push((p, 2));
    let mut p = tcp_packet(80, 0);
    p[3] += 1; // total length one past the buffer
    cases.push((p, 3));
    let mut p = tcp_packet(80, 0);
    p[9] = 17; // UDP
    cases.push((p, 4));
    let mut p = tcp_packet(80, 0);
    p[6] = 0x20; // more fragments
    cases.push((p, 5));
    let mut p = tcp_packet(80, 0);
    p[7] = 0x01; // fragment offset 1
    cases.push((p, 5));
    let mut p = tcp_packet(80, 0);
    p[32] = 4 << 4; // TCP data offset 4
    cases.push((p, 6));
    let mut p = tcp_packet(80, 4);
    p[0] = 0x46; // IHL 6: the TCP header now ends past the total length
    cases.push((p, 6));

    for file in [
        "packet_filter.o",
        "packet_filter.v1.o",
        "packet_filter.v4.o",
    ] {
        let exe = load(file, None);
        assert_eq!(exe.function_name(exe.entry_pc()), Some("packet_filter"));
        for (i, (packet, verdict)) in cases.iter().enumerate() {
            assert_eq!(packet_verdict(packet), *verdict, "model, case {i}");
            let got = run_fresh(&exe, packet).outcome.result;
            assert_eq!(got, Ok(*verdict), "{file} case {i}");
        }
        // Random corruptions of valid packets, against the model.
        let mut rng = Rng(7);
        for _ in 0..300 {
            let port = [22, 80, 443, 8443, 8080, 53][rng.below(6) as usize];
            let mut p = tcp_packet(port, rng.below(8) as usize);
            for _ in 0..rng.below(3) {
                let i = rng.below(p.len() as u64) as usize;
                p[i] = rng.next() as u8;
            }
            let got = run_fresh(&exe, &p).outcome.result;
            assert_eq!(got, Ok(packet_verdict(&p)), "{file}: {p:02x?}");
        }
    }
}

// ---------------------------------------------------------------------------
// checksum.c

fn rfc1071(data: &[u8]) -> u64 {
    let mut sum: u64 = data
        .chunks(2)
        .map(|c| u64::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !sum & 0xffff
}

#[test]
fn checksum_matches_rfc1071() {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to 0x2ddf0,
    // folded 0xddf2; the checksum is its complement 0x220d.
    let example = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    assert_eq!(rfc1071(&example), 0x220d);
    let mut rng = Rng(1071);
    for file in ["checksum.o", "checksum.v1.o", "checksum.v4.o"] {
        let exe = load(file, None);
        assert_eq!(exe.function_name(exe.entry_pc()), Some("entrypoint"));
        assert_eq!(run_fresh(&exe, &example).outcome.result, Ok(0x220d));
        // No input: the sum is 0, the checksum 0xffff.
        assert_eq!(run_fresh(&exe, &[]).outcome.result, Ok(0xffff));
        for len in (0..64).chain([255, 1000, 1501]) {
            let mut data = rng.bytes(len);
            let sum = run_fresh(&exe, &data).outcome.result.unwrap();
            assert_eq!(sum, rfc1071(&data), "{file}, {len} bytes");
            // The receiver's check: data with its checksum appended (at an
            // even offset) sums to 0xffff, so its checksum is 0.
            if len % 2 == 0 {
                data.extend_from_slice(&(sum as u16).to_be_bytes());
                assert_eq!(run_fresh(&exe, &data).outcome.result, Ok(0), "{file}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// sort.c

#[test]
fn sort_sorts_in_place_and_counts_inversions() {
    let mut rng = Rng(42);
    for file in ["sort.o", "sort.v1.o", "sort.v4.o"] {
        let exe = load(file, None);
        for n in [0usize, 1, 2, 3, 10, 57] {
            let values: Vec<u32> = (0..n).map(|_| rng.below(100) as u32).collect();
            let mut input: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            input.extend_from_slice(&[0xaa, 0xbb]); // a partial element, left alone
            let inversions = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .filter(|&(i, j)| values[i] > values[j])
                .count() as u64;
            let out = run_fresh(&exe, &input);
            assert_eq!(out.outcome.result, Ok(inversions), "{file}, n = {n}");
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let mut expected: Vec<u8> = sorted.iter().flat_map(|v| v.to_le_bytes()).collect();
            expected.extend_from_slice(&[0xaa, 0xbb]);
            assert_eq!(out.input, expected, "{file}, n = {n}");
        }
    }
}

// ---------------------------------------------------------------------------
// strings.c

#[test]
fn strings_dispatches_commands_through_rodata_tables() {
    let exe = load("strings.o", None);
    // The handlers are reached only through function pointers in .rodata,
    // so their names must be callable functions.
    for name in [
        "cmd_len",
        "cmd_upper",
        "cmd_rev",
        "cmd_vowels",
        "run_command",
    ] {
        let pc = exe.function_by_name(name).expect(name);
        assert!(exe.functions().contains(&pc), "{name}");
    }
    let unknown = u64::MAX; // -1
                            // (input, result, input afterwards), worked out by hand.
    let cases: &[(&str, u64, &str)] = &[
        ("len hello", 5, "len hello"),
        ("len", 0, "len"),
        ("len ", 0, "len "),
        ("upper Hello, World", 8, "upper HELLO, WORLD"),
        ("rev abcde", 5, "rev edcba"),
        ("rev ab", 2, "rev ba"),
        (
            "vowels Programming in eBPF",
            5,
            "vowels Programming in eBPF",
        ),
        ("lens x", unknown, "lens x"),
        ("le x", unknown, "le x"),
        ("", unknown, ""),
        (" len", unknown, " len"),
    ];
    for &(input, result, after) in cases {
        let out = run_fresh(&exe, input.as_bytes());
        assert_eq!(out.outcome.result, Ok(result), "{input:?}");
        assert_eq!(out.input, after.as_bytes(), "{input:?}");
    }
}

// ---------------------------------------------------------------------------
// recursion.c

fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

fn ackermann(m: u64, n: u64) -> u64 {
    // A(0, n) = n + 1, A(1, n) = n + 2, A(2, n) = 2n + 3, A(3, n) = 2^(n+3) - 3.
    match m {
        0 => n + 1,
        1 => n + 2,
        2 => 2 * n + 3,
        3 => (1 << (n + 3)) - 3,
        _ => unimplemented!("not needed"),
    }
}

#[test]
fn recursion_fibonacci_and_ackermann() {
    let exe = load("recursion.o", None);
    assert_eq!(exe.function_name(exe.entry_pc()), Some("fibonacci"));
    for n in 0..=20 {
        assert_eq!(
            run_fresh(&exe, &[n]).outcome.result,
            Ok(fib(n as u64)),
            "fib({n})"
        );
    }
    let ack = load("recursion.o", Some("ackermann"));
    for (m, n) in [(0, 0), (0, 7), (1, 5), (2, 3), (2, 10), (3, 3)] {
        let got = run_fresh(&ack, &[m, n]).outcome.result;
        assert_eq!(got, Ok(ackermann(m as u64, n as u64)), "A({m}, {n})");
    }
}

#[test]
fn recursion_stops_at_the_call_depth_limit() {
    // fib(n) nests fibonacci -> fib(n) -> fib(n-1) -> ... -> fib(1): n + 1
    // frames. With 8 frames fib(7) fits and fib(8) is one call too deep.
    let config = Config {
        version: IsaVersion::V3,
        max_call_depth: 8,
        ..Config::default()
    };
    let exe = load_with(
        "recursion.o",
        None,
        Box::leak(Box::new(Runtime::new(config))),
    );
    assert_eq!(run_fresh(&exe, &[7]).outcome.result, Ok(13));
    match run_fresh(&exe, &[8]).outcome.result {
        Err(Trap::CallDepthExceeded { depth: 8, pc }) => {
            // The call that traps is inside fib.
            let caller = exe.function_names().iter().rev().find(|f| f.pc <= pc);
            assert_eq!(caller.map(|f| f.name.as_str()), Some("fib"));
        }
        other => panic!("fib(8) with 8 frames: {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// helpers.c

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(FNV_OFFSET_BASIS, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

#[test]
fn helpers_by_id_and_by_name_compute_fnv1a() {
    let exe = load("helpers.o", None);
    // Published FNV-1a 64 test vectors.
    assert_eq!(run_fresh(&exe, b"").outcome.result, Ok(FNV_OFFSET_BASIS));
    assert_eq!(
        run_fresh(&exe, b"a").outcome.result,
        Ok(0xaf63_dc4c_8601_ec8c)
    );
    assert_eq!(
        run_fresh(&exe, b"foobar").outcome.result,
        Ok(0x8594_4171_f739_67e8)
    );
    let mut rng = Rng(99);
    for len in [1, 2, 17, 300] {
        let data = rng.bytes(len);
        assert_eq!(run_fresh(&exe, &data).outcome.result, Ok(fnv1a(&data)));
    }
}

#[test]
fn helpers_need_their_builtins() {
    let bytes = object("helpers.o");
    // No builtin called `fnv1a_step`: the call by name cannot be bound.
    let mut only_seed = Runtime::new(Config::default());
    only_seed
        .register(GET_SEED_ID, "get_seed", get_seed)
        .unwrap();
    match Executable::from_elf(&bytes, &only_seed) {
        Err(Error::Elf(ElfError::UndefinedSymbol { name, .. })) => {
            assert_eq!(name, SymbolName::new("fnv1a_step"));
        }
        other => panic!("{other:?}"),
    }
    // No builtin with id 1: the verifier rejects the `call 1`.
    let mut only_step = Runtime::new(Config::default());
    only_step
        .register(FNV1A_STEP_ID, "fnv1a_step", fnv1a_step)
        .unwrap();
    match Executable::from_elf(&bytes, &only_step) {
        Err(Error::Verifier(VerifierError::UnknownBuiltin {
            id: GET_SEED_ID, ..
        })) => {}
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// counter.c

#[test]
fn counter_globals_live_in_the_data_region() {
    let count = load("counter.o", None);
    assert_eq!(count.function_name(count.entry_pc()), Some("count_bytes"));
    // .data holds `total` = 1000; .bss (`calls`, `histogram[4]`: 8 + 16
    // bytes) follows it, zero-filled: 32 bytes in all.
    let template = count.data_template().to_vec();
    assert_eq!(template.len(), 32);
    assert_eq!(template[..8], 1000u64.to_le_bytes());
    assert!(template[8..].iter().all(|&b| b == 0));

    let a = [0x00, 0x41, 0x7f, 0x80, 0xff, 0xc0];
    let b = [0x3f, 0x40, 0x40];
    let sum = |s: &[u8]| s.iter().map(|&x| u64::from(x)).sum::<u64>();
    let first = run(&count, &a, &template);
    assert_eq!(first.outcome.result, Ok((1 << 32) + 1000 + sum(&a)));
    // The host keeps the data region: the second run sees the first's counts.
    let second = run(&count, &b, &first.data);
    assert_eq!(
        second.outcome.result,
        Ok((2 << 32) + 1000 + sum(&a) + sum(&b))
    );
    // A fresh copy of the template starts over.
    assert_eq!(
        run_fresh(&count, &b).outcome.result,
        Ok((1 << 32) + 1000 + sum(&b))
    );

    // The other entry point of the same object reads the same layout.
    let bucket = load("counter.o", Some("histogram_bucket"));
    assert_eq!(bucket.data_template(), &template[..]);
    for k in 0..4u8 {
        let expected = a.iter().chain(&b).filter(|&&x| x >> 6 == k).count() as u64;
        let got = run(&bucket, &[k], &second.data).outcome.result;
        assert_eq!(got, Ok(expected), "bucket {k}");
    }
}

// ---------------------------------------------------------------------------
// linked/main.c + linked/stats.c

#[test]
fn linked_object_computes_the_range() {
    let exe = load("linked.o", None);
    assert_eq!(exe.function_name(exe.entry_pc()), Some("range"));
    assert!(exe.function_by_name("min_of").is_some());
    assert!(exe.function_by_name("max_of").is_some());
    // `samples` (.bss, 8 bytes) counts the values seen.
    assert_eq!(exe.data_template(), &[0u8; 8]);
    let mut rng = Rng(5);
    let mut data = exe.data_template().to_vec();
    let mut samples = 0u64;
    for n in [0usize, 1, 2, 9, 40] {
        let values: Vec<u32> = (0..n).map(|_| rng.next() as u32).collect();
        let input: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let expected = match (values.iter().max(), values.iter().min()) {
            (Some(max), Some(min)) => u64::from(max - min),
            _ => 0,
        };
        let out = run(&exe, &input, &data);
        assert_eq!(out.outcome.result, Ok(expected), "n = {n}");
        samples += n as u64;
        assert_eq!(out.data, samples.to_le_bytes());
        data = out.data;
    }
}
