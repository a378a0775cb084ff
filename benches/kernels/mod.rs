//! The benchmark kernels, engine-neutral: each kernel's eBPF assembly source,
//! its input builder, and the same algorithm written in Rust.
//!
//! The Rust version is both the test oracle (`tests/kernels.rs` checks the
//! interpreter's `r0` against it) and the native baseline of the JIT
//! benchmarks (`benches/compare`). This file depends on `std` only, so both
//! the library's tests and the benchmark crate include it with `#[path]`.
//!
//! # Input layout (every kernel)
//!
//! | offset | contents |
//! |---|---|
//! | 0 | `u64` parameter `a` (little-endian): a size or an iteration count |
//! | 8 | `u64` parameter `b`: rounds or a seed |
//! | 16 | data or scratch space, as the kernel needs |
//!
//! The kernels read their parameters from the input instead of `r2` because
//! the peer VMs differ at entry (rbpf passes only `r1`, a host pointer; solana_rbpf
//! sets `r1` only). They address memory only relative to `r1`, use the 64-bit
//! ALU only (solana_rbpf's v1 sign-extends 32-bit results), no JMP32, no
//! division, and `lddw` only outside loops, so one bytecode means the same
//! in ebpfvm, rbpf 0.4.1 and solana_rbpf 0.8.5 and every engine executes the
//! same instruction count.

#![allow(dead_code)] // each including crate uses a different subset

/// Offset of the data area in every kernel's input.
pub const HEADER_LEN: usize = 16;

/// One benchmark kernel.
pub struct Kernel {
    /// Short name, used as the benchmark id.
    pub name: &'static str,
    /// What the kernel stresses.
    pub description: &'static str,
    /// eBPF assembly (the rbpf `r0` dialect accepted by `ebpfvm::asm`).
    pub source: &'static str,
    /// Builds the input for parameters `a` and `b` (see the module docs).
    pub build: fn(a: u64, b: u64) -> Vec<u8>,
    /// The kernel in Rust: the value the eBPF program returns in `r0`.
    pub native: fn(input: &mut [u8]) -> u64,
    /// Parameters `(a, b)` of the benchmarked run.
    pub bench: (u64, u64),
    /// Small parameter sets that exercise edge cases (empty, tails, ...).
    pub edge_cases: &'static [(u64, u64)],
}

impl Kernel {
    /// The input of the benchmarked run.
    pub fn bench_input(&self) -> Vec<u8> {
        (self.build)(self.bench.0, self.bench.1)
    }
}

/// Every kernel, in report order.
pub const KERNELS: [Kernel; 5] = [
    Kernel {
        name: "alu_mix",
        description: "64-bit mul/xor/shift/rotate mixing loop",
        source: include_str!("alu_mix.s"),
        build: header_only,
        native: alu_mix,
        bench: (400_000, 0x0123_4567_89ab_cdef),
        edge_cases: &[(0, 7), (1, 0), (3, u64::MAX), (1000, 42)],
    },
    Kernel {
        name: "sieve",
        description: "sieve of Eratosthenes over a 256 KiB buffer",
        source: include_str!("sieve.s"),
        build: sieve_input,
        native: sieve,
        bench: (1 << 18, 0),
        edge_cases: &[(0, 0), (8, 0), (16, 0), (1000, 0), (4096, 0)],
    },
    Kernel {
        name: "checksum",
        description: "RFC 1071 Internet checksum of 4 KiB, 700 times",
        source: include_str!("checksum.s"),
        build: random_data,
        native: checksum,
        bench: (4096, 700),
        edge_cases: &[
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 2),
            (5, 1),
            (7, 3),
            (8, 1),
            (13, 2),
            (4095, 2),
            (100, 0),
        ],
    },
    Kernel {
        name: "fnv1a",
        description: "FNV-1a-64 over 8 KiB, 64 times",
        source: include_str!("fnv1a.s"),
        build: random_data,
        native: fnv1a,
        bench: (8192, 64),
        edge_cases: &[(0, 3), (1, 1), (5, 0), (5, 3), (1000, 2)],
    },
    Kernel {
        name: "parse",
        description: "tokenizer: numbers and words in 16 KiB of text, 16 times",
        source: include_str!("parse.s"),
        build: text_input,
        native: parse,
        bench: (16 * 1024, 16),
        edge_cases: &[(0, 1), (1, 1), (2, 1), (3, 1), (17, 1), (64, 3), (2000, 2)],
    },
];

/// The kernel called `name`.
pub fn by_name(name: &str) -> Option<&'static Kernel> {
    KERNELS.iter().find(|k| k.name == name)
}

fn header(a: u64, b: u64, data_len: usize) -> Vec<u8> {
    let mut input = Vec::with_capacity(HEADER_LEN + data_len);
    input.extend_from_slice(&a.to_le_bytes());
    input.extend_from_slice(&b.to_le_bytes());
    input
}

/// Reads parameters `(a, b)` and the data area of an input.
fn split(input: &mut [u8]) -> (u64, u64, &mut [u8]) {
    let (head, data) = input.split_at_mut(HEADER_LEN);
    let a = u64::from_le_bytes(head[..8].try_into().expect("8-byte field"));
    let b = u64::from_le_bytes(head[8..].try_into().expect("8-byte field"));
    (a, b, data)
}

/// A deterministic generator (xorshift64*), so every run sees the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn header_only(a: u64, b: u64) -> Vec<u8> {
    header(a, b, 0)
}

