//! The positions of a queue (FIFO) or stack (LIFO) map: a ring of
//! `max_entries` value slots whose bytes live in the arena.

use super::error::Errno;
use super::{BPF_ANY, BPF_EXIST};

/// Head and length of the ring; slot `i` is the `i`-th value slot.
#[derive(Debug, Clone)]
pub(crate) struct QueueIndex {
    capacity: u32,
    head: u32,
    len: u32,
    lifo: bool,
}

impl QueueIndex {
    pub(crate) fn new(capacity: u32, lifo: bool) -> Self {
        QueueIndex {
            capacity,
            head: 0,
            len: 0,
            lifo,
        }
    }

    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// The slot a pushed value goes to. When full, `BPF_EXIST` drops the
    /// oldest element first (for a queue and a stack alike, as the kernel
    /// does); otherwise `-E2BIG`. Flags other than `BPF_ANY`/`BPF_EXIST`
    /// are `-EINVAL`.
    pub(crate) fn push(&mut self, flags: u64) -> Result<u32, Errno> {
        if flags != BPF_ANY && flags != BPF_EXIST {
            return Err(Errno::Inval);
        }
        if self.len == self.capacity {
            if flags != BPF_EXIST {
                return Err(Errno::TooBig);
            }
            self.head = (self.head + 1) % self.capacity;
            self.len -= 1;
        }
        let slot = (self.head + self.len) % self.capacity;
        self.len += 1;
        Ok(slot)
    }

    /// The slot of the element `pop`/`peek` returns (queue: the oldest;
    /// stack: the newest); `pop` removes it. Empty: `-ENOENT`.
    pub(crate) fn take(&mut self, remove: bool) -> Result<u32, Errno> {
        if self.len == 0 {
            return Err(Errno::NoEnt);
        }
        let slot = if self.lifo {
            (self.head + self.len - 1) % self.capacity
        } else {
            self.head
        };
        if remove {
            if !self.lifo {
                self.head = (self.head + 1) % self.capacity;
            }
            self.len -= 1;
        }
        Ok(slot)
    }

    pub(crate) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_is_fifo_and_exist_overwrites_oldest() {
        let mut q = QueueIndex::new(2, false);
        let a = q.push(BPF_ANY).unwrap();
        let b = q.push(BPF_ANY).unwrap();
        assert_eq!(q.push(BPF_ANY), Err(Errno::TooBig));
        assert_eq!(q.push(1), Err(Errno::Inval));
        let c = q.push(BPF_EXIST).unwrap();
        assert_eq!(c, a, "the oldest slot is reused");
        assert_eq!(q.take(false), Ok(b));
        assert_eq!(q.take(true), Ok(b));
        assert_eq!(q.take(true), Ok(c));
        assert_eq!(q.take(true), Err(Errno::NoEnt));
    }

    #[test]
    fn stack_is_lifo_and_exist_drops_the_bottom() {
        let mut s = QueueIndex::new(2, true);
        let a = s.push(BPF_ANY).unwrap();
        let b = s.push(BPF_ANY).unwrap();
        let c = s.push(BPF_EXIST).unwrap();
        assert_eq!(c, a);
        assert_eq!(s.take(true), Ok(c));
        assert_eq!(s.take(true), Ok(b));
        assert_eq!(s.len(), 0);
        assert_eq!(s.take(false), Err(Errno::NoEnt));
    }
}
