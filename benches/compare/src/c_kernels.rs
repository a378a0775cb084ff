//! The clang-compiled C kernels (`c/*.c`): one C source each, compiled to
//! BPF by `c/build.sh` (`clang-19 -target bpf -O2`, `-mcpu=v1` and `v3`; the
//! objects and their `.text` are checked in under `c/bpf/`) and for the host
//! by `build.rs` (the `cc` crate, `-O2`): the native baseline.
//!
//! Input layout as for the assembly kernels ([`crate::kernels`]): `u64 a` at
//! 0, `u64 b` at 8, data from 16. Each kernel's addresses depend only on
//! `a`, `b` and the input length (data-dependent indices are masked or
//! checked against the sizes in the header), so an input built by its
//! [`CKernel::build`] stays in bounds whatever its contents.

use crate::kernels::HEADER_LEN;

/// The ISA level a kernel was compiled for (`clang -mcpu=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cpu {
    /// `-mcpu=v1`: 64-bit ALU and jumps only.
    V1,
    /// `-mcpu=v3`: 32-bit ALU and 32-bit jumps too.
    V3,
}

impl Cpu {
    /// Both levels, in report order.
    pub const ALL: [Cpu; 2] = [Cpu::V1, Cpu::V3];

    /// `v1` or `v3`.
    pub fn label(self) -> &'static str {
        match self {
            Cpu::V1 => "v1",
            Cpu::V3 => "v3",
        }
    }
}

/// One C kernel.
pub struct CKernel {
    /// Name (the C file's stem).
    pub name: &'static str,
    /// What it stresses.
    pub description: &'static str,
    /// The program compiled with `-mcpu=v1` (raw bytecode).
    pub v1: &'static [u8],
    /// The program compiled with `-mcpu=v3`.
    pub v3: &'static [u8],
    /// Builds an input for parameters `(a, b)`.
    pub build: fn(a: u64, b: u64) -> Vec<u8>,
    /// The same C compiled for the host.
    pub native: fn(input: &mut [u8]) -> u64,
    /// Parameters of the benchmarked run.
    pub bench: (u64, u64),
    /// Small parameter sets for the tests (empty, tails, collisions, ...).
    pub edge_cases: &'static [(u64, u64)],
}

impl CKernel {
    /// The bytecode for `cpu`.
    pub fn code(&self, cpu: Cpu) -> &'static [u8] {
        match cpu {
            Cpu::V1 => self.v1,
            Cpu::V3 => self.v3,
        }
    }

    /// `name/v1` or `name/v3`: the workload's name in tables.
    pub fn id(&self, cpu: Cpu) -> String {
        format!("{}/{}", self.name, cpu.label())
    }

    /// The input of the benchmarked run.
    pub fn bench_input(&self) -> Vec<u8> {
        (self.build)(self.bench.0, self.bench.1)
    }
}

macro_rules! c_kernels {
    ($($name:ident: $description:literal, $build:ident, $bench:expr, $edges:expr;)*) => {
        mod ffi {
            extern "C" {
                $(
                    #[link_name = concat!("ebpfvm_bench_", stringify!($name))]
                    pub fn $name(input: *mut u8) -> u64;
                )*
            }
        }

        mod native {
            $(
                /// The host build of the kernel. Panics if `input` is shorter
                /// than its header asks for (the C code trusts the header).
                pub fn $name(input: &mut [u8]) -> u64 {
                    let (a, b) = super::params(input);
                    assert!(
                        super::$build::fits(a, b, input.len()),
                        "input of {} bytes does not fit its header",
                        input.len()
                    );
                    // SAFETY: the kernel reads and writes only inside the
                    // sizes `(a, b)` declare (module docs), `fits` checked
                    // that `input` holds them, and the C function keeps no
                    // pointer after it returns.
                    unsafe { super::ffi::$name(input.as_mut_ptr()) }
                }
            )*
        }

        /// Every C kernel, in report order.
        pub const C_KERNELS: &[CKernel] = &[
            $(
                CKernel {
                    name: stringify!($name),
                    description: $description,
                    v1: include_bytes!(concat!("../c/bpf/", stringify!($name), ".v1.bin")),
                    v3: include_bytes!(concat!("../c/bpf/", stringify!($name), ".v3.bin")),
                    build: $build::build,
                    native: native::$name,
                    bench: $bench,
                    edge_cases: $edges,
                },
            )*
        ];
    };
}

