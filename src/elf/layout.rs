//! Section placement: which sections are loaded, where each one lands in the
//! read-only image or the writable data, and the images themselves (before
//! relocation).
//!
//! | section | goes to | at |
//! |---|---|---|
//! | `SHF_ALLOC` + `SHF_EXECINSTR` (`.text`, `xdp`, `socket`, ...) | the bytecode | [`MM_PROGRAM_START`] + offset, in section order, 8-aligned |
//! | `SHF_ALLOC`, not writable (`.rodata*`, string literals) | the read-only image, after the bytecode | [`MM_PROGRAM_START`] + offset, aligned |
//! | `SHF_ALLOC` + `SHF_WRITE` (`.data*`, `.bss`, ...) | the data template (`SHT_NOBITS` zero-filled) | [`MM_DATA_START`] + offset, aligned |
//! | `.maps`, `maps`, `maps/*` (map definitions) | not loaded: they become maps (`maps.rs`) | — |
//! | everything else (`.BTF`, `.debug_*`, symbol and relocation tables) | not loaded | — |

use alloc::vec;
use alloc::vec::Vec;

use goblin::elf::section_header::{self as sh, SectionHeader};

use super::object::Object;
use super::ElfError;
use super::MAX_REGION_SIZE;
use crate::isa::INSN_SIZE;
use crate::memory::{MM_DATA_START, MM_PROGRAM_START};

/// The largest section alignment accepted.
const MAX_ALIGN: u64 = 4096;

/// Where a section is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placement {
    /// Not loaded (debug info, BTF, tables, non-alloc sections).
    None,
    /// Bytecode at this byte offset of the read-only image (a multiple of 8).
    Code { offset: usize },
    /// Read-only data at this byte offset of the read-only image.
    ReadOnly { offset: usize },
    /// Writable data at this byte offset of the data template.
    Data { offset: usize },
}

impl Placement {
    /// The section's byte offset in its image (0 when not loaded).
    pub(super) fn offset(self) -> usize {
        match self {
            Placement::None => 0,
            Placement::Code { offset }
            | Placement::ReadOnly { offset }
            | Placement::Data { offset } => offset,
        }
    }

    /// The virtual address of the section's first byte, if it is loaded.
    pub(super) fn vm_addr(self) -> Option<u64> {
        match self {
            Placement::None => None,
            Placement::Code { offset } | Placement::ReadOnly { offset } => {
                Some(MM_PROGRAM_START + offset as u64)
            }
            Placement::Data { offset } => Some(MM_DATA_START + offset as u64),
        }
    }
}

/// The loaded images and each section's placement (indexed like the section
/// table).
pub(super) struct Layout {
    pub(super) placements: Vec<Placement>,
    /// Bytecode (`text_len` bytes), then read-only data.
    pub(super) ro: Vec<u8>,
    pub(super) text_len: usize,
    pub(super) data: Vec<u8>,
}

impl Layout {
    /// Places every loaded section and copies its contents.
    pub(super) fn new(object: &Object<'_>) -> Result<Self, ElfError> {
        let sections = object.sections();
        let kinds = sections
            .iter()
            .enumerate()
            .map(|(index, shdr)| {
                // Map definitions become maps (see `maps.rs`), not data.
                if super::maps::is_map_section(object.section_name(index)?) {
                    return Ok(Kind::NotLoaded);
                }
                classify(index, shdr)
            })
            .collect::<Result<Vec<_>, _>>()?;
        check_overlaps(object, &kinds)?;

        // Offsets first: nothing is allocated before both totals are known
        // to be within MAX_REGION_SIZE.
        let mut placements = vec![Placement::None; sections.len()];
        let mut ro_end = 0u64;
        for (index, shdr) in sections.iter().enumerate() {
            if kinds[index] == Kind::Code {
                // Whole instructions, back to back: their sizes are multiples
                // of 8, and a larger alignment would put invalid zero slots
                // between sections.
                let offset = place(&mut ro_end, shdr.sh_size, INSN_SIZE as u64)?;
                placements[index] = Placement::Code { offset };
            }
        }
        let text_len = ro_end as usize;
        for (index, shdr) in sections.iter().enumerate() {
            if kinds[index] == Kind::ReadOnly {
                let offset = place(&mut ro_end, shdr.sh_size, alignment(index, shdr)?)?;
                placements[index] = Placement::ReadOnly { offset };
            }
        }
        let mut data_end = 0u64;
        for (index, shdr) in sections.iter().enumerate() {
            if kinds[index] == Kind::Data {
                let offset = place(&mut data_end, shdr.sh_size, alignment(index, shdr)?)?;
                placements[index] = Placement::Data { offset };
            }
        }

        let mut ro = vec![0u8; ro_end as usize];
        let mut data = vec![0u8; data_end as usize];
        for (index, placement) in placements.iter().enumerate() {
            let (image, offset) = match *placement {
                Placement::None => continue,
                Placement::Code { offset } | Placement::ReadOnly { offset } => (&mut ro, offset),
                Placement::Data { offset } => (&mut data, offset),
            };
            // NOBITS sections read as empty and stay zero-filled.
            let contents = object.section_data(index)?;
            image[offset..offset + contents.len()].copy_from_slice(contents);
        }
        Ok(Layout {
            placements,
            ro,
            text_len,
            data,
        })
    }

