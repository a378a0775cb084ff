//! Map definitions in BPF objects: BTF-defined `SEC(".maps")` and legacy
//! `SEC("maps")` `struct bpf_map_def`, their initialisers, and the map each
//! `lddw` relocation names.
//!
//! # Which maps, in which order
//!
//! Map `i` of the object (its index in the [`MapSet`], and the number its
//! handle carries) is, in this order: every variable of the `.maps` data
//! section by offset, then every symbol of `maps` (and `maps/*`) sections by
//! section and offset, then the inner map templates of map-in-map
//! definitions (named `outer.inner`), which are created like any map.
//!
//! # BTF-defined maps
//!
//! Read from the `.BTF` section with the small reader in `btf.rs` (see the
//! README for why not `aya-obj`): members `type`, `max_entries`, `map_flags`,
//! `key_size`, `value_size`, `pinning`, `map_extra`, `numa_node` (`__uint`:
//! a pointer to an array whose length is the value), `key` and `value`
//! (`__type`: a pointer to the type, whose size is taken) and `values`
//! (`__array`: the inner map template for map-in-map, or the program type of
//! a program array). `.values = { [i] = &map_or_prog }` initialisers
//! (`R_BPF_64_ABS64` relocations in `.rel.maps`) become
//! [`InitialValue`]s. Any other member is an error naming the map.
//!
//! # Legacy definitions
//!
//! `struct bpf_map_def { type, key_size, value_size, max_entries, map_flags }`
//! as `u32`s; a symbol's size says how long its definition is (0: the
//! section size divided by the number of maps, as libbpf does). Fields past
//! `map_flags` must be zero.
//!
//! # `lddw` of maps and of globals
//!
//! An `R_BPF_64_64` relocation against a map symbol turns the `lddw` into
//! the load of the map's [handle](crate::maps::handle) (what the kernel
//! makes of `BPF_PSEUDO_MAP_FD`). Globals in `.data*`/`.bss` and
//! `.rodata*` keep their direct addresses in the data region
//! ([`MM_DATA_START`](crate::memory::MM_DATA_START), writable) and the
//! read-only image ([`MM_PROGRAM_START`](crate::memory::MM_PROGRAM_START),
//! read-only): that is what the kernel makes of `BPF_PSEUDO_MAP_VALUE` for
//! its internal `.data`/`.rodata`/`.bss` maps, so the program sees the same
//! memory with the same permissions. The host reads and writes them through
//! the data region.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use goblin::elf::section_header as sh;
use goblin::elf::sym::{self, Sym};

use super::btf::{kind, Btf};
use super::layout::{Layout, Placement};
use super::object::Object;
use super::relocate::R_BPF_64_ABS64;
use crate::error::{ElfError, MapDefProblem, SymbolName};
use crate::isa::INSN_SIZE;
use crate::maps::{MapError, MapSet, MapSpec, MapType, BPF_ANY};

/// An initial entry of a program array or map-in-map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitialValue {
    /// The inner map with this index.
    Map(u32),
    /// The program whose first instruction is at `pc`.
    Program {
        /// The entry pc in the object's bytecode.
        pc: usize,
    },
}

/// One `.values = { [index] = &x }` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitialEntry {
    /// The outer map.
    pub map: u32,
    /// The slot.
    pub index: u32,
    /// What goes there.
    pub value: InitialValue,
}

/// Where a map's definition is in the object.
#[derive(Clone, Copy, Debug)]
struct Location {
    section: usize,
    offset: u64,
    size: u64,
}

/// The maps an object defines.
#[derive(Clone, Debug, Default)]
pub struct ObjectMaps {
    /// The definitions, in index order (see the module docs).
    pub specs: Vec<MapSpec>,
    /// Initial entries of program arrays and map-in-map.
    pub initial: Vec<InitialEntry>,
    locations: Vec<Location>,
}

