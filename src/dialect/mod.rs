//! Dialects: the semantic table of each instruction-set flavour ebpfvm runs.
//!
//! A [`Dialect`] is part of the [`Config`](crate::Config)
//! (`config.dialect`). [`Dialect::Ebpf`] is RFC 9669 and the default;
//! [`Dialect::Sbpf`] is Solana's SBPF at one [`SbpfVersion`]. Every rule on
//! which the verifier, the interpreters and the JIT must agree for a dialect
//! is one field of a `const` [`Rules`] table, obtained with
//! [`Dialect::rules`]; no engine tests a version by name, so a dialect cannot
//! be half-implemented in one engine.
//!
//! # SBPF versions
//!
//! SBPF exists in two reference implementations whose version numbers do not
//! mean the same thing: `solana_rbpf` 0.8.5 (versions V1 and V2, chosen by
//! `e_flags` 0 and `0x20`) and `solana-sbpf` 0.26 (V0..V4, `e_flags` 0..4).
//! [`SbpfVersion`] names both: `Rbpf1`, `Rbpf2` for the former, `V0`..`V4`
//! for the latter. The tables below were established by reading the two
//! crates' interpreters, verifiers, ELF loaders and `SBPFVersion` feature
//! methods (and are checked by the differential tests).
//!
//! | rule                                   | eBPF   | Rbpf1 | Rbpf2 | V0   | V1   | V2   | V3   | V4   |
//! |----------------------------------------|--------|-------|-------|------|------|------|------|------|
//! | stack frame bumped on call (fixed)     | —      | yes   | no    | yes  | no   | no   | yes  | yes  |
//! | stack pointer moved by `add64 rX, imm` | —      | —     | r11   | —    | r10  | r10  | —    | —    |
//! | gaps between frames (when configured)  | —      | yes   | —     | yes  | —    | —    | no   | no   |
//! | `sub dst, imm` computes `imm - dst`    | no     | no    | yes   | no   | no   | yes  | no   | no   |
//! | PQR class (`0x06`: lmul/uhmul/…/srem)  | no     | no    | yes   | no   | no   | yes  | no   | no   |
//! | `mul`/`div`/`mod` in ALU classes       | yes    | yes   | no    | yes  | yes  | no   | yes  | yes  |
//! | `add32`/`sub32`/`mul32` sign-extend    | no     | yes   | yes   | yes  | yes  | no   | yes  | yes  |
//! | `lmul32` sign-extends                  | —      | —     | yes   | —    | —    | no   | —    | —    |
//! | `mov32 dst, src` sign-extends          | no     | no    | no    | no   | no   | yes  | no   | no   |
//! | `lddw` (else `hor64` = `0xf7`)         | yes    | yes   | no    | yes  | yes  | no   | yes  | yes  |
//! | `le` (`0xd4`)                          | yes    | yes   | no    | yes  | yes  | no   | yes  | yes  |
//! | `neg32`/`neg64`                        | yes    | yes   | no    | yes  | yes  | no   | yes  | yes  |
//! | memory ops moved into ALU classes      | no     | no    | no    | no   | no   | yes  | no   | no   |
//! | JMP32 class                            | yes    | no    | no    | no   | no   | no   | yes  | yes  |
//! | `callx` target register                | dst    | imm   | src   | imm  | imm  | src  | dst  | dst  |
//! | `call imm`                             | helper | hash  | static| hash | hash | hash | pcrel| pcrel|
//! | division by a zero register            | RFC¹   | error | error | error| error| error| error| error|
//! | division by a zero immediate           | RFC¹   | reject| reject| reject|reject|reject|reject|reject|
//! | signed division overflow               | RFC¹   | —     | error | —    | —    | error| —    | —    |
//! | shift immediate ≥ width                | masked²| reject| reject| reject|reject|reject|reject|reject|
//! | shift register amount                  | masked | masked| masked| masked|masked|masked|masked|masked|
//! | `r2` at entry                          | input length | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
//! | stack frame size / max call depth      | config | 4096/64 | 4096/64 | 4096/64 | 4096/64 | 4096/64 | 4096/64 | 4096/64 |
//! | read-only data starts at               | image  | text  | text  | text | text | text | 0    | 0    |
//! | strict ELF headers (SIMD-0189)         | —      | no    | no    | no   | no   | no   | yes  | yes  |
//! | section `sh_addr` may differ from offset | —    | no    | yes   | no   | no   | no   | yes  | yes  |
//! | memory mapping                         | —      | either| either| either|either|either|either| aligned |
//!
//! ¹ RFC 9669: `x / 0 = 0`, `x % 0 = x`, `INT_MIN / -1 = INT_MIN`.
//! ² unless [`Config::reject_out_of_range_shifts`](crate::Config).
//!
//! "hash": `imm` is the Murmur3-32 hash of a syscall name or a function's
//! key; syscalls are looked up first, then functions. "static" (Rbpf2):
//! `src = 0` calls a syscall by hash, `src ≠ 0` a function by key. "pcrel"
//! (V3, V4): `src = 0` calls a syscall by hash, `src = 1` the function at
//! `pc + 1 + imm`. "imm" for `callx`: the register is numbered by `imm`.
//!
//! Common to every SBPF version: the call depth counts the entry frame and
//! a call that reaches [`Rules::max_call_depth`] frames fails with
//! "call depth exceeded"; `r1` holds the input region's address
//! (`0x4_0000_0000`); `r10` the top of the first frame (fixed frames) or of
//! the whole stack (dynamic frames); `callx` through `r10` is refused by the
//! verifier; a call or return outside the text fails with "call outside
//! text segment"; registers `r6..=r9` and `r10` are saved across calls.

