//! Instruction-set versions, matching clang's `-mcpu=v1..v4` and the
//! bpf_conformance suite's `--cpu_version`.

use core::fmt;

/// An eBPF instruction-set version. A verifier configured for a version rejects
/// instructions that first appeared in a later one.
///
/// | version | adds |
/// |---|---|
/// | v1 | the base ISA: ALU/ALU64, JMP, loads/stores, `lddw`, helper/local/indirect calls, atomic add |
/// | v2 | `jlt`, `jle`, `jslt`, `jsle` |
/// | v3 | the JMP32 class, all other atomics (fetch variants, `xchg`, `cmpxchg`) |
/// | v4 | `sdiv`/`smod`, `movsx`, sign-extending loads, `bswap`, `ja32` (`gotol`) |
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IsaVersion {
    /// The base instruction set.
    V1,
    /// Adds `jlt`, `jle`, `jslt`, `jsle`.
    V2,
    /// Adds JMP32 and the fetching atomics.
    V3,
    /// The full RFC 9669 instruction set (the default).
    #[default]
    V4,
}

impl IsaVersion {
    /// Parses `v1`..`v4` (also accepts `1`..`4`).
    ///
    /// ```
    /// use ebpfvm::isa::IsaVersion;
    /// assert_eq!(IsaVersion::parse("v3"), Some(IsaVersion::V3));
    /// assert_eq!(IsaVersion::parse("v5"), None);
    /// ```
    pub fn parse(s: &str) -> Option<IsaVersion> {
        match s.trim_start_matches(['v', 'V']) {
            "1" => Some(IsaVersion::V1),
            "2" => Some(IsaVersion::V2),
            "3" => Some(IsaVersion::V3),
            "4" => Some(IsaVersion::V4),
            _ => None,
        }
    }
}

impl fmt::Display for IsaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = match self {
            IsaVersion::V1 => 1,
            IsaVersion::V2 => 2,
            IsaVersion::V3 => 3,
            IsaVersion::V4 => 4,
        };
        write!(f, "v{n}")
    }
}