/// A file offset or size in an error, saturated to `u32`.
fn sat(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Whether a section holds map definitions.
pub(super) fn is_map_section(name: &str) -> bool {
    name == ".maps" || name == "maps" || name.starts_with("maps/")
}

impl ObjectMaps {
    /// The map defined at `offset` of map section `section`.
    pub(super) fn index_at(&self, section: usize, offset: u64) -> Option<u32> {
        self.locations
            .iter()
            .position(|l| l.section == section && l.offset == offset)
            .map(|i| i as u32)
    }

    /// Creates the map set (every map, its initial entries) for `cpus`
    /// emulated CPUs.
    pub fn create(&self, cpus: u32) -> Result<MapSet, ElfError> {
        let named = |i: usize, problem| ElfError::InvalidMap {
            name: SymbolName::new(self.specs.get(i).map_or("?", |s| s.name.as_str())),
            problem,
        };
        let mut set = MapSet::new(&self.specs, cpus).map_err(|e| match e {
            MapError::BadSpec { name, problem } => ElfError::InvalidMap {
                name: SymbolName::new(name.as_str()),
                problem: MapDefProblem::Spec(problem),
            },
            _ => named(0, MapDefProblem::BadInitializer { offset: 0 }),
        })?;
        for entry in &self.initial {
            let value = match entry.value {
                InitialValue::Map(i) => i,
                InitialValue::Program { pc } => pc as u32,
            };
            set.update(
                entry.map,
                &entry.index.to_le_bytes(),
                &value.to_le_bytes(),
                BPF_ANY,
            )
            .map_err(|_| {
                named(
                    entry.map as usize,
                    MapDefProblem::BadInitializer {
                        offset: entry.index.saturating_mul(8),
                    },
                )
            })?;
        }
        Ok(set)
    }
}

/// The maps of a relocatable BPF object.
///
/// ```
/// let object = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/maps/counter.o"))?;
/// let maps = ebpfvm::elf::maps(&object)?;
/// let names: Vec<&str> = maps.specs.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["totals", "per_cpu", "counts"]); // by offset in .maps
/// let set = maps.create(1)?;
/// assert_eq!(set.index_of("counts")?, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn maps(bytes: &[u8]) -> Result<ObjectMaps, ElfError> {
    let object = Object::parse(bytes)?;
    let layout = Layout::new(&object)?;
    parse(&object, &layout)
}

/// Reads every map definition of `object`.
pub(super) fn parse(object: &Object<'_>, layout: &Layout) -> Result<ObjectMaps, ElfError> {
    let mut out = ObjectMaps::default();
    let mut inner = Vec::new();
    let mut btf_values = Vec::new();
    for index in 0..object.sections().len() {
        if object.section_name(index)? == ".maps" {
            btf_maps(object, index, &mut out, &mut inner, &mut btf_values)?;
        }
    }
    for index in 0..object.sections().len() {
        let name = object.section_name(index)?;
        if name != ".maps" && is_map_section(name) {
            legacy_maps(object, index, &mut out)?;
        }
    }
    // Inner map templates last, so the declared maps keep their indices.
    for (outer, spec) in inner {
        let at = out.specs.len() as u32;
        out.specs[outer].inner_map = Some(at);
        out.specs.push(spec);
        out.locations.push(Location {
            section: usize::MAX,
            offset: 0,
            size: 0,
        });
    }
    initialisers(object, layout, &mut out, &btf_values)?;
    for spec in &out.specs {
        let mut spec = spec.clone();
        if spec.map_type == MapType::PerfEventArray && spec.max_entries == 0 {
            spec.max_entries = 1; // one per CPU, decided at creation
        }
        spec.validate(1).map_err(|problem| ElfError::InvalidMap {
            name: SymbolName::new(&spec.name),
            problem: MapDefProblem::Spec(problem),
        })?;
    }
    Ok(out)
}

