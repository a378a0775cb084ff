//! Reading program files: assembly text, raw bytecode or ELF objects, into
//! verified executables; and the `asm`, `disasm` and `verify` commands.

use std::path::{Path, PathBuf};

use clap::Args;
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Budget, Config, Executable, Runtime};

use crate::{host, EXIT_BAD_INPUT};

#[cfg(feature = "elf")]
#[path = "load_elf.rs"]
mod load_elf;

/// Options naming a program and how to load it.
#[derive(Args, Clone, Debug)]
pub struct LoadArgs {
    /// The program: assembly (`.s`/`.asm`), an ELF object, or raw bytecode.
    pub program: PathBuf,
    /// ELF: the function to start at (default: `entrypoint`, `main`, then the
    /// first global function of the first program section).
    #[arg(long)]
    pub entry: Option<String>,
    /// Instruction-set version the verifier accepts (v1..v4).
    #[arg(long, default_value = "v4", value_parser = parse_isa)]
    pub isa: IsaVersion,
}

fn parse_isa(s: &str) -> Result<IsaVersion, String> {
    IsaVersion::parse(s).ok_or_else(|| format!("unknown ISA version `{s}` (expected v1..v4)"))
}

/// What a program file holds.
enum Format {
    Assembly,
    Elf,
    Bytecode,
}

fn format_of(path: &Path, bytes: &[u8]) -> Format {
    if bytes.starts_with(b"\x7fELF") {
        return Format::Elf;
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("s" | "asm") => Format::Assembly,
        _ => Format::Bytecode,
    }
}

/// Reads a file, or explains why not.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Loads and verifies the program `args` names. The runtime lives for the
/// rest of the process (the tool loads one program per invocation).
pub fn load(args: &LoadArgs, config: Config) -> Result<Executable<'static, Budget>, String> {
    let bytes = read(&args.program)?;
    let loader: &'static Runtime<Budget> = Box::leak(Box::new(host::runtime(config)));
    let name = args.program.display();
    match format_of(&args.program, &bytes) {
        Format::Assembly => {
            let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
            let code = ebpfvm::asm::assemble(&text).map_err(|e| format!("{name}: {e}"))?;
            Executable::from_bytecode(&code, loader).map_err(|e| format!("{name}: {e}"))
        }
        Format::Bytecode => {
            Executable::from_bytecode(&bytes, loader).map_err(|e| format!("{name}: {e}"))
        }
        Format::Elf => {
            load_elf_file(&bytes, loader, args.entry.as_deref()).map_err(|e| format!("{name}: {e}"))
        }
    }
}

#[cfg(feature = "elf")]
fn load_elf_file(
    bytes: &[u8],
    runtime: &'static Runtime<Budget>,
    entry: Option<&str>,
) -> Result<Executable<'static, Budget>, String> {
    load_elf::load(bytes, runtime, entry)
}

#[cfg(not(feature = "elf"))]
fn load_elf_file(
    _: &[u8],
    _: &'static Runtime<Budget>,
    _: Option<&str>,
) -> Result<Executable<'static, Budget>, String> {
    Err("ELF objects need the `elf` feature".into())
}

/// `ebpfvm asm`.
pub fn assemble_file(input: &Path, output: Option<&Path>) -> u8 {
    let result = read(input).and_then(|bytes| {
        let text = String::from_utf8(bytes).map_err(|_| "input is not UTF-8 text".to_string())?;
        ebpfvm::asm::assemble(&text).map_err(|e| format!("{}: {e}", input.display()))
    });
    let code = match result {
        Ok(code) => code,
        Err(e) => return bad_input(&e),
    };
    let written = match output {
        Some(path) => std::fs::write(path, &code).map_err(|e| e.to_string()),
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&code)
                .map_err(|e| e.to_string())
        }
    };
    match written {
        Ok(()) => 0,
        Err(e) => bad_input(&format!("cannot write output: {e}")),
    }
}

/// `ebpfvm disasm`: a listing with function names as labels.
pub fn disassemble_file(path: &Path, entry: Option<&str>) -> u8 {
    let args = LoadArgs {
        program: path.to_path_buf(),
        entry: entry.map(str::to_owned),
        isa: IsaVersion::V4,
    };
    let exe = match load(&args, Config::default()) {
        Ok(exe) => exe,
        Err(e) => return bad_input(&e),
    };
    let names = |pc: usize| exe.function_name(pc);
    match ebpfvm::asm::disassemble_with(exe.text(), &names) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(e) => bad_input(&format!("{}: {e}", path.display())),
    }
}

/// `ebpfvm verify`.
pub fn verify_file(args: &LoadArgs) -> u8 {
    let config = Config {
        version: args.isa,
        ..Config::default()
    };
    match load(args, config) {
        Ok(exe) => {
            println!(
                "{}: ok ({} instructions, {} functions, ISA {})",
                args.program.display(),
                exe.instructions().count(),
                exe.functions().len(),
                args.isa
            );
            0
        }
        Err(e) => bad_input(&e),
    }
}

/// Prints a bad-input message and returns its exit status.
pub fn bad_input(message: &str) -> u8 {
    eprintln!("ebpfvm: {message}");
    EXIT_BAD_INPUT
}
