//! Map errors: the Linux errno a map operation ends in, why a map
//! definition is refused, and the host API's [`MapError`].

use core::fmt;

/// A map's name inside an error, without allocating: up to
/// [`MapName::CAPACITY`] bytes, cut at a character boundary (`Display`
/// marks a cut name with `…`). The core has no ELF symbol type, so maps
/// carry their own.
///
/// ```
/// use ebpfvm::maps::MapName;
/// assert_eq!(MapName::new("blocklist").as_str(), "blocklist");
/// assert_eq!(MapName::new(&"x".repeat(40)).as_str().len(), MapName::CAPACITY);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MapName {
    bytes: [u8; MapName::CAPACITY],
    len: u8,
    truncated: bool,
}

impl MapName {
    /// How many bytes of a name are kept.
    pub const CAPACITY: usize = 30;

    /// Keeps the longest prefix of `name` that fits on a character boundary.
    pub fn new(name: &str) -> Self {
        let mut len = name.len().min(Self::CAPACITY);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; Self::CAPACITY];
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        MapName {
            bytes,
            len: len as u8,
            truncated: len < name.len(),
        }
    }

    /// The kept part of the name.
    pub fn as_str(&self) -> &str {
        // `new` copied whole characters of a `str`.
        core::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl fmt::Display for MapName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for MapName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for MapName {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=str}", self.as_str())
    }
}

/// The Linux error numbers map operations return (as `-errno` to programs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Errno {
    /// `ENOENT` (2): no such element; empty queue, stack or slot.
    NoEnt,
    /// `E2BIG` (7): index out of range, or the map is full.
    TooBig,
    /// `EBUSY` (16): the resource is in use.
    Busy,
    /// `EEXIST` (17): the element exists (`BPF_NOEXIST`).
    Exist,
    /// `EINVAL` (22): bad flags, or an operation the map type does not have.
    Inval,
    /// `ENOSPC` (28): no room for the record (perf output).
    NoSpc,
    /// `EAGAIN` (11): no room in the ring buffer.
    Again,
    /// `EOPNOTSUPP` (95): the map type does not support the operation.
    NotSupp,
}

impl Errno {
    /// The positive Linux error number.
    pub const fn code(self) -> i32 {
        match self {
            Errno::NoEnt => 2,
            Errno::TooBig => 7,
            Errno::Again => 11,
            Errno::Busy => 16,
            Errno::Exist => 17,
            Errno::Inval => 22,
            Errno::NoSpc => 28,
            Errno::NotSupp => 95,
        }
    }

    /// The value a helper returns in `r0`: `-errno` as a 64-bit integer.
    pub const fn to_r0(self) -> u64 {
        (-(self.code() as i64)) as u64
    }

    /// The C name (`"E2BIG"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Errno::NoEnt => "ENOENT",
            Errno::TooBig => "E2BIG",
            Errno::Again => "EAGAIN",
            Errno::Busy => "EBUSY",
            Errno::Exist => "EEXIST",
            Errno::Inval => "EINVAL",
            Errno::NoSpc => "ENOSPC",
            Errno::NotSupp => "EOPNOTSUPP",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-{} ({})", self.name(), self.code())
    }
}

/// Why a map definition cannot be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SpecProblem {
    /// The type id is not a map type this VM has.
    UnsupportedType {
        /// The Linux `enum bpf_map_type` value.
        map_type: u32,
    },
    /// The key size is wrong for the type (or above [`super::MAX_KEY_SIZE`]).
    KeySize {
        /// The size given.
        size: u32,
    },
    /// The value size is wrong for the type.
    ValueSize {
        /// The size given.
        size: u32,
    },
    /// `max_entries` is 0, or wrong for the type (ring buffer: a power of
    /// two, a multiple of 8).
    MaxEntries {
        /// The count given.
        max_entries: u32,
    },
    /// Map flags this VM does not implement.
    Flags {
        /// The flags given.
        flags: u32,
    },
    /// A map-in-map without a valid inner map template.
    InnerMap,
    /// The storage would exceed the arena limit.
    TooLarge {
        /// MiB the map (or the arena with it) needs, rounded up.
        mib: u32,
    },
}

impl SpecProblem {
    /// [`SpecProblem::TooLarge`] for `bytes`.
    pub fn too_large(bytes: u64) -> Self {
        SpecProblem::TooLarge {
            mib: u32::try_from(bytes.div_ceil(1 << 20)).unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecProblem::UnsupportedType { map_type } => {
                write!(f, "unsupported map type {map_type}")
            }
            SpecProblem::KeySize { size } => write!(f, "invalid key size {size}"),
            SpecProblem::ValueSize { size } => write!(f, "invalid value size {size}"),
            SpecProblem::MaxEntries { max_entries } => {
                write!(f, "invalid max_entries {max_entries}")
            }
            SpecProblem::Flags { flags } => write!(f, "unsupported map flags {flags:#x}"),
            SpecProblem::InnerMap => f.write_str("map-in-map without a valid inner map"),
            SpecProblem::TooLarge { mib } => write!(f, "needs {mib} MiB, over the limit"),
        }
    }
}

/// An error of the map set: creation or a host API call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MapError {
    /// A map definition cannot be created.
    BadSpec {
        /// The map's name.
        name: MapName,
        /// What is wrong with it.
        problem: SpecProblem,
    },
    /// No map with this index.
    NoSuchMap {
        /// The index asked for.
        index: u32,
    },
    /// No map with this name.
    NoSuchName {
        /// The name asked for.
        name: MapName,
    },
    /// A key or value buffer of the wrong length.
    WrongSize {
        /// The map's index.
        map: u32,
        /// The length the map needs.
        expected: u64,
        /// The length given.
        got: u64,
    },
    /// A CPU number at or above the map set's CPU count.
    NoSuchCpu {
        /// The CPU asked for.
        cpu: u32,
    },
    /// The operation failed as it would for a program.
    Errno {
        /// The map's index.
        map: u32,
        /// The error.
        errno: Errno,
    },
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::BadSpec { name, problem } => write!(f, "map \"{name}\": {problem}"),
            MapError::NoSuchMap { index } => write!(f, "no map with index {index}"),
            MapError::NoSuchName { name } => write!(f, "no map named \"{name}\""),
            MapError::WrongSize { map, expected, got } => {
                write!(f, "map {map}: buffer of {got} bytes, expected {expected}")
            }
            MapError::NoSuchCpu { cpu } => write!(f, "no emulated CPU {cpu}"),
            MapError::Errno { map, errno } => write!(f, "map {map}: {errno}"),
        }
    }
}

impl core::error::Error for MapError {}
impl core::error::Error for SpecProblem {}
impl core::error::Error for Errno {}
