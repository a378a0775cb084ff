//! `ebpfvm cfg`: the control-flow graph of a program (basic blocks,
//! functions, loops) as text, JSON or Graphviz DOT, and drawn to SVG/PNG by
//! the `dot` renderer when it is installed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::{Args, ValueEnum};
use ebpfvm::analysis::{Call, Cfg, EdgeKind};
use ebpfvm::asm::decode_program;

use crate::program::{read_program, Program};
use crate::report::{array, emit, Failure, Json, Stage, EXIT_OK};

/// Output formats of `ebpfvm cfg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Functions, blocks and loops as text.
    Text,
    /// Graphviz DOT.
    Dot,
}

/// Options of `ebpfvm cfg`.
#[derive(Args, Debug)]
pub struct CfgArgs {
    /// The program: assembly (`.s`/`.asm`), an ELF object, or raw bytecode.
    program: PathBuf,
    /// ELF: the entry function (default: the documented entry rule).
    #[arg(long)]
    entry: Option<String>,
    /// What to print.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the graph to a file instead: `.dot` as DOT, `.svg`/`.png`
    /// rendered by Graphviz `dot` (which must be installed).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// `ebpfvm cfg`.
pub fn cfg_command(args: &CfgArgs, json: bool) -> Result<u8, Failure> {
    let program = read_program(&args.program, args.entry.as_deref())?;
    let insns = decode_program(&program.code).map_err(|e| {
        let pc = match e {
            ebpfvm::asm::DisasmError::InvalidInstruction { pc, .. } => Some(pc),
            _ => None,
        };
        Failure::new(
            Stage::Verify,
            format!(
                "{}: {e}; no control-flow graph of code that does not decode (`ebpfvm disasm` lists it)",
                args.program.display()
            ),
        )
        .at_pc(pc)
    })?;
    let slots = program.code.len() / 8;
    let cfg = Cfg::new(&insns, slots, &program.entries());
    if let Some(path) = &args.output {
        let dot = to_dot(&cfg, &program);
        write_graph(path, &dot)?;
        if json {
            println!(
                "{}",
                Json::new()
                    .str("result", "ok")
                    .str("output", &path.display().to_string())
                    .finish()
            );
        }
        return Ok(EXIT_OK);
    }
    match (args.format, json) {
        (Format::Dot, false) => emit(&to_dot(&cfg, &program)),
        (Format::Dot, true) => println!(
            "{}",
            Json::new()
                .str("result", "ok")
                .str("dot", &to_dot(&cfg, &program))
                .finish()
        ),
        (Format::Text, false) => emit(&text(&cfg, &program, &insns)),
        (Format::Text, true) => println!("{}", to_json(&cfg, &program)),
    }
    Ok(EXIT_OK)
}

fn function_name(program: &Program, entry: usize) -> String {
    match program.name_at(entry) {
        Some(name) => name.to_string(),
        None => format!("fn_{entry}"),
    }
}

fn edge_kind(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Fallthrough => "fallthrough",
        EdgeKind::Taken => "taken",
        _ => "jump",
    }
}

fn describe_call(call: &Call, program: &Program) -> String {
    match *call {
        Call::Builtin { id, .. } => {
            // As the disassembler writes the id: hex above i32::MAX.
            let id_text = if id > i32::MAX as u32 {
                format!("{id:#x}")
            } else {
                id.to_string()
            };
            match program.builtin_name(id) {
                Some(name) => format!("builtin {id_text} {name}"),
                None => format!("builtin {id_text} (not registered)"),
            }
        }
        Call::Local { target, .. } => match usize::try_from(target) {
            Ok(pc) => format!("{} (pc {pc})", function_name(program, pc)),
            Err(_) => format!("pc {target} (outside the program)"),
        },
        Call::Indirect { reg, .. } => format!("callx r{}", reg.num()),
        _ => "call".to_string(),
    }
}

/// The text report: per function its blocks with successors and calls,
/// then the loops.
fn text(cfg: &Cfg, program: &Program, insns: &[(usize, ebpfvm::isa::Instruction)]) -> String {
    let mut out = String::new();
    let blocks = cfg.blocks();
    for (f, func) in cfg.functions().iter().enumerate() {
        out += &format!(
            "function {} (pc {}): {} blocks\n",
            function_name(program, func.entry),
            func.entry,
            func.blocks.len()
        );
        for &b in &func.blocks {
            out += &block_line(cfg, b, program, insns);
        }
        let loops: Vec<_> = cfg.loops().iter().filter(|l| l.function == f).collect();
        for l in loops {
            out += &format!(
                "  loop: header b{} (pc {}), back edges from {}, body {}\n",
                l.header,
                blocks[l.header].start,
                ids(&l.latches),
                ids(&l.body)
            );
        }
    }
    let dead: Vec<usize> = (0..blocks.len())
        .filter(|&b| blocks[b].function.is_none())
        .collect();
    if !dead.is_empty() {
        out += "unreachable from every function entry:\n";
        for b in dead {
            out += &block_line(cfg, b, program, insns);
        }
    }
    for &(from, to) in cfg.irreducible_edges() {
        out += &format!(
            "irreducible: edge b{from} -> b{to} enters a cycle whose other entry bypasses b{to}\n"
        );
    }
    out += &format!(
        "{} functions, {} blocks, {} loops\n",
        cfg.functions().len(),
        blocks.len(),
        cfg.loops().len()
    );
    out
}

