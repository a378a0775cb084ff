//! Relocations: patch the placed images so that every reference to a symbol
//! holds its final virtual address, call target or builtin id.
//!
//! BPF objects carry `SHT_REL` tables (implicit addends, stored in the field
//! being patched). Only tables that apply to a loaded section are read; those
//! of `.BTF`, `.BTF.ext` and debug sections are skipped entirely.
//!
//! | type | field | becomes |
//! |---|---|---|
//! | `R_BPF_64_64` (1) | the 64-bit immediate of an `lddw` | S + A, A = the `lddw`'s low 32-bit immediate, sign-extended |
//! | `R_BPF_64_ABS64` (2) | 8 data bytes | S + A, A = the bytes' value |
//! | `R_BPF_64_ABS32` (3) | 4 data bytes | S + A, which must fit 32 bits |
//! | `R_BPF_64_NODYLD32` (4) | — | ignored: by definition not applied at load time |
//! | `R_BPF_64_32` (10) | a `call` | defined function: `call local` to the instruction `S / 8 + imm + 1` of the symbol's section; undefined symbol: `call id` of the builtin of that name |
//! | `R_BPF_NONE` (0) | — | nothing |
//!
//! S is the symbol's virtual address: [`MM_PROGRAM_START`] + offset for code
//! and read-only data (so a function's address is
//! [`Executable::function_address`](crate::Executable::function_address) of
//! its pc), [`MM_DATA_START`](crate::memory::MM_DATA_START) + offset for
//! writable data, the value itself for `SHN_ABS` symbols.

use alloc::vec::Vec;

use goblin::elf::reloc::Reloc;
use goblin::elf::section_header::{self as sh};
use goblin::elf::sym::Sym;

use super::layout::{Layout, Placement};
use super::object::Object;
use crate::builtins::BuiltinRegistry;
use crate::error::ElfError;
use crate::isa::{opcode, INSN_SIZE};
use crate::memory::MM_PROGRAM_START;

/// No relocation.
pub const R_BPF_NONE: u32 = 0;
/// The 64-bit immediate of an `lddw`.
pub const R_BPF_64_64: u32 = 1;
/// A 64-bit absolute address in data.
pub const R_BPF_64_ABS64: u32 = 2;
/// A 32-bit absolute address in data.
pub const R_BPF_64_ABS32: u32 = 3;
/// A 32-bit value for static linkers only (`.BTF`, `.BTF.ext`).
pub const R_BPF_64_NODYLD32: u32 = 4;
/// The target of a `call`.
pub const R_BPF_64_32: u32 = 10;

/// Applies every relocation that patches a loaded section. Returns the
/// addresses of code that data refers to (function pointers), which must be
/// valid `callx` targets.
pub(super) fn apply<C>(
    object: &Object<'_>,
    layout: &mut Layout,
    builtins: &BuiltinRegistry<C>,
) -> Result<Vec<u64>, ElfError> {
    let mut code_pointers = Vec::new();
    for (index, rel) in object.sections().iter().enumerate() {
        if rel.sh_type != sh::SHT_REL && rel.sh_type != sh::SHT_RELA {
            continue;
        }
        let target = rel.sh_info as usize;
        let target_shdr = object.section(target)?;
        let placement = layout.placement(target);
        if placement == Placement::None {
            continue;
        }
        if rel.sh_type == sh::SHT_RELA {
            return Err(ElfError::UnsupportedRelocationSection { section: index });
        }
        if object.symtab_index() != Some(rel.sh_link as usize) {
            return Err(ElfError::MissingSymbolTable { section: index });
        }
        let site = Site {
            section: target,
            placement,
            size: target_shdr.sh_size,
            nobits: target_shdr.sh_type == sh::SHT_NOBITS,
        };
        for reloc in object.relocations(index)?.iter() {
            let pointer = apply_one(object, layout, builtins, &site, &reloc)?;
            code_pointers.extend(pointer);
        }
    }
    Ok(code_pointers)
}

