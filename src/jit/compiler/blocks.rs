//! Basic blocks: maximal straight-line runs of instructions, the unit of
//! instruction metering.
//!
//! A block starts at the entry point, at every function entry, at every jump
//! target, and after every op that ends a straight-line run
//! ([`crate::program::ends_run`], the rule the interpreter's meter shares),
//! so a block's only possible control transfer is its last instruction. Straight-line runs longer than
//! a cap are split so a block's length always fits an immediate.

use alloc::vec::Vec;

use crate::program::{ends_run, jump_target, Op, OpCode};

/// A block: the index range `start..end` into [`Blocks::pc`]'s instruction list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Block {
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Block {
    /// Number of instructions.
    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// The instructions of a program (pcs, `lddw` once) cut into blocks.
pub(super) struct Blocks {
    pcs: Vec<u32>,
    blocks: Vec<Block>,
}

impl Blocks {
    /// Cuts `ops` into blocks of at most `max_len` instructions.
    pub(super) fn new(ops: &[Op], entry_pc: usize, functions: &[usize], max_len: usize) -> Self {
        let len = ops.len();
        let mut leader = alloc::vec![false; len + 1];
        let mut mark = |pc: usize| {
            if let Some(l) = leader.get_mut(pc) {
                *l = true;
            }
        };
        mark(entry_pc);
        for &f in functions {
            mark(f);
        }
        let mut pcs = Vec::with_capacity(len);
        let mut pc = 0;
        while pc < len {
            let op = ops[pc];
            pcs.push(pc as u32);
            let next = pc + if op.code == OpCode::Lddw { 2 } else { 1 };
            if ends_run(op.code) {
                mark(next);
            }
            if let Some(target) = jump_target(&op) {
                mark(target);
            }
            pc = next;
        }
        let mut blocks = Vec::new();
        let mut start = 0;
        for i in 1..=pcs.len() {
            let split = i == pcs.len() || leader[pcs[i] as usize] || i - start == max_len;
            if split {
                blocks.push(Block { start, end: i });
                start = i;
            }
        }
        Blocks { pcs, blocks }
    }

    /// Number of blocks.
    pub(super) fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Block `i`.
    pub(super) fn get(&self, i: usize) -> Block {
        self.blocks[i]
    }

    /// All blocks in program order.
    pub(super) fn iter(&self) -> impl Iterator<Item = Block> + '_ {
        self.blocks.iter().copied()
    }

    /// The pc of the `i`-th instruction.
    pub(super) fn pc(&self, i: usize) -> usize {
        self.pcs[i] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtins::BuiltinRegistry;
    use crate::config::Config;
    use crate::program::predecode;
    use crate::verifier::verify;

    fn ops(code: &[u8]) -> (Vec<Op>, Vec<usize>) {
        let registry = BuiltinRegistry::<()>::new();
        let program = verify(code, &Config::default(), &registry, 0, &[]).unwrap();
        (predecode(&program, &registry), program.functions().to_vec())
    }

    fn ranges(b: &Blocks) -> Vec<(usize, usize)> {
        b.iter().map(|bl| (b.pc(bl.start), bl.len())).collect()
    }

    #[test]
    fn leaders_split_blocks() {
        #[rustfmt::skip]
        let code = [
            0xb7, 0x00, 0, 0, 1, 0, 0, 0, // 0: mov r0, 1
            0x18, 0x01, 0, 0, 2, 0, 0, 0, // 1: lddw r1, 2
            0x00, 0x00, 0, 0, 0, 0, 0, 0, // 2: (second slot)
            0x15, 0x00, 1, 0, 0, 0, 0, 0, // 3: jeq r0, 0, +1
            0x07, 0x00, 0, 0, 1, 0, 0, 0, // 4: add r0, 1
            0x85, 0x10, 0, 0, 1, 0, 0, 0, // 5: call local +1 (-> 7)
            0x95, 0x00, 0, 0, 0, 0, 0, 0, // 6: exit
            0x95, 0x00, 0, 0, 0, 0, 0, 0, // 7: exit
        ];
        let (ops, functions) = ops(&code);
        let b = Blocks::new(&ops, 0, &functions, 100);
        assert_eq!(ranges(&b), [(0, 3), (4, 1), (5, 1), (6, 1), (7, 1)]);
        let capped = Blocks::new(&ops, 0, &functions, 2);
        assert_eq!(capped.get(0).len(), 2);
        assert_eq!(capped.pc(capped.get(1).start), 3);
    }
}