fn block_line(
    cfg: &Cfg,
    b: usize,
    program: &Program,
    insns: &[(usize, ebpfvm::isa::Instruction)],
) -> String {
    let block = &cfg.blocks()[b];
    let succ: Vec<String> = block
        .successors
        .iter()
        .map(|e| {
            let back = if cfg.is_back_edge(b, e.to) {
                ", back"
            } else {
                ""
            };
            format!("b{} ({}{back})", e.to, edge_kind(e.kind))
        })
        .collect();
    let mut line = format!(
        "  b{b}: pc {}..{} ({} instructions)",
        block.start,
        block.last,
        block.instruction_count(insns)
    );
    if !succ.is_empty() {
        line += &format!(" -> {}", succ.join(", "));
    }
    if block.exits {
        line += " exit";
    }
    if block.escapes {
        line += " (leaves the program!)";
    }
    for call in &block.calls {
        line += &format!("; calls {}", describe_call(call, program));
    }
    line.push('\n');
    line
}

fn ids(blocks: &[usize]) -> String {
    let names: Vec<String> = blocks.iter().map(|b| format!("b{b}")).collect();
    names.join(" ")
}

fn to_json(cfg: &Cfg, program: &Program) -> String {
    let nums = |v: &[usize]| array(v.iter().map(|n| n.to_string()));
    let functions = cfg.functions().iter().map(|f| {
        Json::new()
            .str("name", &function_name(program, f.entry))
            .num("entry", f.entry as u64)
            .raw("blocks", &nums(&f.blocks))
            .finish()
    });
    let blocks = cfg.blocks().iter().enumerate().map(|(b, block)| {
        let succ = block.successors.iter().map(|e| {
            Json::new()
                .num("to", e.to as u64)
                .str("kind", edge_kind(e.kind))
                .raw(
                    "back",
                    if cfg.is_back_edge(b, e.to) {
                        "true"
                    } else {
                        "false"
                    },
                )
                .finish()
        });
        let calls = block
            .calls
            .iter()
            .map(|c| format!("\"{}\"", crate::report::escape(&describe_call(c, program))));
        let mut j = Json::new();
        j.num("id", b as u64)
            .num("start", block.start as u64)
            .num("last", block.last as u64)
            .raw("successors", &array(succ))
            .raw("calls", &array(calls))
            .raw("exits", if block.exits { "true" } else { "false" });
        match block.function {
            Some(f) => j.num("function", f as u64),
            None => j.raw("function", "null"),
        };
        j.finish()
    });
    let loops = cfg.loops().iter().map(|l| {
        Json::new()
            .num("function", l.function as u64)
            .num("header", l.header as u64)
            .raw("latches", &nums(&l.latches))
            .raw("body", &nums(&l.body))
            .finish()
    });
    Json::new()
        .str("result", "ok")
        .raw("functions", &array(functions))
        .raw("blocks", &array(blocks))
        .raw("loops", &array(loops))
        .finish()
}

/// DOT with each block's listing lines inside its box.
fn to_dot(cfg: &Cfg, program: &Program) -> String {
    let listing = crate::disasm::list(program);
    let lines: BTreeMap<usize, String> = listing
        .entries
        .iter()
        .map(|e| {
            let note = e
                .note
                .as_ref()
                .map(|n| format!("  ; {n}"))
                .unwrap_or_default();
            (e.pc, format!("{:>4}  {}{note}", e.pc, e.text))
        })
        .collect();
    let names = |entry: usize| Some(function_name(program, entry));
    let body = |block: &ebpfvm::analysis::Block| {
        let text: Vec<&str> = lines
            .range(block.start..block.end)
            .map(|(_, l)| l.as_str())
            .collect();
        text.join("\n")
    };
    cfg.to_dot(&names, &body)
}

/// Writes `dot` to `path`: as is for `.dot`/`.gv`, rendered for `.svg`/`.png`.
fn write_graph(path: &Path, dot: &str) -> Result<(), Failure> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = match ext {
        "dot" | "gv" => {
            return std::fs::write(path, dot).map_err(|e| {
                Failure::new(
                    Stage::Output,
                    format!("cannot write {}: {e}", path.display()),
                )
            });
        }
        "svg" => "svg",
        "png" => "png",
        _ => {
            return Err(Failure::new(
                Stage::Usage,
                format!(
                    "--output {}: unknown extension `{ext}` (expected .dot, .gv, .svg or .png)",
                    path.display()
                ),
            ))
        }
    };
    let renderer = std::env::var_os("EBPFVM_DOT").unwrap_or_else(|| "dot".into());
    let mut child = Command::new(&renderer)
        .arg(format!("-T{format}"))
        .arg("-o")
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Failure::new(
                Stage::Output,
                format!(
                    "cannot run Graphviz `{}` to draw {}: {e} (install graphviz, or use --format dot / -o x.dot)",
                    renderer.to_string_lossy(),
                    path.display()
                ),
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(dot.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Failure::new(Stage::Output, format!("Graphviz `dot` failed: {e}")))?;
    if !out.status.success() {
        return Err(Failure::new(
            Stage::Output,
            format!(
                "Graphviz `dot` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    Ok(())
}