/// The section a relocation table patches.
struct Site {
    section: usize,
    placement: Placement,
    size: u64,
    nobits: bool,
}

/// Where a symbol is.
enum Resolved {
    /// Defined: its virtual address, and the code placement and section size
    /// when it is in code.
    Defined {
        addr: u64,
        code: Option<(usize, u64)>,
    },
    /// Not defined in this object.
    Undefined,
}

fn apply_one<C>(
    object: &Object<'_>,
    layout: &mut Layout,
    builtins: &BuiltinRegistry<C>,
    site: &Site,
    reloc: &Reloc,
) -> Result<Option<u64>, ElfError> {
    let offset = reloc.r_offset;
    let (section, r_type) = (site.section, reloc.r_type);
    let width = match r_type {
        R_BPF_NONE | R_BPF_64_NODYLD32 => return Ok(None),
        R_BPF_64_64 => 2 * INSN_SIZE,
        R_BPF_64_ABS64 => 8,
        R_BPF_64_ABS32 => 4,
        R_BPF_64_32 => INSN_SIZE,
        _ => {
            return Err(ElfError::UnsupportedRelocation {
                section,
                offset,
                r_type,
            })
        }
    };
    let symbol = object
        .symbol(reloc.r_sym)
        .ok_or(ElfError::InvalidSymbolIndex {
            section,
            offset,
            symbol: reloc.r_sym,
        })?;
    let is_code = matches!(site.placement, Placement::Code { .. });
    let instruction = matches!(r_type, R_BPF_64_64 | R_BPF_64_32);
    let bad_site = ElfError::InvalidRelocationSite {
        section,
        offset,
        r_type,
    };
    if site.nobits || is_code != instruction || (instruction && offset % INSN_SIZE as u64 != 0) {
        return Err(bad_site);
    }
    let out_of_bounds = ElfError::RelocationOutOfBounds { section, offset };
    if offset
        .checked_add(width as u64)
        .is_none_or(|end| end > site.size)
    {
        return Err(out_of_bounds);
    }
    let resolved = resolve(object, layout, &symbol)?;
    let placement = match site.placement {
        Placement::Code { offset: base } => Placement::Code {
            offset: base + offset as usize,
        },
        Placement::ReadOnly { offset: base } => Placement::ReadOnly {
            offset: base + offset as usize,
        },
        Placement::Data { offset: base } => Placement::Data {
            offset: base + offset as usize,
        },
        Placement::None => return Err(bad_site),
    };
    let field = layout.bytes_mut(placement, width).ok_or(out_of_bounds)?;
    let undefined = || ElfError::UndefinedSymbol {
        name: object.error_name(&symbol),
        section,
        offset,
    };
    let overflow = ElfError::RelocationOverflow { section, offset };
    match r_type {
        R_BPF_64_64 => {
            if field[0] != opcode::full::LDDW {
                return Err(bad_site);
            }
            let Resolved::Defined { addr, .. } = resolved else {
                return Err(undefined());
            };
            let addend = i32::from_le_bytes(imm(field, 0)) as i64;
            let value = addr.checked_add_signed(addend).ok_or(overflow)?;
            field[4..8].copy_from_slice(&(value as u32).to_le_bytes());
            field[12..16].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
            Ok(Some(value))
        }
        R_BPF_64_ABS64 => {
            let Resolved::Defined { addr, .. } = resolved else {
                return Err(undefined());
            };
            let addend = i64::from_le_bytes(field[..8].try_into().map_err(|_| out_of_bounds)?);
            let value = addr.checked_add_signed(addend).ok_or(overflow)?;
            field.copy_from_slice(&value.to_le_bytes());
            Ok(Some(value))
        }
        R_BPF_64_ABS32 => {
            let Resolved::Defined { addr, .. } = resolved else {
                return Err(undefined());
            };
            let addend = u32::from_le_bytes(field[..4].try_into().map_err(|_| out_of_bounds)?);
            let value = addr
                .checked_add(addend as u64)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or(overflow)?;
            field.copy_from_slice(&value.to_le_bytes());
            Ok(None)
        }
        _ => {
            if field[0] != opcode::full::CALL {
                return Err(bad_site);
            }
            let call_pc = placement_offset(placement) / INSN_SIZE;
            let (src, imm_value) = match resolved {
                Resolved::Undefined => {
                    let name = object.symbol_name(&symbol)?;
                    let builtin = builtins.by_name(name).ok_or_else(undefined)?;
                    (opcode::CALL_HELPER, builtin.id as i32)
                }
                Resolved::Defined { addr, code } => {
                    let target = call_target(addr, code, i32::from_le_bytes(imm(field, 0)))
                        .ok_or(ElfError::InvalidCallTarget { section, offset })?;
                    let rel = target as i64 - call_pc as i64 - 1;
                    (
                        opcode::CALL_LOCAL,
                        i32::try_from(rel).map_err(|_| overflow)?,
                    )
                }
            };
            // Keep the destination register nibble (zero in valid calls) so
            // the verifier still sees what the compiler wrote.
            field[1] = (field[1] & 0x0f) | (src << 4);
            field[4..8].copy_from_slice(&imm_value.to_le_bytes());
            Ok(None)
        }
    }
}