c_kernels! {
    insertion_sort: "insertion sort of 600 random u32", sort_input, (600, 0),
        &[(0, 0), (1, 0), (2, 0), (3, 0), (17, 0), (100, 0)];
    heap_sort: "heapsort of 2048 random u32, twice", sort_input, (2048, 2),
        &[(0, 1), (1, 1), (2, 1), (3, 2), (31, 1), (500, 1)];
    sieve: "sieve of Eratosthenes over 64 KiB", scratch_input, (1 << 16, 0),
        &[(0, 0), (1, 0), (2, 0), (3, 0), (100, 0), (4099, 0)];
    parse: "byte-wise tokenizer: numbers and words in 8 KiB of text, 8 passes", text_input,
        (8192, 8), &[(0, 1), (1, 1), (2, 3), (17, 1), (300, 2), (4000, 1)];
    hash_probe: "open-addressing hash table: 4096 inserts, 8192 lookups", hash_input, (8192, 13),
        &[(0, 0), (1, 1), (2, 1), (7, 3), (100, 7), (1000, 10), (1000, 9)];
    str_search: "Horspool search of 8 patterns in 16 KiB of text", search_input, (16384, 8),
        &[(0, 0), (0, 3), (1, 2), (5, 8), (100, 8), (2000, 4)];
    matmul: "40x40 u32 matrix multiply", matrix_input, (40, 0),
        &[(0, 0), (1, 0), (2, 0), (3, 0), (7, 0)];
    crc32: "bitwise CRC-32 of 1 KiB, 4 times", random_input, (1024, 4),
        &[(0, 1), (1, 1), (3, 2), (100, 3)];
    packets: "Ethernet/VLAN/IPv4/TCP/UDP parsing of 32 KiB of frames, 4 passes", packet_input,
        (32768, 4), &[(0, 1), (1, 1), (2, 1), (15, 1), (60, 1), (500, 2), (4000, 1)];
    alu_mix: "64/32-bit mul, xor, shift, rotate, div, mod mixing, 40000 rounds", alu_input,
        (40_000, 0x0123_4567_89ab_cdef), &[(0, 0), (1, 1), (5, u64::MAX), (1000, 42)];
    adler32: "Adler-32 of 16 KiB, 8 times", random_input, (16384, 8),
        &[(0, 1), (1, 1), (4095, 1), (4096, 2), (4097, 1), (10000, 2)];
}

/// The C kernel called `name`.
pub fn by_name(name: &str) -> Option<&'static CKernel> {
    C_KERNELS.iter().find(|k| k.name == name)
}

/// `(a, b)` from an input's header (zeros if it has none).
fn params(input: &[u8]) -> (u64, u64) {
    let field = |at: usize| {
        input
            .get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    (field(0), field(8))
}

fn header(a: u64, b: u64, data_len: usize) -> Vec<u8> {
    let mut input = Vec::with_capacity(HEADER_LEN + data_len);
    input.extend_from_slice(&a.to_le_bytes());
    input.extend_from_slice(&b.to_le_bytes());
    input
}

/// Whether `len` bytes hold the header and `data` data bytes (`None`: the
/// size overflows).
fn holds(len: usize, data: Option<u64>) -> bool {
    data.and_then(|d| d.checked_add(HEADER_LEN as u64))
        .is_some_and(|need| len as u64 >= need)
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

/// `a` random u32, then `a` u32 of scratch for the sorted copy.
mod sort_input {
    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, a.checked_mul(8))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, 8 * a as usize);
        let mut rng = super::Rng(0x5eed ^ a);
        for _ in 0..a {
            input.extend_from_slice(&(rng.next() as u32).to_le_bytes());
        }
        input.resize(input.len() + 4 * a as usize, 0xee);
        input
    }
}

/// `a` bytes of scratch (contents do not matter).
mod scratch_input {
    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, Some(a))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, a as usize);
        input.resize(input.len() + a as usize, 0xa5);
        input
    }
}

/// `a` random bytes.
mod random_input {
    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, Some(a))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, a as usize);
        let mut rng = super::Rng(0xc0ffee ^ a);
        input.extend((0..a).map(|_| rng.next() as u8));
        input
    }
}

/// `a` bytes of text: words, numbers, spaces and punctuation.
mod text_input {
    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, Some(a))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, a as usize);
        let mut rng = super::Rng(0x7e57 ^ a);
        let end = input.len() + a as usize;
        while input.len() < end {
            match rng.below(4) {
                0 => {
                    for _ in 0..=rng.below(12) {
                        input.push(b'0' + rng.below(10) as u8);
                    }
                }
                1 | 2 => {
                    for _ in 0..=rng.below(9) {
                        let c = b'a' + rng.below(26) as u8;
                        input.push(if rng.below(5) == 0 { c - 32 } else { c });
                    }
                }
                _ => input.push(b" ,.;:-\n\t(){}"[rng.below(12) as usize]),
            }
        }
        input.truncate(end);
        input
    }
}

/// `a` nonzero u32 keys (a quarter of them repeated), then `2^b` u32 slots.
/// The table has more slots than inserted keys, so probing ends.
mod hash_input {
    pub fn fits(a: u64, b: u64, len: usize) -> bool {
        b < 32
            && (1u64 << b) > a / 2
            && super::holds(len, a.checked_add(1 << b).and_then(|w| w.checked_mul(4)))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let slots = 1usize << b;
        let mut input = super::header(a, b, 4 * (a as usize + slots));
        let mut rng = super::Rng(0x4a54 ^ a);
        let mut keys: Vec<u32> = Vec::with_capacity(a as usize);
        for i in 0..a as usize {
            let key = if i >= 4 && rng.below(4) == 0 {
                keys[rng.below(i as u64) as usize]
            } else {
                (rng.next() as u32 % 50_000).max(1)
            };
            keys.push(key);
        }
        for k in keys {
            input.extend_from_slice(&k.to_le_bytes());
        }
        input.resize(input.len() + 4 * slots, 0x11);
        input
    }
}

