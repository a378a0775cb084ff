//! The function symbol table of an executable: named entry points, looked up
//! by pc (sorted vector) and by name (a `hashbrown` map with a deterministic
//! FNV-1a hasher, since firmware targets have no random source to seed one).

use alloc::string::String;
use alloc::vec::Vec;
use core::hash::{BuildHasherDefault, Hasher};

use hashbrown::HashMap;

/// A named function entry (from an ELF symbol, or given by the host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The pc of its first instruction.
    pub pc: usize,
    /// Its name.
    pub name: String,
}

/// 64-bit FNV-1a: deterministic, tiny, and good enough for symbol names.
#[derive(Clone, Copy, Debug)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Function names by pc and by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct FunctionNames {
    by_pc: Vec<Function>,
    by_name: HashMap<String, usize, BuildHasherDefault<FnvHasher>>,
}

impl FunctionNames {
    /// Builds the table; when a name appears twice the lowest pc wins.
    pub(crate) fn new(mut functions: Vec<Function>) -> Self {
        functions.sort_by(|a, b| a.pc.cmp(&b.pc).then_with(|| a.name.cmp(&b.name)));
        let mut by_name = HashMap::with_capacity_and_hasher(functions.len(), Default::default());
        for f in &functions {
            by_name.entry(f.name.clone()).or_insert(f.pc);
        }
        FunctionNames {
            by_pc: functions,
            by_name,
        }
    }

    /// All names, sorted by pc.
    pub(crate) fn all(&self) -> &[Function] {
        &self.by_pc
    }

    /// The name of the function at `pc`.
    pub(crate) fn name_at(&self, pc: usize) -> Option<&str> {
        let i = self.by_pc.partition_point(|f| f.pc < pc);
        self.by_pc
            .get(i)
            .filter(|f| f.pc == pc)
            .map(|f| f.name.as_str())
    }

    /// The pc of the function called `name`.
    pub(crate) fn pc_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn lookups_by_pc_and_name() {
        let names = FunctionNames::new(vec![
            Function {
                pc: 9,
                name: "b".to_string(),
            },
            Function {
                pc: 2,
                name: "a".to_string(),
            },
            Function {
                pc: 12,
                name: "a".to_string(),
            },
        ]);
        assert_eq!(names.name_at(2), Some("a"));
        assert_eq!(names.name_at(9), Some("b"));
        assert_eq!(names.name_at(3), None);
        assert_eq!(names.pc_of("a"), Some(2), "lowest pc wins");
        assert_eq!(names.pc_of("c"), None);
        assert_eq!(names.all()[0].pc, 2);
    }

    #[test]
    fn fnv1a_matches_the_reference_vector() {
        let mut h = FnvHasher::default();
        h.write(b"foobar");
        assert_eq!(h.finish(), 0x85944171f73967e8);
    }
}