/// The 4 immediate bytes of the slot at `slot_offset` of an instruction field.
fn imm(field: &[u8], slot_offset: usize) -> [u8; 4] {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&field[slot_offset + 4..slot_offset + 8]);
    bytes
}

fn placement_offset(placement: Placement) -> usize {
    match placement {
        Placement::None => 0,
        Placement::Code { offset }
        | Placement::ReadOnly { offset }
        | Placement::Data { offset } => offset,
    }
}

/// The pc a call relocation designates: instruction `value / 8 + imm + 1`
/// of the symbol's code section, which must exist.
fn call_target(addr: u64, code: Option<(usize, u64)>, imm: i32) -> Option<usize> {
    let (section_offset, section_size) = code?;
    let value = addr - MM_PROGRAM_START - section_offset as u64;
    if value % INSN_SIZE as u64 != 0 {
        return None;
    }
    let index = (value / INSN_SIZE as u64) as i64 + imm as i64 + 1;
    if index < 0 || index as u64 >= section_size / INSN_SIZE as u64 {
        return None;
    }
    Some(section_offset / INSN_SIZE + index as usize)
}

/// Finds where a symbol is loaded.
fn resolve(object: &Object<'_>, layout: &Layout, symbol: &Sym) -> Result<Resolved, ElfError> {
    let shndx = symbol.st_shndx;
    match shndx as u32 {
        sh::SHN_UNDEF => return Ok(Resolved::Undefined),
        sh::SHN_ABS => {
            return Ok(Resolved::Defined {
                addr: symbol.st_value,
                code: None,
            })
        }
        i if i >= sh::SHN_LORESERVE => {
            return Err(ElfError::UnsupportedSymbol {
                name: object.error_name(symbol),
                shndx,
            })
        }
        _ => {}
    }
    let size = object.section(shndx)?.sh_size;
    let placement = layout.placement(shndx);
    let base = placement.vm_addr().ok_or(ElfError::UnsupportedSymbol {
        name: object.error_name(symbol),
        shndx,
    })?;
    // A symbol may sit at the end of its section (an end marker), not beyond.
    if symbol.st_value > size {
        return Err(ElfError::InvalidSymbol {
            name: object.error_name(symbol),
            value: symbol.st_value,
        });
    }
    Ok(Resolved::Defined {
        addr: base + symbol.st_value,
        code: match placement {
            Placement::Code { offset } => Some((offset, size)),
            _ => None,
        },
    })
}
