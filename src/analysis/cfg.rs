//! The control-flow graph of a program: basic blocks, the functions that
//! own them, call sites, dominators and loops.
//!
//! A basic block ends at a jump, a conditional jump or `exit`, or before an
//! instruction that something branches to or calls. Calls do not end a block
//! (they return); they are listed per block instead. A block belongs to the
//! first function (the program entry first, then by pc) whose entry reaches
//! it without following calls. Loops are the natural loops of back edges
//! (an edge to a block that dominates its source); a retreating edge whose
//! target does not dominate its source makes the graph irreducible and is
//! listed on its own.

use alloc::collections::BTreeSet;
use alloc::vec;
use alloc::vec::Vec;

use crate::isa::{Instruction, Reg};

/// How control reaches a successor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EdgeKind {
    /// The next block in the program, in sequence (or a conditional jump not taken).
    Fallthrough,
    /// A conditional jump taken.
    Taken,
    /// An unconditional `ja`.
    Jump,
}

/// An edge to the block at index `to` of [`Cfg::blocks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The successor block's index.
    pub to: usize,
    /// How control gets there.
    pub kind: EdgeKind,
}

/// A call inside a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Call {
    /// `call id`: a builtin (helper).
    Builtin {
        /// The pc of the call.
        pc: usize,
        /// The builtin id.
        id: u32,
    },
    /// `call local`: a function of the program.
    Local {
        /// The pc of the call.
        pc: usize,
        /// The called function's entry pc (may lie outside the program in
        /// unverified code).
        target: i64,
    },
    /// `callx reg`: known only at run time.
    Indirect {
        /// The pc of the call.
        pc: usize,
        /// The register holding the target.
        reg: Reg,
    },
}

/// A basic block: the instructions from `start` up to (not including) `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The pc (slot index) of its first instruction.
    pub start: usize,
    /// The slot after its last instruction.
    pub end: usize,
    /// The pc of its last instruction.
    pub last: usize,
    /// Where control goes next.
    pub successors: Vec<Edge>,
    /// The calls it makes, in order.
    pub calls: Vec<Call>,
    /// Whether it ends with `exit`.
    pub exits: bool,
    /// Whether control can leave the program from it (a branch out of the
    /// program or into an `lddw`, or falling off the end: unverified code).
    pub escapes: bool,
    /// The index in [`Cfg::functions`] of the function it belongs to;
    /// `None` if no function entry reaches it.
    pub function: Option<usize>,
}

impl Block {
    /// Instructions in the block, given the program's instructions.
    pub fn instruction_count(&self, insns: &[(usize, Instruction)]) -> usize {
        insns
            .iter()
            .filter(|(pc, _)| (self.start..self.end).contains(pc))
            .count()
    }
}

/// A function: its entry and the blocks it owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The entry pc.
    pub entry: usize,
    /// The index of its entry block.
    pub entry_block: usize,
    /// Its blocks' indices, sorted.
    pub blocks: Vec<usize>,
}

/// A natural loop: the blocks that reach a back edge's source without
/// passing the header, plus the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loop {
    /// The function it is in.
    pub function: usize,
    /// The header block (the back edges' target; it dominates the body).
    pub header: usize,
    /// The sources of the back edges to the header, sorted.
    pub latches: Vec<usize>,
    /// Every block of the loop, header included, sorted.
    pub body: Vec<usize>,
}

/// The control-flow graph of one program.
///
/// ```
/// use ebpfvm::analysis::Cfg;
/// use ebpfvm::isa::{Instruction, Operand, Reg, Width, AluOp, JumpCond};
///
/// // r0 = 0; loop: r0 += 1; if r0 < 10 goto loop; exit
/// let insns = [
///     Instruction::Alu { width: Width::W64, op: AluOp::Mov, dst: Reg::R0, src: Operand::Imm(0) },
///     Instruction::Alu { width: Width::W64, op: AluOp::Add, dst: Reg::R0, src: Operand::Imm(1) },
///     Instruction::Jump { width: Width::W64, cond: JumpCond::Lt, dst: Reg::R0, src: Operand::Imm(10), off: -2 },
///     Instruction::Exit,
/// ];
/// let program: Vec<_> = insns.into_iter().enumerate().collect();
/// let cfg = Cfg::new(&program, 4, &[0]);
/// assert_eq!(cfg.blocks().len(), 3); // [0], [1, 2], [3]
/// assert_eq!(cfg.loops().len(), 1);
/// assert_eq!(cfg.blocks()[cfg.loops()[0].header].start, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cfg {
    blocks: Vec<Block>,
    functions: Vec<Function>,
    loops: Vec<Loop>,
    irreducible: Vec<(usize, usize)>,
}