/// The BTF-defined maps of `.maps` section `section`. `values` receives,
/// per map, the byte offset of its `values` member.
fn btf_maps(
    object: &Object<'_>,
    section: usize,
    out: &mut ObjectMaps,
    inner: &mut Vec<(usize, MapSpec)>,
    values: &mut Vec<Option<u64>>,
) -> Result<(), ElfError> {
    let first_symbol = object
        .symbols()
        .find(|(_, s)| s.st_shndx == section && s.st_type() != sym::STT_SECTION)
        .map(|(_, s)| s);
    let Some(first_symbol) = first_symbol else {
        return Ok(());
    };
    let bad = |name: &str, problem| ElfError::InvalidMap {
        name: SymbolName::new(name),
        problem,
    };
    let first_name = object.symbol_name(&first_symbol)?;
    let mut btf_index = None;
    for index in 0..object.sections().len() {
        if object.section_name(index)? == ".BTF" {
            btf_index = Some(index);
        }
    }
    let btf_index = btf_index.ok_or_else(|| bad(first_name, MapDefProblem::NoBtf))?;
    let btf = Btf::parse(object.section_data(btf_index)?).map_err(|offset| {
        bad(
            first_name,
            MapDefProblem::BadBtf {
                offset: sat(offset),
            },
        )
    })?;
    let datasec = btf
        .types()
        .find(|(_, t)| t.kind == kind::DATASEC && btf.name(t.name_off) == Some(".maps"))
        .map(|(_, t)| t)
        .ok_or_else(|| bad(first_name, MapDefProblem::NoBtf))?;
    let mut entries = Vec::new();
    for i in 0..datasec.vlen {
        let entry = btf.datasec_entry(&datasec, i).ok_or_else(|| {
            bad(
                first_name,
                MapDefProblem::BadBtf {
                    offset: sat(btf.offset_of(&datasec)),
                },
            )
        })?;
        entries.push(entry);
    }
    // Where each map is comes from its symbol: clang leaves the data
    // section's offsets for the loader to fill in (libbpf does the same).
    let mut located = Vec::new();
    for (var_id, _, _) in entries {
        let var = btf.get(var_id).filter(|t| t.kind == kind::VAR);
        let var = var.ok_or_else(|| bad(first_name, MapDefProblem::NotAStruct))?;
        let name = btf.name(var.name_off).unwrap_or("?");
        let symbol = object
            .symbols()
            .map(|(_, s)| s)
            .find(|s| s.st_shndx == section && object.symbol_name(s).ok() == Some(name))
            .ok_or_else(|| {
                bad(
                    name,
                    MapDefProblem::BadBtf {
                        offset: sat(btf.offset_of(&var)),
                    },
                )
            })?;
        located.push((symbol.st_value, symbol.st_size, var, name));
    }
    located.sort_by_key(|l| l.0);
    for (offset, size, var, name) in located {
        let (spec, values_offset, inner_spec) = btf_map(&btf, name, var.size_or_type, true)?;
        if let Some(inner_spec) = inner_spec {
            inner.push((out.specs.len(), inner_spec));
        }
        out.specs.push(spec);
        values.push(values_offset);
        out.locations.push(Location {
            section,
            offset,
            size,
        });
    }
    Ok(())
}