/// `a` bytes of pseudo-random data.
fn random_data(a: u64, b: u64) -> Vec<u8> {
    let len = usize::try_from(a).expect("data length fits usize");
    let mut input = header(a, b, len);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ a);
    input.extend((0..len).map(|_| rng.next() as u8));
    input
}

/// `a` bytes of scratch space, filled with garbage the kernel must clear.
fn sieve_input(a: u64, b: u64) -> Vec<u8> {
    assert_eq!(a % 8, 0, "the sieve size must be a multiple of 8");
    random_data(a, b)
}

/// `a` bytes of text: numbers, words, separators and stray signs.
fn text_input(a: u64, b: u64) -> Vec<u8> {
    let len = usize::try_from(a).expect("text length fits usize");
    let mut text = Vec::with_capacity(len + 32);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ a.rotate_left(17));
    const WORD: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
    const SEPARATORS: &[u8] = b"  ,;\n\t()=+-*/.:";
    while text.len() < len {
        match rng.below(10) {
            0..=3 => {
                if rng.below(4) == 0 {
                    text.push(b'-');
                }
                let max_digits = if rng.below(16) == 0 { 24 } else { 6 };
                let digits = 1 + rng.below(max_digits);
                text.extend((0..digits).map(|_| b'0' + rng.below(10) as u8));
            }
            4..=7 => {
                text.push(WORD[rng.below(53) as usize]); // a letter or '_'
                let more = rng.below(10);
                text.extend((0..more).map(|_| WORD[rng.below(WORD.len() as u64) as usize]));
            }
            _ => text.push(0x80 | rng.below(128) as u8), // non-ASCII bytes are skipped
        }
        let gap = 1 + rng.below(2);
        text.extend((0..gap).map(|_| SEPARATORS[rng.below(SEPARATORS.len() as u64) as usize]));
    }
    text.truncate(len);
    let mut input = header(a, b, len);
    input.extend_from_slice(&text);
    input
}

/// See `alu_mix.s`.
pub fn alu_mix(input: &mut [u8]) -> u64 {
    let (n, mut x, _) = split(input);
    for i in 0..n {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x = x.rotate_left(27).wrapping_add(i);
        x ^= x >> 29;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    }
    x
}

/// See `sieve.s`.
pub fn sieve(input: &mut [u8]) -> u64 {
    let (n, _, scratch) = split(input);
    let n = usize::try_from(n).expect("sieve size fits usize");
    let composite = &mut scratch[..n];
    composite.fill(0);
    let mut i = 2;
    while i * i < n {
        if composite[i] == 0 {
            for j in (i * i..n).step_by(i) {
                composite[j] = 1;
            }
        }
        i += 1;
    }
    if n <= 2 {
        return 0;
    }
    composite[2..].iter().filter(|&&c| c == 0).count() as u64
}

/// The RFC 1071 checksum of `data`, textbook form: big-endian 16-bit words,
/// an odd last byte padded with a zero byte on the right.
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut words = data.chunks_exact(2);
    let mut sum: u64 = words
        .by_ref()
        .map(|w| u64::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    if let [last] = words.remainder() {
        sum += u64::from(*last) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The RFC 1071 checksum computed the way `checksum.s` does: little-endian
/// 32-bit words summed into 64 bits, then a 2-byte and a 1-byte tail, folded,
/// and byte-swapped into network order. Equal to [`internet_checksum`] for
/// every input (`tests/kernels.rs` checks it), and what the native baseline
/// runs, so native code does the same work as the eBPF kernel.
pub fn internet_checksum_le32(data: &[u8]) -> u16 {
    let mut words = data.chunks_exact(4);
    let mut sum: u64 = words
        .by_ref()
        .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
        .sum();
    let mut tail = words.remainder();
    if let [lo, hi, rest @ ..] = tail {
        sum += u64::from(u16::from_le_bytes([*lo, *hi]));
        tail = rest;
    }
    if let [last] = tail {
        sum += u64::from(*last);
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16).swap_bytes()
}

/// See `checksum.s`.
pub fn checksum(input: &mut [u8]) -> u64 {
    let (len, rounds, data) = split(input);
    let data = &data[..usize::try_from(len).expect("length fits usize")];
    let mut acc = 0u64;
    for _ in 0..rounds {
        acc = acc
            .wrapping_mul(31)
            .wrapping_add(u64::from(internet_checksum_le32(data)));
    }
    acc
}

/// See `fnv1a.s`.
pub fn fnv1a(input: &mut [u8]) -> u64 {
    let (len, rounds, data) = split(input);
    let data = &data[..usize::try_from(len).expect("length fits usize")];
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    if data.is_empty() {
        return h;
    }
    for _ in 0..rounds {
        for &byte in data {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// See `parse.s`.
pub fn parse(input: &mut [u8]) -> u64 {
    let (len, rounds, text) = split(input);
    let text = &text[..usize::try_from(len).expect("length fits usize")];
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut h = 0u64;
    for _ in 0..rounds {
        let mut i = 0;
        while i < text.len() {
            let c = text[i];
            let negative = c == b'-' && text.get(i + 1).is_some_and(u8::is_ascii_digit);
            if c.is_ascii_digit() || negative {
                i += usize::from(negative);
                let mut value = 0u64;
                while let Some(d) = text.get(i).filter(|d| d.is_ascii_digit()) {
                    value = value.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                    i += 1;
                }
                if negative {
                    value = value.wrapping_neg();
                }
                h = h.wrapping_mul(31).wrapping_add(value);
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while text.get(i).copied().is_some_and(is_word) {
                    i += 1;
                }
                h = h.wrapping_mul(37).wrapping_add((i - start) as u64);
            } else {
                i += 1;
            }
        }
    }
    h
}
