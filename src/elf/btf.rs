//! A small reader of the `.BTF` section: just what BTF-defined map
//! declarations need (types, members, variables, data sections, sizes).
//!
//! Every read is bounds-checked; a malformed section is an error carrying
//! the byte offset, never a panic. Type ids are 1-based (0 is `void`).

use alloc::vec::Vec;

/// BTF kinds (`BTF_KIND_*`).
pub(super) mod kind {
    pub const INT: u32 = 1;
    pub const PTR: u32 = 2;
    pub const ARRAY: u32 = 3;
    pub const STRUCT: u32 = 4;
    pub const UNION: u32 = 5;
    pub const ENUM: u32 = 6;
    pub const TYPEDEF: u32 = 8;
    pub const VOLATILE: u32 = 9;
    pub const CONST: u32 = 10;
    pub const RESTRICT: u32 = 11;
    pub const FUNC_PROTO: u32 = 13;
    pub const VAR: u32 = 14;
    pub const DATASEC: u32 = 15;
    pub const FLOAT: u32 = 16;
    pub const DECL_TAG: u32 = 17;
    pub const TYPE_TAG: u32 = 18;
    pub const ENUM64: u32 = 19;
}

const MAGIC: u16 = 0xeb9f;

/// One type: its header and where its trailing data starts in `types`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Type {
    pub(super) name_off: u32,
    pub(super) kind: u32,
    pub(super) vlen: u32,
    /// `size` or `type`, by kind.
    pub(super) size_or_type: u32,
    /// Offset of the kind-specific data in the type section.
    extra: usize,
}

/// A struct or union member.
#[derive(Clone, Copy, Debug)]
pub(super) struct Member {
    pub(super) name_off: u32,
    pub(super) type_id: u32,
    /// Bit offset (bitfield members are not used in map definitions).
    pub(super) bit_offset: u32,
}

/// A parsed `.BTF` section.
pub(super) struct Btf<'a> {
    types: &'a [u8],
    strings: &'a [u8],
    index: Vec<Type>,
    /// Offset of the type section in `.BTF`, for error offsets.
    base: u64,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> Btf<'a> {
    /// Parses the header and indexes every type. `Err(offset)` on malformed data.
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Self, u64> {
        let magic = bytes.get(0..2).ok_or(0u64)?;
        if u16::from_le_bytes([magic[0], magic[1]]) != MAGIC {
            return Err(0);
        }
        let hdr_len = u32_at(bytes, 4).ok_or(4u64)? as usize;
        let field = |i: usize| u32_at(bytes, 8 + 4 * i).map(|v| v as usize).ok_or(8u64);
        let (type_off, type_len, str_off, str_len) = (field(0)?, field(1)?, field(2)?, field(3)?);
        let section = |off: usize, len: usize| {
            let start = hdr_len.checked_add(off)?;
            bytes.get(start..start.checked_add(len)?)
        };
        let types = section(type_off, type_len).ok_or(12u64)?;
        let strings = section(str_off, str_len).ok_or(20u64)?;
        let base = (hdr_len + type_off) as u64;
        let mut index = Vec::new();
        let mut at = 0usize;
        while at < types.len() {
            let err = base + at as u64;
            let name_off = u32_at(types, at).ok_or(err)?;
            let info = u32_at(types, at + 4).ok_or(err)?;
            let size_or_type = u32_at(types, at + 8).ok_or(err)?;
            let (kind, vlen) = ((info >> 24) & 0x1f, info & 0xffff);
            let extra = at + 12;
            let trailing = match kind {
                kind::INT | kind::VAR | kind::DECL_TAG => 4,
                kind::ARRAY => 12,
                kind::STRUCT | kind::UNION | kind::DATASEC | kind::ENUM64 => 12 * vlen as usize,
                kind::ENUM | kind::FUNC_PROTO => 8 * vlen as usize,
                0..=19 => 0,
                _ => return Err(err),
            };
            if extra + trailing > types.len() {
                return Err(err);
            }
            index.push(Type {
                name_off,
                kind,
                vlen,
                size_or_type,
                extra,
            });
            at = extra + trailing;
        }
        Ok(Btf {
            types,
            strings,
            index,
            base,
        })
    }

    /// Type `id` (1-based).
    pub(super) fn get(&self, id: u32) -> Option<Type> {
        self.index.get((id as usize).checked_sub(1)?).copied()
    }

    /// A type's offset in `.BTF`, for errors.
    pub(super) fn offset_of(&self, t: &Type) -> u64 {
        self.base + t.extra as u64 - 12
    }

    /// The string at `off` of the string section.
    pub(super) fn name(&self, off: u32) -> Option<&'a str> {
        let tail = self.strings.get(off as usize..)?;
        let len = tail.iter().position(|&b| b == 0)?;
        core::str::from_utf8(&tail[..len]).ok()
    }

    /// Every type id with its type.
    pub(super) fn types(&self) -> impl Iterator<Item = (u32, Type)> + '_ {
        self.index
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32 + 1, *t))
    }

    /// Member `i` of a struct or union.
    pub(super) fn member(&self, t: &Type, i: u32) -> Option<Member> {
        let at = t.extra + 12 * i as usize;
        Some(Member {
            name_off: u32_at(self.types, at)?,
            type_id: u32_at(self.types, at + 4)?,
            bit_offset: u32_at(self.types, at + 8)? & 0x00ff_ffff,
        })
    }

    /// Entry `i` of a data section: `(var type id, offset, size)`.
    pub(super) fn datasec_entry(&self, t: &Type, i: u32) -> Option<(u32, u32, u32)> {
        let at = t.extra + 12 * i as usize;
        Some((
            u32_at(self.types, at)?,
            u32_at(self.types, at + 4)?,
            u32_at(self.types, at + 8)?,
        ))
    }

    /// An array's `(element type, element count)`.
    pub(super) fn array(&self, t: &Type) -> Option<(u32, u32)> {
        Some((
            u32_at(self.types, t.extra)?,
            u32_at(self.types, t.extra + 8)?,
        ))
    }

    /// Follows typedefs and qualifiers to the underlying type id.
    pub(super) fn resolve(&self, mut id: u32) -> Option<u32> {
        for _ in 0..32 {
            let t = self.get(id)?;
            match t.kind {
                kind::TYPEDEF | kind::VOLATILE | kind::CONST | kind::RESTRICT | kind::TYPE_TAG => {
                    id = t.size_or_type
                }
                _ => return Some(id),
            }
        }
        None
    }

    /// The size in bytes of type `id`.
    pub(super) fn size_of(&self, id: u32) -> Option<u64> {
        self.size_of_depth(id, 0)
    }

    fn size_of_depth(&self, id: u32, depth: u32) -> Option<u64> {
        if depth > 32 {
            return None;
        }
        let t = self.get(self.resolve(id)?)?;
        match t.kind {
            kind::INT
            | kind::STRUCT
            | kind::UNION
            | kind::ENUM
            | kind::ENUM64
            | kind::FLOAT
            | kind::DATASEC => Some(t.size_or_type as u64),
            kind::PTR => Some(8),
            kind::ARRAY => {
                let (elem, n) = self.array(&t)?;
                self.size_of_depth(elem, depth + 1)?.checked_mul(n as u64)
            }
            _ => None,
        }
    }
}
