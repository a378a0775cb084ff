//! The loader: a configuration plus the builtins programs may call. Shared by
//! every executable loaded through it.

use crate::builtins::{BuiltinFn, BuiltinRegistry};
use crate::error::RegistryError;
use crate::vm::Config;

/// Configuration and builtin registry, shared (through an `Arc`) by every
/// executable it loads.
///
/// ```
/// use ebpfvm::{Budget, Config, Loader};
/// use ebpfvm::memory::MemoryMapping;
/// use ebpfvm::error::BuiltinError;
///
/// fn trace(_: &mut Budget, _: &mut MemoryMapping<'_>, args: [u64; 5]) -> Result<u64, BuiltinError> {
///     Ok(args[0])
/// }
/// let mut loader = Loader::<Budget>::new(Config::default());
/// loader.register(6, "trace", trace)?;
/// assert_eq!(loader.builtins().len(), 1);
/// # Ok::<(), ebpfvm::error::RegistryError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Loader<C> {
    config: Config,
    builtins: BuiltinRegistry<C>,
}

impl<C> Loader<C> {
    /// A loader with `config` and no builtins.
    pub fn new(config: Config) -> Self {
        Loader {
            config,
            builtins: BuiltinRegistry::new(),
        }
    }

    /// Registers a builtin under `id` and `name`.
    pub fn register(
        &mut self,
        id: u32,
        name: &'static str,
        func: BuiltinFn<C>,
    ) -> Result<(), RegistryError> {
        self.builtins.register(id, name, func)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The registered builtins.
    pub fn builtins(&self) -> &BuiltinRegistry<C> {
        &self.builtins
    }
}
