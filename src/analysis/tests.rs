//! CFG unit tests: each builds a small program and checks blocks, edges,
//! functions and loops exactly.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::isa::{AluOp, Instruction, JumpCond, Operand, Reg, Width};

fn mov(imm: i32) -> Instruction {
    Instruction::Alu {
        width: Width::W64,
        op: AluOp::Mov,
        dst: Reg::R0,
        src: Operand::Imm(imm),
    }
}

fn jeq(off: i16) -> Instruction {
    Instruction::Jump {
        width: Width::W64,
        cond: JumpCond::Eq,
        dst: Reg::R1,
        src: Operand::Imm(0),
        off,
    }
}

fn program(insns: &[Instruction]) -> (Vec<(usize, Instruction)>, usize) {
    let mut pc = 0;
    let mut out = Vec::new();
    for &insn in insns {
        out.push((pc, insn));
        pc += insn.slots();
    }
    (out, pc)
}

fn starts(cfg: &Cfg) -> Vec<usize> {
    cfg.blocks().iter().map(|b| b.start).collect()
}

#[test]
fn diamond_has_four_blocks_and_no_loop() {
    // 0: jeq r1, 0, +2 ; 1: mov 1 ; 2: ja +1 ; 3: mov 2 ; 4: exit
    let (p, n) = program(&[
        jeq(2),
        mov(1),
        Instruction::Ja { off: 1 },
        mov(2),
        Instruction::Exit,
    ]);
    let cfg = Cfg::new(&p, n, &[0]);
    assert_eq!(starts(&cfg), [0, 1, 3, 4]);
    let b0 = &cfg.blocks()[0];
    assert_eq!(
        b0.successors,
        [
            Edge {
                to: 1,
                kind: EdgeKind::Fallthrough
            },
            Edge {
                to: 2,
                kind: EdgeKind::Taken
            }
        ]
    );
    assert_eq!(
        cfg.blocks()[1].successors,
        [Edge {
            to: 3,
            kind: EdgeKind::Jump
        }]
    );
    assert!(cfg.blocks()[3].exits);
    assert!(cfg.loops().is_empty());
    assert_eq!(cfg.functions().len(), 1);
    assert_eq!(cfg.functions()[0].blocks, [0, 1, 2, 3]);
}

#[test]
fn nested_loops_are_found_with_their_bodies() {
    // 0: mov 0
    // 1: mov 1        <- outer header
    // 2: jeq -1 (to 2)  <- inner self loop
    // 3: jeq -3 (to 1)  outer back edge
    // 4: exit
    let (p, n) = program(&[mov(0), mov(1), jeq(-1), jeq(-3), Instruction::Exit]);
    let cfg = Cfg::new(&p, n, &[0]);
    assert_eq!(starts(&cfg), [0, 1, 2, 3, 4]);
    let loops: Vec<(usize, Vec<usize>, Vec<usize>)> = cfg
        .loops()
        .iter()
        .map(|l| (l.header, l.latches.clone(), l.body.clone()))
        .collect();
    assert_eq!(loops, [(1, vec![3], vec![1, 2, 3]), (2, vec![2], vec![2])]);
    assert!(cfg.is_back_edge(3, 1) && cfg.is_back_edge(2, 2));
    assert!(!cfg.is_back_edge(1, 2));
    assert!(cfg.irreducible_edges().is_empty());
}

#[test]
fn irreducible_loop_is_reported() {
    // Two entries into the cycle {2, 3}: 0 branches to 2 or 3.
    // 0: jeq +2 (to 3) ; 1: ja +0 (to 2) ; 2: jeq +0 (to 3) ; 3: jeq -2 (to 2) ; 4: exit
    let (p, n) = program(&[
        jeq(2),
        Instruction::Ja { off: 0 },
        jeq(0),
        jeq(-2),
        Instruction::Exit,
    ]);
    let cfg = Cfg::new(&p, n, &[0]);
    assert!(cfg.loops().is_empty(), "{:?}", cfg.loops());
    assert_eq!(cfg.irreducible_edges().len(), 1);
}

#[test]
fn functions_own_their_blocks_and_calls_are_listed() {
    // 0: call local +2 (to 3) ; 1: call 7 ; 2: exit ; 3: mov 5 ; 4: exit ; 5: mov 9 (dead)
    let (p, n) = program(&[
        Instruction::CallLocal { imm: 2 },
        Instruction::Call { id: 7 },
        Instruction::Exit,
        mov(5),
        Instruction::Exit,
        mov(9),
    ]);
    let cfg = Cfg::new(&p, n, &[0]);
    assert_eq!(starts(&cfg), [0, 3, 5]);
    assert_eq!(
        cfg.blocks()[0].calls,
        [
            Call::Local { pc: 0, target: 3 },
            Call::Builtin { pc: 1, id: 7 }
        ]
    );
    let entries: Vec<usize> = cfg.functions().iter().map(|f| f.entry).collect();
    assert_eq!(entries, [0, 3]);
    assert_eq!(cfg.blocks()[1].function, Some(1));
    // The dead block falls off the end and belongs to no function.
    assert_eq!(cfg.blocks()[2].function, None);
    assert!(cfg.blocks()[2].escapes);
    assert_eq!(cfg.block_at(4), Some(1));
    assert_eq!(cfg.block_at(6), None);
}

#[test]
fn lddw_takes_two_slots_and_out_of_program_jumps_escape() {
    let lddw = Instruction::LoadImm64 {
        dst: Reg::R0,
        imm: 1,
    };
    let (p, n) = program(&[lddw, jeq(100), Instruction::Exit]);
    let cfg = Cfg::new(&p, n, &[0]);
    assert_eq!(starts(&cfg), [0, 3]);
    assert_eq!(cfg.blocks()[0].end, 3);
    assert_eq!(cfg.blocks()[0].last, 2);
    assert!(cfg.blocks()[0].escapes);
}

#[test]
fn dot_output_has_clusters_edges_and_back_edges() {
    let (p, n) = program(&[mov(0), jeq(-1), Instruction::Exit]);
    let cfg = Cfg::new(&p, n, &[0]);
    let dot = cfg.to_dot(&|_| None, &|b| {
        let mut s = String::from("pc ");
        s.push_str(if b.start == 0 { "0\n\"q\"" } else { "x" });
        s
    });
    assert!(dot.starts_with("digraph cfg {\n"), "{dot}");
    assert!(dot.contains("subgraph cluster_0"), "{dot}");
    assert!(dot.contains("label=\"fn_0\""), "{dot}");
    assert!(dot.contains("b0 [label=\"pc 0\\l\\\"q\\\"\\l\"];"), "{dot}");
    assert!(
        dot.contains("b1 -> b1 [color=red, style=bold, label=\"taken\"];"),
        "{dot}"
    );
    assert!(
        dot.contains("b1 -> b2 [style=dashed, label=\"\"];"),
        "{dot}"
    );
    assert!(dot.contains("peripheries=2"), "{dot}");
    assert!(dot.trim_end().ends_with('}'));
}
