//! The positions and records of a ring buffer map (`BPF_MAP_TYPE_RINGBUF`).
//!
//! As in the kernel, a record takes an 8-byte header plus its data, rounded
//! up to 8 bytes, at the producer position; reserve fails (`NULL`) when the
//! unconsumed records plus the new one would exceed the size. The data area
//! in the arena is twice the size, so a record that wraps past the end stays
//! contiguous at `position % size` (the kernel maps its pages twice for the
//! same reason). The record list (position, length, busy/discarded) is kept
//! here, in host memory: the header bytes in the arena are reserved but a
//! program writing over them cannot confuse the host's reader. The host
//! consumes committed records in order and stops at the first still-busy
//! one; discarded records are skipped.

use alloc::collections::VecDeque;

/// The ring-buffer record header size.
pub const RINGBUF_HDR_SIZE: u64 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Busy,
    Committed,
    Discarded,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    pos: u64,
    len: u32,
    state: State,
}

/// One ring buffer's positions.
#[derive(Debug)]
pub(crate) struct RingIndex {
    size: u64,
    producer: u64,
    consumer: u64,
    records: VecDeque<Record>,
}

impl Clone for RingIndex {
    /// Keeps the reserved capacity, so a clone allocates nothing later either.
    fn clone(&self) -> Self {
        let mut records = VecDeque::with_capacity(self.records.capacity());
        records.extend(self.records.iter().copied());
        RingIndex {
            size: self.size,
            producer: self.producer,
            consumer: self.consumer,
            records,
        }
    }
}

impl RingIndex {
    pub(crate) fn new(size: u32) -> Self {
        RingIndex {
            size: size as u64,
            producer: 0,
            consumer: 0,
            // At most one record per 8 bytes of data.
            records: VecDeque::with_capacity(size as usize / 8),
        }
    }

    /// Reserves `len` bytes; the offset of the data from the map's storage
    /// start, or `None` when there is no room.
    pub(crate) fn reserve(&mut self, len: u64) -> Option<u64> {
        let total = super::round8(len.checked_add(RINGBUF_HDR_SIZE)?);
        if total > self.size {
            return None;
        }
        if self.producer - self.consumer + total > self.size {
            return None;
        }
        if self.records.len() as u64 >= self.size / 8 {
            return None;
        }
        let pos = self.producer;
        self.records.push_back(Record {
            pos,
            len: len as u32,
            state: State::Busy,
        });
        self.producer += total;
        Some(pos % self.size + RINGBUF_HDR_SIZE)
    }

    /// Submits or discards the busy record whose data starts at `offset`;
    /// `false` if there is none.
    pub(crate) fn finish(&mut self, offset: u64, discard: bool) -> bool {
        let size = self.size;
        match self
            .records
            .iter_mut()
            .find(|r| r.state == State::Busy && r.pos % size + RINGBUF_HDR_SIZE == offset)
        {
            Some(r) => {
                r.state = if discard {
                    State::Discarded
                } else {
                    State::Committed
                };
                true
            }
            None => false,
        }
    }

    /// Consumes the next finished record: `Some(Some((offset, len)))` for a
    /// committed one, `Some(None)` for a discarded one, `None` when the next
    /// record is busy or there is none.
    pub(crate) fn consume(&mut self) -> Option<Option<(u64, u32)>> {
        let first = *self.records.front()?;
        if first.state == State::Busy {
            return None;
        }
        self.records.pop_front();
        self.consumer = first.pos + super::round8(first.len as u64 + RINGBUF_HDR_SIZE);
        if self.records.is_empty() {
            self.consumer = self.producer;
        }
        Some(match first.state {
            State::Committed => Some((first.pos % self.size + RINGBUF_HDR_SIZE, first.len)),
            _ => None,
        })
    }

    /// `bpf_ringbuf_query`: 0 available data, 1 ring size, 2 consumer
    /// position, 3 producer position; anything else 0, as in the kernel.
    pub(crate) fn query(&self, flags: u64) -> u64 {
        match flags {
            0 => self.producer - self.consumer,
            1 => self.size,
            2 => self.consumer,
            3 => self.producer,
            _ => 0,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.consumer = self.producer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_aligned_and_bounded_by_the_size() {
        let mut r = RingIndex::new(64);
        let a = r.reserve(5).unwrap();
        assert_eq!(a, 8, "data after the 8-byte header");
        let b = r.reserve(20).unwrap();
        assert_eq!(b, 16 + 8, "5 + 8 rounds to 16");
        assert_eq!(r.query(3), 16 + 32);
        assert_eq!(r.reserve(17), None, "48 + 32 > 64");
        assert_eq!(r.reserve(64), None, "larger than the ring");
        assert_eq!(r.consume(), None, "first record still busy");
        assert!(r.finish(b, false));
        assert_eq!(r.consume(), None, "in order: a is busy");
        assert!(r.finish(a, true));
        assert!(!r.finish(a, false), "already finished");
        assert_eq!(r.consume(), Some(None), "discarded");
        assert_eq!(r.consume(), Some(Some((b, 20))));
        assert_eq!(r.consume(), None);
        assert_eq!(r.query(0), 0);
        // Wrap: the next record starts at 48 and runs past 64.
        let c = r.reserve(24).unwrap();
        assert_eq!(c, 48 + 8);
        assert_eq!(r.query(1), 64);
    }
}
