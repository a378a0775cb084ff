//! The registry of builtin functions (helpers, syscalls) a program may call.
//!
//! A fixed-capacity table ([`MAX_BUILTINS`] entries) keyed by a numeric id (the
//! `imm` of `call`, or the value of the register of `callx`) and by name (for
//! ELF objects that call an `extern` function). The verifier resolves every
//! `call id` to a table index at load time, so a call at run time is one
//! indexed load.

mod error;

use crate::memory::MemoryMapping;
pub use error::{BuiltinError, RegistryError};

/// How many builtins one registry holds.
pub const MAX_BUILTINS: usize = 64;

/// A builtin function: receives the context object, the guest memory and the
/// argument registers `r1..=r5`; its `Ok` value becomes `r0`, an `Err` aborts
/// the program with [`crate::error::Trap::BuiltinFailed`].
pub type BuiltinFn<C> = fn(&mut C, &mut MemoryMapping<'_>, [u64; 5]) -> Result<u64, BuiltinError>;

/// One registered builtin.
pub struct Builtin<C> {
    /// The id programs call it by.
    pub id: u32,
    /// The name ELF objects call it by.
    pub name: &'static str,
    /// The function.
    pub func: BuiltinFn<C>,
}

impl<C> Clone for Builtin<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C> Copy for Builtin<C> {}

impl<C> core::fmt::Debug for Builtin<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Builtin")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish()
    }
}

/// A fixed-capacity table of builtins.
///
/// ```
/// use ebpfvm::builtins::BuiltinRegistry;
/// use ebpfvm::memory::MemoryMapping;
/// use ebpfvm::error::BuiltinError;
///
/// fn add(_: &mut (), _: &mut MemoryMapping<'_>, a: [u64; 5]) -> Result<u64, BuiltinError> {
///     Ok(a[0].wrapping_add(a[1]))
/// }
/// let mut registry = BuiltinRegistry::<()>::new();
/// registry.register(1, "add", add)?;
/// assert_eq!(registry.index_of(1), Some(0));
/// assert_eq!(registry.by_name("add").map(|b| b.id), Some(1));
/// assert!(registry.register(1, "other", add).is_err());
/// # Ok::<(), ebpfvm::error::RegistryError>(())
/// ```
pub struct BuiltinRegistry<C> {
    entries: heapless::Vec<Builtin<C>, MAX_BUILTINS>,
}

impl<C> Default for BuiltinRegistry<C> {
    fn default() -> Self {
        BuiltinRegistry {
            entries: heapless::Vec::new(),
        }
    }
}

impl<C> core::fmt::Debug for BuiltinRegistry<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.entries.iter()).finish()
    }
}

impl<C> Clone for BuiltinRegistry<C> {
    fn clone(&self) -> Self {
        BuiltinRegistry {
            entries: self.entries.clone(),
        }
    }
}

impl<C> BuiltinRegistry<C> {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `func` under `id` and `name`. Fails when the table is full or
    /// the id or name is taken.
    pub fn register(
        &mut self,
        id: u32,
        name: &'static str,
        func: BuiltinFn<C>,
    ) -> Result<(), RegistryError> {
        if self.entries.iter().any(|b| b.id == id) {
            return Err(RegistryError::DuplicateId { id });
        }
        if self.entries.iter().any(|b| b.name == name) {
            return Err(RegistryError::DuplicateName);
        }
        self.entries
            .push(Builtin { id, name, func })
            .map_err(|_| RegistryError::Full {
                capacity: MAX_BUILTINS,
            })
    }

    /// The table index of the builtin with `id`.
    #[inline]
    pub fn index_of(&self, id: u32) -> Option<usize> {
        self.entries.iter().position(|b| b.id == id)
    }

    /// The builtin at a table index.
    #[inline(always)]
    pub fn at(&self, index: usize) -> Option<&Builtin<C>> {
        self.entries.get(index)
    }

    /// The builtin with `id`.
    pub fn by_id(&self, id: u32) -> Option<&Builtin<C>> {
        self.entries.iter().find(|b| b.id == id)
    }

    /// The builtin called `name`.
    pub fn by_name(&self, name: &str) -> Option<&Builtin<C>> {
        self.entries.iter().find(|b| b.name == name)
    }

    /// All builtins, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &Builtin<C>> {
        self.entries.iter()
    }

    /// Number of registered builtins.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no builtin is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nop(_: &mut (), _: &mut MemoryMapping<'_>, _: [u64; 5]) -> Result<u64, BuiltinError> {
        Ok(0)
    }

    #[test]
    fn full_registry_reports_capacity() {
        let mut r = BuiltinRegistry::<()>::new();
        const NAMES: [&str; MAX_BUILTINS] = [
            "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13",
            "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25",
            "f26", "f27", "f28", "f29", "f30", "f31", "f32", "f33", "f34", "f35", "f36", "f37",
            "f38", "f39", "f40", "f41", "f42", "f43", "f44", "f45", "f46", "f47", "f48", "f49",
            "f50", "f51", "f52", "f53", "f54", "f55", "f56", "f57", "f58", "f59", "f60", "f61",
            "f62", "f63",
        ];
        for (id, name) in NAMES.iter().enumerate() {
            r.register(id as u32, name, nop).unwrap();
        }
        assert_eq!(
            r.register(999, "last", nop),
            Err(RegistryError::Full {
                capacity: MAX_BUILTINS
            })
        );
        assert_eq!(r.len(), MAX_BUILTINS);
    }

    #[test]
    fn duplicates_are_rejected() {
        let mut r = BuiltinRegistry::<()>::new();
        r.register(5, "unwind", nop).unwrap();
        assert_eq!(
            r.register(5, "x", nop),
            Err(RegistryError::DuplicateId { id: 5 })
        );
        assert_eq!(
            r.register(6, "unwind", nop),
            Err(RegistryError::DuplicateName)
        );
        assert!(r.by_name("unwind").is_some());
        assert!(r.by_id(6).is_none());
    }
}
