//! Runs a BPF C program that uses maps (`tests/programs/maps/counter.c`: a
//! hash map of per-key counts, an array of totals, a per-CPU array), on the
//! interpreter, with the maps kept across runs and read from the host
//! afterwards, as a libbpf user would.
//!
//! ```text
//! cargo run --example maps
//! ```

use ebpfvm::builtins::BuiltinRegistry;
use ebpfvm::maps::helpers::{self, MapContext};
use ebpfvm::maps::MapIndex;
use ebpfvm::{Budget, Config, ContextObject, EbpfVm, Executable, Runtime};

/// The context object: an instruction budget and the maps' index.
struct Host {
    budget: Budget,
    maps: MapIndex,
}

impl ContextObject for Host {
    fn consume(&mut self, amount: u64) {
        self.budget.consume(amount)
    }
    fn remaining(&self) -> u64 {
        self.budget.remaining()
    }
}

impl MapContext for Host {
    fn maps(&mut self) -> &mut MapIndex {
        &mut self.maps
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/maps/counter.o");
    let object = std::fs::read(path)?;

    // The map helpers (ids 1, 2, 3, ...) in the runtime's registry.
    let mut runtime = Runtime::<Host>::new(Config::default());
    let mut registry = BuiltinRegistry::new();
    helpers::register_all(&mut registry)?;
    for b in registry.iter() {
        runtime.register(b.id, b.name, b.func)?;
    }
    let executable = Executable::from_elf(&object, &runtime)?;

    // The object's map definitions become a map set (2 emulated CPUs).
    let mut maps = ebpfvm::elf::maps(&object)?.create(2)?;
    let mut data = executable.data_template().to_vec();

    for (run, key) in [3u32, 5, 3, 3].into_iter().enumerate() {
        maps.index_mut().set_current_cpu(run as u32 % 2);
        let mut stack = vec![0u8; executable.config().stack_size()];
        let mut input = key.to_le_bytes();
        let mut host = Host {
            budget: Budget::new(10_000),
            maps: maps.take_index(),
        };
        let outcome = {
            let mut mapping = executable.standard_mapping(&mut stack, &mut data, &mut input)?;
            mapping.insert(maps.arena_region())?;
            EbpfVm::new(&executable, &mut host, mapping).execute_interpreted()
        };
        maps.put_index(host.maps);
        println!("run {run}: key {key} -> count {:?}", outcome.result?);
    }

    let counts = maps.index_of("counts")?;
    for key in maps.keys(counts)? {
        let value = maps.lookup(counts, &key)?.unwrap_or_default();
        println!("counts[{key:?}] = {value:?}");
    }
    let per_cpu = maps.index_of("per_cpu")?;
    for cpu in 0..2 {
        let v = maps.lookup_cpu(per_cpu, &0u32.to_le_bytes(), cpu)?;
        println!("per_cpu[0] on CPU {cpu} = {v:?}");
    }
    Ok(())
}
