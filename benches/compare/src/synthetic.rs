//! A large generated program for the verifier and JIT compile-time
//! benchmarks: the kernels are a few dozen instructions, too small to show
//! per-instruction costs.
//!
//! The program is deterministic, uses only the ISA subset the kernels use
//! (64-bit ALU without division, stack loads and stores, forward conditional
//! jumps), never writes `r10`, and ends with `exit`, so all three VMs accept
//! it. It is meant to be loaded and compiled, not run for speed (it runs, and
//! terminates: every jump is forward).

use std::fmt::Write;

/// Assembly text of about `slots` instructions.
pub fn source(slots: usize) -> String {
    let mut text = String::with_capacity(slots * 24);
    let mut state = 0x853c_49e6_748f_ea9bu64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    for r in 0..10 {
        writeln!(text, "mov r{r}, {}", r * 3 + 1).expect("writing to a String");
    }
    let body = slots.saturating_sub(11);
    for i in 0..body {
        let dst = next(10);
        let src = next(10);
        let line = match next(16) {
            0 => format!("add r{dst}, {}", next(1000) as i64 - 500),
            1 => format!("sub r{dst}, r{src}"),
            2 => format!("mul r{dst}, r{src}"),
            3 => format!("xor r{dst}, r{src}"),
            4 => format!("or r{dst}, {}", next(1 << 20)),
            5 => format!("and r{dst}, r{src}"),
            6 => format!("lsh r{dst}, {}", next(64)),
            7 => format!("rsh r{dst}, {}", next(64)),
            8 => format!("arsh r{dst}, {}", next(64)),
            9 => format!("mov r{dst}, r{src}"),
            10 => format!("mul r{dst}, {}", next(1 << 16)),
            11 => format!("stxdw [r10-{}], r{src}", 8 * (1 + next(64))),
            12 => format!("ldxdw r{dst}, [r10-{}]", 8 * (1 + next(64))),
            13 => format!("stw [r10-{}], {}", 4 * (1 + next(128)), next(1 << 30)),
            14 => format!("ldxb r{dst}, [r10-{}]", 1 + next(512)),
            _ => {
                // A forward jump that stays inside the body.
                let room = (body - i - 1) as u64;
                let off = if room == 0 { 0 } else { next(room.min(32)) };
                format!("jgt r{dst}, r{src}, +{off}")
            }
        };
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("exit\n");
    text
}

/// The synthetic program's bytecode.
pub fn bytecode(slots: usize) -> Vec<u8> {
    ebpfvm::asm::assemble(&source(slots)).expect("the generator emits valid assembly")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_requested_size_and_every_vm_accepts_it() {
        let code = bytecode(4096);
        assert_eq!(code.len(), 4096 * 8);
        let runtime = ebpfvm::Runtime::<ebpfvm::Budget>::new(ebpfvm::Config {
            version: ebpfvm::isa::IsaVersion::V2,
            ..ebpfvm::Config::default()
        });
        ebpfvm::Executable::from_bytecode(&code, &runtime).expect("ebpfvm verifies it");
        rbpf::EbpfVmRaw::new(Some(&code)).expect("rbpf verifies it");
        crate::engines::solana_load(&code).expect("solana_rbpf verifies it");
    }
}
