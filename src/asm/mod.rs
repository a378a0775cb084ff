//! Text assembler and disassembler for the eBPF ISA.
