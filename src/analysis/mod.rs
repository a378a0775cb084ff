//! Static analysis of programs (no_std + alloc): the control-flow graph
//! ([`Cfg`]: basic blocks, functions, calls, dominators, natural loops) and
//! its Graphviz DOT form ([`Cfg::to_dot`]).
//!
//! The analysis takes decoded instructions, so it works on verified
//! programs (`Executable::instructions`) and on any bytecode that decodes
//! (`asm::decode_program`); branches that leave the program are flagged on
//! their block ([`Block::escapes`]) rather than refused.

mod cfg;
mod dot;

pub use cfg::{Block, Call, Cfg, Edge, EdgeKind, Function, Loop};

#[cfg(test)]
mod tests;
