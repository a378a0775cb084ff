//! Reading program files (assembly text, raw bytecode or ELF objects) into
//! verified executables, with failures that name what they reject; and the
//! `asm` and `verify` commands.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use ebpfvm::error::{Error, VerifierError};
use ebpfvm::isa::IsaVersion;
use ebpfvm::{Config, Executable, Runtime};

use crate::host;
use crate::interrupt::RunContext;
use crate::report::{Failure, Json, Stage, EXIT_OK};

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
pub enum Source {
    /// Assembly text.
    Assembly(String),
    /// An ELF object.
    Elf(Vec<u8>),
    /// Raw bytecode.
    Bytecode(Vec<u8>),
}

/// Reads a program file and tells its format: ELF by its magic bytes,
/// assembly by the `.s`/`.asm` extension, else raw bytecode.
pub fn read_source(path: &Path) -> Result<Source, Failure> {
    let bytes = read(path)?;
    if bytes.starts_with(b"\x7fELF") {
        return Ok(Source::Elf(bytes));
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("s" | "asm") => String::from_utf8(bytes).map(Source::Assembly).map_err(|_| {
            Failure::new(
                Stage::Read,
                format!("{}: assembly source is not UTF-8 text", path.display()),
            )
        }),
        _ => Ok(Source::Bytecode(bytes)),
    }
}

/// Reads a file, or explains why not.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::new(Stage::Read, format!("cannot read {}: {e}", path.display())))
}

/// Reads an input-memory file of at most `limit` bytes. A larger file is
/// refused before reading (by its size), and a file that grows or a device
/// with no size is read no further than `limit + 1` bytes.
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let too_large = |size: &str| {
        Failure::new(
            Stage::Input,
            format!(
                "input {} is {size} bytes, larger than the input limit of {limit} bytes (--max-input-size)",
                path.display()
            ),
        )
    };
    let cannot = |e: std::io::Error| {
        Failure::new(Stage::Read, format!("cannot read {}: {e}", path.display()))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > limit {
        return Err(too_large(&size.to_string()));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large("more than"));
    }
    Ok(bytes)
}

/// Parses whitespace-separated hex bytes.
pub fn parse_hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    text.split_whitespace()
        .map(|b| {
            u8::from_str_radix(b, 16)
                .map_err(|_| format!("`{b}` is not a hex byte (expected e.g. \"00 1f ff\")"))
        })
        .collect()
}

/// Loads and verifies the program `args` names. The runtime lives for the
/// rest of the process (the tool loads one program per invocation).
pub fn load(args: &LoadArgs, config: Config) -> Result<Executable<'static, RunContext>, Failure> {
    let source = read_source(&args.program)?;
    let loader: &'static Runtime<RunContext> = Box::leak(Box::new(host::runtime(config)));
    let name = args.program.display().to_string();
    match source {
        Source::Assembly(text) => {
            let code =
                ebpfvm::asm::assemble(&text).map_err(|e| failure(Error::Asm(e), &name, None))?;
            Executable::from_bytecode(&code, loader).map_err(|e| verifier_failure(e, &name))
        }
        Source::Bytecode(bytes) => {
            Executable::from_bytecode(&bytes, loader).map_err(|e| verifier_failure(e, &name))
        }
        Source::Elf(bytes) => load_elf_file(&bytes, loader, args.entry.as_deref(), &name),
    }
}

#[cfg(feature = "elf")]
fn load_elf_file(
    bytes: &[u8],
    loader: &'static Runtime<RunContext>,
    entry: Option<&str>,
    name: &str,
) -> Result<Executable<'static, RunContext>, Failure> {
    load_elf::load(bytes, loader, entry).map_err(|e| failure(e, name, Some(bytes)))
}

#[cfg(not(feature = "elf"))]
fn load_elf_file(
    _: &[u8],
    _: &'static Runtime<RunContext>,
    _: Option<&str>,
    name: &str,
) -> Result<Executable<'static, RunContext>, Failure> {
    Err(no_elf(name))
}

