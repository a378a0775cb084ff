//! The fixed-capacity hash index of the hash map types: which slot holds
//! which key, with an exact LRU order for the LRU types.
//!
//! Buckets are `u32` slot numbers in a power-of-two table at least twice the
//! capacity (load factor at most 1/2), probed linearly; deletion shifts the
//! following entries back, so there are no tombstones and no rehashing. Keys
//! live in one host buffer (`capacity * key_size` bytes); free slots are a
//! stack. The hash is 64-bit FNV-1a: deterministic, no random seed. All of it
//! is allocated in [`HashIndex::new`]; nothing allocates afterwards.

use alloc::vec;
use alloc::vec::Vec;

const EMPTY: u32 = u32::MAX;
const NIL: u32 = u32::MAX;

/// 64-bit FNV-1a of `key`.
fn fnv1a(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Where a new key went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inserted {
    /// The key was already present, in this slot.
    Existing(u32),
    /// The key took this free slot.
    New(u32),
}

/// Keys to slots, for a table of fixed capacity.
#[derive(Debug, Clone)]
pub(crate) struct HashIndex {
    key_size: usize,
    capacity: u32,
    keys: Vec<u8>,
    used: Vec<bool>,
    table: Vec<u32>,
    mask: usize,
    free: Vec<u32>,
    len: u32,
    lru: Option<Lru>,
}

/// A doubly linked list of used slots, most recently used first.
#[derive(Debug, Clone)]
struct Lru {
    prev: Vec<u32>,
    next: Vec<u32>,
    head: u32,
    tail: u32,
}

impl Lru {
    fn new(capacity: u32) -> Self {
        Lru {
            prev: vec![NIL; capacity as usize],
            next: vec![NIL; capacity as usize],
            head: NIL,
            tail: NIL,
        }
    }

    fn unlink(&mut self, slot: u32) {
        let (p, n) = (self.prev[slot as usize], self.next[slot as usize]);
        if p == NIL {
            self.head = n;
        } else {
            self.next[p as usize] = n;
        }
        if n == NIL {
            self.tail = p;
        } else {
            self.prev[n as usize] = p;
        }
        self.prev[slot as usize] = NIL;
        self.next[slot as usize] = NIL;
    }

    fn push_front(&mut self, slot: u32) {
        self.prev[slot as usize] = NIL;
        self.next[slot as usize] = self.head;
        if self.head != NIL {
            self.prev[self.head as usize] = slot;
        }
        self.head = slot;
        if self.tail == NIL {
            self.tail = slot;
        }
    }
}

impl HashIndex {
    /// An empty index for `capacity` keys of `key_size` bytes.
    pub(crate) fn new(key_size: u32, capacity: u32, lru: bool) -> Self {
        let buckets = (capacity as usize * 2).next_power_of_two().max(2);
        HashIndex {
            key_size: key_size as usize,
            capacity,
            keys: vec![0; capacity as usize * key_size as usize],
            used: vec![false; capacity as usize],
            table: vec![EMPTY; buckets],
            mask: buckets - 1,
            free: (0..capacity).rev().collect(),
            len: 0,
            lru: lru.then(|| Lru::new(capacity)),
        }
    }

    /// Number of keys present.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// The key in a used slot.
    pub(crate) fn key(&self, slot: u32) -> &[u8] {
        let at = slot as usize * self.key_size;
        &self.keys[at..at + self.key_size]
    }

    fn home(&self, key: &[u8]) -> usize {
        fnv1a(key) as usize & self.mask
    }

    /// The bucket holding `key`, if present.
    fn bucket_of(&self, key: &[u8]) -> Option<usize> {
        let mut i = self.home(key);
        loop {
            let slot = self.table[i];
            if slot == EMPTY {
                return None;
            }
            if self.key(slot) == key {
                return Some(i);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The slot of `key`, if present; `touch` marks it most recently used.
    pub(crate) fn find(&mut self, key: &[u8], touch: bool) -> Option<u32> {
        let slot = self.table[self.bucket_of(key)?];
        if touch {
            if let Some(lru) = &mut self.lru {
                lru.unlink(slot);
                lru.push_front(slot);
            }
        }
        Some(slot)
    }

    /// The slot of `key` without touching the LRU order.
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        Some(self.table[self.bucket_of(key)?])
    }

    /// Inserts `key` (which must be `key_size` bytes), or finds it. A full
    /// LRU index evicts its least recently used key first (returned as the
    /// second value); a full plain index fails with `None`.
    pub(crate) fn insert(&mut self, key: &[u8]) -> Option<(Inserted, Option<u32>)> {
        if let Some(slot) = self.find(key, true) {
            return Some((Inserted::Existing(slot), None));
        }
        let mut evicted = None;
        if self.len == self.capacity {
            let victim = self.lru.as_ref()?.tail;
            if victim == NIL {
                return None;
            }
            self.remove_slot(victim);
            evicted = Some(victim);
        }
        let slot = self.free.pop()?;
        let at = slot as usize * self.key_size;
        self.keys[at..at + self.key_size].copy_from_slice(key);
        self.used[slot as usize] = true;
        let mut i = self.home(key);
        while self.table[i] != EMPTY {
            i = (i + 1) & self.mask;
        }
        self.table[i] = slot;
        self.len += 1;
        if let Some(lru) = &mut self.lru {
            lru.push_front(slot);
        }
        Some((Inserted::New(slot), evicted))
    }

    /// Removes `key`; returns its slot.
    pub(crate) fn remove(&mut self, key: &[u8]) -> Option<u32> {
        let slot = self.get(key)?;
        self.remove_slot(slot);
        Some(slot)
    }

    /// Removes the key in a used slot.
    fn remove_slot(&mut self, slot: u32) {
        let Some(mut hole) = self.bucket_of_slot(slot) else {
            return;
        };
        self.table[hole] = EMPTY;
        // Backward shift: move every later entry of the run whose home is
        // not between the hole and itself into the hole.
        let mut j = hole;
        loop {
            j = (j + 1) & self.mask;
            let s = self.table[j];
            if s == EMPTY {
                break;
            }
            let home = self.home(self.key(s));
            let between = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !between {
                self.table[hole] = s;
                self.table[j] = EMPTY;
                hole = j;
            }
        }
        self.used[slot as usize] = false;
        self.free.push(slot);
        self.len -= 1;
        if let Some(lru) = &mut self.lru {
            lru.unlink(slot);
        }
    }

    fn bucket_of_slot(&self, slot: u32) -> Option<usize> {
        if !self.used.get(slot as usize).copied().unwrap_or(false) {
            return None;
        }
        let mut i = self.home(self.key(slot));
        loop {
            match self.table[i] {
                EMPTY => return None,
                s if s == slot => return Some(i),
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    /// The used slot after `key`'s in slot order (the first when `key` is
    /// `None` or absent), as `BPF_MAP_GET_NEXT_KEY` walks.
    pub(crate) fn next_slot(&self, key: Option<&[u8]>) -> Option<u32> {
        let start = match key.and_then(|k| self.get(k)) {
            Some(slot) => slot as usize + 1,
            None => 0,
        };
        (start..self.capacity as usize)
            .find(|&s| self.used[s])
            .map(|s| s as u32)
    }

    /// Removes every key.
    pub(crate) fn clear(&mut self) {
        self.table.fill(EMPTY);
        self.used.fill(false);
        self.free.clear();
        self.free.extend((0..self.capacity).rev());
        self.len = 0;
        if let Some(lru) = &mut self.lru {
            *lru = Lru::new(self.capacity);
        }
    }

    /// Slots from most to least recently used (LRU indexes; empty otherwise).
    #[cfg(test)]
    pub(crate) fn lru_order(&self) -> Vec<u32> {
        let mut out = Vec::new();
        if let Some(lru) = &self.lru {
            let mut s = lru.head;
            while s != NIL {
                out.push(s);
                s = lru.next[s as usize];
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_find_remove_without_tombstones() {
        let mut h = HashIndex::new(4, 64, false);
        for i in 0u32..64 {
            assert!(matches!(
                h.insert(&i.to_le_bytes()),
                Some((Inserted::New(_), None))
            ));
        }
        assert_eq!(h.insert(&999u32.to_le_bytes()), None, "full");
        for i in (0u32..64).step_by(2) {
            assert!(h.remove(&i.to_le_bytes()).is_some());
        }
        for i in 0u32..64 {
            assert_eq!(h.get(&i.to_le_bytes()).is_some(), i % 2 == 1, "key {i}");
        }
        assert_eq!(h.len(), 32);
        // Reinsert many times: a table with tombstones would degrade.
        for round in 0..10u32 {
            for i in 0..32u32 {
                let k = (1000 + round * 32 + i).to_le_bytes();
                h.insert(&k).unwrap();
            }
            for i in 0..32u32 {
                let k = (1000 + round * 32 + i).to_le_bytes();
                h.remove(&k).unwrap();
            }
        }
        assert_eq!(h.len(), 32);
        h.clear();
        assert_eq!(h.len(), 0);
        assert_eq!(h.next_slot(None), None);
    }

    #[test]
    fn lru_evicts_least_recently_used() {
        let mut h = HashIndex::new(1, 3, true);
        let (a, b, c, d) = ([1u8], [2u8], [3u8], [4u8]);
        let sa = h.insert(&a).unwrap().0;
        h.insert(&b).unwrap();
        h.insert(&c).unwrap();
        // Touch `a`: now `b` is the least recently used.
        assert!(h.find(&a, true).is_some());
        let (new, evicted) = h.insert(&d).unwrap();
        assert!(matches!(new, Inserted::New(_)));
        assert!(evicted.is_some());
        assert!(h.get(&b).is_none(), "b evicted");
        assert!(h.get(&a).is_some() && h.get(&c).is_some() && h.get(&d).is_some());
        assert_eq!(h.lru_order().len(), 3);
        assert_eq!(Inserted::Existing(h.get(&a).unwrap()), sa_existing(sa));
    }

    fn sa_existing(i: Inserted) -> Inserted {
        match i {
            Inserted::New(s) | Inserted::Existing(s) => Inserted::Existing(s),
        }
    }

    #[test]
    fn next_slot_walks_every_key_once() {
        let mut h = HashIndex::new(2, 10, false);
        for i in 0u16..7 {
            h.insert(&(i * 3).to_le_bytes()).unwrap();
        }
        let mut seen = Vec::new();
        let mut key: Option<Vec<u8>> = None;
        while let Some(s) = h.next_slot(key.as_deref()) {
            let k = h.key(s).to_vec();
            seen.push(u16::from_le_bytes([k[0], k[1]]));
            key = Some(k);
        }
        seen.sort_unstable();
        assert_eq!(seen, [0, 3, 6, 9, 12, 15, 18]);
    }
}