/// One BTF map definition: the spec, the byte offset of `values`, and the
/// inner map template of a map-in-map.
fn btf_map(
    btf: &Btf<'_>,
    name: &str,
    type_id: u32,
    inner_allowed: bool,
) -> Result<(MapSpec, Option<u64>, Option<MapSpec>), ElfError> {
    let bad = |problem| ElfError::InvalidMap {
        name: SymbolName::new(name),
        problem,
    };
    // Member problems name `map.member`.
    let bad_field = |field: &str, problem| ElfError::InvalidMap {
        name: SymbolName::new(&format!("{name}.{field}")),
        problem,
    };
    let st = btf
        .resolve(type_id)
        .and_then(|id| btf.get(id))
        .filter(|t| t.kind == kind::STRUCT)
        .ok_or(bad(MapDefProblem::NotAStruct))?;
    let mut map_type = None;
    let mut spec = MapSpec::new(name, MapType::Array, 0, 0, 0);
    let (mut key_size, mut value_size) = (None, None);
    let mut values_offset = None;
    let mut inner_spec = None;
    for i in 0..st.vlen {
        let m = btf.member(&st, i).ok_or(bad(MapDefProblem::BadBtf {
            offset: sat(btf.offset_of(&st)),
        }))?;
        let field = btf.name(m.name_off).unwrap_or("");
        // `__uint(name, N)`: `int (*name)[N]`.
        let uint = |field: &'static str| -> Result<u32, ElfError> {
            let ptr = btf.get(
                btf.resolve(m.type_id)
                    .ok_or(bad_field(field, MapDefProblem::BadField))?,
            );
            let arr = ptr
                .filter(|p| p.kind == kind::PTR)
                .and_then(|p| btf.get(btf.resolve(p.size_or_type)?))
                .filter(|a| a.kind == kind::ARRAY)
                .and_then(|a| btf.array(&a));
            arr.map(|(_, n)| n)
                .ok_or(bad_field(field, MapDefProblem::BadField))
        };
        // `__type(name, T)`: `typeof(T) *name`.
        let pointee_size = |field: &'static str| -> Result<u32, ElfError> {
            let ptr = btf
                .get(
                    btf.resolve(m.type_id)
                        .ok_or(bad_field(field, MapDefProblem::BadField))?,
                )
                .filter(|p| p.kind == kind::PTR)
                .ok_or(bad_field(field, MapDefProblem::BadField))?;
            btf.size_of(ptr.size_or_type)
                .and_then(|s| u32::try_from(s).ok())
                .ok_or(bad_field(field, MapDefProblem::BadField))
        };
        match field {
            "type" => {
                let id = uint("type")?;
                map_type = Some(MapType::from_id(id).ok_or(bad(MapDefProblem::Spec(
                    crate::maps::SpecProblem::UnsupportedType { map_type: id },
                )))?);
            }
            "max_entries" => spec.max_entries = uint("max_entries")?,
            "map_flags" => spec.flags = uint("map_flags")?,
            "key_size" => key_size = Some(uint("key_size")?),
            "value_size" => value_size = Some(uint("value_size")?),
            "pinning" | "map_extra" | "numa_node" => {
                uint("pinning")?;
            }
            "key" => key_size = Some(pointee_size("key")?),
            "value" => value_size = Some(pointee_size("value")?),
            "values" => {
                // `__array(values, T)`: `T *values[]`.
                let field = "values";
                let elem = btf
                    .get(
                        btf.resolve(m.type_id)
                            .ok_or(bad_field(field, MapDefProblem::BadField))?,
                    )
                    .filter(|a| a.kind == kind::ARRAY)
                    .and_then(|a| btf.array(&a))
                    .and_then(|(elem, _)| btf.get(btf.resolve(elem)?))
                    .filter(|p| p.kind == kind::PTR)
                    .ok_or(bad_field(field, MapDefProblem::BadField))?;
                let target = btf.resolve(elem.size_or_type).and_then(|id| btf.get(id));
                if target.is_some_and(|t| t.kind == kind::STRUCT) {
                    // One level: an inner map is not itself a map-in-map.
                    if !inner_allowed {
                        return Err(bad_field(field, MapDefProblem::BadField));
                    }
                    let inner_name = format!("{name}.inner");
                    let (s, _, _) = btf_map(btf, &inner_name, elem.size_or_type, false)?;
                    inner_spec = Some(s);
                } else if target.is_none_or(|t| t.kind != kind::FUNC_PROTO) {
                    return Err(bad_field(field, MapDefProblem::BadField));
                }
                values_offset = Some(m.bit_offset as u64 / 8);
            }
            other => return Err(bad_field(other, MapDefProblem::UnknownField)),
        }
    }
    spec.map_type = map_type.ok_or(bad(MapDefProblem::MissingType))?;
    spec.key_size = key_size.unwrap_or(0);
    spec.value_size = value_size.unwrap_or(0);
    if inner_spec.is_some() || values_offset.is_some() {
        // Map-in-map and program arrays hold 4-byte ids.
        if matches!(
            spec.map_type,
            MapType::ArrayOfMaps | MapType::HashOfMaps | MapType::ProgArray
        ) {
            spec.value_size = 4;
        }
    }
    if spec.map_type == MapType::ProgArray && value_size.is_none() {
        spec.value_size = 4;
    }
    if spec.map_type == MapType::ProgArray && key_size.is_none() {
        spec.key_size = 4;
    }
    if spec.map_type == MapType::PerfEventArray {
        spec.key_size = key_size.unwrap_or(4);
        spec.value_size = value_size.unwrap_or(4);
    }
    Ok((spec, values_offset, inner_spec))
}

