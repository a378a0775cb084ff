//! The `lddw` pseudo forms that name maps, resolved in raw bytecode the way
//! the kernel resolves them at load time.
//!
//! | `src` | name | `imm` | next `imm` | becomes `lddw dst, …` |
//! |---:|---|---|---|---|
//! | 1 | `BPF_PSEUDO_MAP_FD` | map | — | the map's [handle](super::handle) |
//! | 5 | `BPF_PSEUDO_MAP_IDX` | map | — | the map's handle |
//! | 2 | `BPF_PSEUDO_MAP_VALUE` | map | offset | `MM_MAPS_START` + the value's arena offset + offset |
//! | 6 | `BPF_PSEUDO_MAP_IDX_VALUE` | map | offset | as 2 |
//!
//! Here the "fd" is the map's index in the [`MapIndex`]. Direct value
//! access needs an array map (`BPF_MAP_TYPE_ARRAY`, as in the kernel) and
//! an offset inside its values. The result is a plain `lddw` (`src = 0`),
//! which the verifier accepts; any other `src` is left for the verifier to
//! refuse. The ELF loader does not need this pass: it emits the final
//! values itself (see `elf::maps`).

use core::fmt;

use super::index::MapIndex;
use super::spec::MapType;
use crate::isa::{opcode, INSN_SIZE};
use crate::memory::MM_MAPS_START;

/// `BPF_PSEUDO_MAP_FD`.
pub const BPF_PSEUDO_MAP_FD: u8 = 1;
/// `BPF_PSEUDO_MAP_VALUE`.
pub const BPF_PSEUDO_MAP_VALUE: u8 = 2;
/// `BPF_PSEUDO_MAP_IDX`.
pub const BPF_PSEUDO_MAP_IDX: u8 = 5;
/// `BPF_PSEUDO_MAP_IDX_VALUE`.
pub const BPF_PSEUDO_MAP_IDX_VALUE: u8 = 6;

/// Why a map `lddw` cannot be resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PseudoError {
    /// The `lddw` names a map the set does not have.
    NoSuchMap {
        /// The pc of the `lddw`.
        pc: usize,
        /// The map index.
        map: u32,
    },
    /// Direct value access to a map that is not an array, or an offset
    /// outside its values.
    BadValueAccess {
        /// The pc of the `lddw`.
        pc: usize,
        /// The map index.
        map: u32,
        /// The offset.
        offset: u32,
    },
    /// The bytecode ends in the middle of an `lddw`.
    Truncated {
        /// The pc of the `lddw`.
        pc: usize,
    },
}

impl fmt::Display for PseudoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PseudoError::NoSuchMap { pc, map } => write!(f, "pc {pc}: lddw of unknown map {map}"),
            PseudoError::BadValueAccess { pc, map, offset } => write!(
                f,
                "pc {pc}: lddw of map {map} value at offset {offset}: not an array value"
            ),
            PseudoError::Truncated { pc } => write!(f, "pc {pc}: lddw without its second slot"),
        }
    }
}

impl core::error::Error for PseudoError {}

/// Rewrites every map `lddw` of `code` into a plain `lddw`; returns how many.
///
/// ```
/// use ebpfvm::maps::{pseudo, MapSet, MapSpec, MapType};
/// let maps = MapSet::new(&[MapSpec::new("m", MapType::Array, 4, 8, 1)], 1)?;
/// // lddw r1, map 0 (src = BPF_PSEUDO_MAP_FD); exit
/// let mut code = [
///     0x18, 0x11, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,
///     0x95, 0, 0, 0, 0, 0, 0, 0,
/// ];
/// assert_eq!(pseudo::resolve(&mut code, maps.index()), Ok(1));
/// assert_eq!(code[1], 0x01, "src is now 0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resolve(code: &mut [u8], maps: &MapIndex) -> Result<usize, PseudoError> {
    let mut count = 0;
    let mut at = 0;
    while at + INSN_SIZE <= code.len() {
        let pc = at / INSN_SIZE;
        if code[at] != opcode::full::LDDW {
            at += INSN_SIZE;
            continue;
        }
        if at + 2 * INSN_SIZE > code.len() {
            return Err(PseudoError::Truncated { pc });
        }
        let src = code[at + 1] >> 4;
        let imm = |o: usize| u32::from_le_bytes([code[o], code[o + 1], code[o + 2], code[o + 3]]);
        let (map, offset) = (imm(at + 4), imm(at + 12));
        let value = match src {
            BPF_PSEUDO_MAP_FD | BPF_PSEUDO_MAP_IDX => {
                maps.get(map).ok_or(PseudoError::NoSuchMap { pc, map })?;
                super::handle(map)
            }
            BPF_PSEUDO_MAP_VALUE | BPF_PSEUDO_MAP_IDX_VALUE => {
                let m = maps.get(map).ok_or(PseudoError::NoSuchMap { pc, map })?;
                let spec = m.spec();
                let size = spec.value_stride() * spec.max_entries as u64;
                if spec.map_type != MapType::Array || offset as u64 >= size {
                    return Err(PseudoError::BadValueAccess { pc, map, offset });
                }
                MM_MAPS_START + m.arena_offset() + offset as u64
            }
            _ => {
                at += 2 * INSN_SIZE;
                continue;
            }
        };
        code[at + 1] &= 0x0f;
        code[at + 4..at + 8].copy_from_slice(&(value as u32).to_le_bytes());
        code[at + 12..at + 16].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
        count += 1;
        at += 2 * INSN_SIZE;
    }
    Ok(count)
}