mod rules;
mod tables;

pub use rules::{Alu32Extension, CallImm, CallxOperand, DivisionByZero, Rules, StackFrames};

/// Which instruction-set flavour a program is written in.
///
/// ```
/// use ebpfvm::dialect::{Dialect, SbpfVersion, DivisionByZero};
/// assert_eq!(Dialect::default(), Dialect::Ebpf);
/// let v1 = Dialect::Sbpf(SbpfVersion::Rbpf1).rules();
/// assert_eq!(v1.division_by_zero, DivisionByZero::Error);
/// assert!(v1.lddw && !v1.pqr);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Dialect {
    /// RFC 9669 eBPF (the default).
    #[default]
    Ebpf,
    /// Solana's SBPF at the given version.
    Sbpf(SbpfVersion),
}

/// An SBPF version of one of the two reference implementations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SbpfVersion {
    /// `solana_rbpf` 0.8.5 `SBPFVersion::V1` (the legacy format, `e_flags` 0).
    Rbpf1,
    /// `solana_rbpf` 0.8.5 `SBPFVersion::V2` (`e_flags` `0x20`).
    Rbpf2,
    /// `solana-sbpf` `SBPFVersion::V0` (the legacy format, `e_flags` 0).
    V0,
    /// `solana-sbpf` `SBPFVersion::V1` (SIMD-0166 dynamic stack frames).
    V1,
    /// `solana-sbpf` `SBPFVersion::V2` (SIMD-0173/0174 encoding and arithmetic).
    V2,
    /// `solana-sbpf` `SBPFVersion::V3` (SIMD-0178/0189/0377 static syscalls,
    /// strict ELF headers, JMP32).
    V3,
    /// `solana-sbpf` `SBPFVersion::V4` (V3 with SIMD-0177 aligned memory).
    V4,
}

impl SbpfVersion {
    /// Every version, in the order of the module table.
    pub const ALL: [SbpfVersion; 7] = [
        SbpfVersion::Rbpf1,
        SbpfVersion::Rbpf2,
        SbpfVersion::V0,
        SbpfVersion::V1,
        SbpfVersion::V2,
        SbpfVersion::V3,
        SbpfVersion::V4,
    ];

    /// The version `solana_rbpf` 0.8.5 reads from an ELF's `e_flags`.
    pub const fn from_rbpf_e_flags(e_flags: u32) -> SbpfVersion {
        if e_flags == 0x20 {
            SbpfVersion::Rbpf2
        } else {
            SbpfVersion::Rbpf1
        }
    }

    /// The version `solana-sbpf` reads from an ELF's `e_flags`; `None` for
    /// the values it calls `Reserved` (which it refuses to load).
    pub const fn from_sbpf_e_flags(e_flags: u32) -> Option<SbpfVersion> {
        match e_flags {
            0 => Some(SbpfVersion::V0),
            1 => Some(SbpfVersion::V1),
            2 => Some(SbpfVersion::V2),
            3 => Some(SbpfVersion::V3),
            4 => Some(SbpfVersion::V4),
            _ => None,
        }
    }

    /// The short name used by the CLI and in messages (`sbpf-v1`, `rbpf-v2`, …).
    pub const fn name(self) -> &'static str {
        match self {
            SbpfVersion::Rbpf1 => "rbpf-v1",
            SbpfVersion::Rbpf2 => "rbpf-v2",
            SbpfVersion::V0 => "sbpf-v0",
            SbpfVersion::V1 => "sbpf-v1",
            SbpfVersion::V2 => "sbpf-v2",
            SbpfVersion::V3 => "sbpf-v3",
            SbpfVersion::V4 => "sbpf-v4",
        }
    }

    /// The version a [`name`](Self::name) stands for.
    pub fn from_name(name: &str) -> Option<SbpfVersion> {
        SbpfVersion::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl Dialect {
    /// This dialect's semantic table.
    pub const fn rules(self) -> &'static Rules {
        match self {
            Dialect::Ebpf => &tables::EBPF,
            Dialect::Sbpf(SbpfVersion::Rbpf1) => &tables::RBPF_V1,
            Dialect::Sbpf(SbpfVersion::Rbpf2) => &tables::RBPF_V2,
            Dialect::Sbpf(SbpfVersion::V0) => &tables::SBPF_V0,
            Dialect::Sbpf(SbpfVersion::V1) => &tables::SBPF_V1,
            Dialect::Sbpf(SbpfVersion::V2) => &tables::SBPF_V2,
            Dialect::Sbpf(SbpfVersion::V3) => &tables::SBPF_V3,
            Dialect::Sbpf(SbpfVersion::V4) => &tables::SBPF_V4,
        }
    }

    /// Whether this is an SBPF dialect.
    pub const fn is_sbpf(self) -> bool {
        matches!(self, Dialect::Sbpf(_))
    }
}

impl core::fmt::Display for Dialect {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Dialect::Ebpf => f.write_str("ebpf"),
            Dialect::Sbpf(v) => f.write_str(v.name()),
        }
    }
}

#[cfg(test)]
mod tests;
