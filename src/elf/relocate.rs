//! Relocations: patch the placed images so that every reference to a symbol
//! holds its final virtual address, call target or builtin id.
//!
//! BPF objects carry `SHT_REL` tables (implicit addends, stored in the field
//! being patched). Only tables that apply to a loaded section are read; those
//! of `.BTF`, `.BTF.ext` and debug sections are skipped entirely.
//!
//! | type | field | becomes |
//! |---|---|---|
//! | `R_BPF_64_64` (1) | the 64-bit immediate of an `lddw` | S + A, A = the `lddw`'s low 32-bit immediate, sign-extended; against a map symbol: the map's handle ([`crate::maps::handle`]) |
//! | `R_BPF_64_ABS64` (2) | 8 data bytes | S + A, A = the bytes' value |
//! | `R_BPF_64_ABS32` (3) | 4 data bytes | S + A, which must fit 32 bits |
//! | `R_BPF_64_NODYLD32` (4) | — | ignored: by definition not applied at load time |
//! | `R_BPF_64_32` (10) | a `call` | defined function: `call local` to the instruction `S / 8 + imm + 1` of the symbol's section; undefined symbol: `call id` of the builtin of that name |
//! | `R_BPF_NONE` (0) | — | nothing |
//!
//! S is the symbol's virtual address: [`MM_PROGRAM_START`](crate::memory::MM_PROGRAM_START) + offset for code
//! and read-only data (so a function's address is
//! [`Executable::function_address`](crate::Executable::function_address) of
//! its pc), [`MM_DATA_START`](crate::memory::MM_DATA_START) + offset for
//! writable data, the value itself for `SHN_ABS` symbols.

use alloc::vec::Vec;

use goblin::elf::reloc::Reloc;
use goblin::elf::section_header::{self as sh};
use goblin::elf::sym::Sym;

use super::layout::{Layout, Placement};
use super::maps::ObjectMaps;
use super::object::Object;
use super::ElfError;
use crate::builtins::BuiltinRegistry;
use crate::isa::{opcode, INSN_SIZE};

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
    maps: &ObjectMaps,
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
            let pointer = apply_one(object, layout, builtins, maps, &site, &reloc)?;
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
    /// Defined: its virtual address, and where it is in the bytecode when it
    /// is in code.
    Defined { addr: u64, code: Option<CodeSymbol> },
    /// Not defined in this object.
    Undefined,
}

/// A symbol defined in a code section.
#[derive(Clone, Copy)]
struct CodeSymbol {
    /// The pc of the section's first instruction.
    section_pc: usize,
    /// The section's length in instructions.
    section_len: u64,
    /// The symbol's byte offset in the section.
    value: u64,
}

/// The errors one relocation can end in, named for it.
struct Context<'o, 'a> {
    object: &'o Object<'a>,
    symbol: Sym,
    section: usize,
    offset: u64,
    r_type: u32,
}

impl Context<'_, '_> {
    fn bad_site(&self) -> ElfError {
        ElfError::InvalidRelocationSite {
            section: self.section,
            offset: self.offset,
            r_type: self.r_type,
        }
    }

    fn overflow(&self) -> ElfError {
        ElfError::RelocationOverflow {
            section: self.section,
            offset: self.offset,
        }
    }

    fn undefined(&self) -> ElfError {
        ElfError::UndefinedSymbol {
            name: self.object.error_name(&self.symbol),
            section: self.section,
            offset: self.offset,
        }
    }

    /// The address of a symbol that must be defined.
    fn defined(&self, resolved: &Resolved) -> Result<u64, ElfError> {
        match resolved {
            Resolved::Defined { addr, .. } => Ok(*addr),
            Resolved::Undefined => Err(self.undefined()),
        }
    }
}

fn apply_one<C>(
    object: &Object<'_>,
    layout: &mut Layout,
    builtins: &BuiltinRegistry<C>,
    maps: &ObjectMaps,
    site: &Site,
    reloc: &Reloc,
) -> Result<Option<u64>, ElfError> {
    let (section, offset, r_type) = (site.section, reloc.r_offset, reloc.r_type);
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
    let cx = Context {
        object,
        symbol,
        section,
        offset,
        r_type,
    };
    // Instruction relocations patch whole instructions in code; data
    // relocations patch data; nothing patches NOBITS.
    let in_code = matches!(site.placement, Placement::Code { .. });
    let instruction = matches!(r_type, R_BPF_64_64 | R_BPF_64_32);
    if site.nobits || in_code != instruction || (instruction && offset % INSN_SIZE as u64 != 0) {
        return Err(cx.bad_site());
    }
    let out_of_bounds = ElfError::RelocationOutOfBounds { section, offset };
    if offset
        .checked_add(width as u64)
        .is_none_or(|end| end > site.size)
    {
        return Err(out_of_bounds);
    }
    if r_type == R_BPF_64_64 && is_map_symbol(object, &cx.symbol) {
        let field = layout
            .bytes_mut(site.placement, offset as usize, width)
            .ok_or(out_of_bounds)?;
        return patch_map_lddw(&cx, field, maps).map(|()| None);
    }
    let resolved = resolve(object, layout, &cx.symbol)?;
    // `offset + width <= size`, and the section is inside its image.
    let field = layout
        .bytes_mut(site.placement, offset as usize, width)
        .ok_or(out_of_bounds)?;
    match r_type {
        R_BPF_64_64 => patch_lddw(&cx, field, &resolved).map(Some),
        R_BPF_64_ABS64 => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(field);
            let value = cx
                .defined(&resolved)?
                .checked_add_signed(i64::from_le_bytes(bytes))
                .ok_or(cx.overflow())?;
            field.copy_from_slice(&value.to_le_bytes());
            Ok(Some(value))
        }
        R_BPF_64_ABS32 => {
            let mut bytes = [0u8; 4];
            bytes.copy_from_slice(field);
            let value = cx
                .defined(&resolved)?
                .checked_add(u32::from_le_bytes(bytes).into())
                .and_then(|v| u32::try_from(v).ok())
                .ok_or(cx.overflow())?;
            field.copy_from_slice(&value.to_le_bytes());
            Ok(None)
        }
        _ => {
            let call_pc = (site.placement.offset() + offset as usize) / INSN_SIZE;
            patch_call(&cx, field, &resolved, call_pc, builtins).map(|()| None)
        }
    }
}

