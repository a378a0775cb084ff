//! Graphviz DOT output of a [`Cfg`]: one cluster per function, one box per
//! basic block, edges styled by kind, back edges highlighted, calls dotted.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::cfg::{Block, Call, Cfg, EdgeKind};

impl Cfg {
    /// The graph in Graphviz DOT. `function_name(entry_pc)` titles each
    /// function's cluster (default `fn_<pc>`); `block_text(block)` is the
    /// text inside a block's box, one line per `\n` (e.g. its disassembly).
    ///
    /// Conditional jumps taken are solid, not taken dashed, `ja` solid;
    /// loop back edges are bold red; local calls are dotted, to the callee's
    /// entry block; blocks that exit have a double border.
    ///
    /// ```
    /// use ebpfvm::analysis::Cfg;
    /// use ebpfvm::isa::Instruction;
    ///
    /// let program = [(0, Instruction::Ja { off: -1 })];
    /// let cfg = Cfg::new(&program, 1, &[0]);
    /// let dot = cfg.to_dot(&|_| Some("main".into()), &|b| format!("pc {}", b.start));
    /// assert!(dot.starts_with("digraph cfg {"));
    /// assert!(dot.contains("label=\"main\""));
    /// assert!(dot.contains("b0 -> b0 [color=red, style=bold"));
    /// ```
    pub fn to_dot(
        &self,
        function_name: &dyn Fn(usize) -> Option<String>,
        block_text: &dyn Fn(&Block) -> String,
    ) -> String {
        let mut out = String::from("digraph cfg {\n");
        out.push_str("    node [shape=box, fontname=\"monospace\"];\n");
        out.push_str("    edge [fontname=\"monospace\", fontsize=10];\n");
        let node = |out: &mut String, b: usize, block: &Block| {
            let peripheries = if block.exits { ", peripheries=2" } else { "" };
            let _ = writeln!(
                out,
                "        b{b} [label=\"{}\\l\"{peripheries}];",
                escape(&block_text(block))
            );
        };
        for (f, func) in self.functions().iter().enumerate() {
            let name = function_name(func.entry).unwrap_or_else(|| format!("fn_{}", func.entry));
            let _ = writeln!(out, "    subgraph cluster_{f} {{");
            let _ = writeln!(out, "        label=\"{}\";", escape(&name));
            for &b in &func.blocks {
                node(&mut out, b, &self.blocks()[b]);
            }
            out.push_str("    }\n");
        }
        for (b, block) in self.blocks().iter().enumerate() {
            if block.function.is_none() {
                node(&mut out, b, block);
                let _ = writeln!(out, "    b{b} [style=dashed];");
            }
        }
        for (b, block) in self.blocks().iter().enumerate() {
            for edge in &block.successors {
                let style = if self.is_back_edge(b, edge.to) {
                    "color=red, style=bold, "
                } else {
                    match edge.kind {
                        EdgeKind::Fallthrough => "style=dashed, ",
                        _ => "",
                    }
                };
                let label = match edge.kind {
                    EdgeKind::Taken => "taken",
                    EdgeKind::Fallthrough => "",
                    _ => "ja",
                };
                let _ = writeln!(out, "    b{b} -> b{} [{style}label=\"{label}\"];", edge.to);
            }
            for call in &block.calls {
                let Call::Local { target, .. } = *call else {
                    continue;
                };
                let callee = usize::try_from(target).ok().and_then(|t| {
                    self.functions()
                        .iter()
                        .find(|f| f.entry == t)
                        .map(|f| f.entry_block)
                });
                if let Some(to) = callee {
                    let _ = writeln!(out, "    b{b} -> b{to} [style=dotted, label=\"call\"];");
                }
            }
        }
        out.push_str("}\n");
        out
    }
}

/// Escapes text for a DOT string; newlines become left-justified breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\l"),
            '{' | '}' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
