//! The engine comparer, from the library's test support
//! ([`ebpfvm::testkit`]): every test runs each program on every engine of
//! [`ebpfvm::Engine::available`] through it.

pub use ebpfvm::testkit::*;