/// `lddw`: the 64-bit immediate becomes S + A (A = the low immediate).
fn patch_lddw(cx: &Context<'_, '_>, insn: &mut [u8], resolved: &Resolved) -> Result<u64, ElfError> {
    if insn[0] != opcode::full::LDDW {
        return Err(cx.bad_site());
    }
    let addend = imm(insn) as i64;
    let value = cx
        .defined(resolved)?
        .checked_add_signed(addend)
        .ok_or(cx.overflow())?;
    insn[4..8].copy_from_slice(&(value as u32).to_le_bytes());
    insn[12..16].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
    Ok(value)
}

/// Whether a symbol is defined in a map section.
fn is_map_symbol(object: &Object<'_>, symbol: &Sym) -> bool {
    let shndx = symbol.st_shndx;
    (shndx as u32) < sh::SHN_LORESERVE
        && shndx != 0
        && object
            .section_name(shndx)
            .is_ok_and(super::maps::is_map_section)
}

/// `lddw` of a map: the map's handle (what the kernel loads for
/// `BPF_PSEUDO_MAP_FD`). The map is the one defined at the symbol's value
/// plus the `lddw`'s addend.
fn patch_map_lddw(
    cx: &Context<'_, '_>,
    insn: &mut [u8],
    maps: &ObjectMaps,
) -> Result<(), ElfError> {
    if insn[0] != opcode::full::LDDW {
        return Err(cx.bad_site());
    }
    let target = cx.symbol.st_value.wrapping_add(imm(insn) as i64 as u64);
    let index = maps
        .index_at(cx.symbol.st_shndx, target)
        .ok_or(ElfError::NoSuchMap {
            name: cx.object.error_name(&cx.symbol),
            section: u32::try_from(cx.section).unwrap_or(u32::MAX),
            offset: u32::try_from(cx.offset).unwrap_or(u32::MAX),
        })?;
    let value = crate::maps::handle(index);
    insn[4..8].copy_from_slice(&(value as u32).to_le_bytes());
    insn[12..16].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
    Ok(())
}

/// `call`: a local call to a function of the object, or a builtin call by
/// the undefined symbol's name.
fn patch_call<C>(
    cx: &Context<'_, '_>,
    insn: &mut [u8],
    resolved: &Resolved,
    call_pc: usize,
    builtins: &BuiltinRegistry<C>,
) -> Result<(), ElfError> {
    if insn[0] != opcode::full::CALL {
        return Err(cx.bad_site());
    }
    let (src, target) = match resolved {
        Resolved::Undefined => {
            let name = cx.object.symbol_name(&cx.symbol)?;
            let builtin = builtins.by_name(name).ok_or_else(|| cx.undefined())?;
            (opcode::CALL_HELPER, builtin.id as i32)
        }
        Resolved::Defined { code, .. } => {
            let target = code.and_then(|code| call_target(code, imm(insn))).ok_or(
                ElfError::InvalidCallTarget {
                    section: cx.section,
                    offset: cx.offset,
                },
            )?;
            let rel = target as i64 - call_pc as i64 - 1;
            let rel = i32::try_from(rel).map_err(|_| cx.overflow())?;
            (opcode::CALL_LOCAL, rel)
        }
    };
    // Keep the destination register nibble (zero in valid calls) so the
    // verifier still judges what the compiler wrote.
    insn[1] = (insn[1] & 0x0f) | (src << 4);
    insn[4..8].copy_from_slice(&target.to_le_bytes());
    Ok(())
}

/// The immediate of the instruction starting `insn`.
fn imm(insn: &[u8]) -> i32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&insn[4..8]);
    i32::from_le_bytes(bytes)
}

/// The pc a call relocation designates: instruction `value / 8 + imm + 1`
/// of the symbol's code section, which must exist.
fn call_target(code: CodeSymbol, imm: i32) -> Option<usize> {
    if code.value % INSN_SIZE as u64 != 0 {
        return None;
    }
    let index = (code.value / INSN_SIZE as u64) as i64 + imm as i64 + 1;
    if !(0..code.section_len as i64).contains(&index) {
        return None;
    }
    Some(code.section_pc + index as usize)
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
            Placement::Code { offset } => Some(CodeSymbol {
                section_pc: offset / INSN_SIZE,
                section_len: size / INSN_SIZE as u64,
                value: symbol.st_value,
            }),
            _ => None,
        },
    })
}