    /// The placement of section `index` (`None` for unknown indices).
    pub(super) fn placement(&self, index: usize) -> Placement {
        self.placements
            .get(index)
            .copied()
            .unwrap_or(Placement::None)
    }

    /// `len` loaded bytes at offset `at` of a placed section, for patching.
    pub(super) fn bytes_mut(
        &mut self,
        placement: Placement,
        at: usize,
        len: usize,
    ) -> Option<&mut [u8]> {
        let image = match placement {
            Placement::None => return None,
            Placement::Code { .. } | Placement::ReadOnly { .. } => &mut self.ro,
            Placement::Data { .. } => &mut self.data,
        };
        let start = placement.offset().checked_add(at)?;
        image.get_mut(start..start.checked_add(len)?)
    }
}

/// What a section holds, for placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    NotLoaded,
    Code,
    ReadOnly,
    Data,
}

fn classify(index: usize, shdr: &SectionHeader) -> Result<Kind, ElfError> {
    let flags = shdr.sh_flags;
    if flags & sh::SHF_ALLOC as u64 == 0 {
        return Ok(Kind::NotLoaded);
    }
    let unsupported = ElfError::UnsupportedSectionType {
        section: index,
        sh_type: shdr.sh_type,
    };
    if flags & sh::SHF_EXECINSTR as u64 != 0 {
        if shdr.sh_type != sh::SHT_PROGBITS {
            return Err(unsupported);
        }
        if shdr.sh_size % INSN_SIZE as u64 != 0 {
            return Err(ElfError::MisalignedCode {
                section: index,
                size: shdr.sh_size,
            });
        }
        return Ok(Kind::Code);
    }
    if shdr.sh_type != sh::SHT_PROGBITS && shdr.sh_type != sh::SHT_NOBITS {
        return Err(unsupported);
    }
    Ok(if flags & sh::SHF_WRITE as u64 != 0 {
        Kind::Data
    } else {
        Kind::ReadOnly
    })
}

/// A data section's alignment: `sh_addralign`, a power of two up to
/// [`MAX_ALIGN`] (0 means 1).
fn alignment(index: usize, shdr: &SectionHeader) -> Result<u64, ElfError> {
    match shdr.sh_addralign {
        0 => Ok(1),
        a if a.is_power_of_two() && a <= MAX_ALIGN => Ok(a),
        align => Err(ElfError::InvalidAlignment {
            section: index,
            align,
        }),
    }
}

/// Places `size` bytes at the next `align`-aligned offset after `end`, and
/// advances `end` past them.
fn place(end: &mut u64, size: u64, align: u64) -> Result<usize, ElfError> {
    // `end` is at most MAX_REGION_SIZE, so only a huge `size` saturates, and
    // saturation turns into the too-large error.
    let offset = (*end + (align - 1)) & !(align - 1);
    let new_end = offset.saturating_add(size);
    if new_end > MAX_REGION_SIZE {
        return Err(ElfError::ImageTooLarge {
            size: new_end,
            max: MAX_REGION_SIZE,
        });
    }
    *end = new_end;
    Ok(offset as usize)
}

/// Rejects loaded sections whose file contents overlap (and, on the way,
/// sections whose contents lie outside the file).
fn check_overlaps(object: &Object<'_>, kinds: &[Kind]) -> Result<(), ElfError> {
    let mut ranges = Vec::new();
    for (index, shdr) in object.sections().iter().enumerate() {
        if kinds[index] == Kind::NotLoaded || shdr.sh_type == sh::SHT_NOBITS {
            continue;
        }
        let contents = object.section_data(index)?;
        if !contents.is_empty() {
            ranges.push((shdr.sh_offset, shdr.sh_offset + shdr.sh_size, index));
        }
    }
    ranges.sort_unstable();
    for pair in ranges.windows(2) {
        let ((_, first_end, first), (second_start, _, second)) = (pair[0], pair[1]);
        if second_start < first_end {
            return Err(ElfError::OverlappingSections { first, second });
        }
    }
    Ok(())
}