impl Cfg {
    /// Builds the graph of `insns` (`(pc, instruction)` by increasing pc, as
    /// `Executable::instructions` or `asm::decode_program` give them) in a
    /// program of `slots` slots. `entries` are function entry pcs, the
    /// program entry first; local-call targets are added to them. Entries and
    /// targets that are not instruction starts are ignored.
    pub fn new(insns: &[(usize, Instruction)], slots: usize, entries: &[usize]) -> Cfg {
        let starts: BTreeSet<usize> = insns.iter().map(|&(pc, _)| pc).collect();
        let mut leaders = BTreeSet::new();
        let mut function_entries: Vec<usize> = Vec::new();
        for &pc in entries {
            if starts.contains(&pc) && !function_entries.contains(&pc) {
                function_entries.push(pc);
            }
        }
        if let Some(&(first, _)) = insns.first() {
            leaders.insert(first);
        }
        for (i, &(pc, insn)) in insns.iter().enumerate() {
            let next = insns.get(i + 1).map(|&(n, _)| n);
            match insn {
                Instruction::CallLocal { imm } => {
                    let target = pc as i64 + 1 + i64::from(imm);
                    if let Some(t) = usize::try_from(target).ok().filter(|t| starts.contains(t)) {
                        if !function_entries.contains(&t) {
                            function_entries.push(t);
                        }
                    }
                }
                Instruction::Ja { .. } | Instruction::Ja32 { .. } | Instruction::Jump { .. } => {
                    if let Some(t) = jump_target(pc, &insn).filter(|t| starts.contains(t)) {
                        leaders.insert(t);
                    }
                    leaders.extend(next);
                }
                Instruction::Exit => leaders.extend(next),
                _ => {}
            }
        }
        // The program entry stays first; the other functions go by pc.
        if function_entries.len() > 1 {
            function_entries[1..].sort_unstable();
        }
        leaders.extend(function_entries.iter().copied());
        let leaders: Vec<usize> = leaders.into_iter().collect();
        let block_of = |pc: usize| leaders.binary_search(&pc).ok();

        let mut blocks = Vec::with_capacity(leaders.len());
        let mut i = 0;
        for (b, &start) in leaders.iter().enumerate() {
            let limit = leaders.get(b + 1).copied().unwrap_or(slots);
            let mut block = Block {
                start,
                end: start,
                last: start,
                successors: Vec::new(),
                calls: Vec::new(),
                exits: false,
                escapes: false,
                function: None,
            };
            let mut last_insn = None;
            while let Some(&(pc, insn)) = insns.get(i).filter(|&&(pc, _)| pc < limit) {
                block.last = pc;
                block.end = pc + insn.slots();
                match insn {
                    Instruction::Call { id } => block.calls.push(Call::Builtin { pc, id }),
                    Instruction::CallLocal { imm } => block.calls.push(Call::Local {
                        pc,
                        target: pc as i64 + 1 + i64::from(imm),
                    }),
                    Instruction::CallReg { reg } => block.calls.push(Call::Indirect { pc, reg }),
                    _ => {}
                }
                last_insn = Some(insn);
                i += 1;
            }
            let fallthrough = |kind| match block_of(block.end) {
                Some(to) => Ok(Edge { to, kind }),
                None => Err(()),
            };
            let mut edges = Vec::new();
            let mut escapes = false;
            match last_insn {
                Some(Instruction::Exit) => block.exits = true,
                Some(insn @ (Instruction::Ja { .. } | Instruction::Ja32 { .. })) => {
                    match jump_target(block.last, &insn).and_then(block_of) {
                        Some(to) => edges.push(Edge {
                            to,
                            kind: EdgeKind::Jump,
                        }),
                        None => escapes = true,
                    }
                }
                Some(insn @ Instruction::Jump { .. }) => {
                    match fallthrough(EdgeKind::Fallthrough) {
                        Ok(e) => edges.push(e),
                        Err(()) => escapes = true,
                    }
                    match jump_target(block.last, &insn).and_then(block_of) {
                        Some(to) => edges.push(Edge {
                            to,
                            kind: EdgeKind::Taken,
                        }),
                        None => escapes = true,
                    }
                }
                _ => match fallthrough(EdgeKind::Fallthrough) {
                    Ok(e) => edges.push(e),
                    Err(()) => escapes = true,
                },
            }
            block.successors = edges;
            block.escapes = escapes;
            blocks.push(block);
        }

        let mut functions = Vec::with_capacity(function_entries.len());
        for &entry in &function_entries {
            let Some(entry_block) = block_of(entry) else {
                continue;
            };
            let index = functions.len();
            let mut owned = Vec::new();
            let mut stack = vec![entry_block];
            while let Some(b) = stack.pop() {
                if blocks[b].function.is_some() {
                    continue;
                }
                blocks[b].function = Some(index);
                owned.push(b);
                stack.extend(blocks[b].successors.iter().map(|e| e.to));
            }
            owned.sort_unstable();
            functions.push(Function {
                entry,
                entry_block,
                blocks: owned,
            });
        }
        let mut cfg = Cfg {
            blocks,
            functions,
            loops: Vec::new(),
            irreducible: Vec::new(),
        };
        for f in 0..cfg.functions.len() {
            cfg.find_loops(f);
        }
        cfg
    }

