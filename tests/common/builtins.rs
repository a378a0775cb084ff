//! Builtins for execution tests: pure, failing, budget-charging and
//! memory-writing ones (ids in [`super::random_program::BUILTIN_IDS`]).

use ebpfvm::error::BuiltinError;
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Budget, Config, ContextObject, Runtime};

/// 1: `r0 = r1 + r2 + r3 + r4 + r5` (wrapping).
pub fn sum(_: &mut Budget, _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    Ok(a.iter().fold(0u64, |s, &v| s.wrapping_add(v)))
}

/// 2: fails with code `r1 ^ r2` when that is odd, else `r0 = (r1 ^ r2) / 2`.
pub fn fail_if_odd(
    _: &mut Budget,
    _: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let v = a[0] ^ a[1];
    if v & 1 == 1 {
        Err(BuiltinError { code: v })
    } else {
        Ok(v / 2)
    }
}

/// 3: charges `r1 & 15` extra instructions; `r0` = the budget left.
pub fn charge(
    ctx: &mut Budget,
    _: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    ctx.consume(a[0] & 15);
    Ok(ctx.remaining())
}

/// 4: writes `r2` as 8 little-endian bytes at address `r1`; `r0` = 1 if the
/// guest buffer was writable, else 0.
pub fn poke(_: &mut Budget, m: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
    match m.slice_mut(a[0], 8) {
        Some(dst) => {
            dst.copy_from_slice(&a[1].to_le_bytes());
            Ok(1)
        }
        None => Ok(0),
    }
}

/// A runtime for `config` with the four builtins registered, leaked so
/// executables borrowing it can be returned freely (tests build few).
pub fn runtime(config: Config) -> &'static Runtime<Budget> {
    let mut loader = Runtime::new(config);
    loader.register(1, "sum", sum).expect("fresh registry");
    loader
        .register(2, "fail_if_odd", fail_if_odd)
        .expect("fresh registry");
    loader
        .register(3, "charge", charge)
        .expect("fresh registry");
    loader.register(4, "poke", poke).expect("fresh registry");
    Box::leak(Box::new(loader))
}