/// The legacy `struct bpf_map_def` maps of section `section`.
fn legacy_maps(object: &Object<'_>, section: usize, out: &mut ObjectMaps) -> Result<(), ElfError> {
    let mut symbols: Vec<Sym> = object
        .symbols()
        .map(|(_, s)| s)
        .filter(|s| s.st_shndx == section && s.st_type() != sym::STT_SECTION && s.st_name != 0)
        .collect();
    if symbols.is_empty() {
        return Ok(());
    }
    symbols.sort_by_key(|s| s.st_value);
    let data = object.section_data(section)?;
    let section_size = object.section(section)?.sh_size;
    let count = symbols.len() as u64;
    for s in symbols {
        let name = object.symbol_name(&s)?;
        let bad = |problem| ElfError::InvalidMap {
            name: SymbolName::new(name),
            problem,
        };
        let size = if s.st_size == 0 {
            section_size / count
        } else {
            s.st_size
        };
        if size < 16 {
            return Err(bad(MapDefProblem::LegacyTooShort { size: sat(size) }));
        }
        let def = s
            .st_value
            .checked_add(size)
            .and_then(|end| data.get(s.st_value as usize..end as usize))
            .ok_or(bad(MapDefProblem::LegacyTooShort { size: sat(size) }))?;
        let word = |i: usize| {
            def.get(4 * i..4 * i + 4)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        if def.len() > 20 && def[20..].iter().any(|&b| b != 0) {
            return Err(bad(MapDefProblem::LegacyExtraFields));
        }
        let id = word(0);
        let map_type = MapType::from_id(id).ok_or(bad(MapDefProblem::Spec(
            crate::maps::SpecProblem::UnsupportedType { map_type: id },
        )))?;
        let mut spec = MapSpec::new(name, map_type, word(1), word(2), word(3));
        spec.flags = word(4);
        out.specs.push(spec);
        out.locations.push(Location {
            section,
            offset: s.st_value,
            size,
        });
    }
    Ok(())
}

/// `.values = { [i] = &x }`: the `R_BPF_64_ABS64` relocations of `.maps`.
fn initialisers(
    object: &Object<'_>,
    layout: &Layout,
    out: &mut ObjectMaps,
    values: &[Option<u64>],
) -> Result<(), ElfError> {
    for (index, rel) in object.sections().iter().enumerate() {
        if rel.sh_type != sh::SHT_REL {
            continue;
        }
        let target = rel.sh_info as usize;
        if object.section(target).is_err() || object.section_name(target)? != ".maps" {
            continue;
        }
        for reloc in object.relocations(index)?.iter() {
            let Some(map) = out.locations.iter().position(|l| {
                l.section == target
                    && (l.offset..l.offset.saturating_add(l.size)).contains(&reloc.r_offset)
            }) else {
                continue;
            };
            let name = String::from(out.specs[map].name.as_str());
            let bad = ElfError::InvalidMap {
                name: SymbolName::new(&name),
                problem: MapDefProblem::BadInitializer {
                    offset: sat(reloc.r_offset),
                },
            };
            let base = out.locations[map]
                .offset
                .checked_add(values.get(map).copied().flatten().ok_or(bad)?)
                .ok_or(bad)?;
            if reloc.r_type != R_BPF_64_ABS64
                || reloc.r_offset < base
                || (reloc.r_offset - base) % 8 != 0
            {
                return Err(bad);
            }
            let slot = ((reloc.r_offset - base) / 8) as u32;
            let symbol = object.symbol(reloc.r_sym).ok_or(bad)?;
            let value = match layout.placement(symbol.st_shndx) {
                Placement::Code { offset } => InitialValue::Program {
                    pc: usize::try_from(symbol.st_value)
                        .ok()
                        .and_then(|v| v.checked_add(offset))
                        .ok_or(bad)?
                        / INSN_SIZE,
                },
                _ => InitialValue::Map(out.index_at(symbol.st_shndx, symbol.st_value).ok_or(bad)?),
            };
            out.initial.push(InitialEntry {
                map: map as u32,
                index: slot,
                value,
            });
        }
    }
    Ok(())
}