/// The failure of an ELF object in a build without the `elf` feature.
#[cfg(not(feature = "elf"))]
pub fn no_elf(name: &str) -> Failure {
    Failure::new(
        Stage::Load,
        format!("{name}: ELF objects need the `elf` feature of ebpfvm-cli"),
    )
}

/// A verifier error of `file`, naming the builtins the tool has when a call
/// names one it has not.
pub fn verifier_failure(e: VerifierError, file: &str) -> Failure {
    let message = match e {
        VerifierError::UnknownBuiltin { .. } => {
            format!("{file}: {e} (this tool registers {})", host::builtin_list())
        }
        _ => format!("{file}: {e}"),
    };
    Failure::new(Stage::Verify, message).at_pc(e.pc())
}

/// Any load error of `file`; `elf` is the object, to name sections by name.
pub fn failure(e: Error, file: &str, elf: Option<&[u8]>) -> Failure {
    #[cfg(not(feature = "elf"))]
    let _ = elf;
    match e {
        Error::Verifier(v) => verifier_failure(v, file),
        Error::Asm(a) => Failure::new(Stage::Assemble, format!("{file}: {a}")).at_line(a.line()),
        #[cfg(feature = "elf")]
        Error::Elf(elf_error) => {
            let section = elf_error
                .section()
                .and_then(|index| section_name(elf.unwrap_or(&[]), index).map(|n| (index, n)));
            let message = match section {
                Some((index, name)) => format!("{file}: {elf_error} (section {index} is `{name}`)"),
                None => format!("{file}: {elf_error}"),
            };
            Failure::new(Stage::Load, message)
        }
        Error::Jit(j) => Failure::new(Stage::Jit, format!("{file}: JIT compilation failed: {j}")),
        other => Failure::new(Stage::Load, format!("{file}: {other}")),
    }
}

#[cfg(feature = "elf")]
fn section_name(bytes: &[u8], index: usize) -> Option<&str> {
    ebpfvm::elf::section_name(bytes, index)
}

/// `ebpfvm asm`.
pub fn assemble_file(input: &Path, output: Option<&Path>, json: bool) -> Result<u8, Failure> {
    let bytes = read(input)?;
    let name = input.display().to_string();
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::new(Stage::Read, format!("{name}: not UTF-8 text")))?;
    let code = ebpfvm::asm::assemble(&text).map_err(|e| failure(Error::Asm(e), &name, None))?;
    let cannot_write =
        |e: std::io::Error| Failure::new(Stage::Output, format!("cannot write the bytecode: {e}"));
    match output {
        Some(path) => {
            std::fs::write(path, &code).map_err(cannot_write)?;
            if json {
                let mut out = Json::new();
                out.str("result", "ok")
                    .num("bytes", code.len() as u64)
                    .str("output", &path.display().to_string());
                println!("{}", out.finish());
            }
        }
        None if json => {
            let hex: Vec<String> = code.iter().map(|b| format!("{b:02x}")).collect();
            let mut out = Json::new();
            out.str("result", "ok")
                .num("bytes", code.len() as u64)
                .str("bytecode", &hex.join(" "));
            println!("{}", out.finish());
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&code).map_err(cannot_write)?;
        }
    }
    Ok(EXIT_OK)
}

/// `ebpfvm verify`.
pub fn verify_file(args: &LoadArgs, json: bool) -> Result<u8, Failure> {
    let config = Config {
        version: args.isa,
        ..Config::default()
    };
    let exe = load(args, config)?;
    let count = exe.instructions().count();
    let functions = exe.functions().len();
    if json {
        let mut out = Json::new();
        out.str("result", "ok")
            .num("instructions", count as u64)
            .num("functions", functions as u64)
            .str("isa", &args.isa.to_string());
        println!("{}", out.finish());
    } else {
        println!(
            "{}: ok ({count} instructions, {functions} functions, ISA {})",
            args.program.display(),
            args.isa
        );
    }
    Ok(EXIT_OK)
}
