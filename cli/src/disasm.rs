//! `ebpfvm disasm`: a listing of any bytecode (pc column, labels, function
//! names from ELF symbols, helper names of the tool's builtins; invalid
//! slots marked), or with `--asm` the text that assembles back to the bytes.

use std::path::Path;

use ebpfvm::asm::{listing, EntryKind, Listing};

use crate::program::{read_program, Program};
use crate::report::{array, emit, Failure, Json, Stage, EXIT_OK};

/// The listing of `program`.
pub fn list(program: &Program) -> Listing {
    let names = |pc: usize| program.name_at(pc);
    let helpers = |id: u32| program.builtin_name(id);
    listing(&program.code, &names, &helpers)
}

/// `ebpfvm disasm`.
pub fn disassemble_file(
    path: &Path,
    entry: Option<&str>,
    reassemblable: bool,
    json: bool,
) -> Result<u8, Failure> {
    let program = read_program(path, entry)?;
    if reassemblable {
        let names = |pc: usize| program.name_at(pc);
        let text = ebpfvm::asm::disassemble_with(&program.code, &names).map_err(|e| {
            Failure::new(
                Stage::Verify,
                format!(
                    "{}: {e} (`ebpfvm disasm` without --asm lists it)",
                    path.display()
                ),
            )
        })?;
        if json {
            println!(
                "{}",
                Json::new().str("result", "ok").str("text", &text).finish()
            );
        } else {
            emit(&text);
        }
        return Ok(EXIT_OK);
    }
    let listing = list(&program);
    if json {
        let lines = listing.entries.iter().map(|e| {
            let mut line = Json::new();
            line.num("pc", e.pc as u64);
            if let Some(label) = &e.label {
                line.str("label", label);
            }
            let kind = match e.kind {
                EntryKind::Instruction => "instruction",
                EntryKind::Invalid => "invalid",
                EntryKind::Truncated => "truncated",
                _ => "end",
            };
            line.str("kind", kind).str("text", &e.text);
            if let Some(note) = &e.note {
                line.str("note", note);
            }
            line.finish()
        });
        println!(
            "{}",
            Json::new()
                .str("result", "ok")
                .num("invalid", listing.invalid_count() as u64)
                .raw("lines", &array(lines))
                .finish()
        );
    } else {
        emit(&listing.to_string());
    }
    Ok(EXIT_OK)
}
