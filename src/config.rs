//! [`Config`]: ISA version, stack and call limits, metering, verifier
//! strictness and JIT hardening, with documented defaults. Read by the
//! verifier, the runtime, the engines and the memory layout; depends only on
//! [`crate::isa`].

use crate::isa::IsaVersion;

/// Hard upper bound of [`Config::max_call_depth`]: the capacity of the
/// fixed call-frame table.
pub const MAX_CALL_DEPTH: usize = 64;

/// Configuration shared by the verifier, the engines and the memory layout.
///
/// ```
/// use ebpfvm::{Config, isa::IsaVersion};
/// let config = Config { version: IsaVersion::V3, max_call_depth: 16, ..Config::default() };
/// assert_eq!(config.stack_size(), 16 * 512);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// Instruction-set version the verifier accepts. Default: [`IsaVersion::V4`].
    pub version: IsaVersion,
    /// Bytes of stack per call frame. Default: 512 (as in Linux and RFC 9669 practice).
    pub stack_frame_size: usize,
    /// Maximum number of active frames, the entry function included.
    /// Default: 8; at most [`MAX_CALL_DEPTH`].
    pub max_call_depth: usize,
    /// Whether the context object's budget limits execution. Default: `true`.
    /// When `false` instructions are still counted but never stop the program.
    pub enable_instruction_meter: bool,
    /// Largest program the verifier accepts, in 8-byte slots. Default: 1 << 20.
    pub max_program_slots: usize,
    /// Reject shifts by an immediate not below the operand width (the Linux
    /// verifier's rule). Default: `false`: RFC 9669 masks the shift amount, and
    /// the conformance suite relies on it.
    pub reject_out_of_range_shifts: bool,
    /// Accept the legacy packet loads (`ldabs*`, `ldind*`, conformance group
    /// "packet"); they read big-endian data from the input region. Default: `true`.
    pub enable_packet_access: bool,
    /// JIT hardening: XOR-blind user immediates with a per-compilation key so
    /// attacker-chosen constants never appear verbatim in executable memory.
    /// Default: `false`.
    pub jit_blind_constants: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: IsaVersion::V4,
            stack_frame_size: 512,
            max_call_depth: 8,
            enable_instruction_meter: true,
            max_program_slots: 1 << 20,
            reject_out_of_range_shifts: false,
            enable_packet_access: true,
            jit_blind_constants: false,
        }
    }
}

impl Config {
    /// Total stack bytes a VM needs: `stack_frame_size * max_call_depth`.
    pub fn stack_size(&self) -> usize {
        self.stack_frame_size
            .saturating_mul(self.effective_call_depth())
    }

    /// [`max_call_depth`](Self::max_call_depth) clamped to `1..=MAX_CALL_DEPTH`.
    pub fn effective_call_depth(&self) -> usize {
        self.max_call_depth.clamp(1, MAX_CALL_DEPTH)
    }
}
