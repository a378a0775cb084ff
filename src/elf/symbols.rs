//! Function symbols and the entry point.
//!
//! Every `STT_FUNC` symbol in a code section (and every global `STT_NOTYPE`
//! symbol there, as hand-written assembly defines entry labels) becomes a
//! named [`Function`]: a name for disassembly and a valid `callx` target.
//!
//! The entry point is the function named by the caller, or by default:
//! 1. the function `entrypoint`;
//! 2. else the function `main`;
//! 3. else the global function with the lowest address in the first code
//!    section (in section-header order) that has one, program sections
//!    (every code section but `.text`) before `.text`.

use alloc::string::ToString;
use alloc::vec::Vec;

use goblin::elf::sym::{self, Sym};

use super::layout::{Layout, Placement};
use super::object::Object;
use super::{ElfError, SymbolName};
use crate::isa::INSN_SIZE;
use crate::program::Function;

/// The names the default entry rule tries first, in order.
pub const DEFAULT_ENTRY_NAMES: [&str; 2] = ["entrypoint", "main"];

/// A function found in the symbol table.
pub(super) struct FunctionSymbol {
    pub(super) function: Function,
    pub(super) global: bool,
    /// The code section that holds it.
    pub(super) section: usize,
}

/// Collects the function symbols of code sections, sorted by pc (a global
/// symbol first where several name the same pc).
pub(super) fn functions(
    object: &Object<'_>,
    layout: &Layout,
) -> Result<Vec<FunctionSymbol>, ElfError> {
    let mut functions = Vec::new();
    for (_, symbol) in object.symbols() {
        let global = symbol.st_bind() != sym::STB_LOCAL;
        let is_function = match symbol.st_type() {
            sym::STT_FUNC => true,
            sym::STT_NOTYPE => global,
            _ => false,
        };
        if !is_function {
            continue;
        }
        let Placement::Code { offset } = layout.placement(symbol.st_shndx) else {
            continue;
        };
        let pc = function_pc(object, &symbol, offset)?;
        functions.push(FunctionSymbol {
            function: Function {
                pc,
                name: object.symbol_name(&symbol)?.to_string(),
            },
            global,
            section: symbol.st_shndx,
        });
    }
    functions.sort_by_key(|f| (f.function.pc, !f.global));
    Ok(functions)
}

/// The pc of a function symbol defined in a code section placed at byte
/// `offset`: it must start at an instruction inside the section.
fn function_pc(object: &Object<'_>, symbol: &Sym, offset: usize) -> Result<usize, ElfError> {
    let size = object.section(symbol.st_shndx)?.sh_size;
    let value = symbol.st_value;
    if value >= size || value % INSN_SIZE as u64 != 0 {
        return Err(ElfError::InvalidSymbol {
            name: object.error_name(symbol),
            value,
        });
    }
    // value < size <= MAX_REGION_SIZE, so this fits.
    Ok((offset + value as usize) / INSN_SIZE)
}

/// The entry pc: the function called `name`, or the default rule's choice.
pub(super) fn entry_pc(
    object: &Object<'_>,
    functions: &[FunctionSymbol],
    name: Option<&str>,
) -> Result<usize, ElfError> {
    let by_name = |name: &str| {
        functions
            .iter()
            .find(|f| f.function.name == name)
            .map(|f| f.function.pc)
    };
    if let Some(name) = name {
        return by_name(name).ok_or(ElfError::EntryNotFound {
            name: SymbolName::new(name),
        });
    }
    if let Some(pc) = DEFAULT_ENTRY_NAMES.iter().find_map(|name| by_name(name)) {
        return Ok(pc);
    }
    let first_global_in = |section: usize| {
        functions
            .iter()
            .find(|f| f.global && f.section == section)
            .map(|f| f.function.pc)
    };
    let is_text = |section: usize| object.section_name(section).is_ok_and(|n| n == ".text");
    let code_sections = || {
        object
            .sections()
            .iter()
            .enumerate()
            .filter(|(i, _)| functions.iter().any(|f| f.section == *i))
            .map(|(i, _)| i)
    };
    code_sections()
        .filter(|&i| !is_text(i))
        .chain(code_sections().filter(|&i| is_text(i)))
        .find_map(first_global_in)
        .ok_or(ElfError::NoEntryPoint)
}