    /// The basic blocks, by increasing pc.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The functions: the program entry first, then the others by pc.
    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The natural loops, by function and header.
    pub fn loops(&self) -> &[Loop] {
        &self.loops
    }

    /// Retreating edges `(from, to)` whose target does not dominate their
    /// source: loops with more than one entry (an irreducible graph).
    pub fn irreducible_edges(&self) -> &[(usize, usize)] {
        &self.irreducible
    }

    /// The index of the block holding `pc`, if any.
    pub fn block_at(&self, pc: usize) -> Option<usize> {
        let i = self
            .blocks
            .partition_point(|b| b.start <= pc)
            .checked_sub(1)?;
        (pc < self.blocks[i].end.max(self.blocks[i].start + 1)).then_some(i)
    }

    /// Whether the edge `from -> to` is a loop back edge.
    pub fn is_back_edge(&self, from: usize, to: usize) -> bool {
        self.loops
            .iter()
            .any(|l| l.header == to && l.latches.contains(&from))
    }

    /// Dominators, back edges and natural loops of function `f`.
    fn find_loops(&mut self, f: usize) {
        let func = &self.functions[f];
        let inside = |b: usize| self.blocks[b].function == Some(f);
        // Depth-first order from the entry: postorder and retreating edges.
        let n = self.blocks.len();
        let mut post = Vec::new();
        let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
        let mut retreating = Vec::new();
        let mut stack = vec![(func.entry_block, 0usize)];
        state[func.entry_block] = 1;
        while let Some(&mut (b, ref mut next)) = stack.last_mut() {
            if let Some(edge) = self.blocks[b].successors.get(*next) {
                *next += 1;
                let to = edge.to;
                if !inside(to) {
                    continue;
                }
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => retreating.push((b, to)),
                    _ => {}
                }
            } else {
                state[b] = 2;
                post.push(b);
                stack.pop();
            }
        }
        let mut order = vec![usize::MAX; n];
        for (i, &b) in post.iter().enumerate() {
            order[b] = i;
        }
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &b in &post {
            for e in &self.blocks[b].successors {
                if order[e.to] != usize::MAX {
                    preds[e.to].push(b);
                }
            }
        }
        // Cooper, Harvey and Kennedy's iterative dominator algorithm.
        let mut idom = vec![usize::MAX; n];
        idom[func.entry_block] = func.entry_block;
        let mut changed = true;
        while changed {
            changed = false;
            for &b in post.iter().rev() {
                if b == func.entry_block {
                    continue;
                }
                let mut new = usize::MAX;
                for &p in &preds[b] {
                    if idom[p] == usize::MAX {
                        continue;
                    }
                    new = if new == usize::MAX {
                        p
                    } else {
                        intersect(&idom, &order, p, new)
                    };
                }
                if new != idom[b] {
                    idom[b] = new;
                    changed = true;
                }
            }
        }
        let dominates = |a: usize, mut b: usize| loop {
            if a == b {
                return true;
            }
            let up = idom[b];
            if up == b || up == usize::MAX {
                return false;
            }
            b = up;
        };
        let mut headers: Vec<(usize, Vec<usize>)> = Vec::new();
        for (from, to) in retreating {
            if dominates(to, from) {
                match headers.iter_mut().find(|(h, _)| *h == to) {
                    Some((_, latches)) => latches.push(from),
                    None => headers.push((to, vec![from])),
                }
            } else {
                self.irreducible.push((from, to));
            }
        }
        headers.sort_unstable();
        for (header, mut latches) in headers {
            latches.sort_unstable();
            let mut body = BTreeSet::from([header]);
            let mut work = latches.clone();
            while let Some(b) = work.pop() {
                if body.insert(b) {
                    work.extend(preds[b].iter().copied());
                }
            }
            self.loops.push(Loop {
                function: f,
                header,
                latches,
                body: body.into_iter().collect(),
            });
        }
    }
}

/// The nearest common dominator of `a` and `b` (postorder numbers in `order`).
fn intersect(idom: &[usize], order: &[usize], mut a: usize, mut b: usize) -> usize {
    while a != b {
        while order[a] < order[b] {
            a = idom[a];
        }
        while order[b] < order[a] {
            b = idom[b];
        }
    }
    a
}

/// The target pc of a jump, if it is not negative.
fn jump_target(pc: usize, insn: &Instruction) -> Option<usize> {
    let rel = match *insn {
        Instruction::Ja { off } | Instruction::Jump { off, .. } => i64::from(off),
        Instruction::Ja32 { imm } => i64::from(imm),
        _ => return None,
    };
    usize::try_from(pc as i64 + 1 + rel).ok()
}
