//! The `ebpfvm` command-line tool.
fn main() {}
