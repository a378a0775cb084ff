//! [`Runtime`]: a configuration plus the builtins programs may call, borrowed
//! by every executable verified against it.

use crate::builtins::RegistryError;
use crate::builtins::{BuiltinFn, BuiltinRegistry};
use crate::config::Config;

/// Configuration and builtin registry, borrowed by every executable verified
/// against it (no `Arc`: the core needs no atomics, so it runs on Cortex-M0
/// and riscv32imc).
///
/// ```
/// use ebpfvm::{Budget, Config, Runtime};
/// use ebpfvm::memory::MemoryMapping;
/// use ebpfvm::error::BuiltinError;
///
/// fn trace(_: &mut Budget, _: &mut MemoryMapping<'_>, args: [u64; 5]) -> Result<u64, BuiltinError> {
///     Ok(args[0])
/// }
/// let mut runtime = Runtime::<Budget>::new(Config::default());
/// runtime.register(6, "trace", trace)?;
/// assert_eq!(runtime.builtins().len(), 1);
/// # Ok::<(), ebpfvm::error::RegistryError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Runtime<C> {
    config: Config,
    builtins: BuiltinRegistry<C>,
}

impl<C> Runtime<C> {
    /// A runtime with `config` and no builtins.
    pub fn new(config: Config) -> Self {
        Runtime {
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
