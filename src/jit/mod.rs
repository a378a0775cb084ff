//! x86_64 JIT.
#[cfg(all(target_arch = "x86_64", unix))]
mod x86;
