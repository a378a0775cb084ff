//! The function symbol table of an executable: named entry points in one
//! vector sorted by pc, looked up by pc (binary search) and by name (a scan).
//!
//! Built for flash as much as for speed: every executable has one, so its
//! code is in every firmware image. A table is small (one entry per
//! function), arrives sorted from the ELF loader, and is searched by name only
//! to choose an entry point or by tools. So it is sorted by insertion (one
//! pass over sorted input) instead of the standard library's sorts, and has no
//! hash map: together those took about 8 KiB of Cortex-M flash.

use alloc::string::String;
use alloc::vec::Vec;

/// A named function entry (from an ELF symbol, or given by the host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The pc of its first instruction.
    pub pc: usize,
    /// Its name.
    pub name: String,
}

/// Function names by pc and by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct FunctionNames {
    /// Sorted by pc, then name.
    by_pc: Vec<Function>,
}

impl FunctionNames {
    /// Builds the table; when a name appears twice the lowest pc wins.
    ///
    /// Linear time for sorted input (what the ELF loader produces); a host
    /// that passes `n` functions out of order pays `O(n²)` comparisons.
    pub(crate) fn new(mut functions: Vec<Function>) -> Self {
        // By pc, then name. The names compare byte by byte (the order of
        // `str`) in a loop: `str`'s own comparison links `memcmp`, which only
        // this would use in firmware.
        fn after(a: &Function, b: &Function) -> bool {
            a.pc.cmp(&b.pc)
                .then_with(|| a.name.bytes().cmp(b.name.bytes()))
                .is_gt()
        }
        for sorted in 1..functions.len() {
            let mut i = sorted;
            while i > 0 && after(&functions[i - 1], &functions[i]) {
                functions.swap(i - 1, i);
                i -= 1;
            }
        }
        FunctionNames { by_pc: functions }
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

    /// The pc of the function called `name` (the lowest, if several are).
    pub(crate) fn pc_of(&self, name: &str) -> Option<usize> {
        self.by_pc.iter().find(|f| f.name == name).map(|f| f.pc)
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
    fn sorts_like_the_standard_sort() {
        // Scrambled, with repeated pcs and repeated names.
        let mut functions = Vec::new();
        let mut x = 7u32;
        for _ in 0..200 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pc = (x >> 8) as usize % 50;
            let name = alloc::format!("f{}", (x >> 20) % 30);
            functions.push(Function { pc, name });
        }
        let mut want = functions.clone();
        want.sort_by(|a, b| (a.pc, &a.name).cmp(&(b.pc, &b.name)));
        let names = FunctionNames::new(functions);
        assert_eq!(names.all(), &want[..]);
        for f in &want {
            let lowest = want.iter().find(|g| g.name == f.name).map(|g| g.pc);
            assert_eq!(names.pc_of(&f.name), lowest, "{}", f.name);
        }
    }
}