/// `a` bytes of text over a small alphabet, then `b` 16-byte patterns
/// (length byte, then up to 15 bytes), most of them cut from the text.
mod search_input {
    pub fn fits(a: u64, b: u64, len: usize) -> bool {
        super::holds(len, b.checked_mul(16).and_then(|p| p.checked_add(a)))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, a as usize + 16 * b as usize);
        let mut rng = super::Rng(0x5ea4 ^ a);
        let text: Vec<u8> = (0..a)
            .map(|_| b"abcdefgh  "[rng.below(10) as usize])
            .collect();
        input.extend_from_slice(&text);
        for p in 0..b {
            let m = (1 + rng.below(15)) as usize;
            let mut pat = [0u8; 16];
            pat[0] = if p == 3 { 0 } else { m as u8 }; // one empty pattern
            if text.len() >= m && p % 4 != 1 {
                let at = rng.below((text.len() - m + 1) as u64) as usize;
                pat[1..=m].copy_from_slice(&text[at..at + m]);
            } else {
                for c in &mut pat[1..=m] {
                    *c = b"abcdefgh"[rng.below(8) as usize];
                }
            }
            input.extend_from_slice(&pat);
        }
        input
    }
}

/// Two random `a`x`a` u32 matrices, then room for the product.
mod matrix_input {
    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, a.checked_mul(a).and_then(|n| n.checked_mul(12)))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let cells = (a * a) as usize;
        let mut input = super::header(a, b, 12 * cells);
        let mut rng = super::Rng(0x3a7 ^ a);
        for _ in 0..2 * cells {
            input.extend_from_slice(&(rng.next() as u32).to_le_bytes());
        }
        input.resize(input.len() + 4 * cells, 0);
        input
    }
}

/// The header only.
mod alu_input {
    pub fn fits(_: u64, _: u64, len: usize) -> bool {
        super::holds(len, Some(0))
    }
    pub fn build(a: u64, b: u64) -> Vec<u8> {
        super::header(a, b, 0)
    }
}

/// `a` bytes of length-prefixed Ethernet frames: TCP, UDP, VLAN-tagged,
/// IPv6, ICMP, IPv4 options, and malformed ones (short, bad version or
/// IHL); the last record is cut at `a`.
mod packet_input {
    fn frame(rng: &mut super::Rng) -> Vec<u8> {
        let kind = rng.below(10);
        let mut f = vec![0u8; 12];
        for b in &mut f {
            *b = rng.next() as u8;
        }
        if kind == 9 {
            return f; // runt: no EtherType
        }
        if kind == 2 || kind == 3 {
            f.extend_from_slice(&[0x81, 0x00, 0x00, rng.next() as u8]);
        }
        if kind == 8 {
            f.extend_from_slice(&[0x86, 0xdd]); // IPv6: not parsed
            f.resize(f.len() + 40, 0x66);
            return f;
        }
        f.extend_from_slice(&[0x08, 0x00]);
        let options = if kind == 4 {
            4 * rng.below(11) as usize
        } else {
            0
        };
        let ihl = 5 + options / 4;
        let version = if kind == 7 { 6 } else { 4 };
        let proto = match kind {
            0 | 2 | 4 => 6,
            1 | 3 => 17,
            5 => 1,
            _ => 17,
        };
        let l4 = if proto == 6 { 20 } else { 8 };
        let total = (4 * ihl + l4 + rng.below(64) as usize) as u16;
        f.push((version << 4) | ihl as u8);
        f.push(0);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0x40, 0, 64, proto, 0, 0]);
        for _ in 0..8 + options {
            f.push(rng.next() as u8);
        }
        for _ in 0..l4 + rng.below(40) as usize {
            f.push(rng.next() as u8);
        }
        if kind == 6 {
            f.truncate(14 + 4 * ihl + 3); // IPv4 cut inside the UDP header
        }
        f
    }

    pub fn fits(a: u64, _: u64, len: usize) -> bool {
        super::holds(len, Some(a))
    }

    pub fn build(a: u64, b: u64) -> Vec<u8> {
        let mut input = super::header(a, b, a as usize);
        let mut rng = super::Rng(0xfa11 ^ a);
        let end = input.len() + a as usize;
        while input.len() < end {
            let f = frame(&mut rng);
            input.extend_from_slice(&(f.len() as u16).to_le_bytes());
            input.extend_from_slice(&f);
        }
        input.truncate(end);
        input
    }
}
